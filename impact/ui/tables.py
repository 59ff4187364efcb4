"""The pages' grids: a list's rows in the reader's number format, a row to pick or read in full.

Split from ``impact.ui.layout`` (charts, links): the programme lists of the Programmes
page and of the profiles share ``programme_rows``, every grid goes through ``table``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any, cast

import pandas as pd
import streamlit as st

from impact import explore, figures
from impact.filters import Filters
from impact.i18n import Translator
from impact.ui import caching
from impact.ui.downloads import table_downloads
from impact.ui.figures import figure_in_full
from impact.ui.layout import open_page
from impact.ui.paging import show_more, shown
from impact.ui.state import Context


def largest_caption(ctx: Context, shown: int, total: int) -> None:
    """Under a list cut to its largest figures: how many of how many, and how to see others."""
    text = figures.largest_text(ctx.tr, shown, total)
    if text:
        st.caption(text)


# Rows of a profile's programme list drawn at a time (a country of a federation runs
# hundreds of programmes: 712 in the largest at 10 million figures, a 270 KB grid on
# every new selection), largest reach first; the files hold them all.
PROFILE_PROGRAMMES = 100


def programmes_section(ctx: Context, params: dict[str, Any], key: str) -> None:
    """The programmes of a profile (country, organisation); picking a row opens the programme.

    A long list is drawn ``PROFILE_PROGRAMMES`` rows at a time, largest reach first,
    with « Show more » (as the Programmes page); its download holds every row.
    """
    st.header(ctx._("Programmes"))
    programmes = caching.query("programmes_list", params)
    if programmes.empty:
        st.info(ctx._("No programme in this selection."))
        return
    total = len(programmes)
    if total > PROFILE_PROGRAMMES:
        programmes = explore.order_programmes(programmes, "reach")
        how = ctx._("Column titles sort the rows shown; pick a row to open the programme.")
        st.caption(ctx.tr.ngettext("{n} programme", "{n} programmes", total) + " · " + how)
    else:
        st.caption(ctx._("Pick a row to open the programme."))
    signature = json.dumps(params, sort_keys=True)
    # its file states the profile's selection (one country, one organisation), not the sidebar's
    scope = Filters.from_params(params)
    drawn, picked = programme_rows(
        ctx, programmes, key, signature, PROFILE_PROGRAMMES, filters=scope
    )
    if picked is not None:
        open_page(ctx, "programmes", programme_id=str(drawn["programme_id"].iloc[picked]))


# px: a list's name column, so that its reach and the reach's qualifier fit in the main
# column of a 1280 px screen (820 px) in French, Dutch and English
NAME_COLUMN = 200


def name_column(width: int = NAME_COLUMN) -> Any:
    """A list's name column, kept in place (pinned) while its numbers are scrolled in.

    On a phone the numbers start past the right edge, and scrolling to them took the
    rows' names away. Only a column narrower than a phone's grid can stay. Streamlit
    draws a pinned column's text as it draws captions (60 % of the text colour, 5.0:1 on
    white with our theme): a Styler colour does not reach it.
    """
    return st.column_config.TextColumn(width=width, pinned=True)


def programme_rows(
    ctx: Context,
    programmes: pd.DataFrame,
    key: str,
    signature: Hashable,
    size: int,
    table_key: str | None = None,
    filters: Filters | None = None,
) -> tuple[pd.DataFrame, int | None]:
    """The first rows of a programme list, in its order, as a table to pick a row from,
    with « Show more » under it (``impact.ui.paging``: ``key``, ``signature``, ``size``);
    the table's download holds the whole list and states ``filters``, the list's selection
    (the sidebar's by default). Returns the rows drawn and the index among them of the row
    picked."""
    drawn = programmes.head(shown(key, signature, size))
    picked = table(
        explore.programmes_table(ctx.tr, drawn),
        ctx,
        numbers=explore.reach_number_columns(ctx.tr),
        key=table_key or key,
        select=True,
        # Sized to its longest name, the programme's column (390 px) pushed the sum and
        # its qualifier (« au moins », « environ ») out of a laptop's 820 px column: the
        # sum's header showed over empty-looking cells. Narrower, a long name is cut at
        # the column's edge (whole in « Open a programme » below, and in the files). Not
        # pinned: Streamlit greys a pinned column's text.
        columns={ctx.tr._("Programme"): name_column()},
        whole=lambda: explore.programmes_table(ctx.tr, programmes),  # the file: every row
        filters=filters,
    )
    show_more(ctx, key, signature, len(drawn), len(programmes), size)
    return drawn, picked if picked is not None and picked < len(drawn) else None


def selected_row(event: Any) -> int | None:
    """Index of the row picked in a ``st.dataframe`` with single-row selection."""
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    return int(rows[0]) if rows else None


# px a character of a grid's text takes (its 14 px font), and the most a qualifier column
# takes: a longer note (« hidden: it would reveal … ») is cut after its first words.
CHAR_PX = 7.5
QUALIFIER_MAX_PX = 300


def qualifier_width(tr: Translator, frame: pd.DataFrame) -> dict[str, Any]:
    """The qualifier column as wide as its longest text, so that it is read whole.

    Sized to its header by the grid, « au moins environ » showed as « au moins e… »
    (Belgium in the list of countries), which reads as « au moins »: a lost « environ ».
    """
    name = tr._("Qualifier")
    if name not in frame.columns:
        return {}
    texts = [name, *(q for q in frame[name] if isinstance(q, str))]
    width = min(QUALIFIER_MAX_PX, round(CHAR_PX * max(len(t) for t in texts)) + 24)
    return {name: st.column_config.TextColumn(width=width)}


def table(
    frame: pd.DataFrame,
    ctx: Context,
    numbers: tuple[str, ...] = (),
    key: str | None = None,
    select: bool = False,
    downloads: bool = True,
    columns: dict[str, Any] | None = None,
    whole: Callable[[], pd.DataFrame] | None = None,
    filters: Filters | None = None,
) -> int | None:
    """A sortable table with ``numbers`` in the reader's format; the picked row if ``select``.

    ``columns`` is Streamlit's ``column_config`` (links, widths). With a ``key``,
    a « Download the table » button offers it as XLSX and CSV: ``whole()`` when the
    page draws a page of a longer list (made on click), else the rows drawn. The files
    state ``filters``, the selection the rows are of (the sidebar's by default).
    """

    def number(value: object) -> str:
        return ctx.tr.number(float(cast(float, value)))

    styled = frame.style.format(dict.fromkeys(numbers, number), na_rep="–")
    picking: dict[str, Any] = (
        {"on_select": "rerun", "selection_mode": "single-row"} if select else {}
    )
    # « – » for a missing number: the Styler's na_rep does not reach the grid's empty cells
    event = st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        key=key,
        placeholder="–",
        column_config={**qualifier_width(ctx.tr, frame), **(columns or {})},
        **picking,
    )
    if downloads and key:
        table_downloads(
            whole or frame,
            ctx,
            f"{key}-download",
            filters=filters,
            name=key.replace("_", "-"),
            compact=True,
        )
    return selected_row(event) if select else None


def figures_grid(
    frame: pd.DataFrame,
    ctx: Context,
    key: str,
    numbers: tuple[str, ...] = (),
    columns: dict[str, Any] | None = None,
) -> None:
    """A grid of figures whose row picked is read in full under it (``figure_in_full``):
    its quote whole, its source and every column the grid cuts or leaves past its edge.
    ``key`` changes with what the rows depend on (``table_key``)."""
    picked = table(frame, ctx, numbers, key=key, select=True, downloads=False, columns=columns)
    figure_in_full(ctx, frame, picked, numbers)
