"""Data: the data dictionary, the state of the data, and the safe import of a spreadsheet.

Browsing is open; importing and undo need the administrator password (see
``impact.curation.auth``). The import goes upload → mapping → report → preview
→ write, and every step calls ``impact.curation``; nothing from a file is run or
rendered as Markdown or HTML (tables are ``st.dataframe``, messages go through
``ui.plain``).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import pandas as pd
import streamlit as st

from impact import ui
from impact.curation import auth, diff, mapping, reading, workflow
from impact.curation.store import ConflictError, NothingToUndoError, Store
from impact.curation.throttle import Decision, Throttle, attempt
from impact.db import Database
from impact.i18n import N_
from impact.paths import data_root
from impact.schema import contract
from impact.validation import DataError
from impact.vocab import label

ctx = ui.context()
_ = ctx._
tr = ctx.tr
root = data_root()
store = Store(root)
ADMIN = "cur_admin"

st.title(_("Data"))
st.caption(
    _("What each file and column means, whether the data is valid, and the import of new figures.")
)


def _secret() -> Any:
    try:
        return st.secrets.get(auth.ENV)
    except Exception:  # no secrets file: the environment variable may still be set
        return None


@st.cache_resource
def _swept_at_start() -> int:
    """Candidate folders left by an earlier run of the server are removed once per process."""
    return len(workflow.sweep(startup=True))


_swept_at_start()


def _clear_caches() -> None:
    ui._database.clear()
    ui._cached_query.clear()
    st.session_state.pop("cur_checked", None)


def dictionary() -> None:
    st.markdown(_("Every file of the data folder, its columns and the rules each value follows."))
    for resource in contract().resources:
        with st.expander(f"{resource.path} — {ui.plain(resource.title)}"):
            st.caption(ui.plain(resource.description))
            rows = []
            for fld in resource.fields:
                rules = []
                if fld.enum:
                    rules.append(_("one of: {values}", values=", ".join(fld.enum)))
                if fld.pattern:
                    rules.append(_("form: {pattern}", pattern=fld.pattern))
                if fld.minimum is not None:
                    rules.append(f"≥ {fld.minimum:g}")
                if fld.maximum is not None:
                    rules.append(f"≤ {fld.maximum:g}")
                rows.append(
                    {
                        _("Column"): fld.name,
                        _("Type"): fld.type,
                        _("Required"): _("yes") if fld.required else "",
                        _("Key"): _("yes") if fld.name in resource.primary_key else "",
                        _("Description"): fld.description,
                        _("Rules"): "; ".join(rules),
                    }
                )
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
            links = [
                f"{fk.field} → {contract().resource(fk.resource).path} ({fk.reference_field})"
                for fk in resource.foreign_keys
            ]
            if links:
                st.caption(ui.plain(_("References: {links}", links="; ".join(links))))


def status() -> None:
    db = ui.database()
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
                pd.DataFrame([p.as_row(tr) for p in db.report.warnings]),
                hide_index=True,
                width="stretch",
            )
    st.dataframe(workflow.file_summary(store.current(), tr), hide_index=True, width="stretch")
    if version is None:
        st.caption(_("No import has been made yet: the app reads the files of the data folder."))
    else:
        st.caption(
            ui.plain(
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
        st.subheader(_("Change log"))
        st.dataframe(log_frame(history), hide_index=True, width="stretch")


ACTIONS = {
    "import": N_("import"),
    "undo": N_("undo"),
    "seed": N_("first version"),
    "adopt": N_("files adopted"),
}


def log_frame(history: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(history)
    frame["action"] = [_(ACTIONS[a]) if a in ACTIONS else a for a in frame["action"]]
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


def _client() -> str:
    """The address failed sign-ins are counted against (``local`` on this machine)."""
    try:
        address = st.context.ip_address
    except Exception:  # outside a served session (tests)
        address = None
    return str(address or "local")


def sign_in(configured: str) -> bool:
    if st.session_state.get(ADMIN):
        return True
    st.info(_("Importing and undo are reserved to the administrator. Browsing stays open."))
    password = st.text_input(_("Administrator password"), type="password", key="cur_password")
    submitted = st.button(_("Sign in"), key="cur_sign_in")
    if submitted:
        outcome = attempt(
            Throttle.for_root(root), _client(), password, lambda p: auth.verify(p, configured)
        )
        if outcome.ok:
            st.session_state[ADMIN] = True
            del st.session_state["cur_password"]
            st.rerun()
        if outcome.checked:
            st.error(_("Wrong password."))
        if not outcome.decision.allowed:
            st.warning(_wait_message(outcome.decision))
    return False


def _wait_message(decision: Decision) -> str:
    seconds = max(1, round(decision.wait))
    if decision.reason == "delay":
        return tr.ngettext(
            "Too soon after a failed attempt: try again in {n} second.",
            "Too soon after a failed attempt: try again in {n} seconds.",
            seconds,
        )
    minutes = max(1, round(decision.wait / 60))
    return tr.ngettext(
        "Too many failed attempts: sign-in is locked for {n} minute.",
        "Too many failed attempts: sign-in is locked for {n} minutes.",
        minutes,
    )


def mapping_editor(table: reading.Table, shape: str) -> mapping.Mapping:
    remembered = mapping.recall(root, table)
    if remembered is not None:
        st.success(_("This file has the same columns as an earlier import: its mapping is reused."))
    names = [r.name for r in contract().resources]
    first = remembered or mapping.propose(table)
    resource = st.selectbox(
        _("Which file of the data does this file feed?"),
        names,
        index=names.index(first.resource),
        format_func=lambda n: contract().resource(n).path,
        key=f"cur_resource_{shape}",
    )
    proposal = first if first.resource == resource else mapping.propose(table, resource)
    left, right = st.columns(2)
    decimals = [",", "."]
    decimal = left.radio(
        _("Decimal separator in this file"),
        decimals,
        index=decimals.index(proposal.decimal),
        format_func=lambda d: _("comma (1.234,5)") if d == "," else _("point (1,234.5)"),
        key=f"cur_decimal_{shape}",
        horizontal=True,
    )
    modes = list(mapping.MODES)
    mode = right.radio(
        _("How the rows are written"),
        modes,
        index=modes.index(proposal.mode),
        format_func=lambda m: _(mapping.MODES[m]),
        key=f"cur_mode_{shape}_{resource}",
    )
    fields = contract().resource(resource).fields
    editor = pd.DataFrame(
        {
            "field": [f.name for f in fields],
            "column": [proposal.columns.get(f.name, "") for f in fields],
            "constant": [proposal.constants.get(f.name, "") for f in fields],
            "required": [f.required for f in fields],
        }
    )
    st.markdown(
        _("For each column of the data, pick a column of your file or type a constant value.")
    )
    edited = st.data_editor(
        editor,
        hide_index=True,
        width="stretch",
        disabled=["field", "required"],
        key=f"cur_map_{shape}_{resource}",
        column_config={
            "field": st.column_config.TextColumn(_("Column of the data")),
            "column": st.column_config.SelectboxColumn(
                _("Column of your file"), options=["", *table.columns]
            ),
            "constant": st.column_config.TextColumn(_("Constant value")),
            "required": st.column_config.CheckboxColumn(_("Required")),
        },
    )
    chosen = mapping.Mapping(resource=resource, decimal=decimal, mode=mode)
    for row in edited.itertuples(index=False):
        if isinstance(row.column, str) and row.column:
            chosen.columns[str(row.field)] = row.column
        elif isinstance(row.constant, str) and row.constant.strip():
            chosen.constants[str(row.field)] = row.constant.strip()
    if resource == mapping.FACTS:
        known = st.columns(2)
        for spot, (name, target, title) in zip(
            known,
            [
                ("programme_id", "programmes", _("Programme of these figures")),
                ("source_id", "sources", _("Source of these figures")),
            ],
            strict=True,
        ):
            if name in chosen.columns:
                continue
            ids = mapping.known_ids(store.current(), target)
            current = chosen.constants.get(name, "")
            options: list[str] = (
                ["", *ids] if current in ids or not current else ["", current, *ids]
            )

            def named(value: str, ids: dict[str, str] = ids) -> str:
                return ids.get(value, value) if value else "—"

            picked = spot.selectbox(
                title,
                options,
                index=options.index(current),
                format_func=named,
                key=f"cur_{name}_{shape}",
            )
            if picked:
                chosen.constants[name] = picked
        counts = st.multiselect(
            _("Columns holding figures (one figure per column and row)"),
            table.columns,
            default=[c for c in proposal.measures if c in table.columns],
            key=f"cur_counts_{shape}",
        )
        measures = list(contract().enum(mapping.FACTS, "measure"))
        for column in counts:
            wanted = proposal.measures.get(column, "reached")
            chosen.measures[column] = st.selectbox(
                _("Measure of the column « {column} »", column=ui.plain(column)),
                measures,
                index=measures.index(wanted) if wanted in measures else 0,
                format_func=lambda m: f"{label(tr, 'measure', m)} ({m})",
                key=f"cur_measure_{shape}_{hashlib.sha256(column.encode()).hexdigest()[:8]}",
            )
    return chosen


def show_checked(checked: workflow.Checked, prefix: str = "cur") -> None:
    found = checked.report
    numbered = prefix == "cur"
    st.subheader(_("3. Report") if numbered else _("Report"))
    if found.errors:
        st.error(
            tr.ngettext(
                "{n} problem blocks the import.",
                "{n} problems block the import.",
                len(found.errors),
            )
        )
    else:
        st.success(_("No blocking problem."))
    if found.warnings:
        st.warning(
            tr.ngettext(
                "{n} warning (does not block).", "{n} warnings (do not block).", len(found.warnings)
            )
        )
    if found.findings:
        listed = "\n".join(f"- {ui.plain(f.message(tr))}" for f in found.findings[:10])
        st.markdown(listed)
        st.dataframe(found.frame(tr), hide_index=True, width="stretch")
        st.download_button(
            _("Download this report (CSV)"),
            found.csv(tr),
            file_name="import-report.csv",
            mime="text/csv",
            key=f"{prefix}_report_csv",
        )
    st.subheader(_("4. Preview of the change") if numbered else _("Preview of the change"))
    st.caption(_("The rows as they will be written (first 200); ↤ is the row in your file."))
    st.dataframe(checked.mapped_frame(), hide_index=True, width="stretch")
    if not checked.changes:
        st.info(_("This import changes nothing."))
    for change in checked.changes:
        st.markdown(
            ui.plain(
                _(
                    "{file}: {added} added, {changed} changed, {removed} removed",
                    file=change.file,
                    added=tr.number(change.added),
                    changed=tr.number(change.changed),
                    removed=tr.number(change.removed),
                )
            )
        )
        if change.touches_existing:
            st.warning(
                _(
                    "Existing records change: they are listed first. Check each one; "
                    "writing them needs your confirmation below."
                )
            )
        st.dataframe(diff.changes_table(change, tr), hide_index=True, width="stretch")
    if found.ok and checked.changes:
        st.markdown(_("How the key figures move:"))
        st.dataframe(workflow.figures(checked, tr), hide_index=True, width="stretch")


def import_file() -> None:
    st.subheader(_("1. File"))
    upload = st.file_uploader(
        _("A CSV (comma, semicolon or tab) or Excel (.xlsx) file, at most {limit} MB", limit=20),
        type=["csv", "txt", "tsv", "xlsx"],
        key="cur_upload",
    )
    if upload is None:
        return
    data = upload.getvalue()
    if len(data) > reading.MAX_BYTES:
        st.error(
            _(
                "The file is {size} MB; the limit is {limit} MB.",
                size=tr.number(round(len(data) / 1024 / 1024, 1)),
                limit=20,
            )
        )
        return
    try:
        table = reading.read_bytes(data, upload.name)
    except reading.ReadError as error:
        st.error(ui.plain(_("This file cannot be imported: {reason}", reason=error.message(tr))))
        return
    shape = mapping.shape_hash(table)
    delimiter = {",": ",", ";": ";", "\t": _("tab"), "|": "|", None: "–"}[table.delimiter]
    st.caption(
        ui.plain(
            _(
                "Read as {encoding}, delimiter « {delimiter} », header on row {row}, "
                "{rows} data rows, HXL tags: {hxl}.",
                encoding=table.encoding,
                delimiter=delimiter,
                row=table.header_line,
                rows=tr.number(len(table.rows)),
                hxl=_("yes") if table.hxl else _("no"),
            )
        )
    )
    preview = pd.DataFrame(table.rows[:20], columns=table.columns)
    st.dataframe(preview, hide_index=True, width="stretch")
    st.subheader(_("2. Mapping"))
    chosen = mapping_editor(table, shape)
    digest = hashlib.sha256(data).hexdigest() + chosen.to_json()
    if st.button(_("Check this import"), type="primary", key="cur_check"):
        previous = st.session_state.pop("cur_checked", None)
        if previous is not None:
            previous[1].discard()
        with st.spinner(_("Checking…")):
            st.session_state["cur_checked"] = (digest, workflow.check(root, table, chosen))
    held = st.session_state.get("cur_checked")
    if held is None or held[0] != digest:
        return
    checked: workflow.Checked = held[1]
    show_checked(checked)
    if not checked.report.ok or not checked.changes:
        return
    st.subheader(_("5. Write"))
    checked.touch()
    confirmed = True
    if checked.needs_confirmation:
        confirmed = st.checkbox(
            tr.ngettext(
                "I have checked the {n} existing record this import changes or removes.",
                "I have checked the {n} existing records this import changes or removes.",
                checked.touches_existing,
            ),
            key="cur_confirm",
        )
    who = st.text_input(_("Your name (kept in the change log)"), key="cur_who")
    ready = bool(who.strip()) and confirmed
    if st.button(_("Write the data"), type="primary", key="cur_write", disabled=not ready):
        try:
            version = workflow.write(root, checked, who.strip(), confirmed=confirmed)
        except ConflictError:
            st.error(_("The data changed since this check. Check the import again."))
            return
        except workflow.ExpiredError:
            st.error(_("This check is too old and was cleaned up. Check the import again."))
            return
        _clear_caches()
        st.success(ui.plain(_("Written as version {version}.", version=version.name)))


def edit() -> None:
    st.caption(
        _("Change, add or delete rows, then check: the same report and preview as an import.")
    )
    names = [r.name for r in contract().resources]
    name = st.selectbox(
        _("File"),
        names,
        index=names.index(mapping.FACTS),
        format_func=lambda n: contract().resource(n).path,
        key="cur_edit_file",
    )
    version = store.current().name
    edited = st.data_editor(
        workflow.file_frame(store.current(), name),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=f"cur_edit_{name}_{version}",
    )
    if st.button(_("Check these changes"), key="cur_edit_check"):
        previous = st.session_state.pop("cur_edit_checked", None)
        if previous is not None:
            previous.discard()
        with st.spinner(_("Checking…")):
            st.session_state["cur_edit_checked"] = workflow.check_edit(root, name, edited)
    checked: workflow.Checked | None = st.session_state.get("cur_edit_checked")
    if checked is None or checked.mapping.resource != name or checked.base != store.current():
        return
    show_checked(checked, "cur_edit")
    if not checked.report.ok or not checked.changes:
        return
    who = st.text_input(_("Your name (kept in the change log)"), key="cur_edit_who")
    if st.button(_("Write the data"), key="cur_edit_write", disabled=not who.strip()):
        try:
            written = workflow.write(root, checked, who.strip(), _("edit"), remember=False)
        except ConflictError:
            st.error(_("The data changed since this check. Check the import again."))
            return
        except workflow.ExpiredError:
            st.error(_("This check is too old and was cleaned up. Check the import again."))
            return
        st.session_state.pop("cur_edit_checked", None)
        _clear_caches()
        st.success(ui.plain(_("Written as version {version}.", version=written.name)))


def adopt() -> None:
    outside = store.edited_outside()
    if not outside:
        return
    st.subheader(_("Files changed outside the app"))
    st.warning(ui.plain(", ".join(outside)))
    who = st.text_input(_("Your name (kept in the change log)"), key="cur_adopt_who")
    if st.button(_("Adopt these files as the current data"), disabled=not who.strip()):
        try:
            version = store.adopt_outside(who=who.strip())
        except DataError as error:
            st.error(_("These files are not valid; nothing was changed."))
            rows = [p.as_row(tr) for p in error.report.errors]
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
            return
        _clear_caches()
        st.success(ui.plain(_("Written as version {version}.", version=version.name)))


def undo() -> None:
    st.subheader(_("Undo"))
    reverted = store.next_undo()
    if reverted is None:
        st.caption(_("Nothing to undo yet."))
        return
    files = ", ".join(str(c.get("file", "")) for c in reverted.get("changes", []) if c.get("file"))
    st.caption(
        ui.plain(
            _(
                "Undo reverts the {action} of {file} by {who}, {when}.",
                action=_(ACTIONS.get(str(reverted.get("action")), str(reverted.get("action")))),
                file=files or "–",
                who=reverted.get("who") or "–",
                when=reverted.get("when", ""),
            )
        )
    )
    who = st.text_input(_("Your name (kept in the change log)"), key="cur_undo_who")
    if st.button(_("Undo the last change"), key="cur_undo", disabled=not who.strip()):
        try:
            version = store.undo(who=who.strip())
        except NothingToUndoError:
            st.error(_("Nothing to undo."))
            return
        _clear_caches()
        st.success(
            ui.plain(_("Back to the previous state (version {version}).", version=version.name))
        )


tab_dict, tab_status, tab_import = st.tabs(
    [_("Data dictionary"), _("Validation and history"), _("Import")]
)
with tab_dict:
    dictionary()
with tab_status:
    status()
with tab_import:
    configured = auth.configured_hash(_secret())
    given = auth.configured_value(_secret())
    if configured is None and given is not None:
        logging.getLogger("impact.signin").warning(
            "%s is refused (%s): sign-in is off; make a new one with "
            "`uv run python -m impact.curation.auth`",
            auth.ENV,
            auth.hash_problem(given),
        )
    if configured is None:
        st.info(
            _(
                "Read-only: this data can be browsed but not changed here. To import or "
                "correct data, ask your administrator."
            )
        )
    elif sign_in(configured):
        import_file()
        with st.expander(_("Edit a file")):
            edit()
        undo()
        adopt()
        if st.button(_("Sign out"), key="cur_sign_out"):
            st.session_state[ADMIN] = False
            st.rerun()
