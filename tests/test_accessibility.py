"""Readable by everyone: axe-core, the page language, text alternatives, contrast, colour
vision and the keyboard.

Point by point of issue 14: axe-core finds no critical or serious violation on
any page or detail view in French, Dutch or English (the others are listed in
docs/accessibility.md, made by scripts/axe_table.py); the page's ``lang``
follows the reader's language; every chart carries a text alternative written
from its data, in the reader's language, with the pages' marks; the app's own
text colours contrast 4.5:1 at least; the palettes stay apart under simulated
protanopia, deuteranopia and tritanopia; a page can be walked and used with Tab
and Enter alone, with a visible focus.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from impact import alt_text, charts, colours, explore, maps
from impact.amounts import Amount
from impact.charts import ChartText
from impact.db import Database
from impact.exports.view import reach_table
from impact.filters import Filters
from impact.i18n import Translator
from impact.paths import ROOT
from tests.accessibility import IMPACTS, LANGS, VIEWS, audit, view_url
from tests.conftest import OfflinePage, Server
from tests.test_browser import wait_ready

PERSONS = {"unit": "persons", "measure": "reached"}


# --- text alternatives, from the data ------------------------------------------------------


def _theme_chart(db: Database, lang: str) -> tuple[Any, pd.DataFrame, list[Amount]]:
    tr = Translator(lang)
    rows = charts.theme_labels(db.query("reach_by_theme", {**Filters().params(), **PERSONS}), tr)
    fig = charts.bar_horizontal(rows, tr, ChartText("Title", "Everything"), "theme_label", "P")
    return fig, rows, [Amount.from_row(r) for r in rows.to_dict("records")]


@pytest.mark.parametrize(
    ("lang", "opening", "largest"),
    [("fr", "Diagramme en barres.", "La plus grande\u00a0:"), ("nl", "Staafdiagram.", "Grootste:")],
)
def test_a_chart_says_its_largest_and_smallest_values_in_the_readers_language(
    db: Database, lang: str, opening: str, largest: str
) -> None:
    """The text comes from the rows drawn: largest and smallest with the pages' own texts."""
    fig, rows, amounts = _theme_chart(db, lang)
    tr = Translator(lang)
    text = alt_text.of(fig)
    assert text.startswith(opening)
    shown = [(n, a) for n, a in zip(rows["theme_label"], amounts, strict=True) if a.value]
    top = max(shown, key=lambda pair: pair[1].value or 0)
    low = min(shown, key=lambda pair: pair[1].value or 0)
    assert f"{largest} {top[0]}, {top[1].reach_text(tr)}." in text
    assert f"{low[0]}, {low[1].reach_text(tr)}." in text
    assert tr.ngettext("{n} bar.", "{n} bars.", len(rows)) in text
    assert "Everything" in text  # the selection


def test_a_year_chart_names_its_years_periods_and_marks(tmp_path: Path) -> None:
    """Years from first to last, a period said as a period, a range with its explanation;
    a year whose figures are not all dated by their source keeps its « * » and what it
    means, as on the chart (the text said « 2024 » where the axis says « 2024* »)."""
    from tests.factory import make_truth

    tr = Translator("fr")
    db = Database.open(make_truth(tmp_path / "truth"))  # a period, inferred years, ranges
    by_year = db.query("reach_by_year", {**Filters().params(), **PERSONS})
    fig = charts.bar_by_year(by_year, tr, ChartText("Par année", "Tout"), "P")
    text = alt_text.of(fig)
    single = by_year[by_year["period_start"] == by_year["period_end"]]
    undated = single["inferred_facts"].fillna(0) + single["source_date_facts"].fillna(0) > 0
    marked = {int(y) for y in single.loc[undated, "period_end"]}
    assert marked, "the test data has figures dated by their source"

    def name(year: int) -> str:
        return f"{year}*" if year in marked else str(year)

    first, last = int(single["period_end"].min()), int(single["period_end"].max())
    assert f"de {name(first)} à {name(last)}." in text
    for year in marked:
        assert f"{year}*" in text
    ticks = dict(zip(fig.layout.xaxis.tickvals, fig.layout.xaxis.ticktext, strict=True))
    assert {int(v) for v, t in ticks.items() if t.endswith("*")} == marked
    assert "* années en partie déduites, ou de la source." in text
    for row in by_year.to_dict("records"):
        assert Amount.from_row(row).reach_text(tr) in text or len(single) > 2
    periods = by_year[by_year["period_start"] != by_year["period_end"]]
    for row in periods.to_dict("records"):
        assert f"{int(row['period_start'])}–{int(row['period_end'])}\u00a0: " in text


def test_hidden_and_missing_values_are_named_never_zero() -> None:
    """« < 10 » and « – » as on the pages; a hidden figure is never the smallest, never 0."""
    tr = Translator("fr")
    items = [
        alt_text.item(tr, "Alpha", Amount.figure(2300, "at_least")),
        alt_text.item(tr, "Beta", Amount.figure(30, "about")),
        alt_text.item(tr, "Gamma", Amount.figure(None, hidden_reason="small")),
        alt_text.item(tr, "Delta", Amount(None)),
    ]
    text = alt_text.bars(tr, "T", "S", items)
    assert "La plus grande\u00a0: Alpha, ≥\u00a02\u202f300." in text
    assert "La plus petite\u00a0: Beta, ≈\u00a030." in text
    assert "Gamma (< 10)" in text and "Delta (–)" in text
    assert not re.search(r"\b0\b", text)


def test_a_map_says_its_countries_and_places(db: Database) -> None:
    """Country classes and places, from the map's own frames, in Dutch."""
    tr = Translator("nl")
    params = {**Filters().params(), **PERSONS}
    countries = explore.country_map_frame(tr, db.query("reach_by_country", params), "P")
    figures = db.query("place_figures", Filters().params())
    places = explore.place_map_frame(tr, db.query("map_places", params), figures)
    hovers = explore.place_hovers(tr, figures, "P")
    fig = maps.reach_map(
        countries, places, tr, ChartText("Kaart", "Alles"), "P", world=True, hovers=hovers
    )
    text = alt_text.of(fig)
    assert text.startswith("Kaart.")
    top = countries.sort_values("total", ascending=False).iloc[0]
    assert f"Grootste: {top['country']}, {top['reach']}." in text
    assert tr.ngettext("{n} place marked by a point.", "{n} places marked by points.", len(places))
    assert str(len(countries)) in text


def test_the_chart_data_table_is_a_real_table_in_the_readers_format(
    data_dir: Path, use_data: Any
) -> None:
    """« Show the data » holds the text alternative and an HTML table, not a canvas grid."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APPTEST_TIMEOUT, open_chart_data

    use_data(data_dir)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=APPTEST_TIMEOUT)
    at.query_params["lang"] = "nl"
    at.run()
    assert not at.exception
    # closed, « Show the data » sends nothing: a world map's table is ~150 KB of HTML
    assert [e.label for e in at.expander] == ["Gegevens tonen"] * 3
    assert all(not e.children for e in at.expander)
    assert not [h for h in at.html if "<table" in str(h.proto.body)]
    open_chart_data(at)
    texts = [m.value for m in at.markdown]
    assert any(t.startswith("Staafdiagram per jaar\\.") for t in texts), texts
    tables = [str(h.proto.body) for h in at.html if "<table" in str(h.proto.body)]
    assert len(tables) >= 3  # one per chart of the overview
    database = Database.open(data_dir)
    by_year = database.query("reach_by_year", {**Filters().params(), **PERSONS})
    database.close()
    tr = Translator("nl")
    expected = reach_table(tr, by_year, "year")
    first = tables[0]
    for column in expected.columns:
        assert f'<th scope="col" role="columnheader">{column}</th>' in first
    top = by_year.sort_values("total").iloc[-1]
    assert f">{tr.number(float(top['total']))}</td>" in first  # « 23.324 », Dutch format
    assert f">{int(top['period_end'])}</td>" in first  # a year stays « 2024 »
    at.radio(key="lang").set_value("fr").run()  # open, they stay open in another language
    assert not at.exception
    assert [e.label for e in at.expander] == ["Afficher les données"] * 3
    assert len([h for h in at.html if "<table" in str(h.proto.body)]) == 3


def test_the_data_table_stacks_on_a_phone_and_keeps_its_semantics() -> None:
    """Headers are real column headers; each cell carries its header for narrow screens."""
    from impact.data_table import CSS, html_table

    tr = Translator("fr")
    frame = pd.DataFrame({"Année": [2024], "Pays": ["<b>Maroc</b>"], "Personnes": [10378.0]})
    table = html_table(tr, frame, "Titre")
    assert "<caption>Titre</caption>" in table
    assert '<td role="cell" data-label="Pays">&lt;b&gt;Maroc&lt;/b&gt;</td>' in table
    assert '<td role="cell" data-label="Personnes" class="num">10\u202f378</td>' in table
    assert '<td role="cell" data-label="Année">2024</td>' in table
    assert "@container (max-width: 560px)" in CSS and "attr(data-label)" in CSS


# --- the app's own colours ---------------------------------------------------------------


def _theme() -> dict[str, str]:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return dict(config["theme"])


def test_the_apps_own_text_colours_contrast_at_least_4_5() -> None:
    """Body text, captions (Streamlit's 60 % of the text colour), links, chart text, hovers."""
    theme = _theme()
    white = "#ffffff"
    pairs: dict[str, tuple[str, str]] = {
        "body text": (theme["textColor"], white),
        # Streamlit draws captions, help and muted labels at 60 % of the text colour
        "captions": (colours.over(theme["textColor"], 0.6), white),
        "links and primary": (theme["primaryColor"], white),
        "chart text and axis labels": (charts.TEXT_COLOUR, white),
        "chart hover labels": (
            str(charts.HOVER_LABEL["font"]["color"]),  # type: ignore[index]
            str(charts.HOVER_LABEL["bgcolor"]),
        ),
        "map hover labels": (str(maps.HOVER["font"]["color"]), str(maps.HOVER["bgcolor"])),  # type: ignore[index]
        "map place names": (maps.TEXT, white),
    }
    low = {k: round(colours.contrast(*p), 2) for k, p in pairs.items()}
    assert all(v >= 4.5 for v in low.values()), low
    # the check itself: Streamlit's default caption (#828180, 3.88:1, axe's measure) fails
    assert colours.over("#2f2d2b", 0.6) == "#828180"
    assert 3.88 <= colours.contrast("#828180", white) < 3.89


def test_every_chart_draws_its_hover_labels_dark_on_white(db: Database) -> None:
    """No chart keeps Plotly's default hover (the bar's colour, light text on the light part)."""
    fig, _rows, _amounts = _theme_chart(db, "fr")
    assert fig.layout.hoverlabel.bgcolor == "#ffffff"
    assert fig.layout.hoverlabel.font.color == charts.TEXT_COLOUR
    assert fig.layout.font.color == charts.TEXT_COLOUR


# --- colour vision -----------------------------------------------------------------------

DEFICIENCIES = ("protanopia", "deuteranopia", "tritanopia")
# Colours a reader must tell apart, by where they meet.
PALETTES = {
    "map classes and no figure": [*maps.CLASS_COLOURS, maps.NO_FIGURE],
    "bars: distinct, may count twice, period": [
        charts.PRIMARY,
        charts.EXTRA_COLOUR,
        charts.PERIOD_COLOUR,
    ],
    "places: with figure, without": [maps.PLACE_COLOUR, maps.OTHER_PLACE],
    "categorical palette": charts.PALETTE,
}
APART = 10.0  # CIE76 ΔE*ab: about 2.3 is just noticeable, 10 is clearly another colour


def test_the_simulation_matches_the_published_model() -> None:
    """Machado 2009: pure red is a dark olive for a protanope; white stays white."""
    assert colours.simulate("#ffffff", "deuteranopia") == "#ffffff"
    red = colours.lab(colours.simulate("#ff0000", "protanopia"))
    assert red[0] < 45 and abs(red[1]) < 15 and red[2] > 40  # dark, no red, yellowish


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
@pytest.mark.parametrize("palette", list(PALETTES))
def test_the_palettes_stay_distinguishable(deficiency: str, palette: str) -> None:
    """Every pair of colours that meet stays ≥ 10 ΔE apart under simulated deficiency."""
    seen = [colours.simulate(c, deficiency) for c in PALETTES[palette]]
    closest = min(
        (colours.distance(a, b), PALETTES[palette][i], PALETTES[palette][j])
        for (i, a), (j, b) in itertools.combinations(enumerate(seen), 2)
    )
    assert closest[0] >= APART, closest


def test_colour_is_never_the_only_carrier(db: Database) -> None:
    """The map's classes are said in words; the « may count twice » part is hatched too."""
    tr = Translator("fr")
    countries = explore.country_map_frame(
        tr, db.query("reach_by_country", {**Filters().params(), **PERSONS}), "P"
    )
    lines = maps.class_lines(tr, countries, "P")
    for klass in maps.classes(countries["total"]):
        members = countries[[klass.holds(float(t)) for t in countries["total"]]]
        if not members.empty:
            assert any(line.startswith(klass.label(tr)) for line in lines)
    fig, _rows, amounts = _theme_chart(db, "fr")
    if any(a.is_range for a in amounts):
        assert fig.data[1].marker.pattern.shape == "/"


# --- in the browser ---------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_critical_or_serious_violation(
    bundled_server: Server, browser: Any, lang: str
) -> None:
    """Every page and detail view, offline; the page's language is the reader's."""
    page = OfflinePage(browser)
    try:
        found: dict[str, list[str]] = {}
        for view in VIEWS:
            page.page.goto(view_url(bundled_server.url, view, lang))
            wait_ready(page.page)
            assert page.page.evaluate("document.documentElement.lang") == lang, view
            bad = [v for v in audit(page.page) if v["impact"] in IMPACTS[:2]]
            if bad:
                found[view] = [f"{v['impact']} {v['id']}: {v['targets'][:3]}" for v in bad]
        assert not found, found
        assert not page.blocked, page.blocked
    finally:
        page.close()


# The headings a reader's screen reader lists (shown ones, in the page's order): level, text.
HEADINGS = """() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
    .filter(h => h.getClientRects().length > 0 && h.innerText.trim() !== '')
    .map(h => [Number(h.tagName[1]), h.innerText.trim().slice(0, 60)])"""


def skipped_levels(headings: list[list[Any]]) -> list[str]:
    """Where a heading is more than one level below the one before it (axe's heading-order):
    « Carte » (h1) then « Profils des pays » (h3) leaves a screen reader's outline a gap."""
    return [
        f"{before[1]!r} h{before[0]} → {after[1]!r} h{after[0]}"
        for before, after in itertools.pairwise(headings)
        if after[0] > before[0] + 1
    ]


@pytest.mark.browser
def test_no_view_skips_a_heading_level(bundled_server: Server, browser: Any) -> None:
    """Every page and detail view, and the Data page's other tabs: a page's sections are
    h2 under its h1 title (they were h3 on the Map, Reports, the detail views and the Data
    page's tabs)."""
    page = OfflinePage(browser)
    try:
        found: dict[str, list[str]] = {}
        for view in VIEWS:
            page.page.goto(view_url(bundled_server.url, view, "fr"))
            wait_ready(page.page)
            tabs = page.page.locator("[data-testid='stMainBlockContainer'] [role='tab']")
            for index in range(max(1, tabs.count())):
                if index:
                    tabs.nth(index).click()
                    wait_ready(page.page)
                headings = page.page.evaluate(HEADINGS)
                assert [level for level, _ in headings].count(1) == 1, (view, headings)
                gaps = skipped_levels(headings)
                if gaps:
                    found[f"{view} (tab {index + 1})"] = gaps
        assert not found, found
    finally:
        page.close()


@pytest.mark.browser
def test_the_page_language_follows_the_language_switch(
    bundled_server: Server, browser: Any
) -> None:
    """``<html lang>`` is the reader's language, and follows a switch in the sidebar."""
    page = OfflinePage(browser)
    try:
        page.page.goto(f"{bundled_server.url}/map?lang=nl")
        wait_ready(page.page)
        assert page.page.evaluate("document.documentElement.lang") == "nl"
        page.page.locator("[data-testid='stSidebar'] label:has-text('English')").click()
        wait_ready(page.page)
        assert page.page.evaluate("document.documentElement.lang") == "en"
    finally:
        page.close()


FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
        || (s.boxShadow && s.boxShadow !== 'none');
    // some widgets draw the ring on a wrapper around the focused input
    let wrapper = e.parentElement, wrapped = false;
    for (let i = 0; i < 3 && wrapper; i++, wrapper = wrapper.parentElement) {
        const w = getComputedStyle(wrapper);
        if ((w.outlineStyle !== 'none' && parseFloat(w.outlineWidth) > 0)
            || (w.boxShadow && w.boxShadow !== 'none')
            || w.borderColor !== getComputedStyle(wrapper.parentElement || wrapper).borderColor)
            wrapped = true;
    }
    return {tag: e.tagName, role: e.getAttribute('role'), text: (e.innerText
        || e.getAttribute('aria-label') || e.value || '').trim().slice(0, 60),
        ring: ring || wrapped, sidebar: !!e.closest("[data-testid='stSidebar']")};
}"""


@pytest.mark.browser
def test_a_page_is_walked_and_used_with_tab_and_enter_only(
    bundled_server: Server, browser: Any
) -> None:
    """Tab reaches the language, the filters, the pages and a chart's data; Enter opens them.

    Every element that takes the focus shows it (an outline or a ring). Enter on
    « Afficher les données » opens the chart's text alternative and its table;
    Enter on the Map link opens the Map page — no mouse at all.
    """
    page = OfflinePage(browser)
    try:
        page.page.goto(f"{bundled_server.url}/?lang=fr")
        wait_ready(page.page)
        walked: list[dict[str, Any]] = []
        for _ in range(160):
            page.page.keyboard.press("Tab")
            focused = page.page.evaluate(FOCUSED)
            if focused:
                walked.append(focused)
            if focused and "Afficher les données" in focused["text"]:
                break
        texts = [w["text"] for w in walked]
        assert any(w["sidebar"] and w["tag"] == "INPUT" for w in walked), texts  # filters
        assert any("Carte" in t for t in texts), texts  # the navigation
        assert texts and "Afficher les données" in texts[-1], texts
        unringed = [w for w in walked if not w["ring"]]
        assert not unringed, unringed
        page.page.keyboard.press("Enter")
        table = page.page.locator("[data-testid='stExpander'] table").first
        table.wait_for(state="visible", timeout=30_000)
        wait_ready(page.page)  # the table came with a rerun (made when it opens)
        expander = page.page.locator("[data-testid='stExpander']").first.inner_text()
        assert "Diagramme en barres par année." in expander
        # back to the navigation with Shift+Tab, then Enter on « Carte »
        for _ in range(200):
            page.page.keyboard.press("Shift+Tab")
            focused = page.page.evaluate(FOCUSED)
            if focused and focused["text"].endswith("Carte"):
                break
        page.page.keyboard.press("Enter")
        page.page.wait_for_url(re.compile(r"/map"), timeout=60_000)
        wait_ready(page.page)
        assert page.page.locator("h1").first.inner_text() == "Carte"
    finally:
        page.close()


@pytest.mark.browser
def test_axe_on_a_charts_description_table_and_share_menu(
    bundled_server: Server, browser: Any
) -> None:
    """What opens under a chart — its description and table, the share menu — passes too."""
    page = OfflinePage(browser)
    try:
        page.page.goto(f"{bundled_server.url}/?lang=nl")
        wait_ready(page.page)
        page.page.get_by_text("Gegevens tonen").first.click()
        page.page.locator("[data-testid='stExpander'] table").first.wait_for(timeout=30_000)
        wait_ready(page.page)  # the table came with a rerun (made when it opens)
        page.page.get_by_role("button", name="Delen / Insluiten").first.click()
        page.page.locator("[data-testid='stPopoverBody'] code").first.wait_for(timeout=30_000)
        bad = [
            (v["id"], v["targets"][:3], v["html"])
            for v in audit(page.page)
            if v["impact"] in IMPACTS[:2]
        ]
        assert not bad, bad
    finally:
        page.close()
