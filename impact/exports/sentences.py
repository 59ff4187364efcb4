"""Key figures as ready-to-paste sentences in French, Dutch and English.

« En 2024, SOS Villages d'Enfants Belgique a apporté une aide d'urgence à
20 437 personnes au Maroc, dont 12 021 enfants (source : …). » Every number,
name and source comes from the query results; only the grammar lives here:
one phrase per theme (translated in the catalogs) and the preposition a
country takes in French (« au Maroc », « en Belgique », « aux Pays-Bas »).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from impact.figures import KeyFigure, Runner
from impact.filters import Filters
from impact.i18n import N_, Translator

# What an organisation did, per theme; {people} is « 10 378 personnes ».
THEME_PHRASES: dict[str, str] = {
    "alternative_care": N_("In {year}, {org} cared for {people} {where}"),
    "family_strengthening": N_("In {year}, {org} strengthened families, reaching {people} {where}"),
    "child_protection": N_("In {year}, {org} protected {people} {where}"),
    "sexual_exploitation": N_(
        "In {year}, {org} reached {people} {where} in its work against sexual exploitation"
    ),
    "education": N_("In {year}, {org} supported the education of {people} {where}"),
    "health": N_("In {year}, {org} provided health care to {people} {where}"),
    "psychosocial_support": N_(
        "In {year}, {org} provided psychosocial support to {people} {where}"
    ),
    "emergency_response": N_("In {year}, {org} provided emergency aid to {people} {where}"),
    "early_childhood": N_("In {year}, {org} supported {people} in early childhood {where}"),
    "advocacy": N_("In {year}, {org} reached {people} {where} through its advocacy"),
    "awareness": N_("In {year}, {org} raised the awareness of {people} {where}"),
    "refugee_reception": N_("In {year}, {org} welcomed {people} {where}"),
    "integration": N_("In {year}, {org} helped {people} to settle {where}"),
    "housing": N_("In {year}, {org} housed {people} {where}"),
    "legal_aid": N_("In {year}, {org} gave legal aid to {people} {where}"),
    "employment": N_("In {year}, {org} helped {people} towards work {where}"),
    "gender_equality": N_(
        "In {year}, {org} reached {people} {where} in its work for gender equality"
    ),
    "violence_prevention": N_("In {year}, {org} reached {people} {where} to prevent violence"),
    "food_security": N_("In {year}, {org} provided food aid to {people} {where}"),
    "community_development": N_("In {year}, {org} supported {people} in their communities {where}"),
}
GENERIC_PHRASE = N_("In {year}, {org} reached {people} {where}")

# French countries whose name ends in -e but takes « au », and islands without article.
_FR_MASCULINE_E = {"Mexique", "Cambodge", "Mozambique", "Zimbabwe", "Belize", "Liechtenstein"}
_FR_NO_ARTICLE = {
    "Madagascar",
    "Cuba",
    "Haïti",
    "Chypre",
    "Malte",
    "Singapour",
    "Maurice",
    "Bahreïn",
    "Oman",
    "Monaco",
    "Sao Tomé-et-Principe",
    "Sainte-Lucie",
    "Saint-Marin",
}
_EN_WITH_THE = (
    "United ",
    "Netherlands",
    "Democratic Republic",
    "Central African Republic",
    "Republic of",
    "Philippines",
    "Gambia",
    "Bahamas",
    "Comoros",
    "Maldives",
)


def in_country(lang: str, name: str) -> str:
    """« au Maroc », « en Belgique », « aux Pays-Bas »; « in Marokko »; « in the Netherlands »."""
    if lang == "fr":
        first = name.split(" ")[0]
        if name in _FR_NO_ARTICLE:
            return f"à {name}"
        if (first.endswith("s") and len(first) > 3) or name.startswith(("Pays-Bas", "États-Unis")):
            return f"aux {name}"
        if name[0].lower() in "aeiouyéèêâîôûh" or (
            first.endswith("e") and name not in _FR_MASCULINE_E
        ):
            return f"en {name}"
        return f"au {name}"
    if lang == "en" and name.startswith(_EN_WITH_THE):
        return f"in the {name}"
    return f"in {name}"


def joined(lang: str, items: list[str]) -> str:
    """A list joined with « ; » (French puts a space before it)."""
    return (" ; " if lang == "fr" else "; ").join(items)


def quoted(lang: str, text: str) -> str:
    """Quotation marks of the language: « … » in French, “…” otherwise."""
    return f"« {text} »" if lang == "fr" else f"“{text}”"


def source_label(lang: str, publisher: str, title: str) -> str:
    """« SOS Villages d'Enfants Belgique, « Ce que nous avons accompli… » »."""
    return f"{publisher}, {quoted(lang, title)}"


def _people(tr: Translator, n: float, approximate: bool, children: bool = False) -> str:
    """« 10 378 personnes », « plus de 30 enfants »."""
    count = int(n)
    if children:
        text = tr.ngettext("{n} child", "{n} children", count)
    else:
        text = tr.ngettext("{n} person", "{n} persons", count)
    return tr._("more than {count}", count=text) if approximate else text


@dataclass(frozen=True)
class Sentence:
    """One ready-to-paste sentence and the figures it states (for tests and tables)."""

    text: str
    total: int
    children: int | None


def sentences_call(filters: Filters, limit: int | None = None) -> tuple[str, dict[str, Any]]:
    """The query behind ``cell_sentences`` (for a page to start it early)."""
    return "export_sentences", {
        **filters.params(),
        "unit": "persons",
        "measure": "reached",
        "limit": limit,
    }


def cell_sentences(
    run: Runner,
    tr: Translator,
    filters: Filters,
    sources: pd.DataFrame,
    limit: int | None = None,
) -> tuple[list[Sentence], int]:
    """One sentence per year, organisation, theme and country with persons reached.

    The ``limit`` largest (all with None), and how many there are in all: at
    federation scale a selection has tens of thousands of such cells.
    """
    rows = run(*sentences_call(filters, limit))
    labels = {
        str(s["source_id"]): source_label(tr.lang, str(s["publisher"]), str(s["title"]))
        for s in sources.to_dict("records")
    }
    out: list[Sentence] = []
    for row in rows.to_dict("records"):
        children = None if pd.isna(row["children"]) else int(row["children"])
        total = int(row["total"])
        if children == total:  # only children: say so
            people = _people(tr, total, bool(row["approximate"]), children=True)
        else:
            people = _people(tr, total, bool(row["approximate"]))
        where = in_country(tr.lang, str(row[f"country_{tr.lang}"]))
        phrase = THEME_PHRASES.get(str(row["theme"]), GENERIC_PHRASE)
        text = tr._(phrase, year=row["year"], org=row["organisation"], people=people, where=where)
        if children is not None and children != total:
            kids = _people(tr, children, bool(row["children_approximate"]), children=True)
            text = tr._("{sentence}, of whom {children}", sentence=text, children=kids)
        cited = [labels.get(str(s), str(s)) for s in row["source_ids"]]
        text = tr._("{sentence} (source: {source}).", sentence=text, source=joined(tr.lang, cited))
        out.append(Sentence(text, total, children))
    return out, int(rows["cells"].iloc[0]) if len(rows) else 0


def headline(
    tr: Translator, figures: list[KeyFigure], scope: str, sources: pd.DataFrame
) -> Sentence | None:
    """The selection's key figures in one sentence, or None when nobody was reached."""
    by_key = {f.key: f for f in figures}
    persons = by_key["persons"]
    if not persons.value:
        return None
    people = _people(tr, persons.value, persons.approximate)
    text = tr._(
        "Selection « {scope} »: {people} reached by {programmes} in {countries}",
        scope=scope,
        people=people,
        programmes=tr.ngettext(
            "{n} programme", "{n} programmes", int(by_key["programmes"].value or 0)
        ),
        countries=tr.ngettext("{n} country", "{n} countries", int(by_key["countries"].value or 0)),
    )
    children = by_key["children"]
    child_count: int | None = None
    if children.value:
        child_count = int(children.value)
        kids = _people(tr, children.value, children.approximate, children=True)
        text = tr._("{sentence}, of whom {children}", sentence=text, children=kids)
    publishers = sorted({str(p) for p in sources["publisher"]}) if not sources.empty else []
    text = tr._(
        "{sentence} (sources: {source}).", sentence=text, source=joined(tr.lang, publishers)
    )
    return Sentence(text, int(persons.value), child_count)
