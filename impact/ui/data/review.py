"""Steps 3 to 5 of an import: the report, the preview of the change, the confirmed write.

The report lists what blocks first, then what the curator must read before
anything else (a part added to its whole, existing records changed); the
preview lists changes to existing records before additions, and writing them
needs a confirmation (``impact.curation.workflow.write(confirmed=…)``).
"""

from __future__ import annotations

import streamlit as st

from impact.curation import diff, mapping, reading, workflow
from impact.curation.store import ConflictError
from impact.explore import plain
from impact.i18n import N_
from impact.ui.data.desk import Desk, written


def report(desk: Desk, checked: workflow.Checked, prefix: str = "cur") -> None:
    """The report of a check: counts, the first messages, the full table and its CSV."""
    _, tr = desk._, desk.tr
    found = checked.report
    numbered = prefix == "cur"
    st.header(_("3. Report") if numbered else _("Report"))
    if found.errors:
        st.error(
            tr.ngettext(
                "{n} problem blocks the import.",
                "{n} problems block the import.",
                found.error_count,
            )
        )
    else:
        st.success(_("No blocking problem."))
    if found.warnings:
        st.warning(
            tr.ngettext(
                "{n} warning (does not block).", "{n} warnings (do not block).", found.warning_count
            )
        )
    if found.findings:
        listed = "\n".join(f"- {plain(f.message(tr))}" for f in found.findings[:10])
        st.markdown(listed)
        st.dataframe(found.frame(tr), hide_index=True, width="stretch", placeholder="")
        st.download_button(
            _("Download this report (CSV)"),
            found.csv(tr),
            file_name="import-report.csv",
            mime="text/csv",
            key=f"{prefix}_report_csv",
        )


def preview(desk: Desk, checked: workflow.Checked, prefix: str = "cur") -> None:
    """The rows as they will be written, the changes file by file, the key figures."""
    _, tr = desk._, desk.tr
    numbered = prefix == "cur"
    st.header(_("4. Preview of the change") if numbered else _("Preview of the change"))
    st.caption(
        _("The rows as they will be written (first 200); ↤ is the row in your file.")
        if checked.report.ok
        else _(
            "The rows as they would be written once the problems are fixed (first 200); "
            "↤ is the row in your file."
        )
    )
    st.dataframe(checked.mapped_frame(), hide_index=True, width="stretch", placeholder="")
    if not checked.changes:
        st.info(_("This import changes nothing."))
    for change in checked.changes:
        # a blocked import writes nothing: its counts are what it would do, once fixed
        counts = (
            N_("{file}: {added} added, {changed} changed, {removed} removed")
            if checked.report.ok
            else N_(
                "{file}: nothing is written while a problem blocks the import; "
                "once fixed, {added} would be added, {changed} changed, {removed} removed"
            )
        )
        st.markdown(
            plain(
                _(
                    counts,
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
        st.dataframe(
            diff.changes_table(change, tr, blocked=not checked.report.ok),
            hide_index=True,
            width="stretch",
            placeholder="",
        )
    parts = [f for f in checked.report.findings if f.rule == "part_added_to_whole"]
    for finding in parts:
        st.warning(plain(finding.message(tr)))
    if checked.report.ok and checked.changes:
        st.markdown(_("How the key figures move:"))
        st.dataframe(
            workflow.figures(checked, tr), hide_index=True, width="stretch", placeholder=""
        )


def write(desk: Desk, checked: workflow.Checked, prefix: str = "cur", note: str = "") -> None:
    """The write step: who writes, the confirmation of changes to existing records, the button."""
    _, tr = desk._, desk.tr
    if not checked.report.ok or not checked.changes:
        return
    if prefix == "cur":
        st.header(_("5. Write"))
    checked.touch()
    confirmed = True
    if checked.needs_confirmation:
        confirmed = st.checkbox(
            tr.ngettext(
                "I have checked the {n} existing record this import changes or removes.",
                "I have checked the {n} existing records this import changes or removes.",
                checked.touches_existing,
            ),
            key=f"{prefix}_confirm",
        )
    who = st.text_input(_("Your name (kept in the change log)"), key=f"{prefix}_who")
    ready = bool(who.strip()) and confirmed
    if st.button(_("Write the data"), type="primary", key=f"{prefix}_write", disabled=not ready):
        try:
            version = workflow.write(
                desk.root,
                checked,
                who.strip(),
                note,
                remember=prefix == "cur",
                confirmed=confirmed,
            )
        except ConflictError:
            st.error(_("The data changed since this check. Check the import again."))
            return
        except workflow.ExpiredError:
            st.error(_("This check is too old and was cleaned up. Check the import again."))
            return
        written()
        st.success(plain(_("Written as version {version}.", version=version.name)))


CHECKED = "cur_checked"  # (what was checked: file digest and mapping, the Checked)


def import_steps(desk: Desk) -> None:
    """The import, step by step: file, mapping, check, report, preview, write."""
    from impact.ui.data import columns, upload

    _ = desk._
    read = upload.upload(desk)
    if read is None:
        return
    table, digest = read
    st.header(_("2. Mapping"))
    chosen = columns.choose(desk, table, mapping_shape(table))
    what = digest + chosen.to_json()
    if st.button(_("Check this import"), type="primary", key="cur_check"):
        previous = st.session_state.pop(CHECKED, None)
        if previous is not None:
            previous[1].discard()
        with st.spinner(_("Checking…")):
            st.session_state[CHECKED] = (what, workflow.check(desk.root, table, chosen))
    held = st.session_state.get(CHECKED)
    if held is None or held[0] != what:
        return
    checked: workflow.Checked = held[1]
    report(desk, checked)
    preview(desk, checked)
    write(desk, checked)


def mapping_shape(table: reading.Table) -> str:
    """The key of the widgets of one file layout (a new layout starts a fresh mapping)."""
    return mapping.shape_hash(table)
