"""Key figures and the description of a selection, shared by pages and exports.

Functions take a ``run(name, params)`` callable that executes a named query
(the cached UI runner or a plain ``Database.query``), so the dashboard, the
report builder and the tests compute the very same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from impact.amounts import PEOPLE_UNITS, Amount, explanation, numbers, year_text
from impact.filters import Filters
from impact.i18n import N_, Translator
from impact.vocab import label

Runner = Callable[[str, dict[str, Any]], pd.DataFrame]


@dataclass(frozen=True)
class KeyFigure:
    """One headline number and how to find the rows it adds up."""

    key: str
    title: str  # English msgid
    amount: Amount
    unit: str | None = None
    measure: str | None = None
    filters: Filters | None = None  # the selection behind the number, when it is a sum
    programmes: int = 0  # how many programmes the figures come from
    countries: int = 0  # and how many countries
    definition: str = ""  # what a count counts (English msgid), for its help text

    @property
    def value(self) -> float | None:
        """The sum of the visible figures (None: no figure, or all hidden)."""
        return self.amount.value

    @property
    def facts(self) -> int:
        """How many figures the total adds up."""
        return self.amount.facts

    @property
    def counts_people(self) -> bool:
        """A reach of people, shown as a range of distinct people (impact.amounts)."""
        return self.unit in PEOPLE_UNITS

    def display(self, tr: Translator) -> str:
        """The number as the sources allow it: « 10 378 à 20 437 », « ≥ 2 300 », « – »."""
        return self.amount.reach_text(tr) if self.counts_people else self.amount.text(tr)

    def explanation(self, tr: Translator) -> str:
        """Under a range: the distinct people at least, and the sum of the activities."""
        return explanation(tr, self.amount, self.unit or "persons") if self.counts_people else ""

    def help(self, tr: Translator) -> str:
        """The card's help: the range explained, or what the count counts."""
        return self.explanation(tr) or (tr._(self.definition) if self.definition else "")


Call = tuple[str, dict[str, Any]]

# What « in the selection » means (queries/model/20_scope.sql), for the counts' help texts.
COUNTRIES_DEFINITION = N_(
    "Countries where a figure of the selection is, or that a programme of the selection "
    "has as its own country."
)
PROGRAMMES_DEFINITION = N_(
    "Programmes with a figure in the selection, and those that publish no figure but whose "
    "country, organisation, theme and years match it."
)
ORGANISATIONS_DEFINITION = N_(
    "Organisations that run a programme of the selection; with no year, theme, beneficiary "
    "group or programme chosen, also those of its countries that run none (the directory "
    "lists them)."
)
# The families' key figure is a plain sum: said, since no range says it (the files list
# its figures, « Figures added, families »).
FAMILIES_DEFINITION = N_(
    "The figures of families reached, added up: a family counts as one, whatever its size; "
    "the files list them."
)
PLACES_DEFINITION = N_(
    "Places a figure of the selection names, or where an organisation of the selection works."
)


def _total_call(filters: Filters, unit: str, measure: str) -> Call:
    return "reach_total", {**filters.params(), "unit": unit, "measure": measure}


def _sum_figure(
    run: Runner, key: str, title: str, filters: Filters, unit: str, measure: str
) -> KeyFigure:
    row = run(*_total_call(filters, unit, measure)).iloc[0]
    return KeyFigure(
        key,
        title,
        Amount.from_row(row.to_dict()),
        unit,
        measure,
        filters,
        int(row["programmes"]),
        int(row["countries"]),
    )


def key_figure_calls(filters: Filters) -> list[Call]:
    """The queries ``key_figures`` runs, for a page to start them side by side."""
    children_scope = filters.children_scope()
    return [
        _total_call(filters, "persons", "reached"),
        *(
            [_total_call(children_scope, "persons", "reached")]
            if children_scope is not None
            else []
        ),
        _total_call(filters, "families", "reached"),
        ("scope_counts", filters.params()),
    ]


def key_figures(run: Runner, filters: Filters) -> list[KeyFigure]:
    """Persons reached and, among them, children; families; countries; programmes; organisations."""
    children_scope = filters.children_scope()
    children = (
        _sum_figure(run, "children", N_("of whom children"), children_scope, "persons", "reached")
        if children_scope is not None
        else KeyFigure(
            "children", N_("of whom children"), Amount(None), unit="persons", measure="reached"
        )
    )
    counts = run("scope_counts", filters.params()).iloc[0]
    return [
        _sum_figure(run, "persons", N_("Persons reached"), filters, "persons", "reached"),
        children,
        replace(
            _sum_figure(run, "families", N_("Families reached"), filters, "families", "reached"),
            definition=FAMILIES_DEFINITION,
        ),
        KeyFigure(
            "countries",
            N_("Countries"),
            Amount.count(counts["countries"]),
            definition=COUNTRIES_DEFINITION,
        ),
        KeyFigure(
            "programmes",
            N_("Programmes"),
            Amount.count(counts["programmes"]),
            definition=PROGRAMMES_DEFINITION,
        ),
        KeyFigure(
            "organisations",
            N_("Organisations"),
            Amount.count(counts["organisations"]),
            definition=ORGANISATIONS_DEFINITION,
        ),
    ]


# How many of the figures behind a total a page lists, and a file holds (largest first).
ROWS_ON_PAGE = 500
ROWS_IN_FILES = 100_000


def largest_text(tr: Translator, shown: int, total: int) -> str | None:
    """« The 500 largest of 562 893 figures; narrow the filters to see others. » for a list
    cut to its ``shown`` largest, on a page or in a file; None when it holds them all."""
    if total <= shown:
        return None
    return tr._(
        "The {shown} largest of {total} figures; narrow the filters to see others.",
        shown=tr.number(shown),
        total=tr.number(total),
    )


def rows_behind(run: Runner, figure: KeyFigure, limit: int = ROWS_ON_PAGE) -> pd.DataFrame:
    """The largest facts a key figure adds up, with quotes and sources (empty for counts).

    ``figure.facts`` says how many there are in all. The model's table of the
    largest figures is read first: it holds every figure above a cutoff, so
    when the selection has ``limit`` of them with a count (or all its figures
    are there) they are exactly its largest. Otherwise, a narrow selection
    whose figures are mostly small, every figure is read.
    """
    if figure.filters is None or figure.unit is None or figure.measure is None:
        return pd.DataFrame()
    params = {
        **figure.filters.params(),
        "unit": figure.unit,
        "measure": figure.measure,
        "limit": limit,
    }
    rows = run("counted_facts", {**params, "largest_only": True})
    complete = len(rows) >= figure.facts or (
        len(rows) >= limit and pd.notna(rows["count"].iloc[-1])
    )
    if complete:
        return rows
    return run("counted_facts", {**params, "largest_only": False})


def option_names(
    tr: Translator, options: pd.DataFrame, kind: str, values: tuple[str, ...]
) -> dict[str, str]:
    """The names, in the reader's language, of the chosen ``values`` of one filter ``kind``.

    ``options`` is the ``filter_options`` query: a federation has thousands of rows
    (every organisation and programme), read on every chart's caption, so only the
    chosen values are looked up.
    """
    if not values:
        return {}
    rows = options[options["kind"] == kind]
    rows = rows[rows["value"].astype(str).isin(values)]
    return {
        str(value): name
        for value, name in zip(rows["value"], rows[f"name_{tr.lang}"], strict=True)
        if isinstance(name, str) and name
    }


PUBLISHERS_NAMED = 5
"""How many publishers a source line names before it counts the others.

A federation's selection has dozens of publishers (62 in the synthetic one of a million
figures): a chart's « Sources: » line or a report's headline sentence naming them all is
not read, and runs off an exported image. Every source stays listed in the files'
« Sources »."""


def source_link(row: Mapping[Hashable, Any]) -> str:
    """Where a reader finds a source (``export_sources`` row): its ``url``, else its
    ``document`` when that is a web address; empty for a curator's local copy."""
    for key in ("url", "document"):
        value = row.get(key)
        text = "" if value is None or pd.isna(value) else str(value).strip()
        if text.startswith(("https://", "http://")):
            return text
    return ""


def context_year(tr: Translator, row: Mapping[Hashable, Any]) -> str:
    """The year a context figure is of: its own, or, when its source states none, the
    source's date, said as such (« 127 millions » of a 2025 publication had no year)."""
    year = row.get("year")
    if year is not None and not pd.isna(year):
        return str(int(year))
    published = row.get("source_published")
    if published is None or pd.isna(published):
        return tr._("year not stated")
    return tr._("year not stated; source dated {date}", date=tr.published(published))


def publishers(sources: pd.DataFrame) -> list[str]:
    """The publishers of a selection's sources (``export_sources``), sorted."""
    if sources.empty:
        return []
    return sorted({str(p) for p in sources["publisher"].unique()})


def publisher_line(tr: Translator, sources: pd.DataFrame, separator: str = ", ") -> str:
    """« A, B, C, D, E and 45 others »: the publishers behind most of the selection's figures.

    Up to ``PUBLISHERS_NAMED`` publishers are all named, in alphabetical order. Beyond,
    those whose sources give the selection the most figures (``export_sources.facts``;
    then by name, so the line is the same every time) are named in alphabetical order,
    and the others counted. Empty when there is no source.
    """
    names = publishers(sources)
    if len(names) <= PUBLISHERS_NAMED:
        return separator.join(names)
    weight = sources.groupby(sources["publisher"].astype(str))["facts"].sum()
    ranked = sorted((-int(n), str(name)) for name, n in weight.items())
    named = sorted(name for _, name in ranked[:PUBLISHERS_NAMED])
    return tr.ngettext(
        "{names} and {n} other",
        "{names} and {n} others",
        len(names) - len(named),
        names=separator.join(named),
    )


def sources_call(filters: Filters, every: bool = False) -> tuple[str, dict[str, Any]]:
    """The query of the sources a chart or a list names under it.

    The charts and lists show persons reached: their sources are those figures'
    (``export_sources`` of one unit and measure), not every figure's of the selection
    (a source of brochures was named under a chart of persons reached). ``every``: the
    sources of every figure, for a file's list of sources and for a map, which also
    draws the places named by figures of any unit.
    The pages, the embeds and the files all ask here.
    """
    unit, measure = (None, None) if every else ("persons", "reached")
    return ("export_sources", {**filters.params(), "unit": unit, "measure": measure})


def draws_places(fig: Any) -> bool:
    """Whether a chart draws places (a map's points, named by figures of any unit); a
    map's dotted disputed boundary is a line, not a place."""
    return any(
        trace.type == "scattergeo" and "markers" in str(trace.mode or "") for trace in fig.data
    )


def selection_description(tr: Translator, options: pd.DataFrame, *, filters: dict[str, Any]) -> str:
    """``describe_filters`` of a selection's ``params()``: what an exported file's
    caption states. Read through ``ui.derived`` (written once per selection, language
    and data): a page draws up to four charts, each with its buttons, and at 10 million
    figures the options are thousands of rows to read for one short line. It reads no
    source: the file reads its own when it is made.
    """
    return describe_filters(tr, Filters.from_params(filters), options)


def describe_filters(tr: Translator, filters: Filters, options: pd.DataFrame) -> str:
    """A one-line description of the selection: « Toutes les données » or « 2020–2024 · Maroc »."""
    parts: list[str] = []
    if filters.year_from is not None or filters.year_to is not None:
        low = filters.year_from or "…"
        high = filters.year_to or "…"
        parts.append(str(low) if low == high else f"{low}–{high}")
    for attr in ("orgs", "programmes", "countries"):
        values = getattr(filters, attr)
        if values:
            names = option_names(tr, options, attr, values)
            parts.append(", ".join(names.get(v) or v for v in values))
    if filters.themes:
        parts.append(", ".join(label(tr, "theme", t) for t in filters.themes))
    if filters.groups:
        parts.append(", ".join(label(tr, "group", g) for g in filters.groups))
    return " · ".join(parts) if parts else tr._("All data")


def figure_text(tr: Translator, count: object, qualifier: str, hidden_reason: object = None) -> str:
    """One reported figure with its mark: « 10 378 », « ≈ 30 », « < 10 » or « hidden »."""
    return Amount.figure(count, qualifier, hidden_reason).text(tr)


def quote_text(tr: Translator, quote: object) -> str:
    """A figure's quote, or why it is not shown (it could give a hidden figure away)."""
    if quote is None or pd.isna(quote):  # type: ignore[call-overload]
        return tr._("(quote withheld: it could reveal a small figure about children)")
    return str(quote)


def hidden_reasons(facts: pd.DataFrame) -> list[object]:
    """The ``hidden_reason`` of each row (None where the query has no such column)."""
    if "hidden_reason" in facts:
        return list(facts["hidden_reason"])
    return [None] * len(facts)


def fact_years(tr: Translator, facts: pd.DataFrame) -> list[str]:
    """Each figure's year as its source gives it (« 2010–2014 », « 2024 (inferred) »)."""
    starts = facts["period_start"] if "period_start" in facts else [None] * len(facts)
    return [
        year_text(tr, start, year, basis)
        for start, year, basis in zip(starts, facts["year"], facts["year_basis"], strict=True)
    ]


def facts_table(tr: Translator, facts: pd.DataFrame) -> pd.DataFrame:
    """Facts with readable, translated columns (for the « rows behind » tables)."""
    if facts.empty:
        return pd.DataFrame()
    amounts = [
        Amount.figure(c, str(q), h)
        for c, q, h in zip(facts["count"], facts["qualifier"], hidden_reasons(facts), strict=True)
    ]
    return pd.DataFrame(
        {
            tr._("Figure"): numbers([a.value for a in amounts], facts.index),
            tr._("Qualifier"): [a.qualifier_text(tr) for a in amounts],
            tr._("Group"): [label(tr, "group", g) for g in facts["group"]],
            tr._("Year"): fact_years(tr, facts),
            tr._("Programme"): facts["programme"],
            tr._("Organisation"): facts["organisation"],
            tr._("Country"): facts[f"country_{tr.lang}"],
            tr._("Quote"): [quote_text(tr, q) for q in facts["quote"]],
            tr._("Source"): facts["source_title"],
        }
    )
