"""Deep links are served with Streamlit's page telling the browser where its server is.

Without it the front end probes ``/<page>/_stcore/health`` and ``host-config``
first and Chromium logs two 404s per deep link (tests/test_browser.py checks
that no console error is left on any page).
"""

from __future__ import annotations

import ast
import urllib.request

from impact import web
from impact.paths import ROOT
from tests.conftest import Server


def navigation_paths() -> set[str]:
    """The ``url_path`` of every page ``dashboard.py`` registers."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    return {
        str(keyword.value.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg == "url_path" and isinstance(keyword.value, ast.Constant)
    }


def test_every_page_of_the_navigation_is_served() -> None:
    paths = navigation_paths()
    assert {"map", "programmes", "data"} <= paths
    # « method » is served before its page exists (the app then says the page is missing)
    assert paths <= set(web.PAGE_PATHS) <= paths | {"method"}


def test_the_page_says_where_the_server_is_and_loads_its_elements_code() -> None:
    page = web.index_html("map")
    assert page.count(web.WHERE_THE_SERVER_IS) == 1
    assert page.index(web.WHERE_THE_SERVER_IS) < page.index('<script type="module"')
    imports = "".join(f'import("{url}").catch(() => {{}});' for url in web.preloads("map"))
    loader = f'<script type="module">{imports}</script>'
    assert page.count(loader) == 1 and "PlotlyChart." in loader
    original = web.streamlit_index().read_text(encoding="utf-8")
    assert page.replace(web.WHERE_THE_SERVER_IS, "").replace(loader, "") == original


def test_the_code_a_page_loads_is_streamlits() -> None:
    """Every element named exists in the installed Streamlit (a release renames nothing
    silently); Plotly's code is loaded early by the pages that draw charts, only them."""
    named = {*web.SIDEBAR_CODE, *(name for code in web.PAGE_CODE.values() for name in code)}
    assert named <= set(web.element_code())
    assert set(web.PAGE_CODE) <= {"", *web.PAGE_PATHS}
    for path in ("", *web.PAGE_PATHS):
        charts = sum("PlotlyChart." in url for url in web.preloads(path))
        assert charts == (path in ("", "map", "reports")), path


def test_a_served_deep_link_answers_the_page_and_streamlit_keeps_the_rest(
    bundled_server: Server,
) -> None:
    with urllib.request.urlopen(f"{bundled_server.url}/map?lang=nl&country=BEL") as response:
        assert response.status == 200
        assert response.headers["Cache-Control"] == "no-cache"
        assert web.WHERE_THE_SERVER_IS in response.read().decode("utf-8")
    with urllib.request.urlopen(f"{bundled_server.url}/_stcore/health") as response:
        assert response.read() == b"ok"
    with urllib.request.urlopen(f"{bundled_server.url}/?lang=nl") as response:
        page = response.read().decode("utf-8")  # the Overview's: it loads Plotly's code
        assert web.WHERE_THE_SERVER_IS in page and "PlotlyChart." in page
    with urllib.request.urlopen(f"{bundled_server.url}/countries?lang=nl") as response:
        assert "PlotlyChart." not in response.read().decode("utf-8")
