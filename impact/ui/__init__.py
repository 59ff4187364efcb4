"""The ui layer: the only part of the package that talks to Streamlit.

Pages (``pages/*.py``) and the frame (``dashboard.py``) draw through it and stay
thin. Its modules, along its seams:

- ``caching``: the shared database and the cached results of named queries
  (caching lives here and only here);
- ``state``: URL and session state — the reader's ``Context``, the URL a copied
  link reopens, detail views and links between pages;
- ``sidebar``: the language switch and the shared filters;
- ``frame``: what every run draws first, or the page explaining invalid data;
- ``downloads``: chart images, tables and reports made on click;
- ``layout``: charts with their downloads and data, links, captions;
- ``tables``: the grids of lists, their number formats, a row to pick, programme lists,
  a grid of figures whose row picked is read in full;
- ``figures``: the marks' legend, the « How we count » link, context cards, a figure's
  row read in full;
- ``paging``: long lists drawn a page at a time (« Show more »).

Everything a page uses is re-exported here (``ui.query``, ``ui.chart``…).
"""

from __future__ import annotations

from impact.explore import plain
from impact.figures import sources_call
from impact.ui.caching import (
    _cached_query,
    _database,
    _source,
    database,
    derived,
    map_places,
    prefetch,
    query,
)
from impact.ui.downloads import (
    export_caption,
    export_file,
    export_view,
    image_downloads,
    start_publishers,
    table_downloads,
)
from impact.ui.figures import context_cards, marks_legend, table_key
from impact.ui.frame import error_page, frame
from impact.ui.layout import (
    METHOD_PAGE,
    PLOTLY_CONFIG,
    TOPOJSON_URL,
    chart,
    chart_heading,
    method_link,
    open_page,
    opened_expander,
    page_link,
    source_line,
)
from impact.ui.paging import show_more, shown
from impact.ui.sidebar import (
    FILTER_LISTS,
    language_picker,
    multiselect,
    reset_filters,
    sidebar_filters,
)
from impact.ui.state import (
    CONTEXT_KEY,
    DETAIL_KEYS,
    Context,
    context,
    detail,
    detail_params,
    language,
    leave_legacy_pages_mode,
    link_params,
    set_detail,
    sync_url,
)
from impact.ui.tables import (
    figures_grid,
    largest_caption,
    name_column,
    programme_rows,
    programmes_section,
    selected_row,
    table,
)

__all__ = [
    "CONTEXT_KEY",
    "DETAIL_KEYS",
    "FILTER_LISTS",
    "METHOD_PAGE",
    "PLOTLY_CONFIG",
    "TOPOJSON_URL",
    "Context",
    "_cached_query",
    "_database",
    "_source",
    "chart",
    "chart_heading",
    "context",
    "context_cards",
    "database",
    "derived",
    "detail",
    "detail_params",
    "error_page",
    "export_caption",
    "export_file",
    "export_view",
    "figures_grid",
    "frame",
    "image_downloads",
    "language",
    "language_picker",
    "largest_caption",
    "leave_legacy_pages_mode",
    "link_params",
    "map_places",
    "marks_legend",
    "method_link",
    "multiselect",
    "name_column",
    "open_page",
    "opened_expander",
    "page_link",
    "plain",
    "prefetch",
    "programme_rows",
    "programmes_section",
    "query",
    "reset_filters",
    "selected_row",
    "set_detail",
    "show_more",
    "shown",
    "sidebar_filters",
    "source_line",
    "sources_call",
    "start_publishers",
    "sync_url",
    "table",
    "table_downloads",
    "table_key",
]
