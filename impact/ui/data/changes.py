"""Changes that are not imports: editing a file in place, adopting files changed outside, undo."""

from __future__ import annotations

import streamlit as st

from impact.curation import mapping, workflow
from impact.curation.store import NothingToUndoError
from impact.explore import plain
from impact.schema import contract
from impact.ui.data import review
from impact.ui.data.desk import Desk, written
from impact.ui.data.overview import action_label
from impact.validation import DataError, problems_table

EDIT = "cur_edit_checked"


def edit(desk: Desk) -> None:
    """A curated file in an editable table, checked like an import that replaces the file."""
    _ = desk._
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
    current = desk.store.current()
    edited = st.data_editor(
        workflow.file_frame(current, name),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=f"cur_edit_{name}_{current.name}",
        placeholder="",
    )
    if st.button(_("Check these changes"), key="cur_edit_check"):
        previous = st.session_state.pop(EDIT, None)
        if previous is not None:
            previous.discard()
        with st.spinner(_("Checking…")):
            st.session_state[EDIT] = workflow.check_edit(desk.root, name, edited)
    checked: workflow.Checked | None = st.session_state.get(EDIT)
    if checked is None or checked.mapping.resource != name or checked.base != current:
        return
    review.report(desk, checked, "cur_edit")
    review.preview(desk, checked, "cur_edit")
    review.write(desk, checked, "cur_edit", _("edit"))


def adopt(desk: Desk) -> None:
    """Files of the data folder edited by hand (or pulled from git) made the current data."""
    _ = desk._
    outside = desk.store.edited_outside()
    if not outside:
        return
    st.header(_("Files changed outside the app"))
    st.warning(plain(", ".join(outside)))
    who = st.text_input(_("Your name (kept in the change log)"), key="cur_adopt_who")
    if st.button(_("Adopt these files as the current data"), disabled=not who.strip()):
        try:
            version = desk.store.adopt_outside(who=who.strip())
        except DataError as error:
            st.error(_("These files are not valid; nothing was changed."))
            st.dataframe(
                problems_table(desk.tr, error.report.errors),
                hide_index=True,
                width="stretch",
                placeholder="",
            )
            return
        written()
        st.success(plain(_("Written as version {version}.", version=version.name)))


def undo(desk: Desk) -> None:
    """What the next undo reverts, and the button."""
    _ = desk._
    st.header(_("Undo"))
    reverted = desk.store.next_undo()
    if reverted is None:
        st.caption(_("Nothing to undo yet."))
        return
    files = ", ".join(str(c.get("file", "")) for c in reverted.get("changes", []) if c.get("file"))
    st.caption(
        plain(
            _(
                "Undo reverts the {action} of {file} by {who}, {when}.",
                action=action_label(desk, str(reverted.get("action"))),
                file=files or "–",
                who=reverted.get("who") or "–",
                when=reverted.get("when", ""),
            )
        )
    )
    who = st.text_input(_("Your name (kept in the change log)"), key="cur_undo_who")
    if st.button(_("Undo the last change"), key="cur_undo", disabled=not who.strip()):
        try:
            version = desk.store.undo(who=who.strip())
        except NothingToUndoError:
            st.error(_("Nothing to undo."))
            return
        written()
        st.success(
            plain(_("Back to the previous state (version {version}).", version=version.name))
        )
