"""Text alternatives of charts, written from the chart's data in the reader's language.

A reader who cannot see a chart (a screen reader, a text-only embed) must learn
what it shows, its selection, its largest and smallest values, and where its
numbers are — without a number said differently from the pages. Every value
here is the text the pages write (``Amount.reach_text``: « ≥ », « ≈ », ranges,
« – », « < 10 »), never re-formatted. The chart builders (``impact.charts``,
``impact.maps``) write the text into the figure (``layout.meta``), so the page,
the embed view and any export read the very text made from the drawn data.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from impact.amounts import Amount, explanation
from impact.i18n import Translator

META_KEY = "alt_text"
# At most this many items without a figure are named (the table has them all).
NAMED_WITHOUT = 5


@dataclass(frozen=True)
class Item:
    """One bar, year, country or place of a chart: its name, its sum, and its text."""

    name: str
    value: float | None  # the sum drawn (None: no figure, or hidden for privacy)
    text: str  # as the pages write it (``Amount.reach_text``)
    explained: str = ""  # a range in words (``amounts.explanation``), else empty


def item(tr: Translator, name: object, amount: Amount) -> Item:
    """An item from an amount: the pages' text and, for a range, its explanation."""
    return Item(str(name), amount.value, amount.reach_text(tr), explanation(tr, amount))


def _extremes(tr: Translator, items: Sequence[Item]) -> list[str]:
    """« Largest: … Smallest: … » among the items with a figure shown."""
    shown = [i for i in items if i.value is not None]
    if not shown:
        return [tr._("No value is shown.")] if items else []
    ordered = sorted(shown, key=lambda i: (-float(i.value or 0.0), i.name))
    largest, smallest = ordered[0], ordered[-1]
    if len(ordered) == 1:
        lines = [tr._("Only value: {name}, {value}.", name=largest.name, value=largest.text)]
    else:
        lines = [
            tr._("Largest: {name}, {value}.", name=largest.name, value=largest.text),
            tr._("Smallest: {name}, {value}.", name=smallest.name, value=smallest.text),
        ]
    if largest.explained:
        lines.append(largest.explained)
    return lines


def _without(tr: Translator, items: Sequence[Item]) -> list[str]:
    """The items drawn with no figure shown (hidden for privacy, or none): named, not zero."""
    missing = [i for i in items if i.value is None]
    if not missing:
        return []
    named = ", ".join(f"{i.name} ({i.text})" for i in missing[:NAMED_WITHOUT])
    if len(missing) > NAMED_WITHOUT:
        named = tr.ngettext(
            "{names} and {n} other",
            "{names} and {n} others",
            len(missing) - NAMED_WITHOUT,
            names=named,
        )
    return [
        tr.ngettext(
            "{n} without a figure shown: {names}.",
            "{n} without a figure shown: {names}.",
            len(missing),
            names=named,
        )
    ]


def _opening(tr: Translator, title: str, selection: str) -> list[str]:
    lines = [title.rstrip(".") + "."] if title else []
    if selection:
        lines.append(tr._("Selection: {scope}.", scope=selection.rstrip(".")))
    return lines


def bars(tr: Translator, title: str, selection: str, items: Sequence[Item]) -> str:
    """A bar chart: what, the selection, how many bars, the largest and the smallest."""
    lines = [tr._("Bar chart."), *_opening(tr, title, selection)]
    lines.append(tr.ngettext("{n} bar.", "{n} bars.", len(items)))
    lines += _extremes(tr, items) + _without(tr, items)
    lines.append(tr._("The data table gives every value."))
    return " ".join(lines)


def years(
    tr: Translator,
    title: str,
    selection: str,
    items: Sequence[Item],
    periods: Sequence[Item],
    note: str = "",
) -> str:
    """A chart by year: the years with figures, the largest and smallest, the periods.

    A year whose figures are not all dated by their source is named as the chart's axis
    names it (« 2024* »), and ``note`` says what the mark means, as under the chart.
    """
    lines = [tr._("Bar chart by year."), *_opening(tr, title, selection)]
    if items:
        lines.append(
            tr.ngettext(
                "{n} year with figures, from {first} to {last}.",
                "{n} years with figures, from {first} to {last}.",
                len(items),
                first=items[0].name,
                last=items[-1].name,
            )
        )
    lines += _extremes(tr, items) + _without(tr, items)
    if periods:
        spans = "; ".join(tr._("{name}: {value}", name=p.name, value=p.text) for p in periods)
        lines.append(
            tr.ngettext(
                "{n} figure over a period, not of one year ({spans}).",
                "{n} figures over a period, not of one year ({spans}).",
                len(periods),
                spans=spans,
            )
        )
    if note:
        lines.append(note.rstrip(".") + ".")
    lines.append(tr._("The data table gives every value."))
    return " ".join(lines)


def map_text(
    tr: Translator,
    title: str,
    selection: str,
    countries: Sequence[Item],
    places: Sequence[Item],
) -> str:
    """A map: countries shaded and places marked, each with its largest and smallest."""
    lines = [tr._("Map."), *_opening(tr, title, selection)]
    if countries:
        lines.append(
            tr.ngettext(
                "{n} country shaded by its figure.",
                "{n} countries shaded by their figure.",
                len(countries),
            )
        )
        lines += _extremes(tr, countries) + _without(tr, countries)
    if places:
        lines.append(
            tr.ngettext("{n} place marked by a point.", "{n} places marked by points.", len(places))
        )
        shown = [p for p in places if p.value is not None]
        if shown:
            top = max(shown, key=lambda p: float(p.value or 0.0))
            lines.append(tr._("The largest place: {name}, {value}.", name=top.name, value=top.text))
    lines.append(tr._("The data table gives every value."))
    return " ".join(lines)


def attach(fig: go.Figure, text: str) -> go.Figure:
    """Keep the text alternative in the figure (``layout.meta``), for pages, embeds, files."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    fig.update_layout(meta={**meta, META_KEY: text})
    return fig


def of(fig: go.Figure) -> str:
    """The text alternative a chart builder wrote into ``fig`` (empty if none)."""
    meta = fig.layout.meta
    return str(meta.get(META_KEY, "")) if isinstance(meta, dict) else ""


def plain_title(text: str) -> str:
    """A chart title or selection as plain text (Plotly titles are escaped for its HTML)."""
    return html.unescape(text)
