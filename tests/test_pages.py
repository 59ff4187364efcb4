"""The browsing pages (map, programmes, countries, organisations) with AppTest.

Every page renders in three languages, on hand-made and on bundled data; the
numbers it draws equal an independent DuckDB query over the CSV files (not
the app's model); filters, languages and detail views travel in the URL.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from impact import explore
from impact.db import Database
from impact.filters import Filters
from impact.i18n import Translator
from impact.paths import ROOT
from tests.conftest import APPTEST_TIMEOUT, open_chart_data
from tests.factory import FACTS, PLACES, PROGRAMMES, fact, make_data

ENTRY = str(ROOT / "dashboard.py")
PAGES = ["map", "programmes", "countries", "organisations"]


def open_page(page: str, lang: str | None = None, **params: str) -> AppTest:
    """Run the app on ``pages/<page>.py`` with these URL parameters."""
    at = AppTest.from_file(ENTRY, default_timeout=APPTEST_TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    at.query_params.update(params)
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def figures_of(at: AppTest) -> list[dict[str, Any]]:
    """The Plotly figures the page sends to the browser."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def chart_titles(at: AppTest) -> list[str]:
    """The titles drawn above the charts (bold lines), as a reader sees them."""
    lines = [m.value.split("\n")[0].rstrip() for m in at.markdown if m.value.startswith("**")]
    return [line.strip("*").replace("\\", "") for line in lines]


def values(array: Any) -> list[Any]:
    """A Plotly data array, decoded when Plotly sent it as typed base64."""
    if isinstance(array, dict) and "bdata" in array:
        return list(np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]))
    return list(array)


def independent_reach(folder: Path, by: str, where: str = "true") -> dict[str, float]:
    """Persons reached per ``by`` straight from the CSV files.

    A part (« dont ») adds only when its whole is not selected too.
    """
    sql = f"""
        with selected as (
            select b.*, p.org_id
            from read_csv($facts, header=true, all_varchar=true) as b
            join read_csv($programmes, header=true, all_varchar=true) as p using (programme_id)
            where b.unit = 'persons' and b.measure = 'reached' and {where}
        )
        select {by} as key, sum(cast("count" as double)) as total
        from selected
        where coalesce(part_of, '') = '' or part_of not in (select fact_id from selected)
        group by 1
    """
    files = {
        "facts": str(folder / "beneficiaries.csv"),
        "programmes": str(folder / "programmes.csv"),
    }
    rows = duckdb.execute(sql, files).fetchall()
    return {str(k): float(v) for k, v in rows}


def shaded(fig: dict[str, Any]) -> list[dict[str, Any]]:
    """The choropleth traces of a map that show data (not the land under them)."""
    return [t for t in fig["data"] if t["type"] == "choropleth" and t.get("hoverinfo") != "skip"]


def place_traces(fig: dict[str, Any]) -> list[dict[str, Any]]:
    """The traces of a map drawing places (not the dotted disputed boundary)."""
    return [t for t in fig["data"] if t["type"] == "scattergeo" and "markers" in t["mode"]]


def choropleth(fig: dict[str, Any]) -> dict[str, float]:
    """Country -> value shaded on a map (every class's trace)."""
    found: dict[str, float] = {}
    for trace in shaded(fig):
        found.update(zip(values(trace["locations"]), map(float, values(trace["z"])), strict=True))
    return found


@pytest.fixture
def data(data_dir: Path, use_data: Callable[[Path], Path]) -> Path:
    """The hand-made data folder, used by the app."""
    return use_data(data_dir)


# --- Map -------------------------------------------------------------------


def test_map_shades_countries_with_the_independent_totals(data: Path) -> None:
    at = open_page("map")
    world, belgium = figures_of(at)
    assert choropleth(world) == independent_reach(data, "country_iso3")
    assert choropleth(world) == {"MAR": 10378.0, "SEN": 1675.0, "BEL": 2100.0}
    assert choropleth(belgium) == {"BEL": 2100.0}
    # our outlines (Western Sahara apart), not Plotly's
    assert world["layout"]["geo"]["visible"] is False
    assert {t["geojson"] for t in world["data"] if t["type"] == "choropleth"} == {
        "/app/static/outlines/world.json"
    }
    assert {t["geojson"] for t in belgium["data"] if t["type"] == "choropleth"} == {
        "/app/static/outlines/world-50m.json"
    }
    assert chart_titles(at)[0].startswith("Personnes atteintes par pays et par lieu")
    points = place_traces(world)
    assert [values(t["lat"]) for t in points] == [[50.85]]  # Bruxelles, where SOS Test works
    assert at.query_params["lang"] == "fr"


def test_map_follows_the_filters_and_keeps_them_in_the_url(data: Path) -> None:
    at = open_page("map")
    at.sidebar.multiselect(key="f_countries").set_value(["MAR"]).run()
    assert not at.exception
    world = figures_of(at)[0]
    assert choropleth(world) == independent_reach(data, "country_iso3", "b.country_iso3 = 'MAR'")
    assert at.query_params["country"] == "MAR"
    assert any("Aucun lieu belge" in i.value for i in at.info)


def test_the_belgian_map_says_the_years_of_its_own_figures(
    use_data: Callable[[Path], Path],
) -> None:
    """The Belgian map's title gave the world's years (« 2010–2024 ») over figures of 2015
    and 2016: each map names the span of the figures it draws."""
    use_data(ROOT / "data")
    at = open_page("map", lang="en")
    assert not at.exception, [e.message for e in at.exception]
    titles = chart_titles(at)
    assert "Persons reached by country and place, 2010–2024" in titles
    assert "Persons reached in Belgium, by place, 2015–2016" in titles


def test_map_in_dutch_from_the_url(data: Path) -> None:
    at = open_page("map", lang="nl", group="children")
    assert at.title[0].value == "Kaart"
    world = figures_of(at)[0]
    expected = independent_reach(data, "country_iso3", "\"group\" = 'children'")
    assert choropleth(world) == expected == {"MAR": 3189.0, "SEN": 1675.0}
    assert "Bereikte personen" in chart_titles(at)[0]
    assert world["layout"]["separators"] == ",."
    hover = [row for trace in shaded(world) for row in values(trace["customdata"])]
    assert any("3.189" in " ".join(map(str, row)) for row in hover)


def test_map_hovers_follow_a_language_switch_and_a_filter_in_one_session(data: Path) -> None:
    """The map's hover texts are cached (``ui.derived``): never another language's or
    another selection's."""
    at = open_page("map")
    french = json.dumps([t["customdata"] for t in place_traces(figures_of(at)[0])])
    assert "Aucun chiffre de ce type ici" in french
    at.sidebar.radio(key="lang").set_value("nl").run()
    assert not at.exception
    world = figures_of(at)[0]
    dutch = json.dumps([t["customdata"] for t in place_traces(world)])
    assert Translator("nl")._("No figure of this kind here") in dutch
    assert "Aucun chiffre" not in dutch
    hover = [row for trace in shaded(world) for row in values(trace["customdata"])]
    assert any("10.378" in " ".join(map(str, row)) for row in hover)  # Morocco, in Dutch
    at.sidebar.multiselect(key="f_countries").set_value(["MAR"]).run()
    assert not at.exception
    assert set(choropleth(figures_of(at)[0])) == {"MAR"}


def test_a_countrys_hover_says_which_programmes_it_counts(
    use_data: Callable[[Path], Path],
) -> None:
    """The map's « 2 programmes » of Belgium were the programmes its reach adds up, where
    the list of countries says 43 under the same word: the hover says « counted »."""
    use_data(ROOT / "data")
    at = open_page("map", lang="nl")
    world = figures_of(at)[0]
    hover = {
        str(iso): " ".join(map(str, row))
        for trace in shaded(world)
        for iso, row in zip(values(trace["locations"]), values(trace["customdata"]), strict=True)
    }
    assert "2 programma's geteld" in hover["BEL"]
    listed = open_page("countries", lang="nl").dataframe[0].value
    assert dict(zip(listed["Land"], listed["Programma's"], strict=True))["België"] == 43


def test_map_links_each_country_to_its_profile(data: Path) -> None:
    at = open_page("map", lang="en")
    links = [link for link in at.get("page_link") if link.proto.page.endswith("countries")]
    assert [link.proto.label for link in links] == [
        "Morocco · 10,378",
        "Belgium · ≥\u00a02,100",
        "Senegal · 1,675",
    ]
    assert {link.proto.page for link in links} == {"countries"}
    assert [link.proto.query_string for link in links] == [
        "lang=en&iso3=MAR",
        "lang=en&iso3=BEL",
        "lang=en&iso3=SEN",
    ]


# --- Programmes ------------------------------------------------------------


def test_programme_list_totals_equal_the_independent_query(data: Path) -> None:
    at = open_page("programmes")
    table = at.dataframe[0].value
    fr = Translator("fr")
    summed = explore.sum_label(fr)
    reach = dict(zip(table[fr._("Programme")], table[summed], strict=True))
    names = {p["programme_id"]: p["name"] for p in PROGRAMMES}
    expected = {names[k]: v for k, v in independent_reach(data, "programme_id").items()}
    assert {k: v for k, v in reach.items() if not pd.isna(v)} == expected
    assert len(table) == len(PROGRAMMES)
    # one figure each: as many different people as the sum; « plus de 2100 » keeps its word
    assert table[explore.distinct_label(fr)].equals(table[summed])
    qualifiers = dict(zip(table[fr._("Programme")], table[fr._("Qualifier")], strict=True))
    assert qualifiers == {"Séisme au Maroc": "", "Daaras": "", "Je dis STOP": "au moins"}


def test_programme_detail_from_the_url_shows_its_figures_and_quotes(data: Path) -> None:
    at = open_page("programmes", programme_id="maroc")
    assert at.title[0].value == "Séisme au Maroc"
    assert at.query_params["programme_id"] == "maroc"  # kept by the frame
    shown = {m.label: m.value for m in at.metric}
    assert shown["Personnes atteintes"] == Translator("fr").number(10378)
    figures = at.dataframe[0].value
    maroc = [f for f in FACTS if f["programme_id"] == "maroc"]
    assert len(figures) == len(maroc)
    assert set(figures["Citation"]) == {f["quote"] for f in maroc}
    added = dict(zip(figures["Chiffre"], figures["Compté dans les totaux"], strict=True))
    assert added[3189].startswith("non")


def test_a_programme_with_many_figures_lists_its_largest(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A federation's programme has thousands of figures: the page lists the largest."""
    from impact import figures as figures_module

    monkeypatch.setattr(figures_module, "ROWS_ON_PAGE", 2)
    at = open_page("programmes", programme_id="maroc")
    listed = at.dataframe[0].value
    maroc = sorted((int(f["count"]) for f in FACTS if f["programme_id"] == "maroc"), reverse=True)
    fr = Translator("fr")
    assert list(listed["Chiffre"]) == maroc[:2]
    expected = f"Les 2 plus grands des {fr.number(len(maroc))} chiffres"
    assert any(c.value.startswith(expected) for c in at.caption), [c.value for c in at.caption]
    # the totals still add every figure
    assert {m.label: m.value for m in at.metric}["Personnes atteintes"] == fr.number(10378)


def test_programme_detail_respects_the_filters(data: Path) -> None:
    at = open_page("programmes", lang="en", programme_id="maroc", group="children")
    figures = at.dataframe[0].value
    assert figures["Figure"].tolist() == [3189]
    # The part is counted when its whole is outside the selection.
    assert figures["Added to totals"].tolist() == ["yes"]
    assert any("3 other figures" in c.value for c in at.caption)


def test_picking_a_programme_opens_it_and_back(data: Path) -> None:
    at = open_page("programmes", lang="nl")
    at.selectbox(key="programmes_open").set_value("daaras").run()
    assert not at.exception
    assert at.title[0].value == "Daaras"
    assert at.query_params["programme_id"] == "daaras"
    at.button[0].click().run()
    assert at.title[0].value == "Programma's"
    assert "programme_id" not in at.query_params


def test_unknown_programme_falls_back_to_the_list(data: Path) -> None:
    at = open_page("programmes", programme_id="nope")
    assert at.title[0].value == "Programmes"
    assert at.warning


# --- Countries -------------------------------------------------------------


def test_country_list_and_profile(data: Path) -> None:
    at = open_page("countries", lang="en")
    table = at.dataframe[0].value
    reach = dict(zip(table["Country"], table["Persons reached (sum of the figures)"], strict=True))
    assert reach == {"Morocco": 10378, "Belgium": 2100, "Senegal": 1675}
    at.selectbox(key="countries_open").set_value("MAR").run()
    assert at.title[0].value == "Morocco"
    assert at.query_params["iso3"] == "MAR"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Persons reached"] == "10,378"
    assert metrics["Programmes"] == "1"
    by_year, by_theme = figures_of(at)[:2]
    bars = [t for t in by_year["data"] if t["type"] == "bar"]
    assert [sum(map(float, values(t["y"]))) for t in bars] == [10378.0]
    assert by_year["layout"]["xaxis"]["type"] == "linear"  # gaps between years show
    assert [values(t["y"]) for t in by_theme["data"] if t["type"] == "bar"] == [
        ["Emergency response"]
    ]


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_a_lists_qualifier_is_read_whole_beside_its_numbers(
    use_data: Callable[[Path], Path], lang: str
) -> None:
    """« au moins environ » showed as « au moins e… » (the grid sized the column to its
    header): a lost « environ ». The qualifier's column fits its longest text, and comes
    right after the reach, among the columns a laptop shows without scrolling."""
    from impact.ui.tables import CHAR_PX

    use_data(ROOT / "data")
    tr = Translator(lang)
    for page in ("countries", "programmes"):
        at = open_page(page, lang=lang)
        grid = at.dataframe[0]
        table, config = grid.value, json.loads(grid.proto.columns)
        qualifier = tr._("Qualifier")
        longest = max(len(t) for t in [qualifier, *table[qualifier]] if isinstance(t, str))
        assert config[qualifier]["width"] >= CHAR_PX * longest, (page, config[qualifier])
        columns = [str(c) for c in table.columns]
        assert columns.index(qualifier) == 3, (page, columns)  # name, distinct, sum, qualifier
        if page == "countries":
            assert tr._("at least") in " ".join(t for t in table[qualifier] if t)


@pytest.mark.parametrize(
    ("page", "params", "name"),
    [
        ("programmes", {}, "Programma"),
        ("countries", {}, "Land"),
        ("countries", {"iso3": "BEL"}, "Programma"),
    ],
)
def test_a_lists_names_stay_while_its_numbers_are_scrolled(
    use_data: Callable[[Path], Path], page: str, params: dict[str, str], name: str
) -> None:
    """On a phone a list's numbers start past the right edge, and scrolling to them took
    the rows' names away: the lists of programmes and countries keep their names in place
    (pinned), in a column narrower than a phone's grid."""
    use_data(ROOT / "data")
    at = open_page(page, lang="nl", **params)
    grids = [g for g in at.dataframe if str(g.value.columns[0]) == name]
    assert grids, (page, [list(g.value.columns) for g in at.dataframe])
    for grid in grids:
        config = json.loads(grid.proto.columns)[name]
        assert config.get("pinned") is True and config["width"] <= 200, (page, config)


def test_a_chart_names_the_sources_of_what_it_draws(use_data: Callable[[Path], Path]) -> None:
    """Under Belgium's charts of persons reached, « Sources: » named every source of the
    country's figures (signatures, brochures, places); now those of persons reached. Its
    map also draws the places that figures of any unit name: their sources too."""
    use_data(ROOT / "data")
    at = open_page("countries", lang="en", iso3="BEL")
    lines = [c.value for c in at.caption if c.value.startswith("Sources")]
    bars, places = lines[:2], lines[-1]
    assert len(lines) == 3 and all("Journée mondiale" in line for line in lines)
    assert not any("ECPAT" in line or "Portail" in line for line in bars), bars
    assert "ECPAT" in places and "Portail" in places


def test_a_map_names_the_source_of_the_places_where_organisations_work(
    use_data: Callable[[Path], Path],
) -> None:
    """Togo has no figure; its map draws Kara, where SOS France works (its source:
    sos-fr-2025), among « other places the sources name », and said « No source in
    this selection » under it. « No figure of persons reached » is said once, not twice."""
    use_data(ROOT / "data")
    at = open_page("countries", lang="fr", iso3="TGO")
    lines = [c.value for c in at.caption if c.value.startswith("Sources")]
    assert lines == ["Sources\xa0\\: SOS Villages d'Enfants \\(France\\)"], lines
    said = [e.value for e in [*at.caption, *at.info] if "Aucun chiffre de personnes" in e.value]
    assert len(said) == 1, said


def test_country_profile_ignores_the_country_filter_but_keeps_the_others(data: Path) -> None:
    at = open_page("countries", iso3="SEN", country="MAR", group="children")
    assert at.title[0].value == "Sénégal"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Personnes atteintes"] == Translator("fr").number(1675)
    assert at.query_params["country"] == "MAR"


# --- Organisations ---------------------------------------------------------


def test_directory_lists_every_organisation(data: Path) -> None:
    at = open_page("organisations", lang="en")
    text = " ".join(m.value for m in at.markdown)
    assert "SOS Test \\(SOS\\)" in text and "ECPAT Test" in text
    assert "Bruxelles" in text
    assert "Against sexual exploitation" in text
    assert ":small[:gray[NGO · Belgium]]" in text  # its kind and country, small and grey
    assert [b.proto.url for b in at.get("link_button")] == ["https://example.org"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_cards_labels_take_the_colon_of_the_readers_language(data: Path, lang: str) -> None:
    """« Programmes: 0 » on a French card: French puts a no-break space before a colon."""
    at = open_page("organisations", lang=lang)
    cards = [m.value for m in at.markdown if "**Programmes**" in m.value]
    assert cards
    colon = "**Programmes**\xa0: " if lang == "fr" else "**Programmes**: "
    assert all(colon in card for card in cards)
    assert lang != "fr" or not [card for card in cards if "**: " in card]
    detail = open_page("organisations", lang=lang, org_id="sos")
    labels = ("**Thèmes**", "**Villes**") if lang == "fr" else ("**Themes**", "**Cities**")
    shown = [m.value for m in detail.markdown if m.value.startswith(labels)]
    assert len(shown) == 2 and all(("\xa0: " in t) == (lang == "fr") for t in shown), shown


def test_organisation_page_totals(data: Path) -> None:
    at = open_page("organisations", org_id="sos")
    assert at.title[0].value == "SOS Test \\(SOS\\)"
    metrics = {m.label: m.value for m in at.metric}
    expected = independent_reach(data, "org_id")["sos"]
    assert metrics["Personnes atteintes"] == Translator("fr").number(expected)
    assert metrics["Programmes"] == "2"
    programmes = at.dataframe[0].value
    assert set(programmes["Programme"]) == {"Séisme au Maroc", "Daaras"}


# --- Every page, every language, bundled data ---------------------------------


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_every_language(data: Path, page: str, lang: str) -> None:
    at = open_page(page, lang=lang)
    tr = Translator(lang)
    titles = {"map": "Map", "programmes": "Programmes", "countries": "Countries"}
    assert at.title[0].value == tr._(titles.get(page, "Organisations"))


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("map", {}),
        ("programmes", {}),
        ("programmes", {"programme_id": "sos-be-maroc-seisme"}),
        ("programmes", {"programme_id": "sos-be-limpoba"}),
        ("countries", {}),
        ("countries", {"iso3": "BEL"}),
        ("organisations", {}),
        ("organisations", {"org_id": "sos-belgique"}),
        ("organisations", {"org_id": "acsis"}),
    ],
)
def test_bundled_data_renders(
    use_data: Callable[[Path], Path], page: str, params: dict[str, str]
) -> None:
    folder = use_data(ROOT / "data")
    at = open_page(page, lang="nl", **params)
    if page == "map":
        world = figures_of(at)[0]
        assert choropleth(world) == independent_reach(folder, "country_iso3")


# --- What data files may contain ----------------------------------------------


def test_names_from_data_are_escaped_in_hover_labels(
    tmp_path: Path, use_data: Callable[[Path], Path]
) -> None:
    hostile = "<b>Bruxelles</b><img src=x onerror=alert(1)>"
    folder = make_data(
        tmp_path / "data",
        places=[{**PLACES[0], "name": hostile}],
        beneficiaries=[*FACTS, fact("bxl", 40, country_iso3="BEL", place_id="bruxelles")],
    )
    use_data(folder)
    at = open_page("map")
    world = figures_of(at)[0]
    hovers = " ".join(
        " ".join(map(str, row)) for t in place_traces(world) for row in values(t["customdata"])
    )
    assert "<b>Bruxelles" not in hovers and "<img" not in hovers
    assert "&lt;b&gt;Bruxelles&lt;/b&gt;&lt;img" in hovers


def test_years_text() -> None:
    assert explore.years_text(2004, None) == "2004–"
    assert explore.years_text(None, None, 2014, 2016) == "2014–2016"
    assert explore.years_text(pd.NA, pd.NA, 2024, 2024) == "2024"
    assert explore.years_text(None, None) == ""


def test_a_place_names_five_programmes_and_counts_the_others() -> None:
    fr, nl = Translator("fr"), Translator("nl")
    assert explore.programme_names(fr, "A · B", 5) == "A · B et 3 autres"
    assert explore.programme_names(nl, "A · B", 3) == "A · B en 1 ander"
    assert explore.programme_names(fr, "A · B", 2) == "A · B"
    assert explore.programme_names(fr, "", 0) == ""


def test_overview_draws_the_largest_countries_and_lists_them_all(
    tmp_path: Path, use_data: Callable[[Path], Path]
) -> None:
    """A federation's countries: 15 bars, the largest, the title saying so; the table under
    the chart keeps every country (a bar per country made a chart 5 000 px tall at 10M)."""
    from impact.synthetic import generate

    generate(60_000, tmp_path / "federation")  # 23 countries with persons reached
    use_data(tmp_path / "federation")
    at = open_page("overview", lang="en")
    assert "Persons reached by country: the 15 largest" in chart_titles(at)
    database = Database.open(tmp_path / "federation")
    params = {**Filters().params(), "unit": "persons", "measure": "reached"}
    every = database.query("reach_by_country", params)
    database.close()
    assert len(every) > 15
    bars = [
        {str(y) for trace in fig["data"] if trace["type"] == "bar" for y in values(trace["y"])}
        for fig in figures_of(at)
    ]
    drawn = next(names for names in bars if names <= set(every["name_en"]))
    assert len(drawn) == 15
    largest = set(every.sort_values("total", ascending=False)["name_en"].head(15))
    assert drawn == largest
    tables = " ".join(str(h.proto.body) for h in open_chart_data(at).get("html"))
    assert all(str(name) in tables for name in every["name_en"])  # the table: every country


def test_overview_lists_the_figures_behind_the_chosen_total(data: Path) -> None:
    at = open_page("overview")
    charts = len(at.dataframe)  # each chart's « show the data » table; no list until asked
    at.toggle(key="overview_rows").set_value(True).run()
    assert len(at.dataframe) == charts + 1
    persons = at.dataframe[0].value
    at.button_group(key="overview_rows_figure").set_value("children").run()
    assert not at.exception
    children = at.dataframe[0].value
    assert len(children) < len(persons)
    assert set(children["Groupe"]) == {"Enfants"}


# --- Queries started side by side ---------------------------------------------


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("overview", {}),
        ("overview", {"groups": "children"}),
        ("map", {}),
        ("programmes", {"programme_id": "sos-be-maroc-seisme"}),
        ("countries", {"iso3": "BEL"}),
        ("organisations", {"org_id": "sos-belgique"}),
        ("reports", {}),
    ],
)
def test_pages_prefetch_what_they_read(
    use_data: Callable[[Path], Path],
    monkeypatch: pytest.MonkeyPatch,
    page: str,
    params: dict[str, str],
) -> None:
    """A prefetched call the page does not make again would be work for nothing, and a
    call it makes without starting it waits alone.

    ``prefetch`` and ``_read`` (every cached query result a page, a ``derived`` frame or
    the report's ``view`` reads) are wrapped, not replaced: the page still runs its
    queries for real, and the test compares what it started early with what it then read.
    """
    import streamlit as st

    from impact import ui

    use_data(ROOT / "data")
    started: list[str] = []
    asked: list[str] = []
    prefetch, read = ui.prefetch, ui.caching._read

    def key(name: str, values: dict[str, Any] | None) -> str:
        return json.dumps([name, values or {}], sort_keys=True)

    def spy_prefetch(calls: Any, *more: Any) -> None:
        calls = list(calls)
        started.extend(key(name, values) for name, values in calls)
        prefetch(calls, *more)

    def spy_read(source: Any, name: str, values: dict[str, Any] | None, lang: str) -> pd.DataFrame:
        asked.append(key(name, values))
        return read(source, name, values, lang)

    # pages call ``ui.prefetch``; the ui layer's own modules call ``ui.caching.prefetch``
    for module in (ui, ui.caching):
        monkeypatch.setattr(module, "prefetch", spy_prefetch)
    monkeypatch.setattr(ui.caching, "_read", spy_read)
    st.cache_data.clear()
    open_page(page, lang="fr", **params)
    assert started, f"{page} starts no query side by side"
    assert set(started) <= set(asked), sorted(set(started) - set(asked))
    # and the other way: a query a view reads without starting it runs alone, after the
    # others (the Map's image buttons read the sources of persons reached for their
    # caption's one line: 0.15 s of a filter change at 10M). The filters' values are
    # read by the frame, always cached; the Reports page reads its list of programmes
    # and its preview's sentences on their own (not held to it)
    late = set(asked) - set(started) - {key("filter_options", {})}
    if page != "reports":
        assert not late, sorted(late)


@pytest.mark.parametrize(
    ("page", "params", "expected"),
    [
        (
            "countries",
            {"iso3": "BEL", "years": "2015-2024", "country": "COL"},
            Filters(2015, 2024, countries=("BEL",)),
        ),
        (
            "organisations",
            {"org_id": "sos-belgique", "years": "2015-2024"},
            Filters(2015, 2024, orgs=("sos-belgique",)),
        ),
    ],
    ids=["country", "organisation"],
)
def test_every_file_of_a_profile_states_the_profiles_selection(
    use_data: Callable[[Path], Path],
    monkeypatch: pytest.MonkeyPatch,
    page: str,
    params: dict[str, str],
    expected: Filters,
) -> None:
    """A file downloaded from a country's or an organisation's profile states what its rows
    are of: that country or organisation within the sidebar's other filters. The profile's
    programme list said the sidebar's selection (all countries, and their sources).

    ``export_caption`` (the selection, sources and date every file states) is wrapped, not
    replaced: the test records the selection of each file the page offers.
    """
    from impact.ui import downloads

    use_data(ROOT / "data")
    stated: list[Filters] = []
    caption = downloads.export_caption

    def spy(ctx: Any, chosen: Filters, lang: str | None = None, places: bool = False) -> Any:
        stated.append(chosen)
        return caption(ctx, chosen, lang, places)

    monkeypatch.setattr(downloads, "export_caption", spy)
    open_chart_data(open_page(page, lang="fr", **params))  # the charts' table files too
    assert len(stated) >= 3, stated  # the programme list, the charts and maps
    assert set(stated) == {expected}


def test_a_file_of_the_largest_figures_says_so(
    use_data: Callable[[Path], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The overview lists the 500 largest figures behind a total; its workbook says « the
    500 largest of N » beside the selection (the CSV and the sheet cannot)."""
    from impact import ui
    from impact.ui import downloads

    fr = Translator("fr")
    said = downloads.largest_rows(fr, 500, 562_893)
    assert said == [
        (
            "Chiffres",
            fr._(
                "The {shown} largest of {total} figures; narrow the filters to see others.",
                shown=fr.number(500),
                total=fr.number(562_893),
            ),
        )
    ]
    assert said[0][1].startswith("Les 500 plus grands des 562")
    assert downloads.largest_rows(fr, 13, 13) == downloads.largest_rows(fr, 13, None) == []
    # the overview's list passes its total to its downloads
    use_data(ROOT / "data")
    offered: dict[str, int | None] = {}
    table_downloads = ui.table_downloads

    def spy(frame: Any, ctx: Any, key: str, **kwargs: Any) -> None:
        offered[key] = kwargs.get("largest_of")
        table_downloads(frame, ctx, key, **kwargs)

    monkeypatch.setattr(ui, "table_downloads", spy)
    at = open_page("overview", lang="fr")
    at.toggle(key="overview_rows").set_value(True).run()  # « See the figures behind … »
    assert not at.exception, [e.message for e in at.exception]
    assert offered["overview-rows-persons"] == 13  # the bundled data's figures of persons


# --- What « in the selection » means, the same on every page (queries/model/20_scope.sql) ---


@pytest.mark.parametrize(
    "params",
    [{}, {"years": "2015-2016"}, {"years": "2011-2011"}, {"group": "children"}, {"country": "TGO"}],
    ids=["all", "2015-2016", "2011", "children", "togo"],
)
def test_counts_agree_between_pages(
    use_data: Callable[[Path], Path], params: dict[str, str]
) -> None:
    use_data(ROOT / "data")
    overview = open_page("overview", lang="en", **params)
    shown = {m.label: m.value for m in overview.metric}
    for page, label in (
        ("countries", "Countries"),
        ("programmes", "Programmes"),
        ("organisations", "Organisations"),
    ):
        at = open_page(page, lang="en", **params)
        if page == "organisations":
            listed = int(at.caption[1].value.split()[0]) if at.caption else 0
        else:
            listed = len(at.dataframe[0].value) if at.dataframe else 0
        assert shown[label] == str(listed), (page, params)


def test_a_year_filter_keeps_no_undated_programme_without_figures(
    use_data: Callable[[Path], Path],
) -> None:
    use_data(ROOT / "data")
    at = open_page("programmes", lang="en", years="2015-2016")
    table = at.dataframe[0].value
    assert "Persons reached (sum of the figures)" in table.columns
    # every programme listed has a figure of 2015-2016 or its own years meet them
    assert len(table) == int(
        next(
            m.value
            for m in open_page("overview", lang="en", years="2015-2016").metric
            if m.label == "Programmes"
        )
    )
    assert "Projet Limpoba (« Communauté forte pour les enfants »)" not in set(table["Programme"])


def test_places_of_a_programme_include_where_its_organisation_works(
    use_data: Callable[[Path], Path],
) -> None:
    use_data(ROOT / "data")
    at = open_page("programmes", lang="fr", programme_id="ecpat-golondrina")
    assert {m.label: m.value for m in at.metric}[
        "Lieux"
    ] == "3"  # Santafe, Candelaria, San Cristobal
    # close places are grouped into one point that names them all (impact/maps.py)
    hovers = json.dumps(figures_of(at)[0]["data"], ensure_ascii=False)
    for place in ("Candelaria", "Santafe", "San Cristobal"):
        assert place in hovers, place


def test_an_organisation_works_where_its_programmes_do(use_data: Callable[[Path], Path]) -> None:
    use_data(ROOT / "data")
    at = open_page("organisations", lang="en", org_id="sos-belgique")
    world = next(f for f in figures_of(at) if any(t["type"] == "choropleth" for t in f["data"]))
    shaded = set(values(next(t for t in world["data"] if t["type"] == "choropleth")["locations"]))
    assert {"BEL", "MAR", "SEN", "COD"} <= shaded


def test_a_profile_lists_percentages_and_items_one_by_one(use_data: Callable[[Path], Path]) -> None:
    use_data(ROOT / "data")
    congo = open_page("countries", lang="fr", iso3="COD")
    table = next(d.value for d in congo.dataframe if "Ce qui est compté" in d.value.columns)
    assert "75\u202f%" in set(table["Tel que les sources le permettent"])  # never summed, listed
    belgium = open_page("countries", lang="fr", iso3="BEL")
    table = next(d.value for d in belgium.dataframe if "Ce qui est compté" in d.value.columns)
    items = [t for t in table["Ce qui est compté"] if t.startswith("objets")]
    assert len(items) == 3  # 3 brochures, 3 posters, 17 themes: never « 23 objets »
    assert "23" not in set(table["Tel que les sources le permettent"])
    # the brochures and the posters, both « 3 » of one programme, told apart by their quotes
    rows = [tuple(row) for row in table.astype(str).itertuples(index=False)]
    assert len(set(rows)) == len(rows)
    quotes = " ".join(q for q in table["Citation"] if isinstance(q, str))
    assert "3 brochures" in quotes and "affiches (3 versions" in quotes
    # the programme in the reader's language (it was the French name in Dutch)
    dutch = open_page("countries", lang="nl", iso3="BEL")
    table = next(d.value for d in dutch.dataframe if "Wat geteld wordt" in d.value.columns)
    named = [t for t in table["Wat geteld wordt"] if "(" in t]
    assert "stuks — realisatie (Blue Heart-campagne tegen mensenhandel (2022))" in named
    assert not [t for t in named if "Campagne Blue Heart" in t or "Plan genre" in t]


def test_a_context_figure_says_its_year_or_that_its_source_states_none(
    use_data: Callable[[Path], Path],
) -> None:
    """« 127 millions d'enfants non scolarisés » had no year on its card: its source
    states none, and the reader could not tell a figure of 2025 from one of 2010."""
    use_data(ROOT / "data")
    at = open_page("overview", lang="fr")
    cards = [c.value for c in at.caption if "127 Millions" in c.value]
    assert len(cards) == 1
    shown = cards[0].replace("\\", "")  # markdown escapes
    assert shown.endswith("(année non précisée\xa0; date de la source\xa0: 7 février 2025)")


def _figure_reader(lang: str, picked: int | None) -> None:
    """A grid's two rows read by ``figure_in_full`` (AppTest.from_function)."""
    import pandas as pd

    from impact.figures import quote_text
    from impact.filters import Filters
    from impact.i18n import Translator
    from impact.ui.figures import figure_in_full
    from impact.ui.state import Context

    ctx = Context(Translator(lang), Filters())
    _ = ctx._
    table = pd.DataFrame(
        {
            _("Figure"): [12500.0, None],
            _("Qualifier"): [_("at least"), ""],
            _("Quote"): ["Plus de 12 500 *enfants*\n[accueillis]", quote_text(ctx.tr, None)],
            _("Source"): ["Rapport 2024", "Rapport 2023"],
            _("Place"): ["", "Liège"],
        }
    )
    figure_in_full(ctx, table, picked, numbers=(_("Figure"),))


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_a_figure_picked_is_read_whole_as_the_data_writes_it(lang: str) -> None:
    """The row picked under a grid: its quote whole in the language's quotation marks,
    Markdown in it shown as written, every other column named with its value (the figure
    in the reader's format); a withheld quote is said, not quoted; empty cells left out;
    nothing picked, or a row no longer there: how to read one."""
    from impact.exports.sentences import quoted

    tr = Translator(lang)

    def run(picked: int | None) -> AppTest:
        at = AppTest.from_function(
            _figure_reader, kwargs={"lang": lang, "picked": picked}, default_timeout=60
        )
        at.run()
        assert not at.exception, at.exception
        return at

    def shown(at: AppTest) -> list[str]:
        return [str(m.value).replace("\\", "") for m in at.markdown]

    def named(label: str, value: str) -> str:
        return tr._("{label}: {value}", label=f"**{tr._(label)}**", value=value)

    prompt = tr._("Pick a row to read it in full, quote included.")
    for picked in (None, 2):
        at = run(picked)
        assert [c.value for c in at.caption] == [prompt] and not at.markdown

    at = run(0)
    quote = quoted(lang, "Plus de 12 500 *enfants*\n[accueillis]").splitlines()
    assert shown(at) == [
        f"> {quote[0]}\n> {quote[1]}",
        " · ".join(
            [
                named("Figure", tr.number(12500)),
                named("Qualifier", tr._("at least")),
                named("Source", "Rapport 2024"),
            ]
        ),
    ]
    at = run(1)
    assert [str(c.value).replace("\\", "") for c in at.caption] == [
        tr._("(quote withheld: it could reveal a small figure about children)")
    ]
    assert shown(at) == [named("Source", "Rapport 2023") + " · " + named("Place", "Liège")]
