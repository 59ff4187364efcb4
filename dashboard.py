"""Entry script: page setup, language, shared filters and navigation.

Run with ``uv run streamlit run app.py`` (the launcher). Pages live in ``pages/`` and
stay thin: they read the context drawn here and call the ``impact`` package.
"""

from __future__ import annotations

import streamlit as st

from impact import method, ui
from impact.paths import STATIC_DIR

st.set_page_config(
    page_title="Impact",
    page_icon=str(STATIC_DIR / "favicon.png"),  # local: a Material icon is fetched from a CDN
    layout="wide",
    initial_sidebar_state="auto",  # collapsed on narrow screens (phones), open elsewhere
)

context = ui.frame()
if not isinstance(context, ui.Context):
    ui.error_page(context)
    st.stop()

_ = context._
navigation = st.navigation(
    [
        st.Page(
            "pages/overview.py", title=_("Overview"), icon=":material/dashboard:", default=True
        ),
        st.Page("pages/map.py", title=_("Map"), icon=":material/public:", url_path="map"),
        st.Page(
            "pages/programmes.py",
            title=_("Programmes"),
            icon=":material/list_alt:",
            url_path="programmes",
        ),
        st.Page(
            "pages/countries.py", title=_("Countries"), icon=":material/flag:", url_path="countries"
        ),
        st.Page(
            "pages/organisations.py",
            title=_("Organisations"),
            icon=":material/groups:",
            url_path="organisations",
        ),
        st.Page(
            "pages/reports.py",
            title=_("Reports & exports"),
            icon=":material/download:",
            url_path="reports",
        ),
        st.Page("pages/data.py", title=_("Data"), icon=":material/database:", url_path="data"),
        st.Page(
            "pages/method.py",
            title=_("How we count"),
            icon=":material/help:",
            url_path=method.URL_PATH,
        ),
    ]
)
ui.sync_url(context.tr, context.filters, extra=ui.detail_params(navigation.url_path))
navigation.run()
