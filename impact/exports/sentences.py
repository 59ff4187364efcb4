"""Key figures as ready-to-paste sentences in French, Dutch and English.

« En 2024, SOS Villages d'Enfants Belgique a touché 10 378 personnes au Maroc,
dont 3 189 enfants (source : …). » A sentence states one figure as its source
gives it, and no more:

* one figure, never a sum of activities that may count the same people twice;
* its verb comes from what the figure counts (its measure: people reached), its
  noun from its group and unit (« 2 100 enfants », « 200 familles »), never from
  the programme's theme;
* its qualifier in words (« plus de 2 300 », « environ 30 »);
* its year as the source gives it: « En 2024, » when stated, « Entre 2010 et
  2014, » for a period, and « Selon une publication de 2016, » when the year is
  the source's or was inferred — never an inferred year stated as fact;
* correct articles (« la Plate-forme citoyenne… », from ``article_fr``; « in de
  Democratische Republiek Congo ») and French typography (no-break spaces before
  « : ; ! ? » and inside « »).

The headline of a selection says how many different people at least, and the
sum of the activities, with the programmes and countries the figures come from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from impact.amounts import combine, worded
from impact.figures import KeyFigure, Runner, publisher_line
from impact.filters import Filters
from impact.i18n import QUOTES, Translator

NBSP = "\u00a0"

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
    "Dominican Republic",
    "Republic of",
    "Philippines",
    "Gambia",
    "Bahamas",
    "Comoros",
    "Maldives",
    "Seychelles",
    "Solomon Islands",
    "Marshall Islands",
)
# Dutch country names used with an article (« in de Filipijnen », « in het Verenigd Koninkrijk »).
_NL_WITH_DE = (
    "Democratische Republiek",
    "Centraal-Afrikaanse Republiek",
    "Dominicaanse Republiek",
    "Verenigde Staten",
    "Verenigde Arabische Emiraten",
    "Filipijnen",
    "Bahama",
    "Comoren",
    "Malediven",
    "Seychellen",
    "Salomonseilanden",
    "Marshalleilanden",
    "Gambia",
)
_NL_WITH_HET = ("Verenigd Koninkrijk",)


def in_country(lang: str, name: str) -> str:
    """« au Maroc », « en Belgique », « aux Pays-Bas »; « in de DR Congo »; « in the Gambia »."""
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
    if lang == "nl":
        if name.startswith(_NL_WITH_HET):
            return f"in het {name}"
        if name.startswith(_NL_WITH_DE):
            return f"in de {name}"
        return f"in {name}"
    if lang == "en" and name.startswith(_EN_WITH_THE):
        return f"in the {name}"
    return f"in {name}"


def where(lang: str, country: str, place: object) -> str:
    """« en Belgique (Parc Maximilien) »: the country, and the place named by the source.

    The place goes in brackets: a place's name would need its own preposition and
    article (« au parc Maximilien », « à Kimbanseke »), which the data does not hold.
    """
    inside = in_country(lang, country)
    if isinstance(place, str) and place:
        return f"{inside} ({place})"
    return inside


def separator(lang: str) -> str:
    """« ; » between the items of a list (French puts a no-break space before it)."""
    return f"{NBSP}; " if lang == "fr" else "; "


def joined(lang: str, items: list[str]) -> str:
    """A list joined with « ; »."""
    return separator(lang).join(items)


def quoted(lang: str, text: str) -> str:
    """Quotation marks of the language: « … » in French, “…” in Dutch and English."""
    opening, closing = QUOTES[lang]
    return f"{opening}{text}{closing}"


def source_label(lang: str, publisher: str, title: str) -> str:
    """« SOS Villages d'Enfants Belgique, « Ce que nous avons accompli… » »."""
    return f"{publisher}, {quoted(lang, title)}"


def subject(lang: str, name: str, article: object, start: bool) -> str:
    """The organisation as the subject: « la Plate-forme citoyenne… », « L'État belge »."""
    text = name
    if lang == "fr" and isinstance(article, str) and article:
        text = f"{article}{name}" if article.endswith("'") else f"{article} {name}"
    return text[:1].upper() + text[1:] if start else text


# The people a figure counts, by group (persons) or by unit (families, households).
PEOPLE: dict[str, Callable[[Translator, int], str]] = {
    "all": lambda tr, n: tr.ngettext("{n} person", "{n} persons", n),
    "children": lambda tr, n: tr.ngettext("{n} child", "{n} children", n),
    "young_people": lambda tr, n: tr.ngettext("{n} young person", "{n} young people", n),
    "women": lambda tr, n: tr.ngettext("{n} woman", "{n} women", n),
    "mothers": lambda tr, n: tr.ngettext("{n} mother", "{n} mothers", n),
    "parents": lambda tr, n: tr.ngettext("{n} parent", "{n} parents", n),
    "families": lambda tr, n: tr.ngettext("{n} family member", "{n} family members", n),
    "refugees": lambda tr, n: tr.ngettext("{n} refugee", "{n} refugees", n),
    "asylum_seekers": lambda tr, n: tr.ngettext("{n} asylum seeker", "{n} asylum seekers", n),
    "migrants": lambda tr, n: tr.ngettext("{n} migrant", "{n} migrants", n),
    "professionals": lambda tr, n: tr.ngettext("{n} professional", "{n} professionals", n),
    "volunteers": lambda tr, n: tr.ngettext("{n} volunteer", "{n} volunteers", n),
    "students": lambda tr, n: tr.ngettext("{n} student", "{n} students", n),
    "public": lambda tr, n: tr.ngettext("{n} member of the public", "{n} members of the public", n),
}
UNIT_PEOPLE: dict[str, Callable[[Translator, int], str]] = {
    "families": lambda tr, n: tr.ngettext("{n} family", "{n} families", n),
    "households": lambda tr, n: tr.ngettext("{n} household", "{n} households", n),
}


def people(tr: Translator, count: float, qualifier: str, group: str, unit: str = "persons") -> str:
    """« 10 378 personnes », « plus de 2 300 migrants », « environ 30 personnes »."""
    n = int(count)
    noun = UNIT_PEOPLE.get(unit) or PEOPLE.get(group) or PEOPLE["all"]
    text = noun(tr, n)
    number = tr.number(n)
    if qualifier == "exact" or number not in text:
        return text
    return text.replace(number, worded(tr, n, qualifier), 1)


@dataclass(frozen=True)
class Sentence:
    """One ready-to-paste sentence and the figures it states (for tests and tables)."""

    text: str
    total: int
    children: int | None


def sentences_call(
    filters: Filters, limit: int | None = None, largest_only: bool = True
) -> tuple[str, dict[str, Any]]:
    """The query behind ``figure_sentences`` (for a page to start it early)."""
    return "export_sentences", {
        **filters.params(),
        "unit": "persons",
        "measure": "reached",
        "limit": limit,
        "largest_only": largest_only and limit is not None,
    }


def _when(tr: Translator, row: dict[str, Any]) -> str | None:
    """« En 2024 », « Entre 2010 et 2014 », « Selon une publication de 2016 »."""
    basis = str(row["year_basis"])
    start = row.get("period_start")
    year = int(row["year"])
    if basis == "stated":
        if start is not None and not pd.isna(start) and int(start) != year:
            return tr._("Between {start} and {end}", start=int(start), end=year)
        return tr._("In {year}", year=year)
    published = row.get("source_published")
    if published is None or pd.isna(published):
        return None
    return tr._("According to a publication of {year}", year=pd.Timestamp(published).year)


def figure_sentence(tr: Translator, row: dict[str, Any]) -> Sentence:
    """The sentence of one figure of ``export_sentences``."""
    lang = tr.lang
    count = float(row["count"])
    who = people(tr, count, str(row["qualifier"]), str(row["group"]), str(row["unit"]))
    when = _when(tr, row)
    org = subject(lang, str(row["organisation"]), row.get("organisation_article_fr"), when is None)
    place = where(lang, str(row[f"country_{lang}"]), row.get("place"))
    if when:
        # one template with the time in it: Dutch puts the verb second (« In 2024 bereikte … »)
        text = tr._(
            "{when}, {org} reached {people} {where}", when=when, org=org, people=who, where=place
        )
    else:
        text = tr._("{org} reached {people} {where}", org=org, people=who, where=place)
    children: int | None = None
    kids = row.get("children")
    if kids is not None and not pd.isna(kids) and str(row["group"]) != "children":
        children = int(kids)
        qualifier = combine(
            bool(row.get("children_at_least")), bool(row.get("children_about")), False
        )
        text = tr._(
            "{sentence}, of whom {children}",
            sentence=text,
            children=people(tr, children, qualifier, "children"),
        )
    cited = source_label(lang, str(row["source_publisher"]), str(row["source_title"]))
    text = tr._("{sentence} (source: {source}).", sentence=text, source=cited)
    return Sentence(text, int(count), children)


def figure_sentences(
    run: Runner, tr: Translator, filters: Filters, limit: int | None = None
) -> list[Sentence]:
    """One sentence per figure of persons reached in the selection, largest first.

    The ``limit`` largest (all with None). The model's table of the largest
    figures is read first: when it gives ``limit`` of them they are exactly the
    selection's largest (see ``figures.rows_behind``); otherwise every figure is read.
    """
    rows = run(*sentences_call(filters, limit))
    if limit is None or len(rows) < limit:
        rows = run(*sentences_call(filters, limit, largest_only=False))
    return [
        figure_sentence(tr, {str(k): v for k, v in row.items()}) for row in rows.to_dict("records")
    ]


def headline(
    tr: Translator, figures: list[KeyFigure], scope: str, sources: pd.DataFrame
) -> Sentence | None:
    """The selection's key figures in one sentence, or None when nobody was reached."""
    by_key = {f.key: f for f in figures}
    persons = by_key["persons"]
    amount = persons.amount
    if amount.value is None or amount.lower is None:
        return None
    # the number the sentence states: the different people at least, or the sum
    stated = amount.lower if amount.is_range else amount.value
    lang = tr.lang
    programmes = tr.ngettext("{n} programme", "{n} programmes", persons.programmes)
    countries = tr.ngettext("{n} country", "{n} countries", persons.countries)
    if amount.is_range:
        text = tr._(
            "Selection {scope}: at least {lower} different people reached by {programmes} in "
            "{countries} ({total} when the figures of their activities are added up)",
            scope=quoted(lang, scope),
            lower=worded(tr, amount.lower, "about" if amount.lower_about else "exact"),
            programmes=programmes,
            countries=countries,
            total=worded(tr, amount.value, amount.qualifier),
        )
    else:
        text = tr._(
            "Selection {scope}: {people} reached by {programmes} in {countries}",
            scope=quoted(lang, scope),
            people=people(tr, amount.value, amount.qualifier, "all"),
            programmes=programmes,
            countries=countries,
        )
    children = by_key["children"].amount
    child_count: int | None = None
    if children.value is not None and children.lower is not None:
        child_count = int(children.lower if children.is_range else children.value)
        if children.is_range:
            kids = tr._(
                "at least {children}",
                children=people(
                    tr, children.lower, "about" if children.lower_about else "exact", "children"
                ),
            )
        else:
            kids = people(tr, children.value, children.qualifier, "children")
        text = tr._("{sentence}, of whom {children}", sentence=text, children=kids)
    source = publisher_line(tr, sources, separator=separator(lang))
    # one document: « (source: …) »; publishers may each have several
    text = tr.ngettext(
        "{sentence} (source: {source}).",
        "{sentence} (sources: {source}).",
        len(sources),
        sentence=text,
        source=source,
    )
    return Sentence(text, int(stated), child_count)
