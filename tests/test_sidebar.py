"""The sidebar's shared filters with AppTest: reset on every page, kept across languages.

AppTest runs the real script but not the browser: the browser side of the same
behaviour (the chips a reader sees, the URL bar) is in tests/test_browser.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from impact.explore import filing_key
from impact.paths import ROOT
from tests.conftest import APPTEST_TIMEOUT
from tests.factory import make_truth

ENTRY = str(ROOT / "dashboard.py")
PAGES = ["overview", "map", "programmes", "countries", "organisations", "reports", "data"]
FILTERED = {"years": "2014-2023", "country": "MAR", "group": "children", "theme": "education"}


@pytest.fixture
def data(data_dir: Path, use_data: Callable[[Path], Path]) -> Path:
    """The hand-made data folder, used by the app."""
    return use_data(data_dir)


def run_page(page: str, **params: str) -> AppTest:
    """The app on ``pages/<page>.py`` with these URL parameters, run once."""
    at = AppTest.from_file(ENTRY, default_timeout=APPTEST_TIMEOUT)
    at.query_params.update(params)
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def sidebar_values(at: AppTest) -> dict[str, object]:
    """What the sidebar's filters hold."""
    values: dict[str, object] = {
        key: at.sidebar.multiselect(key=f"f_{key}").value
        for key in ("orgs", "themes", "countries", "groups")
    }
    values["years"] = at.sidebar.slider(key="f_years").value
    return values


EMPTY = {"orgs": [], "themes": [], "countries": [], "groups": [], "years": (2014, 2024)}


@pytest.mark.parametrize("page", PAGES)
def test_reset_filters_empties_every_filter_on_every_page(data: Path, page: str) -> None:
    at = run_page(page, lang="nl", **FILTERED)
    assert at.query_params["country"] == "MAR"
    assert sidebar_values(at)["countries"] == ["MAR"]
    at.sidebar.button(key="f_reset").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert sidebar_values(at) == EMPTY
    assert {k: at.query_params[k] for k in at.query_params} == {"lang": "nl"}
    # the filters stay empty on the next run (the URL no longer names them)
    at.run()
    assert sidebar_values(at) == EMPTY


def test_reset_then_filter_again(data: Path) -> None:
    at = run_page("overview", **FILTERED)
    at.sidebar.button(key="f_reset").click().run()
    at.sidebar.multiselect(key="f_countries").set_value(["SEN"]).run()
    assert not at.exception
    assert at.query_params["country"] == "SEN"
    assert {m.label: m.value for m in at.metric}["Personnes atteintes"] == "1\u202f675"


def test_filters_survive_two_language_switches(data: Path) -> None:
    at = run_page("map", lang="fr", **FILTERED)
    chosen = sidebar_values(at)
    for lang in ("nl", "en", "fr"):
        at.sidebar.radio(key="lang").set_value(lang).run()
        assert not at.exception, [e.message for e in at.exception]
        assert sidebar_values(at) == chosen
        assert {k: at.query_params[k] for k in at.query_params} == {"lang": lang, **FILTERED}


def test_the_years_reach_back_to_the_first_year_of_a_period(
    tmp_path: Path, use_data: Callable[[Path], Path]
) -> None:
    """A year filter keeps a figure whose whole period is inside it. Golondrina's figures
    cover 2010–2014 (« entre 2010 et 2014 », year 2014): the slider started at 2014, the
    first year a figure is of, so no selection but « all years » could show them."""
    use_data(make_truth(tmp_path / "data"))
    at = run_page("countries", lang="en", iso3="COL", years="2010-2014")
    assert sidebar_values(at)["years"] == (2010, 2014)
    assert at.query_params["years"] == "2010-2014"
    assert {m.label: m.value for m in at.metric}["Persons reached"] == "2,480"
    # one year later, the period is no longer inside the selection
    at = run_page("countries", lang="en", iso3="COL", years="2011-2014")
    assert {m.label: m.value for m in at.metric}["Persons reached"] == "–"


def test_the_sidebars_lists_are_filed_as_a_reader_files_them(
    use_data: Callable[[Path], Path],
) -> None:
    """Sorted by ``casefold`` alone, « Médecins du Monde Belgique » came after « Migrakot »
    and « Égypte » would after « Zambie »: accented letters sort after z."""
    use_data(ROOT / "data")
    at = run_page("overview", lang="fr")
    names = list(at.sidebar.multiselect(key="f_orgs").options)  # as the reader reads them
    assert names == sorted(names, key=filing_key)
    starts = [name.split()[0] for name in names]
    assert starts.index("Médecins") < starts.index("Migrakot")
