"""Layout helpers of the pages: text, charts with their downloads and data, links.

Pages stay thin by drawing through these: a chart always comes with its image
downloads and its data (the grids of lists are ``impact.ui.tables``).
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from impact import alt_text, method
from impact.data_table import html_table
from impact.explore import plain
from impact.figures import draws_places
from impact.filters import Filters
from impact.ui.downloads import image_downloads, publishers, table_downloads
from impact.ui.share import share_chart
from impact.ui.state import Context, link_params

TOPOJSON_URL = "/app/static/topojson/"

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
    # a map's places are named by figures of any unit: their sources too
    places = draws_places(fig)
    source_line(ctx, filters, places)
    with st.container(horizontal=True):  # side by side, or one under the other when narrow
        image_downloads(fig, ctx, key, filters=filters, name=name, lang=lang, places=places)
        share_chart(ctx, key, title, filters, lang)
    # made when opened: a world map's table is ~150 KB of HTML to send unseen
    box = opened_expander(ctx._("Show the data"), f"{key}-show-data")
    if box is not None:
        table = data() if callable(data) else data
        with box:
            described = alt_text.of(fig)
            if described:
                st.markdown(plain(described))
            data_table(table, ctx, title)
            table_downloads(table, ctx, f"{key}-data", filters=filters, name=name, lang=lang)


def opened_expander(label: str, key: str) -> DeltaGenerator | None:
    """An expander whose content is made only once the reader opens it (a rerun): None closed.

    What a closed expander holds is computed, sent and drawn unseen: a chart's table,
    a file of the data dictionary, the Reports page's sentences and sources. Open, it
    stays open when its label changes (a change of language, a count that follows the
    filters): a new label is a new expander to Streamlit, closed, unless its key carries.
    """
    if st.session_state.get(key):
        st.session_state[key] = True
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None


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


def source_line(ctx: Context, filters: Filters | None = None, places: bool = False) -> None:
    """« Sources: … » of what a chart draws (``downloads.sources_call``), and the link to
    how figures are counted."""
    chosen = ctx.filters if filters is None else filters
    named = publishers(chosen, ctx.tr.lang, places)
    st.caption(
        plain(ctx._("Sources: {publishers}", publishers=named))
        if named
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
