"""Numbers of an import: a magnitude never changes quietly (issue 13, item 3).

« 1,5 » is one and a half or an error, never 15; each column's decimal separator
is decided from all its values; a column that could be read two ways is flagged
with a suggestion; a count of persons or families that is not whole is refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from impact.curation import mapping, reading, workflow
from impact.i18n import Translator

FR = Translator("fr")


def check(
    folder: Path, text: str, name: str = "chiffres.csv", **constants: str
) -> workflow.Checked:
    table = reading.read_bytes(text.encode("utf-8"), name)
    chosen = mapping.propose(table)
    chosen.constants.update(programme_id="maroc", source_id="src", **constants)
    return workflow.check(folder, table, chosen)


def spaced(text: str) -> str:
    """``text`` with French no-break spaces as plain ones (for readable assertions)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def counts(checked: workflow.Checked) -> list[str]:
    return [r["count"] for r in checked.mapped.rows]


def test_a_decimal_comma_count_of_persons_is_refused_not_multiplied(data_dir: Path) -> None:
    checked = check(data_dir, 'Pays,Année,Atteints\nMaroc,2024,"1,5"\nMaroc,2023,"2,50"\n')
    try:
        assert counts(checked) == ["1.5", "2.5"]  # read as decimals, never 15 or 250
        refused = [f for f in checked.report.errors if f.rule == "count_not_whole"]
        assert [(f.source_row, f.value, f.suggestion) for f in refused] == [
            (2, "1.5", None),
            (3, "2.5", None),
        ]
        assert "« 1.5 » doit être un nombre entier : un nombre de personnes" in spaced(
            refused[0].message(FR)
        )
        assert not checked.report.ok
    finally:
        checked.discard()


@pytest.mark.parametrize(("unit", "said"), [("families", "familles"), ("households", "ménages")])
def test_a_count_of_families_or_households_that_is_not_whole_is_refused(
    data_dir: Path, unit: str, said: str
) -> None:
    checked = check(data_dir, 'Pays;Année;Atteints\nMaroc;2024;"12,5"\n', unit=unit)
    try:
        assert counts(checked) == ["12.5"]
        [refused] = [f for f in checked.report.errors if f.rule == "count_not_whole"]
        assert (refused.source_row, refused.value) == (2, "12.5")
        assert f"un nombre de {said} n'est jamais fractionnaire" in refused.message(FR)
        assert not checked.report.ok
    finally:
        checked.discard()


def test_a_column_with_a_decided_separator_reads_every_value_with_it(data_dir: Path) -> None:
    # « 12,5 » can only be read with a decimal comma: « 1.234 » in the same column is then 1234
    text = "Pays;Année;Valeur\nMaroc;2024;12,5\nSénégal;2024;1.234\n"
    checked = check(data_dir, text, unit="percent", measure="outcome")
    try:
        assert counts(checked) == ["12.5", "1234"]
        assert not [f for f in checked.report.findings if f.rule == "ambiguous_number"]
        assert checked.report.ok, [f.message(FR) for f in checked.report.errors]
    finally:
        checked.discard()


def test_a_column_without_clues_follows_the_file_and_says_so(data_dir: Path) -> None:
    # « Part » shows the file's decimal comma; « Atteints » alone cannot tell: flagged
    text = "Pays;Année;Atteints;Part\nMaroc;2024;1.234;12,5\nSénégal;2024;56;3,25\n"
    checked = check(data_dir, text)
    try:
        assert counts(checked) == ["1234", "56"]
        [flag] = [f for f in checked.report.findings if f.rule == "ambiguous_number"]
        assert (flag.column, flag.value, flag.suggestion) == ("Atteints", "1.234", "1.234")
        assert "1 valeur, « 1.234 », lue 1234" in spaced(flag.message(FR))
    finally:
        checked.discard()


def test_a_column_that_reads_two_ways_is_flagged_with_a_suggestion(data_dir: Path) -> None:
    text = 'Pays,Année,Atteints\nMaroc,2024,"1,234"\nSénégal,2024,"2,000"\nMaroc,2023,12\n'
    checked = check(data_dir, text)
    try:
        assert counts(checked) == ["1234", "2000", "12"]  # the file's convention: point
        [flag] = [f for f in checked.report.findings if f.rule == "ambiguous_number"]
        assert (flag.severity, flag.column, flag.source_row) == ("warning", "Atteints", 2)
        assert (flag.value, flag.suggestion) == ("1,234", "1.234")
        message = flag.message(FR)
        assert "2 valeurs comme « 1,234 » lues 1234" in spaced(message)
        assert "vouliez-vous dire « 1.234 »" in spaced(message)
        # the curator says the comma is this column's decimal separator: now refused as 1.234
        table = checked.table
        chosen = checked.mapping
        chosen.decimals["Atteints"] = ","
        again = workflow.check(data_dir, table, chosen)
        try:
            assert counts(again)[:2] == ["1.234", "2"]
            assert [f.rule for f in again.report.errors] == ["count_not_whole"]
        finally:
            again.discard()
    finally:
        checked.discard()


def test_xlsx_numbers_stay_numbers_and_text_cells_follow_their_column(data_dir: Path) -> None:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [["Pays", "Année", "Atteints"], ["Maroc", 2024, 1234], ["Sénégal", 2024, "2,5"]]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    table = reading.read_bytes(buffer.getvalue(), "f.xlsx")
    chosen = mapping.propose(table)
    chosen.constants.update(programme_id="maroc", source_id="src")
    checked = workflow.check(data_dir, table, chosen)
    try:
        assert counts(checked) == ["1234", "2.5"]  # not 25
        assert [f.rule for f in checked.report.errors] == ["count_not_whole"]
    finally:
        checked.discard()


def test_a_thousands_point_read_as_decimal_gets_the_whole_number_suggested(
    data_dir: Path,
) -> None:
    from impact.curation.report import _Suggester
    from impact.validation import Problem

    checked = check(data_dir, "Pays,Année,Atteints\nMaroc,2024,12\n")
    try:
        suggest = _Suggester(checked.candidate).suggest
        problem = Problem("beneficiaries.csv", "count_not_whole", 3, "count", "1.675")
        assert suggest(problem) == "1675"
        assert suggest(Problem("beneficiaries.csv", "count_not_whole", 3, "count", "1.5")) is None
    finally:
        checked.discard()
