"""What the data is: the data dictionary, whether it is valid, and its change log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from impact.curation import workflow
from impact.data_table import html_table
from impact.db import Database
from impact.explore import plain
from impact.i18n import N_
from impact.schema import Resource, contract
from impact.ui.caching import database, query
from impact.ui.data.desk import Desk
from impact.ui.layout import opened_expander
from impact.validation import problems_table

ACTIONS = {
    "import": N_("import"),
    "undo": N_("undo"),
    "seed": N_("first version"),
    "adopt": N_("files adopted"),
}


def dictionary(desk: Desk) -> None:
    """Every file of the contract, its columns and their rules."""
    _ = desk._
    st.markdown(_("Every file of the data folder, its columns and the rules each value follows."))
    for resource in contract().resources:
        # the contract is English; its texts are translated like the app's (scripts/i18n.py)
        label = f"{resource.path} — {plain(_(resource.title))}"
        box = opened_expander(label, f"dictionary-{resource.name}")  # closed: a title only
        if box is not None:
            with box:
                columns(desk, resource)


def columns(desk: Desk, resource: Resource) -> None:
    """A file's description, its columns and their rules, as a table whose long texts wrap."""
    _ = desk._
    st.caption(plain(_(resource.description)))
    rows = []
    for fld in resource.fields:
        rules = []
        if fld.enum:
            rules.append(_("one of: {values}", values=", ".join(f"`{v}`" for v in fld.enum)))
        if fld.pattern:
            rules.append(_("form: {pattern}", pattern=f"`{fld.pattern}`"))
        if fld.minimum is not None:
            rules.append(f"≥ {fld.minimum:g}")
        if fld.maximum is not None:
            rules.append(f"≤ {fld.maximum:g}")
        rows.append(
            {
                _("Column"): f"`{fld.name}`",
                _("Type"): fld.type,
                _("Required"): _("yes") if fld.required else _("no"),
                _("Key"): _("yes") if fld.name in resource.primary_key else _("no"),
                _("Description"): _(fld.description) if fld.description else None,
                _("Rules"): "; ".join(rules) or None,  # « – »
            }
        )
    caption = _("Columns of {file}", file=resource.path)
    st.html(html_table(desk.tr, pd.DataFrame(rows), caption, code_spans=True))
    links = [
        f"{fk.field} → {contract().resource(fk.resource).path} ({fk.reference_field})"
        for fk in resource.foreign_keys
    ]
    if links:
        st.caption(plain(_("References: {links}", links="; ".join(links))))


def status(desk: Desk) -> None:
    """Whether the data is valid, its files and version, files edited outside, the change log."""
    _, tr, store = desk._, desk.tr, desk.store
    db = database()
    version = store.current_version()
    if isinstance(db, Database):
        st.success(
            _(
                "The data is valid: every file follows the data contract ({files} files).",
                files=len(contract().resources),
            )
        )
        if db.report.warnings:
            st.warning(_("Warnings (they do not block):"))
            st.dataframe(
                problems_table(tr, db.report.warnings),
                hide_index=True,
                width="stretch",
                placeholder="",
            )
    counts = None
    if isinstance(db, Database):  # the rows the database read, not the files parsed again
        rows = query("file_rows")
        counts = dict(zip(rows["resource"], rows["rows"], strict=True))
    summary = workflow.file_summary(store.current(), tr, counts)
    st.dataframe(summary, hide_index=True, width="stretch", placeholder="")
    if version is None:
        st.caption(_("No import has been made yet: the app reads the files of the data folder."))
    else:
        st.caption(
            plain(
                _(
                    "Current version: {version}, written {when}.",
                    version=version.name,
                    when=version.info.get("when", "?"),
                )
            )
        )
    outside = store.edited_outside()
    if outside:
        st.warning(
            _(
                "These files of the data folder were changed outside the app and are not "
                "shown: {files}. An administrator can adopt them in the Import tab.",
                files=", ".join(outside),
            )
        )
    history = store.history()
    if history:
        st.header(_("Change log"))
        st.dataframe(log_frame(desk, history), hide_index=True, width="stretch", placeholder="")


def action_label(desk: Desk, action: str) -> str:
    """An action of the change log in the reader's language."""
    return desk._(ACTIONS[action]) if action in ACTIONS else action


def log_frame(desk: Desk, history: list[dict[str, str]]) -> pd.DataFrame:
    """The change log with translated headings and actions."""
    _ = desk._
    frame = pd.DataFrame(history)
    frame["action"] = [action_label(desk, a) for a in frame["action"]]
    names = {
        "when": _("When"),
        "version": _("Version"),
        "action": _("Action"),
        "file": _("File"),
        "added": _("added"),
        "changed": _("changed"),
        "removed": _("removed"),
        "who": _("Who"),
        "note": _("Note"),
    }
    return frame.rename(columns=names)
