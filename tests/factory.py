"""Small hand-made data folders whose right answers are known.

Tests describe rows as dicts; missing columns are filled with valid defaults,
and the files are written in the column order of the data contract, so a test
only states what it is about.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from impact.paths import BUNDLED_DATA_DIR
from impact.schema import contract

SOURCE = {
    "source_id": "src",
    "title": "Rapport annuel 2024",
    "publisher": "ONG Test",
    "published": "2024-12-31",
    "document": "rapport.txt",
}
COUNTRIES = [
    {
        "iso3": "BEL",
        "iso2": "BE",
        "name_fr": "Belgique",
        "name_nl": "België",
        "name_en": "Belgium",
        "region": "europe",
        "lat": "50.6",
        "lon": "4.6",
    },
    {
        "iso3": "MAR",
        "iso2": "MA",
        "name_fr": "Maroc",
        "name_nl": "Marokko",
        "name_en": "Morocco",
        "region": "africa",
        "lat": "31.8",
        "lon": "-7.1",
    },
    {
        "iso3": "SEN",
        "iso2": "SN",
        "name_fr": "Sénégal",
        "name_nl": "Senegal",
        "name_en": "Senegal",
        "region": "africa",
        "lat": "14.5",
        "lon": "-14.4",
    },
]
PLACES = [
    {
        "place_id": "bruxelles",
        "name": "Bruxelles",
        "country_iso3": "BEL",
        "admin1": "Bruxelles",
        "lat": "50.85",
        "lon": "4.35",
    },
]
ORGS = [
    {
        "org_id": "sos",
        "name": "SOS Test",
        "acronym": "SOS",
        "kind": "ngo",
        "country_iso3": "BEL",
        "website": "https://example.org",
        "summary": "Accueil d'enfants.",
        "source_id": "src",
    },
    {
        "org_id": "ecpat",
        "name": "ECPAT Test",
        "acronym": "",
        "kind": "ngo",
        "country_iso3": "BEL",
        "website": "",
        "summary": "Protection.",
        "source_id": "src",
    },
]
PROGRAMMES = [
    {
        "programme_id": "maroc",
        "org_id": "sos",
        "name": "Séisme au Maroc",
        "theme": "emergency_response",
        "country_iso3": "MAR",
        "start_year": "2023",
        "end_year": "",
        "summary": "Soutien.",
        "sensitive": "false",
        "source_id": "src",
    },
    {
        "programme_id": "daaras",
        "org_id": "sos",
        "name": "Daaras",
        "theme": "education",
        "country_iso3": "SEN",
        "start_year": "",
        "end_year": "",
        "summary": "Écoles.",
        "sensitive": "false",
        "source_id": "src",
    },
    {
        "programme_id": "stop",
        "org_id": "ecpat",
        "name": "Je dis STOP",
        "theme": "sexual_exploitation",
        "country_iso3": "BEL",
        "start_year": "2004",
        "end_year": "",
        "summary": "Campagne.",
        "sensitive": "true",
        "source_id": "src",
    },
]


def _same_in_every_language(rows: list[dict[str, Any]], *columns: str) -> None:
    """Give rows their Dutch and English texts, equal to the French (tests read one name)."""
    for row in rows:
        for column in columns:
            row.setdefault(f"{column}_nl", row[column])
            row.setdefault(f"{column}_en", row[column])


_same_in_every_language(PLACES, "name", "admin1")
_same_in_every_language(PROGRAMMES, "name", "summary")
_same_in_every_language(ORGS, "summary")


def fact(fact_id: str, count: float | str, **values: Any) -> dict[str, Any]:
    """A reached-persons fact in Morocco in 2024 unless told otherwise."""
    row = {
        "fact_id": fact_id,
        "programme_id": "maroc",
        "place_id": "",
        "country_iso3": "MAR",
        "year": "2024",
        "year_basis": "stated",
        "group": "all",
        "unit": "persons",
        "measure": "reached",
        "count": str(count),
        "qualifier": "exact",
        "part_of": "",
        "sensitive": "false",
        "source_id": "src",
        "quote": f"{count} personnes",
        "note": "",
    }
    row.update({k: str(v) for k, v in values.items()})
    return row


# The canonical example of the design: « 10.378 personnes, dont 3.189 enfants »,
# plus families (never added to persons) and a percentage (never summed).
FACTS = [
    fact("maroc-persons", 10378, quote="10.378 personnes, dont 3.189 enfants"),
    fact(
        "maroc-children",
        3189,
        group="children",
        part_of="maroc-persons",
        quote="10.378 personnes, dont 3.189 enfants",
    ),
    fact(
        "daaras-children",
        1675,
        programme_id="daaras",
        country_iso3="SEN",
        group="children",
        quote="1.675 enfants dans les Daaras",
    ),
    fact("maroc-families", 250, unit="families", quote="250 familles"),
    fact("maroc-percent", 35, unit="percent", measure="outcome", quote="35%"),
    fact(
        "stop-students",
        2100,
        programme_id="stop",
        country_iso3="BEL",
        year="2014",
        group="students",
        qualifier="at_least",
        quote="plus de 2100 étudiants",
    ),
    fact(
        "daaras-target",
        5000,
        programme_id="daaras",
        country_iso3="SEN",
        group="children",
        measure="targeted",
        quote="5000 enfants visés",
    ),
]
CONTEXT = [
    {
        "indicator_id": "out-of-school",
        "label": "Enfants non scolarisés",
        "value": "127000000",
        "qualifier": "exact",
        "unit": "persons",
        "scope": "world",
        "kind": "context",
        "year": "2023",
        "source_id": "src",
        "quote": "127 millions d'enfants non scolarisés",
    },
]
_same_in_every_language(CONTEXT, "label")


def write_csv(path: Path, resource_name: str, rows: Iterable[dict[str, Any]]) -> None:
    """Write rows in the contract's column order (missing columns left empty)."""
    names = contract().resource(resource_name).field_names
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow({n: row.get(n, "") for n in names})


def make_data(folder: Path, **tables: list[dict[str, Any]]) -> Path:
    """Write a complete valid data folder; keyword arguments replace whole tables."""
    folder.mkdir(parents=True, exist_ok=True)
    default: dict[str, list[dict[str, Any]]] = {
        "sources": [SOURCE],
        "countries": COUNTRIES,
        "places": PLACES,
        "organisations": ORGS,
        "organisation_places": [{"org_id": "sos", "place_id": "bruxelles", "source_id": "src"}],
        "programmes": PROGRAMMES,
        "beneficiaries": FACTS,
        "context": CONTEXT,
    }
    default.update(tables)
    for resource in contract().resources:
        write_csv(folder / resource.path, resource.name, default[resource.name])
    shutil.copy(BUNDLED_DATA_DIR / "datapackage.json", folder / "datapackage.json")
    return folder


def copy_bundled(folder: Path) -> Path:
    """Copy the bundled data folder (to break it in a test)."""
    shutil.copytree(BUNDLED_DATA_DIR, folder)
    return folder


def read_rows(path: Path) -> list[dict[str, str]]:
    """Read a CSV as a list of dicts."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def dump(obj: Any) -> str:
    """Stable JSON for comparing structures in assertion messages."""
    return json.dumps(obj, sort_keys=True, default=str)


# --- Every way a figure can say less than a plain number (issue: « Figures that never
# claim more than their sources say »). Each surface test reads this folder.
TRUTH_COUNTRIES = [
    *COUNTRIES,
    {
        "iso3": "TGO",
        "iso2": "TG",
        "name_fr": "Togo",
        "name_nl": "Togo",
        "name_en": "Togo",
        "region": "africa",
        "lat": "8.6",
        "lon": "0.8",
    },
    {
        "iso3": "COL",
        "iso2": "CO",
        "name_fr": "Colombie",
        "name_nl": "Colombia",
        "name_en": "Colombia",
        "region": "americas",
        "lat": "4",
        "lon": "-72",
    },
    {
        "iso3": "FRA",
        "iso2": "FR",
        "name_fr": "France",
        "name_nl": "Frankrijk",
        "name_en": "France",
        "region": "europe",
        "lat": "46",
        "lon": "2",
    },
]
TRUTH_ORGS = [
    *ORGS,
    {
        "org_id": "plateforme",
        "name": "Plate-forme citoyenne",
        "article_fr": "la",
        "kind": "ngo",
        "country_iso3": "BEL",
        "summary": "Camp.",
        "source_id": "src",
    },
    {
        "org_id": "convivial",
        "name": "Convivial",
        "kind": "ngo",
        "country_iso3": "BEL",
        "summary": "Insertion.",
        "source_id": "src",
    },
]


def _programme(
    pid: str, org: str, name: str, theme: str, country: str, sensitive: str = "false"
) -> dict[str, str]:
    return {
        "programme_id": pid,
        "org_id": org,
        "name": name,
        "theme": theme,
        "country_iso3": country,
        "summary": name,
        "sensitive": sensitive,
        "source_id": "src",
    }


TRUTH_PROGRAMMES = [
    _programme("maroc", "sos", "Séisme au Maroc", "emergency_response", "MAR"),
    _programme("camp", "plateforme", "Camp Maximilien", "refugee_reception", "BEL"),
    _programme("convivial", "convivial", "Insertion par le travail", "integration", "BEL"),
    _programme("golondrina", "ecpat", "Golondrina", "sexual_exploitation", "COL", "true"),
    _programme("togo", "sos", "ARPEJ", "child_protection", "TGO"),
    _programme("secret", "sos", "Villages SOS", "alternative_care", "FRA", "true"),
]
# The quote of the whole holds the small hidden number (« 4 enfants »).
SECRET_QUOTE = "Nous avons accompagné 1.237 personnes, dont 4 enfants et 1.233 adultes."
TRUTH_FACTS = [
    # overlapping activities of one programme (a range), with an inferred year
    fact(
        "m-psy",
        10378,
        year_basis="inferred",
        note="Année déduite.",
        quote="10.378 personnes, dont 3.189 enfants",
    ),
    fact(
        "m-psy-children",
        3189,
        group="children",
        part_of="m-psy",
        year_basis="inferred",
        quote="10.378 personnes, dont 3.189 enfants",
    ),
    fact("m-classes", 7200, group="children", year_basis="inferred", quote="7.200 enfants"),
    # at least, about (and Belgium's total mixes both)
    fact(
        "camp-migrants",
        2300,
        programme_id="camp",
        country_iso3="BEL",
        year="2015",
        group="migrants",
        qualifier="at_least",
        quote="plus de 2300 migrants",
    ),
    fact(
        "convivial-30",
        30,
        programme_id="convivial",
        country_iso3="BEL",
        year="2016",
        year_basis="source_date",
        qualifier="about",
        quote="une trentaine de personnes",
    ),
    # a period, with figures of other people
    fact(
        "g-pupils",
        2100,
        programme_id="golondrina",
        country_iso3="COL",
        year="2014",
        period_start="2010",
        group="children",
        distinct_people="true",
        quote="2100 étudiants et 380 professeurs",
    ),
    fact(
        "g-teachers",
        380,
        programme_id="golondrina",
        country_iso3="COL",
        year="2014",
        period_start="2010",
        group="professionals",
        distinct_people="true",
        quote="2100 étudiants et 380 professeurs",
    ),
    # a sensitive part whose whole's quote holds it; its sibling is not small
    fact("s-all", 1237, programme_id="secret", country_iso3="FRA", quote=SECRET_QUOTE),
    fact(
        "s-children",
        4,
        programme_id="secret",
        country_iso3="FRA",
        group="children",
        part_of="s-all",
        quote=SECRET_QUOTE,
    ),
    fact(
        "s-adults",
        1233,
        programme_id="secret",
        country_iso3="FRA",
        group="parents",
        part_of="s-all",
        quote=SECRET_QUOTE,
    ),
]


def make_truth(folder: Path) -> Path:
    """A data folder with every case of the issue (see the comments of TRUTH_FACTS)."""
    return make_data(
        folder,
        countries=TRUTH_COUNTRIES,
        organisations=TRUTH_ORGS,
        programmes=TRUTH_PROGRAMMES,
        beneficiaries=TRUTH_FACTS,
        organisation_places=[],
    )
