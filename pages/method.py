"""How we count: the counting rules in the reader's language (the PDF report reproduces them).

The text is a Markdown file per language (``locales/<lang>/method.md``), read by
``impact.method``; every key figure links here.
"""

from __future__ import annotations

import streamlit as st

from impact import method, ui

ctx = ui.context()
st.markdown(method.text(ctx.tr.lang))
