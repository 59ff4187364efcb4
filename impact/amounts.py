"""How a figure may be said: its qualifier, the range of distinct people, its year, or no figure.

Sources say « plus de 2300 », « une trentaine », « entre 2010 et 2014 »; several
activities of one programme may reach the same people. Every surface — page,
chart, hover, table, file, sentence, slide — writes a number through this module,
so none can claim more than the source: a total keeps the marks of its figures
(« ≥ » at least, « ≈ » about, « ≤ » at most, « ≳ » both at least and about), a
reach of people is a range from the distinct people it holds at least to the sum
of its activities (queries/model/45_amounts.sql), no figure is « – » (never 0),
hidden figures are « < 10 » only when they are small (impact/privacy.py), and a
year keeps its basis (« 2010–2014 », « 2024 (année déduite) »).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from impact import privacy
from impact.i18n import N_, Translator

# A total's qualifier, from the qualifiers of its figures (and hidden ones).
MARKS = {
    "exact": "",
    "at_least": "≥",
    "about": "≈",
    "at_most": "≤",
    "at_least_about": "≳",
    "at_most_about": "≲",
}
WORDS = {
    "exact": N_("exact"),
    "at_least": N_("at least"),
    "about": N_("about"),
    "at_most": N_("at most"),
    "at_least_about": N_("at least about"),
    "at_most_about": N_("at most about"),
}
# The columns of a row of queries/model/45_amounts.sql, besides its figures, total and lower.
_FLAGS = ("at_least", "about", "at_most", "lower_about")
_COUNTS = ("hidden_facts", "hidden_small", "inferred_facts", "source_date_facts")

# Units whose figures may count the same people twice (as counts_people() in SQL).
PEOPLE_UNITS = ("persons", "families", "households")


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(float(value)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return value is not None and str(value) in {"<NA>", "NaT"}


def _number(value: object) -> float | None:
    return None if _missing(value) else float(value)  # type: ignore[arg-type]


def _int(value: object) -> int:
    number = _number(value)
    return 0 if number is None else int(number)


def _flag(value: object) -> bool:
    return False if _missing(value) else bool(value)


def combine(at_least: bool, about: bool, at_most: bool) -> str:
    """One qualifier for a total whose figures carry these (hidden ones count as at least)."""
    if at_least and at_most:
        return "about"  # bounded on neither side
    if at_least:
        return "at_least_about" if about else "at_least"
    if at_most:
        return "at_most_about" if about else "at_most"
    return "about" if about else "exact"


@dataclass(frozen=True)
class Amount:
    """A figure or a total as its sources allow it to be said.

    ``total`` adds the visible figures (None: no figure at all); ``lower`` is the
    number of different people it holds at least (equal to ``total`` for one
    figure, or for units that are not people). ``facts`` figures were added,
    ``hidden`` of them are hidden for privacy (``hidden_small`` because small).
    """

    total: float | None
    lower: float | None = None
    at_least: bool = False
    about: bool = False
    at_most: bool = False
    lower_about: bool = False
    facts: int = 0
    hidden: int = 0
    hidden_small: int = 0
    inferred: int = 0
    source_date: int = 0

    @classmethod
    def from_row(cls, row: Mapping[str, Any] | Any, facts_column: str = "facts") -> Amount:
        """An amount from a query row with the columns of queries/model/45_amounts.sql."""

        # the row's kind decided once, not for each of its eleven columns (a map's hovers
        # read thousands of rows: ABC isinstance checks were a tenth of the work)
        get: Callable[[str], object] = (
            row.get if isinstance(row, Mapping) else lambda name: getattr(row, name, None)
        )
        return cls._of(
            facts=_int(get(facts_column)),
            total=_number(get("total")),
            lower=_number(get("lower")),
            flags=tuple(_flag(get(name)) for name in _FLAGS),
            counts=tuple(_int(get(name)) for name in _COUNTS),
        )

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, facts_column: str = "facts") -> list[Amount]:
        """:meth:`from_row` of every row of a query result, read a column at a time.

        A map's hovers read thousands of rows on every new selection; testing each cell
        for a missing value (None, NaN, ``pd.NA``) was most of their time. A column
        converts at once, and the rule of what the row says stays :meth:`_of`'s.
        """
        size = len(frame)

        def numbers(name: str) -> list[float | None]:
            if name not in frame.columns:
                return [None] * size
            column = pd.to_numeric(frame[name], errors="coerce")
            values = column.to_numpy("float64", na_value=math.nan).tolist()
            return [None if v != v else v for v in values]  # NaN: no value

        def counts(name: str) -> list[int]:
            return [0 if v is None else int(v) for v in numbers(name)]

        def flags(name: str) -> list[bool]:
            if name not in frame.columns:
                return [False] * size
            return [not _missing(v) and bool(v) for v in frame[name].tolist()]

        columns = zip(
            counts(facts_column),
            numbers("total"),
            numbers("lower"),
            zip(*(flags(name) for name in _FLAGS), strict=True),
            zip(*(counts(name) for name in _COUNTS), strict=True),
            strict=True,
        )
        return [
            cls._of(facts=facts, total=total, lower=lower, flags=fl, counts=co)
            for facts, total, lower, fl, co in columns
        ]

    @classmethod
    def _of(
        cls,
        facts: int,
        total: float | None,
        lower: float | None,
        flags: tuple[bool, ...],
        counts: tuple[int, ...],
    ) -> Amount:
        """The amount of one row's values (``flags`` and ``counts`` in the order of
        ``_FLAGS`` and ``_COUNTS``): no figure added is no total, never 0."""
        total = total if facts else None
        at_least, about, at_most, lower_about = flags
        hidden, hidden_small, inferred, source_date = counts
        return cls(
            total=total,
            lower=total if lower is None or total is None else lower,
            at_least=at_least,
            about=about,
            at_most=at_most,
            lower_about=lower_about,
            facts=facts,
            hidden=hidden,
            hidden_small=hidden_small,
            inferred=inferred,
            source_date=source_date,
        )

    @classmethod
    def figure(
        cls, count: object, qualifier: str = "exact", hidden_reason: object = None
    ) -> Amount:
        """One reported figure (``count`` None and a reason when hidden for privacy)."""
        reason = None if _missing(hidden_reason) else str(hidden_reason)
        if reason:
            return cls(None, None, facts=1, hidden=1, hidden_small=int(reason == "small"))
        value = _number(count)
        return cls(
            value,
            # « au plus 500 » says nothing of how many were reached at least
            0.0 if qualifier == "at_most" and value is not None else value,
            at_least=qualifier == "at_least",
            about=qualifier == "about",
            at_most=qualifier == "at_most",
            lower_about=qualifier == "about",
            facts=0 if value is None else 1,
        )

    @classmethod
    def count(cls, value: object) -> Amount:
        """An exact count (of countries, programmes…)."""
        number = _number(value)
        return cls(number, number, facts=1)

    # --- what it is -----------------------------------------------------------------------

    @property
    def has_figure(self) -> bool:
        """False when nothing was reported (shown « – », never 0)."""
        return self.facts > 0

    @property
    def all_hidden(self) -> bool:
        """Every figure is hidden for privacy."""
        return self.has_figure and self.hidden >= self.facts

    @property
    def value(self) -> float | None:
        """The number a file or a chart holds: the sum of the visible figures, else None."""
        return None if not self.has_figure or self.all_hidden else self.total

    @property
    def qualifier(self) -> str:
        """exact, at_least, about, at_most, at_least_about or at_most_about."""
        return combine(self.at_least or self.hidden > 0, self.about, self.at_most)

    @property
    def lower_qualifier(self) -> str:
        """The qualifier of the distinct lower bound (« at least » by nature)."""
        return combine(True, self.lower_about, False)

    @property
    def distinct(self) -> float | None:
        """The different people at least, as tables and files give it: None for no figure,
        and when no figure bounds them from below (every figure « au plus »: the lower
        bound is 0, which a column would show as if nobody had been reached)."""
        if self.value is None or self.lower is None:
            return None
        return None if self.lower == 0 < self.value else self.lower

    @property
    def is_range(self) -> bool:
        """The figures may count the same people twice: distinct people < the sum. A
        lower bound of 0 (only « au plus » figures) is no range: the sum says « ≤ »."""
        return (
            self.value is not None
            and self.lower is not None
            and self.total is not None
            and 0 < self.lower < self.total
        )

    @property
    def stated(self) -> float | None:
        """A reach's first number, which its bar draws solid: the different people at least
        for a range, else the value (the sum, « ≤ 800 » when every figure is « au plus »)."""
        return self.lower if self.is_range else self.value

    @property
    def open_ended(self) -> bool:
        """The sum is itself a lower bound (« plus de », hidden figures): no upper end."""
        return self.at_least or self.hidden > 0

    # --- how it is written --------------------------------------------------------------------

    def hidden_text(self, tr: Translator) -> str:
        """What stands for figures that are all hidden: « < 10 » when small, else « hidden »."""
        if self.hidden_small >= self.hidden:
            return privacy.hidden_text(self.hidden)
        return tr._("hidden")

    def text(self, tr: Translator, percent: bool = False) -> str:
        """The sum with its mark: « 2 300 », « ≥ 2 300 », « ≈ 30 », « – », « < 10 »."""
        if not self.has_figure:
            return "–"
        if self.all_hidden or self.total is None:
            return self.hidden_text(tr)
        return marked(tr, self.total, self.qualifier, percent)

    def reach_text(self, tr: Translator, compact: bool = False) -> str:
        """People reached as the sources allow: « 10 378 à 20 437 », or « ≥ 18 075 ».

        ``compact`` writes a range « 10 378–20 437 », for labels on charts.
        """
        if not self.is_range:
            return self.text(tr)
        assert self.lower is not None and self.total is not None
        low = marked(tr, self.lower, "about" if self.lower_about else "exact")
        if self.open_ended:
            return marked(tr, self.lower, self.lower_qualifier)
        high = marked(tr, self.total, self.qualifier)
        return f"{low}–{high}" if compact else tr._("{low} to {high}", low=low, high=high)

    def words(self, tr: Translator) -> str:
        """The sum in words for sentences: « plus de 2 300 », « environ 30 »."""
        if self.value is None:
            return self.text(tr)
        return worded(tr, self.value, self.qualifier)

    def qualifier_text(self, tr: Translator) -> str:
        """The qualifier column of tables and files: « au moins », « environ », hidden figures.

        Empty for an exact figure and for no figure at all; a number hidden for
        privacy is named (« < 10 », « hidden ») since its cell stays empty.
        """
        if not self.has_figure:
            return ""
        if self.all_hidden:
            if self.hidden_small >= self.hidden:
                return tr._("{shown}: hidden for privacy", shown=self.hidden_text(tr))
            return tr._("hidden: it would reveal a small figure about children")
        parts = [] if self.qualifier == "exact" else [tr._(WORDS[self.qualifier])]
        if self.hidden:
            parts.append(
                tr.ngettext(
                    "{n} figure hidden for privacy",
                    "{n} figures hidden for privacy",
                    self.hidden,
                )
            )
        return "; ".join(parts)


def marked(tr: Translator, value: float, qualifier: str, percent: bool = False) -> str:
    """« ≥ 2 300 »: the number in the reader's format after its qualifier's mark."""
    number = tr.percent(value) if percent else tr.number(value)
    mark = MARKS.get(qualifier, "")
    return f"{mark}\u00a0{number}" if mark else number


def worded(tr: Translator, value: float, qualifier: str) -> str:
    """« plus de 2 300 », « environ 30 », « 10 378 »: a number with its qualifier in words."""
    number = tr.number(value)
    phrase = _WORDED.get(qualifier)
    return tr._(phrase, number=number) if phrase else number


# A number with its qualifier in words (``worded``); an exact number is the number alone.
_WORDED = {
    "at_least": N_("more than {number}"),
    "about": N_("about {number}"),
    "at_most": N_("at most {number}"),
    "at_least_about": N_("more than about {number}"),
    "at_most_about": N_("at most about {number}"),
}


def explanation(tr: Translator, amount: Amount, unit: str = "persons") -> str:
    """Under a range, in one reading: how many different people at least, and the sum."""
    if not amount.is_range:
        return ""
    assert amount.lower is not None and amount.total is not None
    low = worded(tr, amount.lower, "about" if amount.lower_about else "exact")
    total = amount.words(tr)
    if unit == "families":
        return tr._(
            "At least {low} different families; {total} when the figures of the activities "
            "are added up, where one family may count more than once.",
            low=low,
            total=total,
        )
    if unit == "households":
        return tr._(
            "At least {low} different households; {total} when the figures of the activities "
            "are added up, where one household may count more than once.",
            low=low,
            total=total,
        )
    return tr._(
        "At least {low} different people; {total} when the figures of the activities are "
        "added up, where one person may count more than once.",
        low=low,
        total=total,
    )


def numbers(values: list[float | None], index: pd.Index | None = None) -> pd.Series:
    """A number column: whole numbers as integers (« 20437 », never « 20437.0 » in a CSV).

    A missing value (no figure, or hidden) stays empty: « – » on screen, an empty
    cell in files, never 0. ``index`` is the index of the frame the column joins.
    """
    clean = [None if v is None or v != v else v for v in values]
    if all(v is None or float(v).is_integer() for v in clean):
        return pd.Series([None if v is None else int(v) for v in clean], index, dtype="Int64")
    return pd.Series(clean, index, dtype="Float64")


# --- years ------------------------------------------------------------------------------------


def years_text(first: object, last: object) -> str:
    """« 2024 » or the period « 2010–2014 »."""
    low, high = _number(first), _number(last)
    if high is None:
        return "" if low is None else str(int(low))
    if low is None or int(low) == int(high):
        return str(int(high))
    return f"{int(low)}–{int(high)}"


def year_columns(tr: Translator) -> frozenset[str]:
    """The names of the tables' columns that hold years, written « 2014 » in every table
    and file, never « 2 014 » or « 2.014 » like the counts beside them."""
    return frozenset({tr._("Year"), tr._("Period from")})


def year_text(tr: Translator, first: object, last: object, basis: object = "stated") -> str:
    """A figure's year as the source gives it: « 2024 », « 2010–2014 », « 2024 (inferred) »."""
    years = years_text(first, last)
    if not years:
        return "–"
    if basis == "inferred":
        return tr._("{year} (inferred)", year=years)
    if basis == "source_date":
        return tr._("{year} (year of the source)", year=years)
    return years


def years_note(tr: Translator, amount: Amount) -> str:
    """A total's years, when some are not stated: « 7 of 13 figures: year inferred »."""
    notes = []
    if amount.inferred:
        notes.append(
            tr.ngettext(
                "{n} figure with a year inferred from the text",
                "{n} figures with a year inferred from the text",
                amount.inferred,
            )
        )
    if amount.source_date:
        notes.append(
            tr.ngettext(
                "{n} figure with the year of its source (none stated)",
                "{n} figures with the year of their source (none stated)",
                amount.source_date,
            )
        )
    return "; ".join(notes)
