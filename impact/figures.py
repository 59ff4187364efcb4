"""Key figures and the description of a selection, shared by pages and exports.

Functions take a ``run(name, params)`` callable that executes a named query
(the cached UI runner or a plain ``Database.query``), so the dashboard, the
report builder and the tests compute the very same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from impact import privacy
from impact.filters import Filters
from impact.i18n import N_, Translator
from impact.vocab import label

Runner = Callable[[str, dict[str, Any]], pd.DataFrame]


@dataclass(frozen=True)
class KeyFigure:
    """One headline number and how to find the rows it adds up."""

    key: str
    title: str  # English msgid
    value: float | None
    approximate: bool = False
    unit: str | None = None
    measure: str | None = None
    filters: Filters | None = None  # the selection behind the number, when it is a sum
    hidden_facts: int = 0  # figures left out for privacy (impact.privacy)
    facts: int = 0  # how many figures the total adds up

    def display(self, tr: Translator) -> str:
        """The number as the reader writes it: « ≥ » when a component is « plus de » or hidden."""
        if self.value is None:
            return "–"
        return privacy.total_text(tr, self.value, self.hidden_facts, self.approximate)


Call = tuple[str, dict[str, Any]]


def _total_call(filters: Filters, unit: str, measure: str) -> Call:
    return "reach_total", {**filters.params(), "unit": unit, "measure": measure}


def _sum_figure(
    run: Runner, key: str, title: str, filters: Filters, unit: str, measure: str
) -> KeyFigure:
    row = run(*_total_call(filters, unit, measure)).iloc[0]
    return KeyFigure(
        key,
        title,
        float(row["total"]),
        bool(row["approximate"]),
        unit,
        measure,
        filters,
        int(row["hidden_facts"]),
        int(row["facts"]),
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
        else KeyFigure("children", N_("of whom children"), None, unit="persons", measure="reached")
    )
    counts = run("scope_counts", filters.params()).iloc[0]
    return [
        _sum_figure(run, "persons", N_("Persons reached"), filters, "persons", "reached"),
        children,
        _sum_figure(run, "families", N_("Families reached"), filters, "families", "reached"),
        KeyFigure("countries", N_("Countries"), float(counts["countries"])),
        KeyFigure("programmes", N_("Programmes"), float(counts["programmes"])),
        KeyFigure("organisations", N_("Organisations"), float(counts["organisations"])),
    ]


# How many of the figures behind a total a page lists, and a file holds (largest first).
ROWS_ON_PAGE = 500
ROWS_IN_FILES = 100_000


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


def describe_filters(tr: Translator, filters: Filters, options: pd.DataFrame) -> str:
    """A one-line description of the selection: « Toutes les données » or « 2020–2024 · Maroc »."""
    names: dict[tuple[str, str], str] = {}
    for row in options.itertuples(index=False):
        name = getattr(row, f"name_{tr.lang}")
        names[(str(row.kind), str(row.value))] = str(name) if isinstance(name, str) else ""
    parts: list[str] = []
    if filters.year_from is not None or filters.year_to is not None:
        low = filters.year_from or "…"
        high = filters.year_to or "…"
        parts.append(str(low) if low == high else f"{low}–{high}")
    for attr in ("orgs", "programmes", "countries"):
        values = getattr(filters, attr)
        if values:
            parts.append(", ".join(names.get((attr, v)) or v for v in values))
    if filters.themes:
        parts.append(", ".join(label(tr, "theme", t) for t in filters.themes))
    if filters.groups:
        parts.append(", ".join(label(tr, "group", g) for g in filters.groups))
    return " · ".join(parts) if parts else tr._("All data")


def figure_text(tr: Translator, count: object, qualifier: str, hidden: object = False) -> str:
    """One reported figure with its qualifier: « 10 378 », « environ 30 », « < 10 » if hidden."""
    if bool(hidden) or count is None or pd.isna(count):  # type: ignore[call-overload]
        return privacy.hidden_text()
    number = tr.number(float(count))  # type: ignore[arg-type]
    return number if qualifier == "exact" else f"{label(tr, 'qualifier', qualifier)} {number}"


def quote_text(tr: Translator, quote: object) -> str:
    """A figure's quote, or why it is not shown (a hidden figure's quote would give it away)."""
    if quote is None or pd.isna(quote):  # type: ignore[call-overload]
        return tr._("(quote hidden: it contains a small figure about children)")
    return str(quote)


def facts_table(tr: Translator, facts: pd.DataFrame) -> pd.DataFrame:
    """Facts with readable, translated columns (for the « rows behind » tables)."""
    if facts.empty:
        return pd.DataFrame()
    hidden = facts["is_hidden"] if "is_hidden" in facts else [False] * len(facts)
    return pd.DataFrame(
        {
            tr._("Figure"): [
                figure_text(tr, v, str(q), h)
                for v, q, h in zip(facts["count"], facts["qualifier"], hidden, strict=True)
            ],
            tr._("Group"): [label(tr, "group", g) for g in facts["group"]],
            tr._("Year"): facts["year"].astype(int).astype(str),
            tr._("Programme"): facts["programme"],
            tr._("Organisation"): facts["organisation"],
            tr._("Country"): facts[f"country_{tr.lang}"],
            tr._("Quote"): [quote_text(tr, q) for q in facts["quote"]],
            tr._("Source"): facts["source_title"],
        }
    )
