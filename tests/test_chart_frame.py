"""What frames every chart on screen: a title that wraps, the sources, how we count.

Plotly cuts a long title on a phone, so the pages draw a chart's title and
selection above it as text; under it come the sources of the selection and
the link to the page that defines what is counted (as the exported images
state their source).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from impact.i18n import Translator
from impact.paths import ROOT
from impact.ui import METHOD_PAGE
from tests.conftest import APPTEST_TIMEOUT

ENTRY = str(ROOT / "dashboard.py")
VIEWS = [
    ("overview", {}),
    ("map", {}),
    ("programmes", {"programme_id": "maroc"}),
    ("countries", {"iso3": "BEL"}),
    ("organisations", {"org_id": "sos"}),
    ("reports", {}),
]


def elements(node: Any) -> Iterator[Any]:
    """Every element of an AppTest tree, in the order the page draws them."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from elements(child)


def run(page: str, lang: str, **params: str) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=APPTEST_TIMEOUT)
    at.query_params.update({"lang": lang, **params})
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
@pytest.mark.parametrize(("page", "params"), VIEWS)
def test_every_chart_has_its_title_above_and_its_sources_below(
    data_dir: Path, use_data: Callable[[Path], Path], page: str, params: dict[str, str], lang: str
) -> None:
    use_data(data_dir)
    at = run(page, lang, **params)
    tr = Translator(lang)
    drawn = list(elements(at.main))
    charts = [i for i, e in enumerate(drawn) if e.type == "plotly_chart"]
    assert charts, f"{page} draws no chart"
    for index in charts:
        before = [e for e in drawn[max(0, index - 3) : index] if e.type == "markdown"]
        assert before and before[0].value.startswith("**"), "no title above the chart"
        layout = json.loads(drawn[index].proto.spec)["layout"]
        assert not layout.get("title", {}).get("text"), "the title is drawn twice"
        after = drawn[index + 1 : index + 5]  # a map's classes in words, then the sources
        captions = [e.value.replace("\\", "") for e in after if e.type == "caption"]
        assert tr._("Sources: {publishers}", publishers="ONG Test") in captions[:2]
        links = [e for e in after if e.type == "page_link"]
        assert links and links[0].proto.page.endswith(METHOD_PAGE)
        assert links[0].proto.label == tr._("How we count")
