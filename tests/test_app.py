"""The app renders with AppTest: the Overview shows the right totals, in three languages,
and a broken data folder shows the error page instead of a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from impact.i18n import Translator
from impact.paths import ROOT
from tests.conftest import APPTEST_TIMEOUT
from tests.factory import FACTS, fact, make_data

ENTRY = str(ROOT / "dashboard.py")


def app() -> AppTest:
    return AppTest.from_file(ENTRY, default_timeout=APPTEST_TIMEOUT)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def independent_persons_total(folder: Path) -> int:
    """Persons reached straight from the CSV: wholes only, one unit and measure."""
    sql = """select sum("count")::bigint from read_csv($p, header=true)
             where unit = 'persons' and measure = 'reached' and part_of is null"""
    row = duckdb.execute(sql, {"p": str(folder / "beneficiaries.csv")}).fetchone()
    assert row is not None
    return int(row[0])


def test_overview_renders_with_the_right_totals(
    data_dir: Path, use_data: Callable[[Path], Path]
) -> None:
    use_data(data_dir)
    at = app().run()
    assert not at.exception
    shown = metrics(at)
    fr = Translator("fr")
    assert shown[fr._("Persons reached")] == "≥\u00a0" + fr.number(
        independent_persons_total(data_dir)
    )
    assert shown[fr._("of whom children")] == fr.number(3189 + 1675)
    assert shown[fr._("Families reached")] == "250"
    assert shown[fr._("Countries")] == "3"
    assert at.title[0].value == "Vue d'ensemble"


def test_language_switch(data_dir: Path, use_data: Callable[[Path], Path]) -> None:
    use_data(data_dir)
    at = app().run()
    at.sidebar.radio(key="lang").set_value("nl").run()
    assert not at.exception
    assert at.title[0].value == "Overzicht"
    assert metrics(at)["Bereikte personen"] == "≥\u00a014.153"
    assert at.query_params["lang"] == "nl"
    at.sidebar.radio(key="lang").set_value("en").run()
    assert metrics(at)["Persons reached"] == "≥\u00a014,153"


def test_filters_change_the_figures_and_the_url(
    data_dir: Path, use_data: Callable[[Path], Path]
) -> None:
    use_data(data_dir)
    at = app().run()
    at.sidebar.multiselect(key="f_countries").set_value(["MAR"]).run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Personnes atteintes"] == Translator("fr").number(10378)
    assert shown["dont enfants"] == Translator("fr").number(3189)
    assert at.query_params["country"] == "MAR"


def test_filters_and_language_come_from_the_url(
    data_dir: Path, use_data: Callable[[Path], Path]
) -> None:
    use_data(data_dir)
    at = app()
    at.query_params.update({"lang": "nl", "country": "SEN", "group": "children"})
    at.run()
    assert not at.exception
    assert metrics(at)["Bereikte personen"] == "1.675"


def test_unknown_url_values_are_ignored(data_dir: Path, use_data: Callable[[Path], Path]) -> None:
    use_data(data_dir)
    at = app()
    at.query_params.update({"lang": "xx", "country": "<script>,BEL", "years": "1;drop"})
    at.run()
    assert not at.exception
    assert metrics(at)["Personnes atteintes"] == "≥\u00a02\u202f100"


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_broken_data_shows_the_error_page(
    tmp_path: Path, use_data: Callable[[Path], Path], lang: str
) -> None:
    use_data(
        make_data(tmp_path / "broken", beneficiaries=[*FACTS, fact("x", 1, country_iso3="XXX")])
    )
    at = app()
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    tr = Translator(lang)
    assert at.title[0].value == tr._("The data cannot be shown")
    table = at.dataframe[0].value
    assert table[tr._("Value")].tolist() == ["XXX"]
    assert table[tr._("Severity")].tolist() == [tr._("error")]  # « fout », « erreur »
    assert "beneficiaries.csv" in table[tr._("What to fix")].iloc[0]


@pytest.mark.parametrize(
    ("lang", "said", "rest"),
    [
        ("fr", "a 120 problèmes à corriger", "70 autres problèmes de ce type ne sont pas listés"),
        ("nl", "heeft 120 problemen", "nog 70 problemen van deze soort worden niet getoond"),
    ],
)
def test_the_error_page_counts_the_problems_it_does_not_list(
    tmp_path: Path, use_data: Callable[[Path], Path], lang: str, said: str, rest: str
) -> None:
    """120 bad years: 50 are listed and one line says « 70 more »; the page says 120
    problems (it said 51, the lines of its table), the « more » line comes last, and a
    problem with no value shows an empty cell, not « None »."""
    bad = [fact(f"bad-{i}", 3, year="x") for i in range(120)]
    use_data(make_data(tmp_path / "many", beneficiaries=[*FACTS, *bad]))
    at = app()
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    tr = Translator(lang)
    assert said in at.error[0].value
    table = at.dataframe[0].value
    assert len(table) == 51
    last = table.iloc[-1]
    assert rest in last[tr._("What to fix")]
    assert last[tr._("Value")] == ""
    assert pd.isna(last[tr._("Row")])
    assert table[tr._("Row")].iloc[:-1].is_monotonic_increasing


def test_bundled_data_renders(use_data: Callable[[Path], Path]) -> None:
    use_data(ROOT / "data")
    at = app().run()
    assert not at.exception
    assert len(at.metric) >= 6
