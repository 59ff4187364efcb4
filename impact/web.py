"""The HTTP side of serving the app: deep links open with no failed request.

Streamlit's page in the browser does not know under which path its server
lives (an app can be served below a base URL), so on a deep link such as
``/map`` it first asks ``/map/_stcore/health`` and ``/map/_stcore/host-config``,
gets two 404s — which Chromium logs as console errors — and only then tries the
root. Telling the page where its server is (``window.__streamlit.BACKEND_BASE_URL``,
read by Streamlit's front end before it connects) makes it ask the root at once.
The launcher ``app.py`` serves the app's own page paths with Streamlit's
``index.html`` carrying that one line; every other path is Streamlit's.

Nothing here imports Streamlit (its ``index.html`` is found on disk), so the
rule « only the ui layer imports Streamlit » holds.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

# The ``url_path`` of every page of ``dashboard.py``'s navigation but the default one
# (« / » is not probed); tests/test_web.py checks the two lists agree.
PAGE_PATHS = ("map", "programmes", "countries", "organisations", "reports", "data", "method")
# The server is at the root of the page's own origin, whatever the path.
WHERE_THE_SERVER_IS = (
    '<script>window.__streamlit = {BACKEND_BASE_URL: window.location.origin + "/"};</script>'
)


def streamlit_index() -> Path:
    """Streamlit's ``index.html`` (the page its server sends for every app path)."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Streamlit is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static" / "index.html"


@cache
def index_html() -> str:
    """Streamlit's ``index.html`` telling the page where its server is."""
    page = streamlit_index().read_text(encoding="utf-8")
    if "<head>" not in page:
        raise RuntimeError(f"no <head> in {streamlit_index()}: Streamlit changed its page")
    return page.replace("<head>", "<head>" + WHERE_THE_SERVER_IS, 1)


async def _page(request: Request) -> HTMLResponse:
    # as Streamlit sends its index.html: never cached (a new version must reach browsers)
    return HTMLResponse(index_html(), headers={"Cache-Control": "no-cache"})


def deep_link_routes() -> list[Route]:
    """One route per page path, answering Streamlit's page with the line above."""
    return [Route(f"/{path}", _page, methods=["GET", "HEAD"]) for path in PAGE_PATHS]
