"""Layout helpers of the pages: text, charts with their downloads, tables, links.

Pages stay thin by drawing through these: a chart always comes with its image
downloads and its data, a table with its numbers in the reader's format.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Hashable
from typing import Any, cast

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from impact import alt_text, explore, figures, method
from impact.data_table import html_table
from impact.filters import Filters
from impact.ui import caching
from impact.ui.downloads import image_downloads, selection_lines, table_downloads
from impact.ui.paging import show_more, shown
from impact.ui.share import share_chart
from impact.ui.state import Context, link_params

TOPOJSON_URL = "/app/static/topojson/"

_MARKDOWN_SPECIALS = set("\\`*_{}[]()#+-.!|<>~$:=")


def plain(text: object) -> str:
    """Escape Markdown so text from a data file is shown as written, never interpreted."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in str(text))


# The page that defines what is counted (« How we count », pages/method.py, url_path
# « method »): every chart and every key figure links to it.
METHOD_PAGE = method.URL_PATH
# Plotly's own toolbar without its « download as PNG » (an image with no title, selection
# or source: the « Download the chart » menu makes the real one) and the selection tools.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "topojsonURL": TOPOJSON_URL,
    "modeBarButtonsToRemove": ["toImage", "select2d", "lasso2d"],
}


def chart_heading(fig: go.Figure) -> tuple[str, str]:
    """The title and subtitle lines a chart carries (``charts.style_layout``), as plain text.

    The subtitle may hold several ``<sup>`` lines (the selection, a note on years):
    they come back one per line.
    """
    title, *rest = str(fig.layout.title.text or "").split("<br>")
    lines = [line.removeprefix("<sup>").removesuffix("</sup>") for line in rest]
    return html.unescape(title), html.unescape("\n".join(lines))


def chart(
    fig: go.Figure,
    data: pd.DataFrame | Callable[[], pd.DataFrame],
    ctx: Context,
    key: str,
    *,
    filters: Filters | None = None,
    name: str | None = None,
    lang: str | None = None,
    notes: list[str] | None = None,
) -> None:
    """Show a chart with its title, its sources, its image downloads and the data behind it.

    The title and the selection are drawn by the page above the chart, where
    they wrap on a narrow screen (Plotly cuts a long title); the exported images
    keep them inside the figure. Under the chart: the sources of the selection
    and a link to the page that defines what is counted. ``filters`` is the
    selection the chart shows when it is not the sidebar's (exports state it),
    ``lang`` the language of the exported files when it is not the reader's,
    ``name`` the file name stem of downloads (``key``), ``notes`` lines said under
    the chart (a map's classes in words). « Show the data » (the chart's text
    alternative, its table and the table's files) is made when the reader opens it;
    ``data`` may be a function making the table then.
    """
    title, subtitle = chart_heading(fig)
    if title or subtitle:
        lines = [f"**{plain(title)}**"] if title else []
        lines += [f":small[:gray[{plain(line)}]]" for line in subtitle.splitlines()]
        st.markdown("  \n".join(lines))
    kept = fig.layout.title.text, fig.layout.margin.t
    try:  # drawn without its title (shown above); the figure keeps it for the exports
        fig.update_layout(title_text="", margin_t=20)
        st.plotly_chart(fig, width="stretch", key=key, config=PLOTLY_CONFIG)
    finally:
        fig.update_layout(title_text=kept[0], margin_t=kept[1])
    if notes:
        st.caption("  \n".join(plain(line) for line in notes))
    source_line(ctx, filters)
    with st.container(horizontal=True):  # side by side, or one under the other when narrow
        image_downloads(fig, ctx, key, filters=filters, name=name, lang=lang)
        share_chart(ctx, key, title, filters, lang)
    # Made when opened (a rerun): a world map's table is ~150 KB of HTML to send unseen.
    # Open, it stays open on a change of language (a new label: a key set before carries).
    opened = f"{key}-show-data"
    if st.session_state.get(opened):
        st.session_state[opened] = True
    box = st.expander(ctx._("Show the data"), key=opened, on_change="rerun")
    if box.open:
        table = data() if callable(data) else data
        with box:
            described = alt_text.of(fig)
            if described:
                st.markdown(plain(described))
            data_table(table, ctx, title)
            table_downloads(table, ctx, f"{key}-data", filters=filters, name=name, lang=lang)


# Rows of a chart's data drawn as an HTML table; the files have them all.
TABLE_ROWS = 200


def data_table(data: pd.DataFrame, ctx: Context, caption: str) -> None:
    """A chart's data as an accessible HTML table (``impact.data_table``), not a canvas grid.

    At most ``TABLE_ROWS`` rows (the downloads hold every row).
    """
    st.html(html_table(ctx.tr, data, caption, TABLE_ROWS))
    if len(data) > TABLE_ROWS:
        st.caption(
            ctx._(
                "The first {shown} of {total} rows; the downloads hold them all.",
                shown=ctx.tr.number(TABLE_ROWS),
                total=ctx.tr.number(len(data)),
            )
        )


def source_line(ctx: Context, filters: Filters | None = None) -> None:
    """« Sources: … » of a chart's selection, and the link to how figures are counted."""
    _, publishers = selection_lines(ctx.filters if filters is None else filters, ctx.tr.lang)
    st.caption(
        plain(ctx._("Sources: {publishers}", publishers=publishers))
        if publishers
        else ctx._("No source in this selection.")
    )
    method_link(ctx)


def method_link(ctx: Context) -> None:
    """The link to « How we count » (``pages/method.py``), under charts and key figures."""
    page_link(ctx, METHOD_PAGE, ctx._("How we count"), icon=":material/help:")


def page_link(
    ctx: Context, page: str, label_text: str, icon: str | None = None, **detail_values: str
) -> None:
    """A link to another page (``pages/<page>.py``) keeping language and filters."""
    st.page_link(
        f"pages/{page}.py",
        label=label_text,
        icon=icon,
        query_params=link_params(ctx, **detail_values),
    )


def open_page(ctx: Context, page: str, **detail_values: str) -> None:
    """Go to another page now (after a selection), keeping language and filters."""
    st.switch_page(f"pages/{page}.py", query_params=link_params(ctx, **detail_values))


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
    st.subheader(ctx._("Programmes"))
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
        columns={ctx.tr._("Programme"): st.column_config.TextColumn(width=NAME_COLUMN)},
        whole=lambda: explore.programmes_table(ctx.tr, programmes),  # the file: every row
        filters=filters,
    )
    show_more(ctx, key, signature, len(drawn), len(programmes), size)
    return drawn, picked if picked is not None and picked < len(drawn) else None


def selected_row(event: Any) -> int | None:
    """Index of the row picked in a ``st.dataframe`` with single-row selection."""
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    return int(rows[0]) if rows else None


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
    event: Any = None
    # « – » for a missing number: the Styler's na_rep does not reach the grid's empty cells
    config = columns or {}
    if not select:
        st.dataframe(
            styled,
            hide_index=True,
            width="stretch",
            key=key,
            placeholder="–",
            column_config=config,
        )
    else:
        event = st.dataframe(
            styled,
            hide_index=True,
            width="stretch",
            key=key,
            on_select="rerun",
            selection_mode="single-row",
            placeholder="–",
            column_config=config,
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
    return selected_row(event) if event is not None else None
