"""The Data page's parts: what the data is, who may change it, and the import, step by step.

``pages/data.py`` is the frame (title, tabs); each module here draws one seam of
it, and every decision is made by ``impact.curation`` (nothing from a file is run
or rendered as Markdown or HTML: tables are ``st.dataframe``, messages go through
``ui.plain``):

- ``desk``: what every part shares (the reader's language, the data folder, its store);
- ``overview``: the data dictionary, the validation status and the change log;
- ``signin``: the administrator's sign-in, throttled across sessions;
- ``upload``: step 1, the file read and what was understood of it;
- ``columns``: step 2, the mapping of its columns (figures, parts, numbers);
- ``review``: steps 3 to 5, report, preview and the confirmed write;
- ``changes``: editing a file in place, adopting files changed outside, undo.
"""

from __future__ import annotations

from impact.ui.data.desk import Desk, desk

__all__ = ["Desk", "desk"]
