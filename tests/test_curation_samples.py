"""Every real sample file goes through the reader and a mapping as a curator would map it.

Small extracts of real public files ship in ``tests/samples`` (provenance and
licences in its PROVENANCE.md), so these tests run in every clone and in CI. The
whole files, and those whose licence does not allow shipping them, are read from
``../shared/samples`` when that folder exists. Each file must either import (the
report has no error; it is then written and undone) or get a report whose every
line says what to fix — never a traceback. ``-s`` prints the outcome per file.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from impact.curation import mapping, reading, workflow
from impact.curation.store import Store
from impact.i18n import Translator
from impact.paths import ROOT
from tests.factory import copy_bundled

IN_REPO = ROOT / "tests" / "samples"
EXTRACTS = sorted(IN_REPO.glob("*.csv"))
SAMPLES = ROOT.parent / "shared" / "samples"
FILES = sorted([*SAMPLES.glob("*.csv"), *SAMPLES.glob("extras/*.csv")]) if SAMPLES.exists() else []
FACTS_CONSTANTS = {"programme_id": "sos-be-daaras", "source_id": "sos-be-2024"}
ORG_CONSTANTS = {"summary": "Organisation listed in a 3W/4W file.", "source_id": "sos-be-2024"}

# The countries file's columns in mledoze/world-countries' table (the proposal finds them
# all: tests/test_curation_proposals.py).
COUNTRY_COLUMNS = {
    "iso3": "cca3",
    "iso2": "cca2",
    "name_fr": "translations.fra.common",
    "name_nl": "translations.nld.common",
    "name_en": "name.common",
    "region": "region",
    "lat": "latlng",
    "lon": "latlng",
}
# What a curator picks on the mapping step, on top of the automatic proposal.
USER_MAPPINGS: dict[str, dict[str, Any]] = {
    "mledoze_countries_extract.csv": {
        "resource": "countries",
        "columns": COUNTRY_COLUMNS,
        "decimal": ".",
    },
    "unhcr_population_totals_extract.csv": {
        "columns": {"country_iso3": "ISO3CoA", "year": "Year"},
        "constants": {**FACTS_CONSTANTS, "group": "refugees"},
        "measures": {"REF": "reached"},
    },
    "hdx_eth_drought_extract.csv": {
        "constants": {**FACTS_CONSTANTS, "country_iso3": "ETH", "year": "2022"},
        "measures": {
            "OVERALL FIGURES / Target": "targeted",
            "OVERALL FIGURES / Reached": "reached",
        },
    },
    "hdx_345w_honduras_extract.csv": {
        "columns": {"country_iso3": "Country code", "year": "FECHA DE REPORTE"},
        "constants": FACTS_CONSTANTS,
    },
    "idmc_idps_displacement_extract.csv": {
        "constants": {**FACTS_CONSTANTS, "group": "all"},
        "measures": {"Conflict Internal Displacements": "outcome"},
    },
    "hdx_hapi_operational_presence_extract.csv": {
        "resource": "organisations",
        "columns": {
            "name": "org_name",
            "acronym": "org_acronym",
            "kind": "org_type_description",
            "country_iso3": "location_code",
        },
        "constants": ORG_CONSTANTS,
    },
    "be_municipalities_2020_nis_nl_fr.csv": {
        "resource": "places",
        "columns": {"place_id": "NIS_code", "name": "municipality_FR", "admin1": "province_FR"},
        "constants": {"country_iso3": "BEL"},
    },
    "mledoze_countries.csv": {
        "resource": "countries",
        "columns": COUNTRY_COLUMNS,
        "decimal": ".",
    },
    "ocha_hno_sudan_needs_hxl.csv": {
        "constants": {**FACTS_CONSTANTS, "country_iso3": "SDN", "year": "2024"},
    },
    "unhcr_end_year_population_totals_hxl.csv": {
        "columns": {"country_iso3": "ISO3CoA", "year": "Year"},
        "constants": {**FACTS_CONSTANTS, "group": "refugees"},
        "measures": {"REF": "reached"},
    },
    "ocha_lbn_3w_sectors_by_district_2024_hxl.csv": {
        "resource": "organisations",
        "columns": {"name": "partner.name"},
        "constants": {**ORG_CONSTANTS, "kind": "ngo", "country_iso3": "LBN"},
    },
    "hdx_hapi_operational_presence_global.csv": {
        "resource": "organisations",
        "columns": {
            "name": "org_name",
            "acronym": "org_acronym",
            "kind": "org_type_description",
            "country_iso3": "location_code",
        },
        "constants": ORG_CONSTANTS,
    },
    "ocha_eth_4w_may_jul_2025.csv": {
        "resource": "organisations",
        "columns": {"name": "Implementing Partner Name", "kind": "Implementing Partner Type"},
        "constants": {**ORG_CONSTANTS, "country_iso3": "ETH"},
    },
    "hdx_eth_drought_affected_targeted_reached_by_cluster.csv": {
        "constants": {**FACTS_CONSTANTS, "country_iso3": "ETH", "year": "2022"},
        "measures": {
            "OVERALL FIGURES / Target": "targeted",
            "OVERALL FIGURES / Reached": "reached",
        },
    },
    "hdx_345w_honduras_2021.csv": {
        "columns": {"country_iso3": "Country code", "year": "FECHA DE REPORTE"},
        "constants": FACTS_CONSTANTS,
    },
    "idmc_idps_displacement_hxl.csv": {
        "constants": {**FACTS_CONSTANTS, "group": "all"},
        "measures": {"Conflict Internal Displacements": "outcome"},
    },
}


def user_mapping(table: reading.Table) -> mapping.Mapping:
    wanted = USER_MAPPINGS.get(table.name, {"constants": FACTS_CONSTANTS})
    chosen = mapping.propose(table, wanted.get("resource"))
    chosen.columns.update(wanted.get("columns", {}))
    for name in wanted.get("columns", {}):
        chosen.constants.pop(name, None)
    chosen.constants.update(wanted.get("constants", {}))
    if "measures" in wanted:
        chosen.measures = dict(wanted["measures"])
    chosen.decimal = wanted.get("decimal", chosen.decimal)
    return chosen


def imports_or_says_why(path: Path, root: Path) -> workflow.Checked | None:
    """Read, map and check ``path`` as a curator would; print the outcome; check the report."""
    tr = Translator("fr")
    try:
        table = reading.read_bytes(path.read_bytes(), path.name)
    except reading.ReadError as error:  # pragma: no cover - no sample is unreadable today
        print(f"\n{path.name}: unreadable — {error.message(tr)}")
        return None
    checked = workflow.check(root, table, user_mapping(table))
    errors = checked.report.errors
    rules = Counter(f.rule for f in errors)
    print(
        f"\n{path.name}: {table.encoding}, {table.delimiter!r}, header rows {table.header_rows}, "
        f"HXL {'yes' if table.hxl else 'no'}, {len(table.rows)} rows "
        f"-> {checked.mapping.resource}: "
        f"{'IMPORTS' if checked.report.ok else 'BLOCKED'} "
        f"({len(errors)} errors {dict(rules)}, {len(checked.report.warnings)} warnings, "
        f"{[d.summary() for d in checked.changes]})"
    )
    for finding in errors[:3]:
        print("   ", finding.message(tr)[:240])
    for finding in checked.report.findings:
        message = finding.message(tr)
        assert message and "Traceback" not in message
        assert finding.file and finding.rule
    if checked.report.ok:
        workflow.write(root, checked, "samples test", confirmed=True)
        Store(root).undo(who="samples test")
    checked.discard()
    return checked


@pytest.mark.parametrize("path", EXTRACTS, ids=[p.name for p in EXTRACTS])
def test_extract_imports_or_says_why(path: Path, tmp_path: Path) -> None:
    imports_or_says_why(path, copy_bundled(tmp_path / "data"))


@pytest.mark.skipif(not FILES, reason="the shared sample files are not on this machine")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_sample_imports_or_says_why(path: Path, tmp_path: Path) -> None:
    imports_or_says_why(path, copy_bundled(tmp_path / "data"))


def test_every_extract_has_its_provenance() -> None:
    provenance = (IN_REPO / "PROVENANCE.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([^`]+\.csv)` \|", provenance, flags=re.M))
    assert listed == {p.name for p in EXTRACTS}
    for row in re.findall(r"^\| `[^`]+\.csv` \|.*$", provenance, flags=re.M):
        # each extract: its original at a commit with its hash, and the data's licence
        original, _kept, licence = (cell.strip() for cell in row.split(" | ")[1:4])
        assert re.search(r"@ [0-9a-f]{40} :", original) and "sha256" in original, row
        assert re.search(r"CC BY|ODbL", licence), row
    assert all(p.stat().st_size < 40_000 for p in EXTRACTS)  # small: extracts, not copies


def test_extracts_import_once_their_countries_are_known(tmp_path: Path) -> None:
    """The curator's path on the shipped extracts: add the countries first (the mledoze
    extract, whose names replace two curated ones only with confirmation), then three
    figure files import; undo goes back to the bundled data byte for byte."""
    from impact.curation.store import data_files
    from impact.paths import current_version

    root = copy_bundled(tmp_path / "data")
    before = {n: (root / n).read_bytes() for n in data_files()}
    steps = [
        "mledoze_countries_extract.csv",
        "unhcr_population_totals_extract.csv",
        "hdx_eth_drought_extract.csv",
        "hdx_345w_honduras_extract.csv",
    ]
    outcome = []
    for name in steps:
        table = reading.read_bytes((IN_REPO / name).read_bytes(), name)
        checked = workflow.check(root, table, user_mapping(table))
        assert checked.report.ok, [f.message(Translator("en")) for f in checked.report.errors[:5]]
        outcome.append([(d.added, d.changed) for d in checked.changes])
        workflow.write(root, checked, "samples test", confirmed=checked.needs_confirmation)
    assert outcome == [[(13, 2)], [(40, 0)], [(40, 0)], [(60, 0)]]
    store = Store(root)
    for _ in steps:
        store.undo(who="samples test")
    assert {n: (current_version(root) / n).read_bytes() for n in data_files()} == before
    assert {n: (root / n).read_bytes() for n in data_files()} == before  # the mirror too
    assert not store.can_undo()


def test_the_hapi_extract_clashes_with_the_curated_medecins_du_monde(tmp_path: Path) -> None:
    """Issue 13: HAPI's Ethiopian « Médecins du Monde » makes the id of the curated Belgian
    record; the import says so and cannot replace it without confirmation."""
    root = copy_bundled(tmp_path / "data")
    name = "hdx_hapi_operational_presence_extract.csv"
    table = reading.read_bytes((IN_REPO / name).read_bytes(), name)
    checked = workflow.check(root, table, user_mapping(table))
    try:
        clashes = [f for f in checked.report.findings if f.rule == "overwrites_record"]
        assert "medecins-du-monde" in [f.value for f in clashes]
        assert checked.needs_confirmation
        [change] = checked.changes
        first = change.changed_rows[0][2]
        assert first["org_id"] == "medecins-du-monde" and first["country_iso3"] == "ETH"
        assert first["website"] == "https://www.medecinsdumonde.be"  # not supplied: kept
    finally:
        checked.discard()
