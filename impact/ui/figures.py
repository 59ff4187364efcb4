"""Figures as their sources allow them, on a page: the marks' legend, context, a row in full.

The words live in ``impact.amounts`` (shared with every export); this module
only draws them with Streamlit, next to the key figures of each page.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

import pandas as pd
import streamlit as st

from impact.amounts import Amount
from impact.explore import _missing, plain
from impact.exports.sentences import quoted
from impact.figures import context_year, quote_text
from impact.ui.state import Context

MARK_ORDER = ("at_least", "about", "at_most", "at_least_about", "at_most_about")


def marks_legend(ctx: Context, amounts: Iterable[Amount]) -> None:
    """Under figures: what their marks mean (only the marks shown)."""
    amounts = list(amounts)
    qualifiers = {a.qualifier for a in amounts if a.value is not None} - {"exact"}
    if any(a.hidden for a in amounts):
        qualifiers.add("at_least")
    if not qualifiers:
        return
    words = {
        "at_least": ctx._("≥ at least: a figure “more than”, or figures hidden for privacy"),
        "about": ctx._("≈ about: a figure “about”, “some thirty”"),
        "at_most": ctx._("≤ at most"),
        "at_least_about": ctx._("≳ at least and about"),
        "at_most_about": ctx._("≲ at most and about"),
    }
    st.caption(" · ".join(words[q] for q in MARK_ORDER if q in qualifiers))


def context_cards(ctx: Context, rows: pd.DataFrame) -> None:
    """Context figures (never our reach) as cards: the figure with its mark, quote and source."""
    for start in range(0, len(rows), 3):
        for column, row in zip(
            st.columns(3), rows.iloc[start : start + 3].to_dict("records"), strict=False
        ):
            with column.container(border=True):
                amount = Amount.figure(row["value"], str(row["qualifier"]))
                value = amount.text(ctx.tr, percent=row["unit"] == "percent")
                st.metric(plain(row["label"]), value, help=amount.qualifier_text(ctx.tr) or None)
                quote = quoted(ctx.tr.lang, str(row["quote"]))
                st.caption(plain(f"{quote} — {row['source_title']} ({context_year(ctx.tr, row)})"))


def table_key(name: str, *depends_on: object) -> str:
    """A grid's key that changes with what its rows depend on (a programme, the filters).

    A row picked is an index: kept across a new selection, it would name another figure
    of the new rows. A new key starts the grid with nothing picked.
    """
    signature = json.dumps(depends_on, sort_keys=True, default=repr)
    digest = hashlib.sha256(signature.encode()).hexdigest()[:12]
    return f"{name}-{digest}"


def figure_in_full(
    ctx: Context, table: pd.DataFrame, picked: int | None, numbers: tuple[str, ...] = ()
) -> None:
    """Under a grid of figures: the row picked, its quote whole and every column named.

    Streamlit's grid cuts a long quote at its column's edge (it wraps no cell and shows
    none on hover), and on a laptop it leaves the source, the place and whether a figure
    is added to the totals past its right edge. Whoever checks a figure against its source
    reads them here, as the grid's row holds them (``numbers`` in the reader's format).
    """
    quote_column = ctx._("Quote")
    if picked is None or not 0 <= picked < len(table):
        st.caption(ctx._("Pick a row to read it in full, quote included."))
        return
    row = table.iloc[picked]
    with st.container(border=True):
        quote = row.get(quote_column)
        if _missing(quote) or quote == "":
            pass  # a figure without a quote (a grid's total of several figures)
        elif quote == quote_text(ctx.tr, None):
            st.caption(plain(quote))  # withheld: said, not quoted
        else:
            lines = quoted(ctx.tr.lang, str(quote)).splitlines()
            st.markdown("\n".join(f"> {plain(line)}" for line in lines))
        facts = [
            ctx._(
                "{label}: {value}",
                label=f"**{plain(column)}**",
                value=plain(ctx.tr.number(float(value)) if column in numbers else value),
            )
            for column, value in row.items()
            if column != quote_column and not _missing(value) and value != ""
        ]
        st.markdown(" · ".join(facts))
