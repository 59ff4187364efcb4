"""The bundled data validates and every figure is traceable to its source document.

A figure's quote must be a verbatim sentence of the seed document it cites, and
must contain the figure as the source wrote it (« 10.378 », « 4000 », « 102 911 »,
« 7 millions », « 68,3 »).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from impact.paths import BUNDLED_DATA_DIR, ROOT
from impact.validation import validate_folder
from tests.factory import read_rows

SEEDS = ROOT.parent / "shared" / "seeds"
FACTS = read_rows(BUNDLED_DATA_DIR / "beneficiaries.csv")
CONTEXT = read_rows(BUNDLED_DATA_DIR / "context.csv")
SOURCES = {row["source_id"]: row for row in read_rows(BUNDLED_DATA_DIR / "sources.csv")}


def normalise(text: str) -> str:
    """Collapse whitespace and typographic variants that do not change the words."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    text = re.sub(r"\*\*", "", text)
    return re.sub(r"\s+", " ", text).strip()


# Numbers the sources write in words (« Trois puits », « une trentaine de personnes »).
NUMBER_WORDS = {
    1: ("un", "une"),
    2: ("deux",),
    3: ("trois",),
    4: ("quatre",),
    5: ("cinq",),
    6: ("six",),
    7: ("sept",),
    8: ("huit",),
    9: ("neuf",),
    10: ("dix", "dizaine"),
    12: ("douze", "douzaine"),
    20: ("vingt", "vingtaine"),
    30: ("trente", "trentaine"),
    40: ("quarante", "quarantaine"),
    50: ("cinquante", "cinquantaine"),
    100: ("cent", "centaine"),
    200: ("deux cents", "centaines"),  # « des centaines » is stored as 200, at_least
    1000: ("mille", "millier"),
}


def written_forms(value: str) -> set[str]:
    """The ways a source may write ``value``: 10378 -> 10.378, 10 378, 10378, words …"""
    number = float(value)
    forms = {value}
    if number.is_integer():
        forms |= set(NUMBER_WORDS.get(int(number), ()))
    if number.is_integer():
        n = int(number)
        forms |= {str(n), f"{n:,}".replace(",", "."), f"{n:,}".replace(",", " ")}
        for scale, words in ((1_000_000_000, "milliard"), (1_000_000, "million")):
            if n >= scale and n % (scale // 10) == 0:
                short = f"{n / scale:g}".replace(".", ",")
                forms |= {f"{short} {words}"}
    else:
        forms |= {f"{number:g}".replace(".", ",")}
    return forms


def test_bundled_data_validates() -> None:
    report = validate_folder(BUNDLED_DATA_DIR)
    assert report.problems == (), [p.rule for p in report.problems]


def test_every_seed_document_is_a_source_with_figures() -> None:
    documents = {row["document"] for row in SOURCES.values()}
    seeds = {p.name for p in SEEDS.glob("*.txt")}
    assert seeds <= documents
    cited = {SOURCES[row["source_id"]]["document"] for row in FACTS}
    assert seeds <= cited


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed documents are beside the project")
@pytest.mark.parametrize(
    "row", FACTS + CONTEXT, ids=lambda r: r.get("fact_id") or r["indicator_id"]
)
def test_quote_is_verbatim_and_contains_the_figure(row: dict[str, str]) -> None:
    document = SEEDS / SOURCES[row["source_id"]]["document"]
    assert normalise(row["quote"]) in normalise(document.read_text(encoding="utf-8"))
    value = row.get("count") or row["value"]
    quote = normalise(row["quote"]).casefold()
    assert any(
        re.search(rf"(?<![\w.,]){re.escape(form.casefold())}(?![\d])", quote)
        for form in written_forms(value)
    ), (value, quote)


def test_directory_organisations_are_all_there_with_cities() -> None:
    organisations = read_rows(BUNDLED_DATA_DIR / "organisations.csv")
    directory = next(s for s in SOURCES.values() if s["document"].startswith("004_"))
    listed = [o for o in organisations if o["source_id"] == directory["source_id"]]
    assert len(listed) >= 23
    with_city = {r["org_id"] for r in read_rows(BUNDLED_DATA_DIR / "organisation_places.csv")}
    # The directory names a city for 13 of its 23 organisations; none is invented.
    assert len([o for o in listed if o["org_id"] in with_city]) >= 13


def test_the_headline_figure_of_the_design_is_curated() -> None:
    by_count = {row["count"]: row for row in FACTS}
    persons, children = by_count["10378"], by_count["3189"]
    assert children["part_of"] == persons["fact_id"]
    assert (persons["unit"], children["unit"], children["group"]) == (
        "persons",
        "persons",
        "children",
    )


def test_data_readme_describes_every_file() -> None:
    readme = (BUNDLED_DATA_DIR / "README.md").read_text(encoding="utf-8")
    for path in Path(BUNDLED_DATA_DIR).glob("*.csv"):
        assert path.name in readme, path.name
