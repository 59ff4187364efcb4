"""Long lists show what a person can read: a page of items, then « Show more ».

A federation's directory has hundreds of organisations; every card drawn at
once made the page wait seconds in the browser. Paging shows the first items,
adds more on request, never changes a count, starts again on a new search or
selection, and leaves the filters in the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from impact.paths import ROOT
from tests.conftest import APPTEST_TIMEOUT
from tests.factory import ORGS, PROGRAMMES, SOURCE, fact, make_data

ENTRY = str(ROOT / "dashboard.py")
MANY = 45
PAGE = 20  # impact.explore.ORGANISATIONS_PAGE


def many_organisations(folder: Path, each: int = 1) -> Path:
    """45 organisations (« Org 00 » … « Org 44 »), each with ``each`` programmes (one figure
    in Morocco each); organisation ``i`` works on education when ``i`` is odd."""
    orgs = [
        {**ORGS[1], "org_id": f"org{i:02d}", "name": f"Org {i:02d}", "summary": f"Résumé {i}"}
        for i in range(MANY)
    ]
    programmes = [
        {
            **PROGRAMMES[0],
            "programme_id": f"p{i:02d}{j}",
            "org_id": f"org{i:02d}",
            "name": f"Programme {i:02d}-{j}",
            "name_nl": f"Programma {i:02d}-{j}",
            "name_en": f"Programme {i:02d}-{j}",
            "theme": "education" if i % 2 else "emergency_response",
        }
        for i in range(MANY)
        for j in range(each)
    ]
    facts = [
        fact(f"f{p['programme_id']}", 100 + n, programme_id=p["programme_id"])
        for n, p in enumerate(programmes)
    ]
    return make_data(
        folder,
        organisations=orgs,
        programmes=programmes,
        beneficiaries=facts,
        organisation_places=[],
    )


@pytest.fixture
def many_orgs(tmp_path: Path, use_data: Callable[[Path], Path]) -> Path:
    """45 organisations with one programme each, used by the app."""
    return use_data(many_organisations(tmp_path / "data"))


def directory(**params: str) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=APPTEST_TIMEOUT)
    at.query_params.update({"lang": "en", **params})
    at.switch_page("pages/organisations.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def cards(at: AppTest) -> list[str]:
    """The organisations drawn, by the organisation each card's « Open » link opens."""
    links = [link for link in at.get("page_link") if "org_id=" in str(link.proto.query_string)]
    return [str(link.proto.query_string).split("org_id=")[1].split("&")[0] for link in links]


def more(at: AppTest) -> AppTest:
    button = next(b for b in at.button if b.key == "organisations_more")
    button.click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_the_directory_draws_a_page_then_more_until_every_organisation(many_orgs: Path) -> None:
    at = directory()
    seen = cards(at)
    assert len(seen) == PAGE
    assert "45 organisations" in captions(at)  # the count is the whole list's
    assert f"{PAGE} of {MANY} shown" in captions(at)
    assert "Show 20 more" in [b.label for b in at.button]
    more(at)
    assert set(seen) < set(cards(at))  # the first page stays, the next one follows
    assert len(cards(at)) == 2 * PAGE
    assert "45 organisations" in captions(at)
    more(at)
    assert sorted(cards(at)) == [f"org{i:02d}" for i in range(MANY)]  # each once, none lost
    assert not [b for b in at.button if b.key == "organisations_more"]  # all shown: no button
    assert "shown" not in captions(at)


def test_a_search_finds_beyond_the_first_page_and_starts_again(many_orgs: Path) -> None:
    at = directory()
    more(at)
    assert len(cards(at)) == 2 * PAGE
    at.text_input(key="organisations_search").input("Org 44").run()
    assert cards(at) == ["org44"]
    assert "1 organisation" in captions(at)
    at.text_input(key="organisations_search").input("").run()
    assert len(cards(at)) == PAGE  # a new list starts at its first page


def test_paging_keeps_the_filters_in_the_url_and_counts_the_selection(many_orgs: Path) -> None:
    at = directory(theme="education", country="MAR")
    assert "22 organisations" in captions(at)  # the odd ones run an education programme
    assert len(cards(at)) == PAGE
    more(at)
    assert len(cards(at)) == 22
    assert at.query_params["theme"] == "education"
    assert at.query_params["country"] == "MAR"
    links = [str(link.proto.query_string) for link in at.get("page_link")]
    assert all("theme=education" in link for link in links if "org_id=" in link)


def test_the_programme_list_shows_the_largest_hundred_then_more(
    tmp_path: Path, use_data: Callable[[Path], Path]
) -> None:
    use_data(many_organisations(tmp_path / "data", each=3))  # 135 programmes
    at = AppTest.from_file(ENTRY, default_timeout=APPTEST_TIMEOUT)
    at.query_params["lang"] = "en"
    at.switch_page("pages/programmes.py")
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    reach = table["Persons reached (sum of the figures)"].tolist()
    assert len(table) == 100
    assert "135 programmes" in captions(at)
    assert "100 of 135 shown" in captions(at)
    assert reach == sorted(reach, reverse=True)  # the largest first
    assert reach[0] == 100 + 134  # the largest of all, on the first page
    assert len(at.selectbox(key="programmes_open").options) == 100  # the rows drawn
    next(b for b in at.button if b.key == "programmes_more").click().run()
    assert len(at.dataframe[0].value) == 135
    assert not [b for b in at.button if b.key == "programmes_more"]
    assert "135 programmes" in captions(at)


def test_a_country_profile_lists_its_largest_hundred_programmes_then_more(
    tmp_path: Path, use_data: Callable[[Path], Path]
) -> None:
    """A country of a federation runs hundreds of programmes: its profile draws the hundred
    of largest reach, then more on request, and a row picked opens that programme."""
    use_data(many_organisations(tmp_path / "data", each=3))  # 135 programmes in Morocco
    at = AppTest.from_file(ENTRY, default_timeout=APPTEST_TIMEOUT)
    at.query_params.update({"lang": "en", "iso3": "MAR"})
    at.switch_page("pages/countries.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]

    def listed() -> list[str]:
        return next(d.value for d in at.dataframe if "Programme" in d.value.columns)[
            "Programme"
        ].tolist()

    reach = next(d.value for d in at.dataframe if "Programme" in d.value.columns)[
        "Persons reached (sum of the figures)"
    ].tolist()
    assert len(reach) == 100 and reach == sorted(reach, reverse=True)
    assert reach[0] == 100 + 134  # the largest of all, on the first page
    assert "135 programmes" in captions(at) and "100 of 135 shown" in captions(at)
    first = listed()
    next(b for b in at.button if b.key == "country_programmes_more").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert listed()[:100] == first and len(listed()) == 135
    assert not [b for b in at.button if b.key == "country_programmes_more"]


def test_the_reports_sources_show_a_hundred_then_more_and_every_count(
    tmp_path: Path, use_data: Callable[[Path], Path]
) -> None:
    """The Reports page's sources, thousands at federation scale, a hundred at a time: the
    expander counts them all, the table draws the first hundred, « Show 100 more » the rest."""
    sources = [
        {
            **SOURCE,
            "source_id": f"s{i:03d}",
            "title": f"Rapport {i:03d}",
            "publisher": f"ONG {i:03d}",
        }
        for i in range(130)
    ]
    facts = [fact(f"f{i:03d}", 100 + i, source_id=f"s{i:03d}") for i in range(130)]
    # the organisations' places keep their source (« src »), which no figure cites: it
    # is listed too (it names the places a map draws), after the « ONG 1… » publishers
    use_data(make_data(tmp_path / "data", sources=[*sources, SOURCE], beneficiaries=facts))
    at = AppTest.from_file(ENTRY, default_timeout=APPTEST_TIMEOUT)
    at.query_params["lang"] = "en"
    at.switch_page("pages/reports.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]

    def listed() -> list[str]:
        frame = next(d.value for d in at.dataframe if "Figures in the selection" in d.value.columns)
        return list(frame["Title"])

    assert "Sources (131)" in [e.label for e in at.expander]
    # made when opened
    assert not [d for d in at.dataframe if "Figures in the selection" in d.value.columns]
    at.session_state["r_sources"] = True
    at.run()
    assert listed() == [f"Rapport {i:03d}" for i in range(100)]  # by publisher, as the files
    assert "100 of 131 shown" in captions(at)
    next(b for b in at.button if b.key == "report_sources_more").click().run()
    assert not at.exception
    assert listed() == [*(f"Rapport {i:03d}" for i in range(130)), "Rapport annuel 2024"]
    assert not [b for b in at.button if b.key == "report_sources_more"]


def test_the_data_page_counts_rows_from_the_database_like_the_files(
    use_data: Callable[[Path], Path],
) -> None:
    """The Data page's rows per file come from the built tables (parsing a 1.7 GB CSV on
    every run took seconds): the same counts as reading the files."""
    from impact import cache
    from impact.curation import workflow
    from impact.i18n import Translator
    from impact.paths import BUNDLED_DATA_DIR

    use_data(BUNDLED_DATA_DIR)
    tr = Translator("en")
    database = cache.open_folder(BUNDLED_DATA_DIR)
    try:
        rows = database.query("file_rows")
    finally:
        database.close()
    counts = dict(zip(rows["resource"], rows["rows"], strict=True))
    assert len(counts) == 8 and counts["beneficiaries"] > 40
    read = workflow.file_summary(BUNDLED_DATA_DIR, tr)
    assert workflow.file_summary(BUNDLED_DATA_DIR, tr, counts).equals(read)
    at = AppTest.from_file(ENTRY, default_timeout=APPTEST_TIMEOUT)
    at.query_params["lang"] = "en"
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception
    shown = next(d.value for d in at.dataframe if "Rows" in d.value.columns)
    assert shown["Rows"].tolist() == read["Rows"].tolist()


def test_the_order_of_a_long_programme_list_applies_to_the_whole_list(
    tmp_path: Path, use_data: Callable[[Path], Path]
) -> None:
    """A column title sorts only the rows drawn: the order chosen above a long list is that
    of all its programmes, so « A to Z » starts with the first name of the whole list."""
    use_data(many_organisations(tmp_path / "data", each=3))  # 135 programmes
    at = AppTest.from_file(ENTRY, default_timeout=APPTEST_TIMEOUT)
    at.query_params["lang"] = "en"
    at.switch_page("pages/programmes.py")
    at.run()
    assert "Column titles sort the rows shown" in captions(at)
    names = "Programme"
    assert "Programme 00-0" not in at.dataframe[0].value[names].tolist()  # the smallest reach
    at.selectbox(key="programmes_order").select("name").run()
    assert not at.exception
    shown = at.dataframe[0].value[names].tolist()
    assert shown[:4] == ["Programme 00-0", "Programme 00-1", "Programme 00-2", "Programme 01-0"]
    assert len(shown) == 100 and "135 programmes" in captions(at)
    next(b for b in at.button if b.key == "programmes_more").click().run()
    every = at.dataframe[0].value[names].tolist()
    assert every[:100] == shown and every == sorted(every)  # the next page follows in order
    at.selectbox(key="programmes_order").select("reach").run()
    reach = at.dataframe[0].value["Persons reached (sum of the figures)"].tolist()
    assert len(reach) == 100 and reach[0] == 100 + 134  # a new order starts at its first page


def test_short_lists_keep_the_column_sort_and_no_order_control(many_orgs: Path) -> None:
    at = AppTest.from_file(ENTRY, default_timeout=APPTEST_TIMEOUT)
    at.query_params["lang"] = "en"
    at.switch_page("pages/programmes.py")
    at.run()
    assert not [s for s in at.selectbox if s.key == "programmes_order"]
    assert "Click a column title to sort" in captions(at)


def test_programme_orders_file_names_as_readers_do_and_put_missing_figures_last() -> None:
    import pandas as pd

    from impact.explore import order_programmes

    programmes = pd.DataFrame(
        {
            "name": ["Zèbre", "école", "Abri", "Étoile", "Abri 10", "Abri 2"],
            "organisation": ["B", "a", "C", "a", "D", "D"],
            "total": [5.0, None, 7.0, 1.0, 0.0, 0.0],
            "last_year": [2020, 2024, None, 2024, 2000, 2000],
        }
    )
    assert order_programmes(programmes, "name")["name"].tolist() == [
        "Abri",
        "Abri 2",
        "Abri 10",
        "école",
        "Étoile",
        "Zèbre",
    ]
    programmes = programmes.head(4)
    assert order_programmes(programmes, "reach")["name"].tolist() == [
        "Abri",
        "Zèbre",
        "Étoile",
        "école",  # no figure: last, not 0
    ]
    assert order_programmes(programmes, "organisation")["name"].tolist() == [
        "école",
        "Étoile",
        "Zèbre",
        "Abri",
    ]
    assert order_programmes(programmes, "recent")["name"].tolist() == [
        "Étoile",
        "école",
        "Zèbre",
        "Abri",
    ]
    with pytest.raises(ValueError):
        order_programmes(programmes, "size")
