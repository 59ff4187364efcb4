"""Synthetic federation data of any size, valid against the data contract, for benchmarks.

A federation of organisations working in about 130 countries reports monthly
figures by place and beneficiary group over a decade. This module writes such
a data folder (the 8 CSVs and a copy of ``datapackage.json``) with realistic
shapes: real countries (the bundled ``countries.csv`` plus an embedded list of
real ISO codes and centroids, names in French, Dutch and English from Babel's
CLDR data), places around them, organisations and programmes over the themes
of the vocabulary, figures whose counts follow a log-normal law, parts of
wholes (« dont … enfants ») that are smaller than their whole and share its
unit and measure, a few sensitive rows, quotes and sources everywhere.

The big table is built column by column with NumPy and written by pyarrow, so
10 million rows take well under a minute. Same seed, same folder.

    uv run python -m impact.synthetic --rows 1000000 --out /tmp/fed1m
"""

from __future__ import annotations

import argparse
import csv
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from babel import Locale

from impact.paths import BUNDLED_DATA_DIR
from impact.schema import contract

# Real countries beyond the bundled ones: iso3, iso2, region, lat, lon, capital.
EXTRA_COUNTRIES = """
AGO AO africa -12.5 18.5 Luanda
ALB AL europe 41 20 Tirana
ARG AR americas -34 -64 Buenos Aires
ARM AM asia 40 45 Erevan
AUS AU oceania -27 133 Canberra
AZE AZ asia 40.5 47.5 Bakou
BDI BI africa -3.5 30 Gitega
BEN BJ africa 9.5 2.25 Porto-Novo
BFA BF africa 13 -2 Ouagadougou
BGD BD asia 24 90 Dhaka
BIH BA europe 44 18 Sarajevo
BOL BO americas -17 -65 La Paz
BWA BW africa -22 24 Gaborone
CAF CF africa 7 21 Bangui
CAN CA americas 60 -95 Ottawa
CHL CL americas -30 -71 Santiago
CHN CN asia 35 105 Pékin
CIV CI africa 8 -5 Abidjan
CMR CM africa 6 12 Yaoundé
COG CG africa -1 15 Brazzaville
CRI CR americas 10 -84 San José
CUB CU americas 21.5 -80 La Havane
DJI DJ africa 11.5 43 Djibouti
DNK DK europe 56 10 Copenhague
DOM DO americas 19 -70.7 Saint-Domingue
DZA DZ africa 28 3 Alger
ECU EC americas -2 -77.5 Quito
EGY EG africa 27 30 Le Caire
ERI ER africa 15 39 Asmara
EST EE europe 59 26 Tallinn
ETH ET africa 8 38 Addis-Abeba
FIN FI europe 64 26 Helsinki
GAB GA africa -1 11.75 Libreville
GEO GE asia 42 43.5 Tbilissi
GHA GH africa 8 -2 Accra
GRC GR europe 39 22 Athènes
GTM GT americas 15.5 -90.25 Guatemala
HND HN americas 15 -86.5 Tegucigalpa
HRV HR europe 45.2 15.5 Zagreb
HTI HT americas 19 -72.4 Port-au-Prince
HUN HU europe 47 20 Budapest
IDN ID asia -5 120 Jakarta
IND IN asia 20 77 New Delhi
IRL IE europe 53 -8 Dublin
IRN IR asia 32 53 Téhéran
IRQ IQ asia 33 44 Bagdad
ISR IL asia 31.5 34.75 Jérusalem
JOR JO asia 31 36 Amman
JPN JP asia 36 138 Tokyo
KAZ KZ asia 48 68 Astana
KGZ KG asia 41 75 Bichkek
KHM KH asia 13 105 Phnom Penh
KOR KR asia 37 127.5 Séoul
LAO LA asia 18 105 Vientiane
LBN LB asia 33.8 35.8 Beyrouth
LBR LR africa 6.5 -9.5 Monrovia
LBY LY africa 25 17 Tripoli
LKA LK asia 7 81 Colombo
LSO LS africa -29.5 28.5 Maseru
LTU LT europe 56 24 Vilnius
LVA LV europe 57 25 Riga
MDA MD europe 47 29 Chișinău
MEX MX americas 23 -102 Mexico
MKD MK europe 41.8 22 Skopje
MLI ML africa 17 -4 Bamako
MMR MM asia 22 98 Naypyidaw
MNE ME europe 42.5 19.3 Podgorica
MNG MN asia 46 105 Oulan-Bator
MOZ MZ africa -18.25 35 Maputo
MRT MR africa 20 -12 Nouakchott
MWI MW africa -13.5 34 Lilongwe
MYS MY asia 2.5 112.5 Kuala Lumpur
NAM NA africa -22 17 Windhoek
NER NE africa 16 8 Niamey
NGA NG africa 10 8 Abuja
NIC NI americas 13 -85 Managua
NOR NO europe 62 10 Oslo
NPL NP asia 28 84 Katmandou
NZL NZ oceania -41 174 Wellington
PAK PK asia 30 70 Islamabad
PAN PA americas 9 -80 Panama
PER PE americas -10 -76 Lima
PHL PH asia 13 122 Manille
PNG PG oceania -6 147 Port Moresby
PRT PT europe 39.5 -8 Lisbonne
PRY PY americas -23 -58 Asuncion
PSE PS asia 32 35.25 Ramallah
SDN SD africa 15 30 Khartoum
SLE SL africa 8.5 -11.5 Freetown
SLV SV americas 13.8 -88.9 San Salvador
SOM SO africa 10 49 Mogadiscio
SRB RS europe 44 21 Belgrade
SSD SS africa 7 30 Djouba
SVK SK europe 48.7 19.5 Bratislava
SVN SI europe 46 15 Ljubljana
SWE SE europe 62 15 Stockholm
SWZ SZ africa -26.5 31.5 Mbabane
TCD TD africa 15 19 N'Djamena
THA TH asia 15 100 Bangkok
TJK TJ asia 39 71 Douchanbé
TUN TN africa 34 9 Tunis
TZA TZ africa -6 35 Dodoma
UGA UG africa 1 32 Kampala
URY UY americas -33 -56 Montevideo
UZB UZ asia 41 64 Tachkent
VEN VE americas 8 -66 Caracas
VNM VN asia 16 106 Hanoï
YEM YE asia 15 48 Sanaa
ZMB ZM africa -15 30 Lusaka
ZWE ZW africa -20 30 Harare
"""

YEARS = (2015, 2025)  # a decade of monthly reports
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
KINDS = ("ngo", "international_ngo", "foundation", "citizen_initiative", "network")
ORG_WORDS = (
    "Enfance",
    "Familles",
    "Avenir",
    "Solidarité",
    "Horizons",
    "Accueil",
    "Droits de l'enfant",
    "Jeunesse",
    "Réfugiés",
    "Entraide",
)
# Whole figures: (unit, measure, group, weight, word in the quote).
WHOLE_KINDS: tuple[tuple[str, str, str, float, str], ...] = (
    ("persons", "reached", "all", 0.52, "personnes accompagnées"),
    ("persons", "reached", "children", 0.14, "enfants accompagnés"),
    ("persons", "reached", "refugees", 0.05, "réfugiés accueillis"),
    ("persons", "targeted", "all", 0.06, "personnes visées"),
    ("families", "reached", "families", 0.12, "familles soutenues"),
    ("consultations", "output", "all", 0.04, "consultations"),
    ("sessions", "output", "parents", 0.03, "séances"),
    ("meals", "output", "children", 0.02, "repas"),
    ("percent", "outcome", "children", 0.02, "% des enfants"),
)
# Parts of a « persons / all » whole: (group, share of the whole, word in the quote).
PART_KINDS = (
    ("children", 0.45, "enfants"),
    ("women", 0.35, "femmes"),
    ("young_people", 0.2, "jeunes"),
)
PART_SHARE = 0.35  # share of the rows that are parts of a whole


def countries() -> list[dict[str, Any]]:
    """The bundled countries plus the embedded list: about 140 real countries."""
    with (BUNDLED_DATA_DIR / "countries.csv").open(encoding="utf-8", newline="") as handle:
        rows: list[dict[str, Any]] = list(csv.DictReader(handle))
    for row in rows:
        row["capital"] = row["name_fr"]
    known = {r["iso3"] for r in rows}
    names = {lang: Locale(lang).territories for lang in ("fr", "nl", "en")}
    for line in EXTRA_COUNTRIES.strip().splitlines():
        iso3, iso2, region, lat, lon, capital = line.split(maxsplit=5)
        if iso3 in known:
            continue
        rows.append(
            {
                "iso3": iso3,
                "iso2": iso2,
                "name_fr": names["fr"].get(iso2, iso3),
                "name_nl": names["nl"].get(iso2, iso3),
                "name_en": names["en"].get(iso2, iso3),
                "region": region,
                "lat": lat,
                "lon": lon,
                "capital": capital,
            }
        )
    return sorted(rows, key=lambda r: str(r["iso3"]))


def _write(folder: Path, name: str, rows: list[dict[str, Any]]) -> None:
    names = contract().resource(name).field_names
    with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({n: "" if row.get(n) is None else row.get(n) for n in names})


def _concat(*parts: pa.Array | str) -> pa.Array:
    """Element-wise string concatenation of arrays and constants."""
    return pc.binary_join_element_wise(*parts, "")


def _text(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def generate(rows: int, out: Path, seed: int = 42) -> dict[str, int]:
    """Write a valid data folder with ``rows`` figure rows to ``out``; returns table sizes."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    themes = contract().enum("programmes", "theme")

    country_rows = countries()
    n_countries = len(country_rows)
    # Places: the capital and a few districts around each country's centroid.
    places: list[dict[str, Any]] = []
    for c in country_rows:
        lat, lon = float(c["lat"]), float(c["lon"])
        for k in range(int(rng.integers(3, 9))):
            name = c["capital"] if k == 0 else f"{c['capital']} – district {k}"
            places.append(
                {
                    "place_id": f"{c['iso3'].lower()}-{k}",
                    "name": name,
                    "country_iso3": c["iso3"],
                    "admin1": f"Région {k + 1}",
                    "lat": round(min(89.0, max(-89.0, lat + rng.normal(0, 1.5))), 3),
                    "lon": round(min(179.0, max(-179.0, lon + rng.normal(0, 1.5))), 3),
                }
            )
    place_country = np.array([p["country_iso3"] for p in places])

    n_programmes = int(np.clip(rows // 2000, 20, 5000))
    n_orgs = int(np.clip(n_programmes // 8, 5, 400))
    sources = [
        {
            "source_id": f"rapport-{o}-{y}",
            "title": f"Rapport annuel {y}",
            "publisher": f"Organisation {o}",
            "published": f"{y}-12-31",
            "document": f"rapport-{o}-{y}.pdf",
            "url": f"https://example.org/org-{o}/rapport-{y}.pdf",
        }
        for o in range(n_orgs)
        for y in range(YEARS[0], YEARS[1] + 1)
    ]
    orgs = [
        {
            "org_id": f"org-{o}",
            "name": f"{ORG_WORDS[o % len(ORG_WORDS)]} {o}",
            "acronym": f"O{o}",
            "kind": KINDS[o % len(KINDS)],
            "country_iso3": country_rows[int(rng.integers(n_countries))]["iso3"],
            "website": f"https://example.org/org-{o}",
            "summary": "Organisation membre de la fédération (données synthétiques).",
            "source_id": f"rapport-{o}-{YEARS[1]}",
        }
        for o in range(n_orgs)
    ]
    org_places = []
    for o in range(n_orgs):
        for p in sorted(set(rng.integers(0, len(places), 3).tolist())):
            org_places.append(
                {
                    "org_id": f"org-{o}",
                    "place_id": places[p]["place_id"],
                    "source_id": f"rapport-{o}-{YEARS[1]}",
                }
            )
    # Programme sizes and countries are skewed: a few large programmes, many small.
    prog_org = rng.integers(0, n_orgs, n_programmes)
    country_weight = 1.0 / (rng.permutation(n_countries) + 1.0) ** 0.9
    country_weight /= country_weight.sum()
    prog_country = rng.choice(n_countries, n_programmes, p=country_weight)
    prog_sensitive = rng.random(n_programmes) < 0.03
    prog_theme = rng.integers(0, len(themes), n_programmes)
    programmes = [
        {
            "programme_id": f"prog-{i}",
            "org_id": f"org-{prog_org[i]}",
            "name": f"Programme {i} — {themes[prog_theme[i]].replace('_', ' ')}",
            "theme": themes[prog_theme[i]],
            "country_iso3": country_rows[prog_country[i]]["iso3"],
            "start_year": int(rng.integers(YEARS[0] - 5, YEARS[1])),
            "end_year": "",
            "summary": "Programme synthétique pour les mesures de performance.",
            "sensitive": "true" if prog_sensitive[i] else "false",
            "source_id": f"rapport-{prog_org[i]}-{YEARS[1]}",
        }
        for i in range(n_programmes)
    ]
    context = [
        {
            "indicator_id": "enfants-monde",
            "label": "Enfants dans le monde",
            "value": 2_400_000_000,
            "qualifier": "about",
            "unit": "persons",
            "scope": "world",
            "kind": "context",
            "year": 2024,
            "source_id": sources[0]["source_id"],
            "quote": "2,4 milliards d'enfants",
        }
    ]
    for name, table in (
        ("countries", country_rows),
        ("places", places),
        ("sources", sources),
        ("organisations", orgs),
        ("organisation_places", org_places),
        ("programmes", programmes),
        ("context", context),
    ):
        _write(out, name, table)

    _write_facts(rng, out, rows, n_programmes, prog_org, prog_country, country_rows, place_country)
    shutil.copy(BUNDLED_DATA_DIR / "datapackage.json", out / "datapackage.json")
    return {
        "beneficiaries": rows,
        "programmes": n_programmes,
        "organisations": n_orgs,
        "countries": n_countries,
        "places": len(places),
        "sources": len(sources),
    }


def _write_facts(
    rng: np.random.Generator,
    out: Path,
    rows: int,
    n_programmes: int,
    prog_org: np.ndarray,
    prog_country: np.ndarray,
    country_rows: list[dict[str, Any]],
    place_country: np.ndarray,
) -> None:
    n_parts = int(rows * PART_SHARE)
    n_wholes = rows - n_parts
    # Wholes: programme (skewed sizes), month, kind of figure, place in the country.
    prog_weight = rng.lognormal(0.0, 1.0, n_programmes)
    prog_weight /= prog_weight.sum()
    prog = rng.choice(n_programmes, n_wholes, p=prog_weight)
    iso3 = np.array([c["iso3"] for c in country_rows])
    country = iso3[prog_country[prog]]
    year = rng.integers(YEARS[0], YEARS[1] + 1, n_wholes)
    month = rng.integers(0, 12, n_wholes)
    weights = np.array([k[3] for k in WHOLE_KINDS])
    kind = rng.choice(len(WHOLE_KINDS), n_wholes, p=weights / weights.sum())
    kind[: min(n_parts, n_wholes)] = 0  # every part needs a « persons / all » whole
    unit = np.array([k[0] for k in WHOLE_KINDS])[kind]
    measure = np.array([k[1] for k in WHOLE_KINDS])[kind]
    group = np.array([k[2] for k in WHOLE_KINDS])[kind]
    word = np.array([k[4] for k in WHOLE_KINDS])[kind]
    count = np.maximum(1, rng.lognormal(4.5, 1.4, n_wholes)).astype(np.int64)
    count = np.where(unit == "percent", rng.integers(5, 96, n_wholes), count)
    # A place of the programme's country for most figures, none for national totals.
    order = np.argsort(place_country, kind="stable")
    sorted_countries = place_country[order]
    first = np.searchsorted(sorted_countries, country, side="left")
    last = np.searchsorted(sorted_countries, country, side="right")
    pick = first + (rng.random(n_wholes) * (last - first)).astype(np.int64)
    place_ids = np.array([f"{c.lower()}-{k}" for c, k in _place_keys(place_country)])
    place = place_ids[order][np.minimum(pick, len(order) - 1)].astype(object)
    place[(rng.random(n_wholes) < 0.2) | (last == first)] = None

    # Parts: the first n_parts wholes (all « persons / all ») each get one part.
    parent = np.arange(n_parts)
    part_kind = rng.choice(len(PART_KINDS), n_parts, p=[0.6, 0.3, 0.1])
    share = np.array([k[1] for k in PART_KINDS])[part_kind] * rng.uniform(0.5, 1.0, n_parts)
    part_count = np.maximum(0, (count[parent] * share).astype(np.int64))

    ids = np.arange(rows)
    fact_id = _concat("f-", _text(ids))
    is_part = ids >= n_wholes
    whole_of = np.concatenate([np.arange(n_wholes), parent])
    all_count = np.concatenate([count, part_count])
    all_group = np.concatenate([group, np.array([k[0] for k in PART_KINDS])[part_kind]])
    all_word = np.concatenate([word, np.array([k[2] for k in PART_KINDS])[part_kind]])
    qualifier = rng.choice(["exact", "at_least", "about"], rows, p=[0.86, 0.08, 0.06])
    qualifier[is_part] = "exact"
    sensitive = rng.random(rows) < 0.005
    part_of = pc.if_else(
        pa.array(is_part), _concat("f-", _text(whole_of)), pa.scalar(None, pa.string())
    )
    prog_all = prog[whole_of]
    year_all = year[whole_of]
    month_all = month[whole_of]
    source = _concat(
        "rapport-",
        _text(prog_org[prog_all]),
        "-",
        _text(np.minimum(year_all + 1, YEARS[1])),
    )
    count_text = _text(all_count)
    quote = _concat(
        pc.if_else(pa.array(qualifier == "at_least"), "plus de ", ""),
        count_text,
        " ",
        pa.array(all_word),
        " en ",
        pa.array(np.array(MONTHS)[month_all]),
        " ",
        _text(year_all),
    )
    table = pa.table(
        {
            "fact_id": fact_id,
            "programme_id": _concat("prog-", _text(prog_all)),
            "place_id": pa.array(place[whole_of], pa.string()),
            "country_iso3": pa.array(country[whole_of]),
            "year": pa.array(year_all),
            "period_start": pa.nulls(rows, pa.int64()),
            "year_basis": pa.array(np.where(month_all == 11, "source_date", "stated")),
            "group": pa.array(all_group),
            "unit": pa.array(unit[whole_of]),
            "measure": pa.array(measure[whole_of]),
            "count": pa.array(all_count),
            "qualifier": pa.array(qualifier),
            "part_of": part_of,
            "distinct_people": pa.nulls(rows, pa.bool_()),
            "sensitive": pa.array(sensitive),
            "source_id": source,
            "quote": quote,
            "note": _concat(
                "Mois : ", _text(year_all), "-", pc.utf8_lpad(_text(month_all + 1), 2, "0")
            ),
        }
    )
    pacsv.write_csv(table, out / "beneficiaries.csv")


def _place_keys(place_country: np.ndarray) -> list[tuple[str, int]]:
    """(country, k) of each place, in the order places were generated."""
    seen: dict[str, int] = {}
    keys = []
    for c in place_country.tolist():
        keys.append((c, seen.get(c, 0)))
        seen[c] = seen.get(c, 0) + 1
    return keys


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m impact.synthetic --rows N --out FOLDER``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000, help="figure rows to write")
    parser.add_argument("--out", type=Path, required=True, help="folder to write")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sizes = generate(args.rows, args.out, args.seed)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{k} {v:,}" for k, v in sizes.items())
    print(f"wrote {args.out} in {elapsed:.1f} s: {summary}")


if __name__ == "__main__":
    main()
