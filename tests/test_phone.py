"""On a phone (390×844, the viewport of the most common phones), nothing is cut or hidden.

What was found on a phone: the sidebar opened over the content on first load, a bar's
value label was cut (« 20 43 »), chart titles were cut off, long category names took
the whole width, and labels of the year chart ran into each other. These tests open the
pages with charts in Debian's Chromium at that size and measure what the browser drew:
every text a chart draws lies inside the chart and overlaps no other text of its kind,
no text runs past the screen's edge, and the sidebar starts closed. On a laptop's screen
too, figures, labels and links are whole, and a map's place names apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import pytest

from impact import charts
from impact.charts import ChartText
from impact.i18n import Translator
from tests.conftest import OfflinePage, Server
from tests.test_browser import wait_ready

PHONE = {"width": 390, "height": 844}

# Pages with the charts that were cut: the overview's three charts, a programme whose
# reach is a range (the widest label), a country profile, an organisation and the map.
PHONE_PAGES = [
    "?lang=fr",
    "?lang=nl",
    "programmes?programme_id=sos-be-maroc-seisme&lang=fr",
    "countries?iso3=MAR&lang=nl",
    "organisations?org_id=sos-belgique&lang=fr",
    "map?lang=nl",
]

# Everything a Plotly chart writes as text, by kind: texts of one kind must not overlap.
MEASURE = """() => {
    const box = e => { const r = e.getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                text: e.textContent}; };
    const kinds = {values: '.textpoint text, .scatterlayer .text text, .bartext',
                   xticks: '.xtick text', yticks: '.ytick text', legend: '.legendtext'};
    return Array.from(document.querySelectorAll('.js-plotly-plot')).map(plot => {
        const frame = plot.querySelector('.main-svg').getBoundingClientRect();
        const texts = {};
        for (const [kind, selector] of Object.entries(kinds)) {
            texts[kind] = Array.from(plot.querySelectorAll(selector))
                .filter(e => e.textContent.trim() && e.getBoundingClientRect().width > 0)
                .map(box);
        }
        return {frame: {left: frame.left, right: frame.right, top: frame.top,
                        bottom: frame.bottom}, texts};
    });
}"""

# Text the page itself writes (titles, captions, metric labels) that runs past the screen
# or is cut by an ellipsis.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const main = document.querySelector("[data-testid='stMain']");
    const past = Array.from(document.querySelectorAll(
            "[data-testid='stMainBlockContainer'] [data-testid='stMarkdownContainer'],"
            + "[data-testid='stMainBlockContainer'] [data-testid='stMetric'],"
            + "[data-testid='stMainBlockContainer'] [data-testid='stCaptionContainer']"))
        .filter(e => e.getBoundingClientRect().right > width + 1)
        .map(e => e.textContent.slice(0, 60));
    const cut = Array.from(document.querySelectorAll(
            "[data-testid='stMetricLabel'] *, [data-testid='stMetricValue'] *,"
            + "[data-testid='stMainBlockContainer'] [data-testid='stPageLink'] *"))
        .filter(e => e.scrollWidth > e.clientWidth + 1)
        .map(e => e.textContent.slice(0, 60));
    // a figure broken inside a number (« ≳ 6.483.7 » over « 44 »): a word on two lines
    const broken = [];
    for (const value of document.querySelectorAll("[data-testid='stMetricValue']")) {
        const walker = document.createTreeWalker(value, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const word of node.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, word.index);
                range.setEnd(node, word.index + word[0].length);
                const tops = new Set(Array.from(range.getClientRects())
                    .filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (tops.size > 1) broken.push(value.textContent);
            }
        }
    }
    return {past, cut, broken, scrolls: main.scrollWidth > main.clientWidth + 1};
}"""


# A map's place names and points (a view of a few countries writes its places' names).
PLACE_LABELS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
    .filter(plot => plot.querySelector('.geo .scattergeo text'))
    .map(plot => {
        const box = e => { const r = e.getBoundingClientRect();
            return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                    text: e.textContent}; };
        return {frame: box(plot.querySelector('.main-svg')),
                labels: Array.from(plot.querySelectorAll('.geo .scattergeo text'))
                    .filter(e => e.getBoundingClientRect().width > 0).map(box),
                points: Array.from(plot.querySelectorAll('.geo .scattergeo path.point'))
                    .map(box)};
    })"""


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two boxes share more than a pixel each way (glyph boxes touch at rest)."""
    across = min(a["right"], b["right"]) - max(a["left"], b["left"])
    down = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return bool(across > 1 and down > 1)


def chart_text_problems(plots: list[dict[str, Any]]) -> list[str]:
    """Texts drawn outside their chart, or over another text of the same kind."""
    problems = []
    for index, plot in enumerate(plots):
        frame = plot["frame"]
        for kind, boxes in plot["texts"].items():
            for box in boxes:
                outside = (
                    box["left"] < frame["left"] - 1
                    or box["right"] > frame["right"] + 1
                    or box["top"] < frame["top"] - 1
                    or box["bottom"] > frame["bottom"] + 1
                )
                if outside:
                    problems.append(f"chart {index}: {kind} « {box['text']} » is cut")
            for i, first in enumerate(boxes):
                for second in boxes[i + 1 :]:
                    if _overlap(first, second):
                        problems.append(
                            f"chart {index}: {kind} « {first['text']} » "
                            f"overlaps « {second['text']} »"
                        )
                    elif kind == "values" and _one_line(first, second):
                        problems.append(
                            f"chart {index}: « {first['text']} » and « {second['text']} » "
                            "read as one text"
                        )
    return problems


# Two value labels on one line closer than this (px) read as one text: a period's
# « 2.480 » beside the next year's « ≥ 2.300 » read « 2.480 ≥ 2.300 ».
LABEL_GAP = 16


def _one_line(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two labels sit side by side on one line, less than ``LABEL_GAP`` apart."""
    down = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    height = min(a["bottom"] - a["top"], b["bottom"] - b["top"])
    gap = max(a["left"], b["left"]) - min(a["right"], b["right"])
    return bool(down > height / 2 and 0 <= gap < LABEL_GAP)


def place_label_problems(maps: list[dict[str, Any]]) -> list[str]:
    """A place's name written over another name or over another place's point, or cut by
    the map's edge."""
    problems = []
    for index, drawn in enumerate(maps):
        labels, frame = drawn["labels"], drawn["frame"]
        for i, label in enumerate(labels):
            if label["left"] < frame["left"] - 1 or label["right"] > frame["right"] + 1:
                problems.append(f"map {index}: « {label['text']} » is cut")
            problems += [
                f"map {index}: « {label['text']} » overlaps « {other['text']} »"
                for other in labels[i + 1 :]
                if _overlap(label, other)
            ]
            covered = [point for point in drawn["points"] if _overlap(label, point)]
            problems += [f"map {index}: « {label['text']} » covers a point"] * len(covered)
    return problems


def test_boxes_that_overlap_are_told_apart() -> None:
    """The measure itself: a label past the chart's edge, two labels on each other, and two
    side by side on one line (« 2 480 ≥ 2 300 »)."""
    frame = {"left": 0, "right": 300, "top": 0, "bottom": 400}
    inside = {"left": 10, "right": 60, "top": 10, "bottom": 24, "text": "2 480"}
    beside = {"left": 61, "right": 100, "top": 10, "bottom": 24, "text": "≥ 2 300"}
    apart = {"left": 60 + LABEL_GAP, "right": 120, "top": 10, "bottom": 24, "text": "≥ 2 300"}
    above = {"left": 61, "right": 100, "top": 0, "bottom": 12, "text": "≥ 2 300"}
    cut = {"left": 270, "right": 320, "top": 30, "bottom": 44, "text": "20 437"}
    on_top = {"left": 40, "right": 90, "top": 12, "bottom": 26, "text": "≈ 30"}
    assert chart_text_problems([{"frame": frame, "texts": {"values": [inside, apart]}}]) == []
    assert chart_text_problems([{"frame": frame, "texts": {"values": [inside, above]}}]) == []
    assert chart_text_problems([{"frame": frame, "texts": {"values": [inside, beside]}}]) == [
        "chart 0: « 2 480 » and « ≥ 2 300 » read as one text"
    ]
    # ticks and legends sit side by side by design
    assert chart_text_problems([{"frame": frame, "texts": {"xticks": [inside, beside]}}]) == []
    problems = chart_text_problems([{"frame": frame, "texts": {"values": [inside, cut, on_top]}}])
    assert problems == [
        "chart 0: values « 20 437 » is cut",
        "chart 0: values « 2 480 » overlaps « ≈ 30 »",
    ]


def _years(values: dict[int, float], lower: float | None = None) -> pd.DataFrame:
    """A ``reach_by_year`` result: one figure per year, exact unless ``lower`` is given."""
    return pd.DataFrame(
        [
            {
                "period_start": year,
                "period_end": year,
                "total": total,
                "lower": total if lower is None else lower,
                "facts": 2,
                "hidden_facts": 0,
                "hidden_small": 0,
                "inferred_facts": 0,
                "source_date_facts": 0,
                "at_least": False,
                "about": False,
                "at_most": False,
                "lower_about": False,
            }
            for year, total in values.items()
        ]
    )


def _labels(fig: Any) -> list[str]:
    return [str(t) for trace in fig.data if trace.type == "scatter" for t in trace.text or ()]


def test_year_labels_that_would_run_into_each_other_are_left_out() -> None:
    """A federation's years (« ≳ 1 662 628 » eleven times at one height) have no labels;
    labels of close years at different heights, or of years far apart, stay."""
    tr = Translator("fr")
    text = ChartText("Personnes atteintes par année", "Toutes les données")
    crowded = _years({y: 12_300_000 + 30_000 * (y % 3) for y in range(2015, 2026)}, 1_600_000)
    assert _labels(charts.bar_by_year(crowded, tr, text, "Personnes")) == []
    # the bundled data's shape: 2015 « ≥ 2 300 » over 2016 « ≈ 30 », and 2024 far apart
    apart = _years({2015: 2300.0, 2016: 30.0, 2024: 23_324.0})
    assert len(_labels(charts.bar_by_year(apart, tr, text, "Personnes"))) == 3
    # on fifteen years, large figures far apart keep theirs, two neighbours do not; two
    # years alone have wide bars, room enough
    assert len(_labels(charts.bar_by_year(_years({2010: 1e6, 2024: 1e6}), tr, text, "P"))) == 2
    close = _years({2010: 10.0, 2023: 1e6, 2024: 1e6})
    assert _labels(charts.bar_by_year(close, tr, text, "P")) == []
    assert len(_labels(charts.bar_by_year(_years({2023: 1e6, 2024: 1e6}), tr, text, "P"))) == 2


def test_a_periods_line_is_drawn_under_the_years_labels() -> None:
    """The bundled data's 2010–2014 line (2 480) passes under the label of 2015
    (« ≥ 2 300 ») on a phone: drawn after it, the line hid the foot of « ≥ », which read
    « > 2 300 ». The labels are now drawn last, their white halo over the line."""
    tr = Translator("fr")
    text = ChartText("Personnes atteintes par année", "Toutes les données")
    period = _years({2014: 2480.0}).assign(period_start=2010)
    at_least = _years({2015: 2300.0}).assign(at_least=True)
    df = pd.concat([period, at_least, _years({2016: 30.0})], ignore_index=True)
    fig = charts.bar_by_year(df, tr, text, "Personnes")
    drawn = [t for t in fig.data if t.type == "scatter"]
    assert ["lines" in t.mode for t in drawn] == [True, False]
    assert drawn[-1].text[0].startswith("≥")


@contextmanager
def opened(browser: Any, url: str, viewport: dict[str, int]) -> Iterator[Any]:
    """``url`` drawn in a page of that size (no exception shown); no console error after."""
    offline = OfflinePage(browser, **viewport)
    try:
        offline.page.goto(url)
        wait_ready(offline.page)
        assert not offline.page.locator("[data-testid='stException']").count()
        yield offline.page
        assert offline.errors == []
    finally:
        offline.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", PHONE_PAGES)
def test_nothing_is_cut_on_a_phone(bundled_server: Server, browser: Any, path: str) -> None:
    """At 390×844: sidebar closed, chart texts inside their charts and apart, no text cut."""
    with opened(browser, f"{bundled_server.url}/{path}", PHONE) as page:
        sidebar = page.locator("[data-testid='stSidebar']")
        assert sidebar.get_attribute("data-collapsed") == "true", "the sidebar covers the page"
        assert sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] <= 0
        assert page.locator(".js-plotly-plot").count() >= 1
        problems = chart_text_problems(page.evaluate(MEASURE))
        # a map's place names, laid out for a laptop's width, ran into each other here
        problems += place_label_problems(page.evaluate(PLACE_LABELS))
        overflow = page.evaluate(OVERFLOW)
        assert problems == []
        assert overflow["past"] == [], "text runs past the screen's edge"
        assert overflow["cut"] == [], "a figure or its label is cut by an ellipsis"
        assert overflow["broken"] == [], "a figure is broken inside a number"
        assert not overflow["scrolls"], "the page scrolls sideways"


# « Show the data » tables drawn past their expander's edge, or scrolling sideways in a box
# that a keyboard cannot reach.
TABLE_BOXES = """() => Array.from(document.querySelectorAll('div.impact-data')).filter(box => {
    const outer = box.closest("[data-testid='stExpander']").getBoundingClientRect();
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    return box.getBoundingClientRect().right > outer.right + 1 || (scrolls && box.tabIndex < 0);
}).map(box => box.querySelector('caption').textContent)"""

# On a laptop's screen, with the sidebar open: a profile's row of four cards, whose reach
# is a range (« 10.378 tot 20.437 » was cut to « 10.378 t… »), the Map's links to the
# countries' profiles (« Democratische Republiek Congo · 1.20… ») and Belgium's map
# (« Steenokkerzeel » was written over « Brussels Hoofdstedelijk Gewest (6 plaatsen) »).
LAPTOP = {"width": 1280, "height": 900}
# The reach of a federation's largest country (10 million figures), written into the first
# card: it was cut to « ≳ 6.483.7… », then broken into « ≳ 6.483.7 » over « 44 ».
FEDERATION_FIGURE = """() => {
    const value = document.querySelector("[data-testid='stMetricValue']");
    const walker = document.createTreeWalker(value, NodeFilter.SHOW_TEXT);
    walker.nextNode().data = "≳\u00a06.483.744";  // the mark and the number kept together
}"""
LAPTOP_PAGES = ["countries?iso3=MAR&lang=nl", "countries?iso3=BEL&lang=fr", "map?lang=nl"]


@pytest.mark.browser
@pytest.mark.parametrize("path", LAPTOP_PAGES)
def test_nothing_is_cut_or_written_over_on_a_laptop(
    bundled_server: Server, browser: Any, path: str
) -> None:
    """At 1280×900: no figure, label or link cut by an ellipsis; places' names apart."""
    with opened(browser, f"{bundled_server.url}/{path}", LAPTOP) as page:
        overflow = page.evaluate(OVERFLOW)
        assert overflow["cut"] == [], "a figure, its label or a link is cut by an ellipsis"
        assert overflow["broken"] == [], "a figure is broken inside a number"
        assert overflow["past"] == [], "text runs past the screen's edge"
        if "MAR" in path:  # a federation's figure in the same card: whole, on one line
            page.evaluate(FEDERATION_FIGURE)
            overflow = page.evaluate(OVERFLOW)
            assert overflow["cut"] == [] and overflow["broken"] == []
        if "map" in path or "BEL" in path:
            drawn = page.evaluate(PLACE_LABELS)
            assert drawn and all(len(m["labels"]) >= 8 for m in drawn)  # names are written
            assert place_label_problems(drawn) == []
        if "map" in path:  # its eight-column table ran 37 px past its box in Dutch
            page.locator("[data-testid='stExpander'] summary").first.click()
            page.wait_for_selector("table.impact-data")
            wait_ready(page)
            assert page.evaluate(TABLE_BOXES) == []
