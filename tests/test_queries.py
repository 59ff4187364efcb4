"""Every query file runs with its parameters, on hand-made and on bundled data."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as hst

from impact import charts, explore
from impact.db import Database
from impact.filters import Filters
from impact.i18n import Translator
from impact.paths import BUNDLED_DATA_DIR, QUERIES_DIR
from impact.queries import load_query, query_names, records

FULL_FILTERS = Filters(2014, 2024, ("sos",), ("emergency_response",), ("MAR",), ("all",))
EXTRA = {
    "unit": "persons",
    "measure": "reached",
    "programme_id": "maroc",
    "iso3": "MAR",
    "limit": 1000,
    "largest_only": False,
}


def params_for(name: str, filters: Filters) -> dict[str, Any]:
    query = load_query(name)
    given = {**filters.params(), **EXTRA}
    unknown = query.params - given.keys()
    assert not unknown, f"{name}.sql takes parameters no test knows: {unknown}"
    return given


@pytest.mark.parametrize("name", query_names())
@pytest.mark.parametrize("filters", [Filters(), FULL_FILTERS], ids=["all", "filtered"])
def test_query_runs(db: Database, name: str, filters: Filters) -> None:
    frame = db.query(name, params_for(name, filters))
    assert list(frame.columns), name


@pytest.fixture(scope="module")
def bundled() -> Database:
    return Database.open(BUNDLED_DATA_DIR)


@pytest.mark.parametrize("name", query_names())
def test_query_runs_on_bundled_data(bundled: Database, name: str) -> None:
    frame = bundled.query(name, params_for(name, Filters()))
    assert list(frame.columns)


def _french_only(bundled: Database) -> set[str]:
    """The data's French texts that have a different Dutch or English text: a programme's
    or a place's name, a region, a summary (``translated`` gives it with « (FR) » when a
    translation is missing, never the bare original)."""
    texts: set[str] = set()
    for table, columns in (
        ("programmes", ("name", "summary")),
        ("places", ("name", "admin1")),
        ("organisations", ("summary",)),
    ):
        for column in columns:
            rows = bundled.con.execute(
                f"select {column}, translated({column}, {column}_nl), "
                f"translated({column}, {column}_en) from {table}"
            ).fetchall()
            texts |= {fr for fr, nl, en in rows if fr and (nl != fr or en != fr)}
    # the same words as a text that is never translated (« Caravane des Migrants », an
    # organisation and a programme; a source's title) say nothing of a column
    kept = bundled.con.execute(
        "select name from organisations union select title from sources"
    ).fetchall()
    return texts - {row[0] for row in kept}


@pytest.mark.parametrize("name", query_names())
def test_a_query_gives_its_texts_in_every_language(bundled: Database, name: str) -> None:
    """A column of the data's French names (a programme, a place, a region) comes with
    its ``__nl`` and ``__en`` columns, which ``localize`` puts in its place, and a
    translation is never missing where the French is there: the figures' sentences said
    « in België (Parc Maximilien) », a country's figures « (Plan genre 2020-2024) », and
    the places an organisation works at were « None » on a programme's map in Dutch (the
    query's second part had no translation: ``union all by name`` gave NULL)."""
    french = _french_only(bundled)
    assert "Parc Maximilien" in french and "Plan genre 2020-2024" in french
    query = load_query(name)
    con = bundled.con
    programmes = [r[0] for r in con.execute("select programme_id from programmes").fetchall()]
    countries = [r[0] for r in con.execute("select iso3 from countries").fetchall()]
    runs = (
        [{"programme_id": p} for p in programmes]
        if "programme_id" in query.params
        else [{"iso3": c} for c in countries]
        if "iso3" in query.params
        else [{}]
    )
    for extra in runs:
        frame = bundled.query(name, {**params_for(name, Filters()), **extra})
        for column in frame.columns:
            if str(column).endswith(("__nl", "__en")):
                base = str(column)[:-4]
                given = frame[base].notna() & frame[column].isna()
                assert not given.any(), (name, extra, column, frame[base][given].tolist()[:3])
            elif (
                pd.api.types.is_string_dtype(frame[column])
                and f"{column}__nl" not in frame
                # one language's column (a country's name_fr, name_nl, name_en)
                and not str(column).endswith(("_fr", "_nl", "_en"))
            ):
                untranslated = set(frame[column].dropna().astype(str)) & french
                assert not untranslated, (name, extra, column, sorted(untranslated)[:3])


@pytest.mark.parametrize("name", query_names())
def test_query_file_is_documented_and_binds_values(name: str) -> None:
    sql = (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
    assert sql.startswith("-- "), f"{name}.sql must open with a comment: what a row is"
    assert "Parameters:" in sql, f"{name}.sql must list its parameters"
    assert not re.search(r"\{[a-z_]+\}|%s|%\(", sql), f"{name}.sql has text placeholders"


def test_unknown_query_name_is_refused(db: Database) -> None:
    for name in ("../data/x", "reach_total; drop table facts", "nope"):
        with pytest.raises(KeyError):
            db.query(name)


def test_missing_parameter_is_reported(db: Database) -> None:
    with pytest.raises(TypeError, match="unit"):
        db.query("reach_total", Filters().params())


def test_hostile_filter_values_match_nothing(db: Database) -> None:
    hostile = Filters(countries=("MAR' OR 1=1 --",), orgs=("'; DROP TABLE facts; --",))
    row = db.query("reach_total", {**hostile.params(), **EXTRA})
    assert row["total"].iloc[0] == 0
    assert db.query("reach_total", {**Filters().params(), **EXTRA})["total"].iloc[0] > 0


def test_records_are_the_rows_pandas_gives(bundled: Database) -> None:
    """``records`` (the map's hovers read it) gives ``to_dict("records")``'s rows: the same
    values, missing values still missing, on results with text, nullable integers,
    booleans and NaN."""

    params = {**Filters().params(), "unit": "persons", "measure": "reached"}
    for name, values in (
        ("map_places", params),
        ("place_figures", Filters().params()),
        ("reach_by_country", params),
    ):
        frame = bundled.query(name, values)
        expected, got = frame.to_dict("records"), records(frame)
        assert len(got) == len(expected) > 0, name
        for want, row in zip(expected, got, strict=True):
            assert list(row) == [str(k) for k in want], name
            for column, value in want.items():
                if pd.isna(value):
                    assert pd.isna(row[str(column)]), (name, column)
                else:
                    assert row[str(column)] == value and not pd.isna(row[str(column)]), (
                        name,
                        column,
                    )


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(2010, 2014),
        Filters(2015, 2024),
        Filters(2012, 2024),
        Filters(countries=("BEL",)),
        Filters(countries=("COL", "MAR")),
        FULL_FILTERS,
    ],
    ids=["all", "the-period", "after-it", "cuts-it", "belgium", "two-countries", "filtered"],
)
def test_a_map_title_spans_the_years_the_figures_by_year_show(
    bundled: Database, filters: Filters
) -> None:
    """The Map's title reads its years from reach_by_country (it runs no reach_by_year):
    the span must be that of the figures by year, a period « 2010–2014 » included."""
    params = {**filters.params(), "unit": "persons", "measure": "reached"}
    by_year = bundled.query("reach_by_year", params)
    by_country = bundled.query("reach_by_country", params)
    expected = charts.years_label(by_year["period_start"], by_year["period_end"])
    span = charts.years_label(by_country["first_year"], by_country["last_year"])
    assert span == expected


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(2010, 2014),
        Filters(2015, 2024),
        Filters(countries=("BEL",)),
        Filters(countries=("COL", "MAR")),
        Filters(groups=("children",)),
        Filters(2011, 2016),
    ],
    ids=["all", "the-period", "after-it", "belgium", "two-countries", "children", "some-years"],
)
def test_a_places_reach_is_the_sum_of_its_sets(bundled: Database, filters: Filters) -> None:
    """A map's places carry the reach of persons reached that ``place_figures`` gives each
    place (``explore.places_reach``): the place's sets of that unit and measure summed,
    every amount missing where there is none (never 0), largest first."""
    scope = ", ".join(f"${n}" for n in ("year_from", "year_to", "orgs", "themes"))
    scope += ", $countries, $groups, $programmes, 'persons', 'reached'"
    expected = bundled.con.execute(
        f"""SELECT place_id, sum(total) AS total, sum(lower) AS lower,
                   sum(facts)::BIGINT AS reach_facts, sum(hidden_facts)::BIGINT AS hidden_facts,
                   bool_or(at_least) AS at_least, bool_or(about) AS about,
                   bool_or(lower_about) AS lower_about
            FROM place_reach_sets({scope}) GROUP BY place_id""",
        filters.params(),
    ).df()
    places = explore.places_reach(
        Translator("fr"),
        bundled.query("map_places", filters.params()),
        bundled.query("place_figures", filters.params()),
    )
    assert len(places) > 0 and places["place_id"].is_unique
    reached = places[places["place_id"].isin(expected["place_id"])]
    got = reached[expected.columns].sort_values("place_id").reset_index(drop=True)
    want = expected.sort_values("place_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    others = places[~places["place_id"].isin(expected["place_id"])]
    assert others[["total", "lower", "reach_facts", "at_least"]].isna().all().all()
    totals = places["total"].tolist()
    known = [t for t in totals if not pd.isna(t)]
    assert known == sorted(known, reverse=True)
    assert totals[: len(known)] == known  # the places with no such figure come last


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """A small federation: thousands of places, « environ », « plus de », hidden figures."""
    from impact.synthetic import generate

    folder = tmp_path_factory.mktemp("synthetic") / "data"
    generate(20_000, folder)
    return Database.open(folder)


PLACE_FILTERS = [
    Filters(),
    Filters(2010, 2014),
    Filters(2015, 2024),
    Filters(2011, 2016),
    Filters(countries=("BEL", "FRA", "MAR")),
    Filters(groups=("children",)),
    Filters(themes=("education", "emergency_response")),
]


@pytest.mark.parametrize("data", ["bundled", "synthetic"])
def test_place_amounts_are_the_places_sets_added_up(
    request: pytest.FixtureRequest, data: str
) -> None:
    """``place_amounts`` (the maps' reach at each place, ``place_figures``) sums by place
    without making every set's amounts first: it must give what the place's sets
    (``place_reach_sets``) added up the pages' way give, every unit and measure, ranges,
    « environ », « plus de » and hidden figures included."""
    database: Database = request.getfixturevalue(data)
    scope = ", ".join(
        f"${n}"
        for n in ("year_from", "year_to", "orgs", "themes", "countries", "groups", "programmes")
    )
    compared = 0
    for filters in PLACE_FILTERS:
        expected = database.con.execute(
            f"""SELECT place_id, unit, measure,
                       coalesce(sum(columns('^(total|lower)$')), 0),
                       coalesce(sum(columns(
                           '^(facts|hidden_facts|hidden_small|inferred_facts|source_date_facts)$'
                       )), 0)::BIGINT,
                       coalesce(bool_or(columns('^(at_least|about|at_most|lower_about)$')), false),
                       min(first_year) AS first_year, max(last_year) AS last_year
                FROM place_reach_sets({scope}, NULL, NULL)
                GROUP BY place_id, unit, measure ORDER BY place_id, unit, measure""",
            filters.params(),
        ).df()
        got = database.con.execute(
            f"SELECT * FROM place_amounts({scope}) ORDER BY place_id, unit, measure",
            filters.params(),
        ).df()
        pd.testing.assert_frame_equal(got[list(expected.columns)], expected, check_dtype=False)
        compared += len(expected)
        if data == "synthetic" and filters == Filters():  # what the comparison must meet
            assert (expected["lower"] < expected["total"]).any()  # ranges
            assert expected["about"].any() and expected["at_least"].any()
            assert (expected["hidden_facts"] > 0).any()
    assert compared > 20


def test_amounts_read_a_column_at_a_time_say_what_each_row_says(bundled: Database) -> None:
    """``Amount.from_frame`` (hovers and tables read it) gives ``from_row`` of each row: on
    query results with places that have no figure of the kind (every amount column NULL),
    and on a frame of every missing value pandas has (None, NaN, ``pd.NA``), as numbers,
    nullable integers, booleans and text."""

    from impact.amounts import Amount

    params = {**Filters().params(), "unit": "persons", "measure": "reached"}
    places = explore.places_reach(
        Translator("fr"),
        bundled.query("map_places", params),
        bundled.query("place_figures", Filters().params()),
    )
    for name, frame, facts in (
        ("places_reach", places, "reach_facts"),
        ("place_figures", bundled.query("place_figures", Filters().params()), "facts"),
        ("reach_by_country", bundled.query("reach_by_country", params), "facts"),
        ("programmes_list", bundled.query("programmes_list", params), "reach_facts"),
    ):
        rows = [Amount.from_row(row, facts) for row in frame.to_dict("records")]
        assert Amount.from_frame(frame, facts) == rows, name
        assert any(a.total is None for a in rows) or name != "places_reach"
    made = pd.DataFrame(
        {
            "facts": pd.array([2, None, 3, 1, 0], dtype="Int64"),
            "total": [10.5, None, float("nan"), 4.0, 7.0],
            "lower": pd.array([5, 3, None, None, 2], dtype="Int64"),
            "at_least": pd.array([True, None, False, True, True], dtype="boolean"),
            "about": [None, True, float("nan"), False, pd.NA],
            "at_most": [False, False, True, None, False],
            "lower_about": pd.array([True, False, None, False, True], dtype="boolean"),
            "hidden_facts": [1, 0, None, 2, 0],
            "hidden_small": pd.array([1, None, 0, 2, 0], dtype="Int64"),
            "inferred_facts": ["1", None, "<NA>", "0", "2"],
        }
    )  # no source_date_facts column: 0, as from_row reads it
    expected = [Amount.from_row(row) for row in made.to_dict("records")]
    assert Amount.from_frame(made) == expected
    assert [a.total for a in expected] == [10.5, None, None, 4.0, None]
    assert Amount.from_frame(made.iloc[0:0]) == []


_IDS = hst.lists(hst.text("abcdefghijklmnopqrstuvwxyz-_0123456789", min_size=1, max_size=12))
_YEARS = hst.none() | hst.integers(1990, 2030)


@given(_YEARS, _YEARS, hst.lists(_IDS, min_size=5, max_size=5))
def test_a_selection_read_back_from_its_parameters_is_the_same(
    low: int | None, high: int | None, lists: list[list[str]]
) -> None:
    """``from_params`` undoes ``params()`` through JSON (the key of a cached caption)."""
    filters = Filters(low, high, *(tuple(values) for values in lists))
    assert Filters.from_params(json.loads(json.dumps(filters.params()))) == filters


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(year_from=2020), Filters(themes=("education",))],
    ids=["all", "years", "theme"],
)
def test_the_list_of_countries_counts_as_each_countrys_profile(
    bundled: Database, filters: Filters
) -> None:
    """The list said 27 organisations in Belgium, its profile and the key figures 32: the
    list left out the Belgian organisations that run no programme, which the directory
    lists and the profile counts. Each row counts as that country's selection does."""
    listed = bundled.query("countries_list", {**filters.params(), **EXTRA})
    assert len(listed)
    for row in listed.itertuples():
        alone = replace(filters, countries=(str(row.country_iso3),))
        counts = bundled.query("scope_counts", alone.params()).iloc[0]
        assert (row.organisations, row.programmes) == (
            counts["organisations"],
            counts["programmes"],
        ), row.country_iso3


def test_the_directory_files_names_as_a_reader_does(bundled: Database) -> None:
    """« Médecins du Monde Belgique » came after « Migrakot », « CPAS de Thuin » before
    « Caravane des Migrants »: the names were in byte order."""
    names = list(
        bundled.query("organisations_list", params_for("organisations_list", Filters()))["name"]
    )

    def key(name: str) -> str:
        decomposed = unicodedata.normalize("NFKD", name.casefold())
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    assert names == sorted(names, key=key)
    assert names.index("Caravane des Migrants") < names.index("CPAS de Thuin")


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(year_from=2020),
        Filters(themes=("education",)),
        Filters(countries=("BEL",)),
        Filters(groups=("children",)),
        Filters(orgs=("sos-belgique", "groupe-stop")),
        Filters(orgs=("groupe-stop",)),
        Filters(programmes=("sos-be-ukraine",)),
    ],
    ids=["all", "years", "theme", "country", "group", "orgs", "org-without-programme", "programme"],
)
def test_the_key_figures_count_the_lists_the_pages_show(
    bundled: Database, filters: Filters
) -> None:
    """« 32 organisations » is the directory's 32 rows: scope_counts reads the
    organisations from its own programmes (not from organisations_in_scope, which
    would compute them again), so it is checked against each page's list."""
    counts = bundled.query("scope_counts", filters.params()).iloc[0]
    listed = {
        name: len(bundled.query(f"{name}_list", params_for(f"{name}_list", filters)))
        for name in ("countries", "programmes", "organisations")
    }
    assert {name: int(counts[name]) for name in listed} == listed


def test_every_figures_sources_name_the_places_where_organisations_work(
    bundled: Database,
) -> None:
    """A map draws the places where the selection's organisations work, named by a
    source (organisation_places.source_id): that source is among the map's and the
    files' sources, with the places it names; not among those of persons reached."""
    togo = Filters(countries=("TGO",))
    every = bundled.query("export_sources", {**togo.params(), "unit": None, "measure": None})
    assert list(zip(every["source_id"], every["facts"], every["places"], strict=True)) == [
        ("sos-fr-2025", 0, 1)
    ]
    persons = bundled.query(
        "export_sources", {**togo.params(), "unit": "persons", "measure": "reached"}
    )
    assert persons.empty
    # a year says nothing of where an organisation works, and keeps it out as the map does
    later = replace(togo, year_from=2024)
    kept = bundled.query("export_sources", {**later.params(), "unit": None, "measure": None})
    drawn = bundled.query("map_places", later.params())
    assert kept.empty == drawn.empty
