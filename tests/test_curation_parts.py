"""« dont » columns and total rows: an import never counts a part or a total twice.

Issue 13, items 4 and 5: a curator's sheet with « Personnes atteintes » and
« dont enfants » maps the second as a part of the first (persons reached stay
persons reached); a mapping that would add them is called out before anything
is written; rows that are totals of the others are left out with a note.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from impact.curation import mapping, reading, workflow
from impact.i18n import Translator

FR = Translator("fr")
SHEET = (
    "Programme;Pays;Année;Personnes atteintes;dont enfants\n"
    "Séisme;Maroc;2024;1000;400\n"
    "Séisme;Sénégal;2024;500;\n"
    "Séisme;Maroc;2023;300;120\n"
)


def table(text: str = SHEET, name: str = "dont.csv") -> reading.Table:
    return reading.read_bytes(text.encode("utf-8"), name)


def proposal(found: reading.Table) -> mapping.Mapping:
    chosen = mapping.propose(found)
    chosen.columns.pop("programme_id", None)
    chosen.constants.update(programme_id="maroc", source_id="src")
    return chosen


def figure(checked: workflow.Checked, key: str) -> tuple[float | None, float | None]:
    change = next(f for f in checked.figures if f.key == key)
    return change.before, change.after


def test_a_dont_column_is_proposed_as_a_part_of_the_column_before() -> None:
    chosen = proposal(table())
    assert chosen.measures == {"Personnes atteintes": "reached", "dont enfants": "reached"}
    assert chosen.parts == {"dont enfants": "Personnes atteintes"}
    assert chosen.groups == {"dont enfants": "children"}


def test_parts_name_their_whole_and_are_not_added_to_it(data_dir: Path) -> None:
    checked = workflow.check(data_dir, table(), proposal(table()))
    try:
        assert checked.report.ok, [f.message(FR) for f in checked.report.errors]
        rows = checked.mapped.rows
        wholes = {r["fact_id"]: r for r in rows if not r["part_of"]}
        parts = [r for r in rows if r["part_of"]]
        assert [(r["count"], r["group"]) for r in parts] == [
            ("400", "children"),
            ("120", "children"),
        ]
        for part in parts:
            whole = wholes[part["part_of"]]
            assert (whole["group"], whole["measure"]) == ("all", part["measure"])
        before, after = figure(checked, "persons")
        assert after is not None and before is not None
        assert after - before == 1000 + 500 + 300  # the children are not added again
        assert not [f for f in checked.report.findings if f.rule == "part_added_to_whole"]
    finally:
        checked.discard()


def test_adding_a_part_to_its_whole_is_called_out_before_writing(data_dir: Path) -> None:
    natural = proposal(table())
    natural.parts.clear()  # the natural mistake: two figures of their own
    natural.groups.clear()
    checked = workflow.check(data_dir, table(), natural)
    try:
        first = checked.report.findings[0]
        assert (first.rule, first.severity, first.column) == (
            "part_added_to_whole",
            "warning",
            "dont enfants",
        )
        assert first.suggestion == "Personnes atteintes"
        assert "les deux seraient additionnés" in first.message(FR)
        before, after = figure(checked, "persons")
        assert before is not None and after is not None
        assert after - before == 1000 + 500 + 300 + 400 + 120  # what the warning prevents
    finally:
        checked.discard()


def test_total_rows_are_left_out_with_a_note(data_dir: Path) -> None:
    text = SHEET + "Total;;;1800;520\nSous-total Maroc;Maroc;2024;1300;520\n"
    found = table(text)
    checked = workflow.check(data_dir, found, proposal(found))
    try:
        assert {r["count"] for r in checked.mapped.rows} == {"1000", "400", "500", "300", "120"}
        notes = [f for f in checked.report.findings if f.rule == "total_row"]
        assert [(f.source_row, f.value) for f in notes] == [(5, "Total"), (6, "Sous-total Maroc")]
        assert "ligne de total" in notes[0].message(FR)
        assert checked.report.ok
        before, after = figure(checked, "persons")
        assert before is not None and after is not None
        assert after - before == 1800
    finally:
        checked.discard()


def test_a_curator_can_keep_rows_that_only_look_like_totals(data_dir: Path) -> None:
    text = "Pays;Année;Atteints\nMaroc;2024;10\nTotal Maroc;2024;10\n"
    found = table(text)
    chosen = mapping.propose(found)
    chosen.constants.update(programme_id="maroc", source_id="src")
    chosen.keep_totals = True
    checked = workflow.check(data_dir, found, chosen)
    try:
        assert len(checked.mapped) == 2
        assert not [f for f in checked.report.findings if f.rule == "total_row"]
    finally:
        checked.discard()


@pytest.mark.browser
def test_the_page_warns_before_writing_a_part_added_to_its_whole(
    data_dir: Path, tmp_path: Path, browser: Any
) -> None:
    """On the Data page, with « dont enfants » mapped as a figure of its own: the preview
    says it would be added to « Personnes atteintes », above the write step."""
    from tests.conftest import ADMIN_PASSWORD, Server, check_remembered_upload
    from tests.test_browser import wait_ready

    upload = tmp_path / "dont.csv"
    upload.write_text(SHEET, encoding="utf-8")
    natural = proposal(table())
    natural.parts.clear()  # the natural mistake, confirmed on an earlier import
    natural.groups.clear()
    mapping.remember(data_dir, table(), natural)
    server = Server(data_dir, admin_password=ADMIN_PASSWORD)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        check_remembered_upload(page, server, upload)
        page.get_by_text("Aperçu du changement").wait_for(timeout=30_000)
        wait_ready(page)
        warned = page.locator("[data-testid='stAlert']", has_text="les deux seraient additionnés")
        assert warned.count() == 1
        preview = page.get_by_role("heading", name="4. Aperçu du changement").bounding_box()
        write = page.get_by_role("heading", name="5. Écrire").bounding_box()
        box = warned.bounding_box()
        assert preview and write and box and preview["y"] < box["y"] < write["y"]
        page.close()
    finally:
        server.stop()
