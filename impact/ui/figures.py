"""Figures as their sources allow them, on a page: the marks' legend, the method link, context.

The words live in ``impact.amounts`` (shared with every export); this module
only draws them with Streamlit, next to the key figures of each page.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from impact.amounts import Amount
from impact.explore import plain
from impact.exports.sentences import quoted
from impact.figures import context_year
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
