"""Data: the data dictionary, the state of the data, and the safe import of a spreadsheet.

Browsing is open; importing, editing and undo need the administrator's password
(``impact.curation.auth``; the set-up is in the README). The page is the frame:
each part is drawn by ``impact.ui.data`` and decided by ``impact.curation``.
"""

from __future__ import annotations

import streamlit as st

from impact.ui.data import changes, desk, overview, review, signin

here = desk()
_ = here._

st.title(_("Data"))
st.caption(
    _("What each file and column means, whether the data is valid, and the import of new figures.")
)
tab_dict, tab_status, tab_import = st.tabs(
    [_("Data dictionary"), _("Validation and history"), _("Import")]
)
with tab_dict:
    overview.dictionary(here)
with tab_status:
    overview.status(here)
with tab_import:
    stored = signin.configured()
    if stored is None:
        signin.read_only(here)
    elif signin.sign_in(here, stored):
        review.import_steps(here)
        with st.expander(_("Edit a file")):
            changes.edit(here)
        changes.undo(here)
        changes.adopt(here)
        signin.sign_out(here)
