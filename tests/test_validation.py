"""Validation errors on broken copies of the data: file, row, column, value and rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from impact.db import Database
from impact.i18n import Translator
from impact.validation import DataError, Problem, validate_folder
from tests.factory import FACTS, PROGRAMMES, fact, make_data


def problems(folder: Path) -> list[Problem]:
    return list(validate_folder(folder).errors)


def only(folder: Path) -> Problem:
    found = problems(folder)
    assert len(found) == 1, [p.message(Translator("en")) for p in found]
    return found[0]


def test_valid_data_has_no_problem(data_dir: Path) -> None:
    assert validate_folder(data_dir).problems == ()


def test_wrong_type(tmp_path: Path) -> None:
    facts = [*FACTS, fact("bad-year", 3, year="2O24")]
    problem = only(make_data(tmp_path / "d", beneficiaries=facts))
    assert (problem.file, problem.row, problem.column, problem.value, problem.rule) == (
        "beneficiaries.csv",
        len(facts) + 1,
        "year",
        "2O24",
        "type_integer",
    )


def test_a_period_cannot_end_before_it_starts(tmp_path: Path) -> None:
    facts = [*FACTS, fact("backwards", 3, year="2014", period_start="2016")]
    problem = only(make_data(tmp_path / "d", beneficiaries=facts))
    assert (problem.row, problem.column, problem.value, problem.rule) == (
        len(facts) + 1,
        "period_start",
        "2016",
        "period_after_year",
    )
    assert "2014" in problem.message(Translator("nl"))


def test_unknown_country(tmp_path: Path) -> None:
    facts = [*FACTS, fact("belgie", 3, country_iso3="BLG")]
    problem = only(make_data(tmp_path / "d", beneficiaries=facts))
    assert (problem.row, problem.column, problem.value, problem.rule) == (
        len(facts) + 1,
        "country_iso3",
        "BLG",
        "foreign_key",
    )
    assert "countries.csv" in problem.message(Translator("fr"))


def test_a_country_code_of_the_wrong_form_is_one_problem(tmp_path: Path) -> None:
    """« bel » breaks the code's form; it was also reported « not in countries.csv », and
    the error page counted two problems for one cell."""
    facts = [*FACTS, fact("minuscules", 3, country_iso3="bel")]
    problem = only(make_data(tmp_path / "d", beneficiaries=facts))
    assert (problem.column, problem.value, problem.rule) == ("country_iso3", "bel", "pattern")


def test_dangling_programme(tmp_path: Path) -> None:
    facts = [*FACTS, fact("orphan", 3, programme_id="nowhere")]
    problem = only(make_data(tmp_path / "d", beneficiaries=facts))
    assert (problem.column, problem.value, problem.rule) == (
        "programme_id",
        "nowhere",
        "foreign_key",
    )


def test_part_larger_than_whole(tmp_path: Path) -> None:
    facts = [*FACTS, fact("too-many", 20000, group="children", part_of="maroc-persons")]
    problem = only(make_data(tmp_path / "d", beneficiaries=facts))
    assert (problem.row, problem.column, problem.value, problem.rule) == (
        len(facts) + 1,
        "count",
        "20000",
        "part_larger",
    )
    assert "10378" in problem.message(Translator("en"))


def test_a_bad_part_after_thousands_of_good_ones_is_found(tmp_path: Path) -> None:
    """Every part is checked against its whole, not only the first ones of the file."""
    good = [fact(f"p{i}", 1, group="children", part_of="maroc-persons") for i in range(1500)]
    facts = [*FACTS, *good, fact("late", 20000, group="children", part_of="maroc-persons")]
    problem = only(make_data(tmp_path / "d", beneficiaries=facts))
    assert (problem.row, problem.value, problem.rule) == (len(facts) + 1, "20000", "part_larger")


def test_part_with_another_unit(tmp_path: Path) -> None:
    facts = [*FACTS, fact("fam", 5, unit="families", part_of="maroc-persons")]
    assert only(make_data(tmp_path / "d", beneficiaries=facts)).rule == "part_of_unit"


def test_part_of_a_part(tmp_path: Path) -> None:
    facts = [*FACTS, fact("girls", 5, group="children", part_of="maroc-children")]
    assert only(make_data(tmp_path / "d", beneficiaries=facts)).rule == "part_of_nested"


def test_duplicate_id(tmp_path: Path) -> None:
    facts = [*FACTS, fact("maroc-persons", 1)]
    problem = only(make_data(tmp_path / "d", beneficiaries=facts))
    assert (problem.rule, problem.value, problem.row) == (
        "duplicate_key",
        "maroc-persons",
        len(facts) + 1,
    )
    assert problem.details["other_row"] == 2


def test_negative_count_and_unknown_vocabulary(tmp_path: Path) -> None:
    facts = [*FACTS, fact("neg", -4, group="kids")]
    rules = {(p.column, p.rule) for p in problems(make_data(tmp_path / "d", beneficiaries=facts))}
    assert rules == {("count", "minimum"), ("group", "enum")}


def test_thousands_separator_typed_as_decimal_point(tmp_path: Path) -> None:
    facts = [*FACTS, fact("dot", "10.378")]
    problem = only(make_data(tmp_path / "d", beneficiaries=facts))
    assert problem.rule == "count_not_whole"
    assert "personnes" in problem.message(Translator("fr")) or "persons" in problem.message(
        Translator("fr")
    )


def test_missing_source_and_quote(tmp_path: Path) -> None:
    facts = [*FACTS, fact("nosource", 3, source_id="", quote="")]
    found = {(p.column, p.rule) for p in problems(make_data(tmp_path / "d", beneficiaries=facts))}
    assert found == {("source_id", "required"), ("quote", "required")}


def test_missing_file_and_column(tmp_path: Path) -> None:
    folder = make_data(tmp_path / "d")
    (folder / "context.csv").unlink()
    text = (folder / "places.csv").read_text(encoding="utf-8").replace("admin1", "province")
    (folder / "places.csv").write_text(text, encoding="utf-8")
    found = {(p.file, p.column, p.rule) for p in problems(folder)}
    assert ("context.csv", None, "missing_file") in found
    assert ("places.csv", "admin1", "missing_column") in found
    assert ("places.csv", "province", "unknown_column") in found


def test_ragged_row(tmp_path: Path) -> None:
    folder = make_data(tmp_path / "d")
    with (folder / "sources.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write("extra,too,many,fields,here,and,more,than,allowed\r\n")
    found = problems(folder)
    assert [(p.file, p.row, p.rule) for p in found] == [("sources.csv", 3, "too_many_fields")]


def test_boolean_and_programme_vocabulary(tmp_path: Path) -> None:
    programmes = [{**PROGRAMMES[0], "sensitive": "oui", "theme": "sport"}, *PROGRAMMES[1:]]
    found = {
        (p.column, p.rule, p.value)
        for p in problems(make_data(tmp_path / "d", programmes=programmes))
    }
    assert found == {("sensitive", "type_boolean", "oui"), ("theme", "enum", "sport")}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ["ligne 9", "colonne «\u00a0year\u00a0»", "«\u00a02O24\u00a0»", "nombre entier"]),
        ("nl", ["rij 9", "kolom “year”", "“2O24”", "geheel getal"]),
        ("en", ["row 9", "column “year”", "“2O24”", "whole number"]),
    ],
)
def test_messages_in_three_languages(tmp_path: Path, lang: str, words: list[str]) -> None:
    facts = [*FACTS, fact("bad-year", 3, year="2O24")]
    message = only(make_data(tmp_path / "d", beneficiaries=facts)).message(Translator(lang))
    assert message.startswith("beneficiaries.csv")
    for word in words:
        assert word in message


def test_invalid_data_never_loads(tmp_path: Path) -> None:
    facts = [*FACTS, fact("bad-year", 3, year="2O24")]
    with pytest.raises(DataError) as caught:
        Database.open(make_data(tmp_path / "d", beneficiaries=facts))
    assert caught.value.report.errors[0].rule == "type_integer"


def test_many_problems_are_capped_with_a_count(tmp_path: Path) -> None:
    facts = [*FACTS, *(fact(f"bad-{i}", 3, year="x") for i in range(120))]
    found = problems(make_data(tmp_path / "d", beneficiaries=facts))
    assert len(found) == 51
    assert found[-1].rule == "more_problems" or any(p.rule == "more_problems" for p in found)
    assert next(p for p in found if p.rule == "more_problems").details["n"] == 70


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [
        ("fr", "1 autre problème de ce type n'est pas listé", "1\u202f234 autres problèmes"),
        ("nl", "nog 1 probleem van deze soort wordt niet getoond", "nog 1.234 problemen"),
        ("en", "1 more problem of this kind is not listed", "1,234 more problems"),
    ],
)
def test_the_count_of_problems_not_listed_takes_its_plural_form(
    tmp_path: Path, lang: str, one: str, many: str
) -> None:
    """« 1 more problems » was wrong in every language; the count is written as a number."""
    tr = Translator(lang)
    for name, bad, expected in (("one", 51, one), ("many", 1284, many)):
        facts = [*FACTS, *(fact(f"bad-{i}", 3, year="x") for i in range(bad))]
        found = problems(make_data(tmp_path / name, beneficiaries=facts))
        [rest] = [p for p in found if p.rule == "more_problems"]
        assert expected in rest.message(tr)


def test_repeated_identifiers_beyond_those_listed_are_counted(tmp_path: Path) -> None:
    """60 figures with one identifier: 59 repeats, 50 listed and « 9 more » (the repeats
    past the 50th went uncounted, and the import review said 110 problems for 119)."""
    facts = [*FACTS, *(fact("same-id", 3, year=str(1990 + i % 30)) for i in range(60))]
    report = validate_folder(make_data(tmp_path / "d", beneficiaries=facts))
    repeats = [p for p in report.errors if "fact_id" in (p.column or "")]
    assert [p.rule for p in repeats[-2:]] == ["duplicate_key", "more_problems"]
    assert sum(p.count for p in repeats) == 59
    assert "9 autres problèmes de ce type" in repeats[-1].message(Translator("fr"))


def test_control_characters_are_refused_with_their_codes(tmp_path: Path) -> None:
    """A quote holding BEL, ESC, VT and BS (issue 13) no longer passes: no XLSX can hold it."""
    facts = [*FACTS, fact("bell", 3, quote="trois enfants\x07\x1b\x0b\x08 accueillis")]
    problem = only(make_data(tmp_path / "d", beneficiaries=facts))
    assert (problem.rule, problem.row, problem.column) == (
        "control_character",
        len(facts) + 1,
        "quote",
    )
    assert problem.value == "trois enfants\\x07\\x1b\\x0b\\x08 accueillis"  # shown, not sent
    assert problem.details["codes"] == "U+0007, U+0008, U+000B, U+001B"
    fr, nl = problem.message(Translator("fr")), problem.message(Translator("nl"))
    assert "caractères de contrôle invisibles (U+0007, U+0008, U+000B, U+001B)" in fr
    assert "onzichtbare stuurtekens" in nl
    assert "\x07" not in fr + nl


def test_every_rule_that_fails_is_told_when_rules_are_counted_together(tmp_path: Path) -> None:
    """The rules of a file are counted in one scan, control characters in every text
    column at once: each failure is still told at its row and column."""
    facts = [
        *FACTS,
        fact("bell", 3, quote="trois\x07"),
        fact("escape", 4, note="note\x1b"),
        fact("typo", 5, year="2O24"),
        fact("negative", -6, quote="moins six"),
        fact("half", "2.5", quote="deux et demi"),
    ]
    found = {
        (p.rule, p.column, p.row) for p in problems(make_data(tmp_path / "d", beneficiaries=facts))
    }
    first = len(FACTS) + 2
    assert found == {
        ("control_character", "quote", first),
        ("control_character", "note", first + 1),
        ("type_integer", "year", first + 2),
        ("minimum", "count", first + 3),
        ("count_not_whole", "count", first + 4),
    }


def test_tabs_and_line_breaks_in_text_are_fine(tmp_path: Path) -> None:
    facts = [*FACTS, fact("multi", 3, quote="ligne une\nligne deux\tet tab\r\nfin")]
    assert problems(make_data(tmp_path / "d", beneficiaries=facts)) == []
