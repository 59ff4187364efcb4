"""The HTTP side of serving the app: deep links open with no failed request, and a page
loads its elements' code as it starts (``preloads``).

Streamlit's page in the browser does not know under which path its server
lives (an app can be served below a base URL), so on a deep link such as
``/map`` it first asks ``/map/_stcore/health`` and ``/map/_stcore/host-config``,
gets two 404s — which Chromium logs as console errors — and only then tries the
root. Telling the page where its server is (``window.__streamlit.BACKEND_BASE_URL``,
read by Streamlit's front end before it connects) makes it ask the root at once.
The launcher ``app.py`` serves the app's own page paths (the Overview's « / » too)
with Streamlit's ``index.html`` carrying that line and the page's code imports;
every other path is Streamlit's.

Nothing here imports Streamlit (its ``index.html`` is found on disk), so the
rule « only the ui layer imports Streamlit » holds.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from impact import embed
from impact.db import Database
from impact.i18n import Translator
from impact.queries import localize

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


# Streamlit's page loads the code of an element (a slider, a chart) when the first such
# element arrives from the server, then the modules that code imports, one wave after
# the other. On a shared link that waited for the server's first run, and Plotly's code
# (4.7 MB, 0.6 s to run on a 2-core machine) came last: the Overview's link at 10 million
# figures spent 1.5 s on it after the server had sent everything (docs/performance.md).
# The page now asks for the code of what it will draw as it starts, while it waits for
# the server. By page path (« » is the Overview); the sidebar's on every page. A detail
# view (``/countries?iso3=MAR``) loads Plotly's when its map comes: loaded early, it
# competed with the server's longer first run and the link came no sooner.
SIDEBAR_CODE = ("Slider", "Multiselect", "Radio", "Html", "Button")
PAGE_CODE: dict[str, tuple[str, ...]] = {
    "": ("PlotlyChart", "Metric", "DownloadButton", "PageLink", "Checkbox"),
    "map": ("PlotlyChart", "DownloadButton", "PageLink"),
    "reports": ("PlotlyChart", "DownloadButton", "Metric", "DataFrame"),
    "programmes": ("DataFrame", "Selectbox", "TextInput"),
    "countries": ("DataFrame", "Selectbox"),
    "organisations": ("TextInput", "PageLink"),
    "data": ("DataFrame", "DownloadButton"),
}


@cache
def element_code() -> dict[str, str]:
    """Streamlit's element code files by element (``PlotlyChart`` → ``PlotlyChart.D9Z0_fxz.js``).

    Their names carry a hash of their content, new with each Streamlit release; an
    element not found here is loaded by the page when it arrives, as before.
    """
    folder = streamlit_index().parent / "static" / "js"
    return {path.name.split(".", 1)[0]: path.name for path in sorted(folder.glob("*.js"))}


def preloads(path: str) -> list[str]:
    """The code files the page at ``path`` loads as it starts: its sidebar's, its elements'."""
    wanted = SIDEBAR_CODE + PAGE_CODE.get(path, ())
    files = element_code()
    return [f"./static/js/{files[name]}" for name in dict.fromkeys(wanted) if name in files]


@cache
def index_html(path: str = "") -> str:
    """Streamlit's ``index.html`` telling the page where its server is, and loading the
    code of the elements the page at ``path`` draws (``preloads``) as it starts.

    ``import()`` of the same address as Streamlit's own (``./static/js/…`` from the page's
    address is where ``static/js/index.….js`` finds its neighbours): the browser fetches
    and runs each file once, and the page finds it ready.
    """
    page = streamlit_index().read_text(encoding="utf-8")
    if "<head>" not in page or "</head>" not in page:
        raise RuntimeError(f"no <head> in {streamlit_index()}: Streamlit changed its page")
    imports = "".join(f'import("{url}").catch(() => {{}});' for url in preloads(path))
    page = page.replace("</head>", f'<script type="module">{imports}</script></head>', 1)
    return page.replace("<head>", "<head>" + WHERE_THE_SERVER_IS, 1)


async def _page(request: Request) -> HTMLResponse:
    # as Streamlit sends its index.html: never cached (a new version must reach browsers)
    page = index_html(request.url.path.strip("/"))
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})


def deep_link_routes() -> list[Route]:
    """Each page's path (the Overview's « / » too) answered with Streamlit's page and the
    lines above; the embeds."""
    pages = ("", *PAGE_PATHS)
    return [Route(f"/{path}", _page, methods=["GET", "HEAD"]) for path in pages] + [
        Route(embed.PATH, _embed, methods=["GET", "HEAD"]),
        Route(embed.SCRIPT_PATH, _plotly_js, methods=["GET", "HEAD"]),
    ]


# --- Embedded charts (impact/embed.py): plain pages, drawn by the app's own plotly.js ---

_OPEN: dict[str, Database] = {}
_OPEN_LOCK = threading.Lock()


def _current() -> tuple[Database, embed.DataVersion]:
    """The configured data, opened once per version (the pages' database is Streamlit's)."""
    from impact.cache import open_source, source_key
    from impact.source import FOLDER, configured_source

    source = configured_source()
    key = source_key(source)
    with _OPEN_LOCK:
        if key not in _OPEN:
            # the version before stays open a while: a page being built may still read it
            while len(_OPEN) >= 2:
                _OPEN.pop(next(iter(_OPEN))).close()
            _OPEN[key] = open_source(source)
        database = _OPEN[key]
    folder = source.path if source.kind == FOLDER else None
    return database, embed.data_version(key, folder)


@lru_cache(maxsize=64)
def _embed_html(query: tuple[tuple[str, str], ...], version: embed.DataVersion, app: str) -> str:
    """An embed page, made once per link and data version."""
    request = embed.Request.parse(dict(query))
    assert request is not None
    database, _version = _current()
    lang = request.lang

    def run(name: str, params: dict[str, Any]) -> pd.DataFrame:
        return localize(database.query(name, params), lang)

    tr = Translator(lang)
    return embed.page(embed.build(run, tr, request), tr, request, version, app)


def _embed_response(query: dict[str, str], app: str) -> Response:
    from impact.validation import DataError

    request = embed.Request.parse(query)
    if request is None:
        return HTMLResponse("<!doctype html><title>404</title><p>No such chart.</p>", 404)
    try:
        _database, version = _current()
    except DataError:
        return HTMLResponse("<!doctype html><title>503</title><p>The data is invalid.</p>", 503)
    body = _embed_html(tuple(sorted(query.items())), version, app)
    # may be framed by any site (that is its purpose); never cached past a data change
    return HTMLResponse(body, headers={"Cache-Control": "no-cache"})


async def _embed(request: Request) -> Response:
    app = f"{request.url.scheme}://{request.url.netloc}"
    return await run_in_threadpool(_embed_response, dict(request.query_params), app)


async def _plotly_js(request: Request) -> Response:
    """plotly.js of the installed plotly package: embeds draw with no request elsewhere."""
    spec = importlib.util.find_spec("plotly")
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"
    return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """At server start, warm up in a thread (``impact.ui.startup``): the server answers at
    once, and the first reader finds the imports done and the data open."""

    def warm() -> None:
        importlib.import_module("impact.ui.startup").warm()

    threading.Thread(target=warm, name="impact-warm-up", daemon=True).start()
    yield
