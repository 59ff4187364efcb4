"""Every real sample file goes through the reader and a mapping as a curator would map it.

The samples live outside the repository (``../shared/samples``, licences vary) and
the test is skipped when they are absent. Each file must either import (the
report has no error; it is then written and undone) or get a report whose every
line says what to fix — never a traceback. ``-s`` prints the outcome per file.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from impact.curation import mapping, reading, workflow
from impact.curation.store import Store
from impact.i18n import Translator
from impact.paths import ROOT
from tests.factory import copy_bundled

SAMPLES = ROOT.parent / "shared" / "samples"
FILES = sorted([*SAMPLES.glob("*.csv"), *SAMPLES.glob("extras/*.csv")]) if SAMPLES.exists() else []
FACTS_CONSTANTS = {"programme_id": "sos-be-daaras", "source_id": "sos-be-2024"}
ORG_CONSTANTS = {"summary": "Organisation listed in a 3W/4W file.", "source_id": "sos-be-2024"}

# What a curator picks on the mapping step, on top of the automatic proposal.
USER_MAPPINGS: dict[str, dict[str, Any]] = {
    "be_municipalities_2020_nis_nl_fr.csv": {
        "resource": "places",
        "columns": {"place_id": "NIS_code", "name": "municipality_FR", "admin1": "province_FR"},
        "constants": {"country_iso3": "BEL"},
    },
    "mledoze_countries.csv": {
        "resource": "countries",
        "columns": {
            "iso3": "cca3",
            "iso2": "cca2",
            "name_fr": "translations.fra.common",
            "name_nl": "translations.nld.common",
            "name_en": "name.common",
            "region": "region",
            "lat": "latlng",
            "lon": "latlng",
        },
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


@pytest.mark.skipif(not FILES, reason="the shared sample files are not on this machine")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_sample_imports_or_says_why(path: Path, tmp_path: Path) -> None:
    tr = Translator("fr")
    root = copy_bundled(tmp_path / "data")
    try:
        table = reading.read_bytes(path.read_bytes(), path.name)
    except reading.ReadError as error:  # pragma: no cover - no sample is unreadable today
        print(f"\n{path.name}: unreadable — {error.message(tr)}")
        return
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
        workflow.write(root, checked, "samples test")
        Store(root).undo(who="samples test")
    checked.discard()


@pytest.mark.skipif(not FILES, reason="the shared sample files are not on this machine")
def test_samples_import_once_their_countries_are_known(tmp_path: Path) -> None:
    """The curator's path: add the countries (mledoze, without the 5 Antarctic territories
    the contract's regions do not cover), then three figure files import; undo goes back."""
    import csv
    import io

    from impact.curation.store import data_files
    from impact.paths import current_version

    root = copy_bundled(tmp_path / "data")
    before = {n: (root / n).read_bytes() for n in data_files()}
    rows = list(csv.reader(io.StringIO((SAMPLES / "mledoze_countries.csv").read_text("utf-8"))))
    region = rows[0].index("region")
    buffer = io.StringIO()
    csv.writer(buffer).writerows(r for r in rows if r[region] != "Antarctic")
    steps = [("mledoze_countries.csv", buffer.getvalue().encode("utf-8"))]
    for name in (
        "unhcr_end_year_population_totals_hxl.csv",
        "extras/hdx_eth_drought_affected_targeted_reached_by_cluster.csv",
        "extras/hdx_345w_honduras_2021.csv",
    ):
        steps.append((Path(name).name, (SAMPLES / name).read_bytes()))
    added = []
    for name, data in steps:
        table = reading.read_bytes(data, name)
        checked = workflow.check(root, table, user_mapping(table))
        assert checked.report.ok, [f.message(Translator("en")) for f in checked.report.errors[:5]]
        added.append(sum(len(d.added) for d in checked.changes))
        workflow.write(root, checked, "samples test")
        checked.discard()
    assert added == [214, 745, 391, 2730]
    store = Store(root)
    for _ in steps:
        store.undo(who="samples test")
    assert {n: (current_version(root) / n).read_bytes() for n in data_files()} == before
    assert {n: (root / n).read_bytes() for n in data_files()} == before  # the mirror too
    assert not store.can_undo()
