"""Mapping proposals that match what the file means (issue 13, item 12).

Merged group headers (« Projet » over « Pays ») still map their columns; a refugee
file maps the asylum country, not the origin; « National NGO » is an NGO, not an
international one, and is never « corrected » into one; generated figure ids stay
the same from one import of a file to the next.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import openpyxl

from impact.curation import mapping, reading
from impact.curation.report import _Suggester
from impact.curation.workflow import check
from impact.validation import Problem
from tests.test_curation_samples import COUNTRY_COLUMNS


def test_merged_group_headers_map_their_columns() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Projet", None, "Bénéficiaires", None])
    sheet.append(["Nom", "Pays", "Atteints", "Cible"])
    sheet.append(["Séisme", "Maroc", 1000, 1500])
    sheet.append(["Daaras", "Sénégal", 1675, 2000])
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:D1")
    buffer = io.BytesIO()
    book.save(buffer)
    table = reading.read_bytes(buffer.getvalue(), "projets.xlsx")
    assert table.columns == [
        "Projet / Nom",
        "Projet / Pays",
        "Bénéficiaires / Atteints",
        "Bénéficiaires / Cible",
    ]
    proposal = mapping.propose(table)
    assert proposal.columns["country_iso3"] == "Projet / Pays"
    assert proposal.measures == {
        "Bénéficiaires / Atteints": "reached",
        "Bénéficiaires / Cible": "targeted",
    }


def test_a_refugee_file_maps_the_asylum_country_not_the_origin() -> None:
    text = (
        '"Year","ISO3CoO","ISO3CoA","REF"\n'
        '"#date+year","#country+origin+code","#country+asylum+code","#affected+refugees"\n'
        '2022,"SYR","BEL",100\n'
    )
    proposal = mapping.propose(reading.read_bytes(text.encode(), "unhcr.csv"))
    assert proposal.columns["country_iso3"] == "ISO3CoA"
    assert proposal.columns["year"] == "Year"


def test_national_ngo_is_an_ngo_and_never_suggested_as_international(data_dir: Path) -> None:
    text = "org_name,org_type_description,location_code\nASBL locale,National NGO,SEN\n"
    table = reading.read_bytes(text.encode(), "orgs.csv")
    chosen = mapping.propose(table, "organisations")
    chosen.columns.update(name="org_name", kind="org_type_description")
    chosen.constants.update(summary="Partenaire.", source_id="src")
    checked = check(data_dir, table, chosen)
    try:
        assert checked.mapped.rows[0]["kind"] == "ngo"
        suggest = _Suggester(checked.candidate).suggest
        for value in ("National NGOs", "Nationale NGO", "national organisation"):
            problem = Problem("organisations.csv", "enum", 5, "kind", value)
            assert suggest(problem) != "international_ngo", value
        typo = Problem("organisations.csv", "enum", 5, "kind", "internationl ngo")
        assert suggest(typo) == "international_ngo"
    finally:
        checked.discard()


def test_generated_fact_ids_are_stable(data_dir: Path) -> None:
    """The id is the digest of the same JSON as before the mapping was made columnar."""
    text = "Pays;Année;Atteints;Cible\nMaroc;2024;12;20\nSénégal;2023;5;\n"
    table = reading.read_bytes(text.encode(), "f.csv")
    chosen = mapping.propose(table)
    chosen.constants.update(programme_id="maroc", source_id="src")
    mapped = mapping.apply_mapping(table, chosen, data_dir)
    expected = []
    for cells in table.rows:
        identity = [cells[0], cells[1]]
        for column, measure, count in (
            ("Atteints", "reached", cells[2]),
            ("Cible", "targeted", cells[3]),
        ):
            if count:
                raw = json.dumps(["maroc", measure, column, identity]).encode()
                expected.append(f"maroc-{measure}-{hashlib.sha256(raw).hexdigest()[:10]}")
    assert [r["fact_id"] for r in mapped.rows] == expected


def test_a_country_table_is_proposed_as_countries_not_as_figures() -> None:
    """A table of countries (mledoze/world-countries' columns) is proposed for
    ``countries.csv``, its « latlng » pair filling lat and lon; it was proposed as
    figures with no count, whose preview read « 2 added » beside « count is required »."""
    text = (
        '"name.common","cca2","cca3","region","latlng",'
        '"translations.fra.common","translations.nld.common"\n'
        '"Aruba","AW","ABW","Americas","12.5,-69.96666666","Aruba","Aruba"\n'
        '"Belgium","BE","BEL","Europe","50.83333333,4","Belgique","België"\n'
    )
    proposal = mapping.propose(reading.read_bytes(text.encode(), "countries-world.csv"))
    assert proposal.resource == "countries"
    assert proposal.columns == COUNTRY_COLUMNS  # what a curator picked by hand
    # a file of figures with a country column stays a file of figures
    figures = reading.read_bytes(b"pays;annee;nombre\nBelgique;2024;12\n", "f.csv")
    assert mapping.propose(figures).resource == "beneficiaries"


def test_the_allowed_values_name_their_label_in_the_readers_language() -> None:
    """A Dutch curator reads « all (Iedereen) », not just the code « all »; the import
    takes either. A label that says no more than its code is not repeated."""
    from impact.i18n import Translator

    problem = Problem(
        "beneficiaries.csv", "enum", 4, "group", "HST", details={"allowed": "all, children"}
    )
    nl, fr = problem.message(Translator("nl")), problem.message(Translator("fr"))
    assert "toegelaten: all (Iedereen), children (Kinderen)" in nl
    assert "permises\xa0: all (Tout public), children (Enfants)" in fr
    assert "allowed: all (Everyone), children" in problem.message(Translator("en"))
    assert "children (" not in problem.message(Translator("en"))
