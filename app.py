"""Serve the dashboard: ``uv run streamlit run app.py`` (then http://localhost:8501).

The app itself is ``dashboard.py`` and its ``pages/``; this launcher adds what
Streamlit's server does not do on its own: a deep link (``/map?lang=nl``)
opens without two failed requests and their console errors, and loads the code of
the elements its page draws as it starts (``impact/web.py``); the server warms up as
it starts (imports, the data opened: ``impact/ui/startup.py``).
``streamlit run dashboard.py`` still works, with those two errors and slower links.
"""

import streamlit as st

from impact.web import deep_link_routes, lifespan

app = st.App("dashboard.py", routes=deep_link_routes(), lifespan=lifespan)
