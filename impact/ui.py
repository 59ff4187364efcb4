"""The only module that talks to Streamlit: caching, language, sidebar filters, layout helpers.

Caching lives here and only here: the database is a shared resource (one
connection, a cursor per query) and query results are cached data keyed by
the query, its parameters and the data's fingerprint. The frame (language,
filters, navigation) is drawn by ``dashboard.py`` on every run; pages read the
resulting ``Context`` and stay thin.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from impact import explore
from impact.db import QUERY_POOL, Database
from impact.exports import images
from impact.exports.images import Caption
from impact.exports.view import View, build_view, view_calls
from impact.figures import describe_filters
from impact.filters import Filters
from impact.i18n import LANGS, LANGUAGE_NAMES, Translator, normalise_lang
from impact.validation import DataError, Report
from impact.vocab import label

CONTEXT_KEY = "_impact_context"
TOPOJSON_URL = "/app/static/topojson/"


@st.cache_resource(show_spinner=False, max_entries=4)
def _database(source: str, fingerprint: str) -> Database | Report:
    """Open the source once per version of its data; an invalid folder gives its report.

    A data folder is validated and built into the columnar cache on first use,
    then opened read-only (``impact.cache``); ``fingerprint`` changes with the
    files' content, so new data opens a new database.
    """
    from impact.cache import open_source
    from impact.source import parse_source

    try:
        return open_source(parse_source(source))
    except DataError as error:
        return error.report


def _source() -> tuple[str, str]:
    from impact.cache import source_key
    from impact.source import configured_source

    source = configured_source()
    return source.describe(), source_key(source)


def database() -> Database | Report:
    """The shared database of the configured source, or the report of what is wrong."""
    return _database(*_source())


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(source: str, fingerprint: str, name: str, params_json: str) -> pd.DataFrame:
    db = _database(source, fingerprint)
    assert isinstance(db, Database)
    return db.query(name, json.loads(params_json))


def query(name: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run a named query through the cache (same data, query and parameters: same result)."""
    return _cached_query(*_source(), name, json.dumps(params or {}, sort_keys=True))


def prefetch(calls: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """Start a page's independent queries side by side, into the cache ``query`` reads.

    A page lists at its top the queries it is about to run; they start on
    ``QUERY_POOL`` and the page's own ``query`` calls then find each result
    cached, or wait for the one still running (Streamlit computes a cached value
    once). A call the page does not make again is only wasted work, never a
    wrong answer; tests/test_pages.py checks that every prefetched call is used.
    """
    source = _source()
    for name, params in calls:
        QUERY_POOL.submit(_cached_query, *source, name, json.dumps(params or {}, sort_keys=True))


_MARKDOWN_SPECIALS = set("\\`*_{}[]()#+-.!|<>~$:=")


def plain(text: object) -> str:
    """Escape Markdown so text from a data file is shown as written, never interpreted."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in str(text))


@dataclass(frozen=True)
class Context:
    """What every page needs: the reader's language and the shared filters."""

    tr: Translator
    filters: Filters

    def _(self, message: str, **values: Any) -> str:
        """Translate a UI string."""
        return self.tr._(message, **values)

    def params(self, **extra: Any) -> dict[str, Any]:
        """Query parameters: the filters plus ``extra``."""
        return {**self.filters.params(), **extra}


def language() -> Translator:
    """The reader's language: the ``lang`` URL parameter, French by default."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = normalise_lang(st.query_params.get("lang"))
    return Translator(normalise_lang(st.session_state["lang"]))


def language_picker(tr: Translator) -> None:
    """Sidebar language switch (kept in the URL)."""
    st.sidebar.radio(
        tr._("Language"),
        options=list(LANGS),
        format_func=lambda code: LANGUAGE_NAMES[code],
        key="lang",
        horizontal=True,
    )


def _options() -> dict[str, pd.DataFrame]:
    frame = query("filter_options")
    return {str(kind): rows for kind, rows in frame.groupby("kind")}


def _init_from_url(key: str, value: Any) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def sidebar_filters(tr: Translator) -> Filters:
    """Draw the shared filters; their first values come from the URL."""
    options = _options()
    url = Filters.from_query(dict(st.query_params))
    known = {
        attr: set(options[attr]["value"]) if attr in options else set()
        for attr in ("orgs", "themes", "countries", "groups")
    }
    known["programmes"] = set()
    url = url.restricted_to(known)
    st.sidebar.header(tr._("Filters"))
    years = sorted(int(y) for y in options["years"]["value"]) if "years" in options else []
    year_from = year_to = None
    if len(years) > 1:
        low = max(url.year_from or years[0], years[0])
        high = min(url.year_to or years[-1], years[-1])
        _init_from_url("f_years", (min(low, high), max(low, high)))
        # A range slider: its key holds a pair, set above from the URL.
        chosen = cast(
            tuple[int, int],
            st.sidebar.slider(
                tr._("Years"), min_value=years[0], max_value=years[-1], key="f_years", step=1
            ),
        )
        if tuple(chosen) != (years[0], years[-1]):
            year_from, year_to = chosen
    names = {
        "orgs": dict(zip(options["orgs"]["value"], options["orgs"]["name_fr"], strict=True))
        if "orgs" in options
        else {},
        "countries": dict(
            zip(options["countries"]["value"], options["countries"][f"name_{tr.lang}"], strict=True)
        )
        if "countries" in options
        else {},
    }

    def org_name(value: str) -> str:
        return str(names["orgs"].get(value, value))

    def country_name(value: str) -> str:
        return str(names["countries"].get(value, value))

    def theme_name(value: str) -> str:
        return label(tr, "theme", value)

    def group_name(value: str) -> str:
        return label(tr, "group", value)

    widgets: list[tuple[str, str, Callable[[str], str]]] = [
        ("orgs", tr._("Organisation"), org_name),
        ("themes", tr._("Theme"), theme_name),
        ("countries", tr._("Country"), country_name),
        ("groups", tr._("Beneficiary group"), group_name),
    ]
    chosen_lists: dict[str, tuple[str, ...]] = {}
    for attr, title, fmt in widgets:
        values = [value for _, value in sorted((fmt(v).casefold(), v) for v in known[attr])]
        _init_from_url(f"f_{attr}", list(getattr(url, attr)))
        picked = st.sidebar.multiselect(
            title, values, format_func=fmt, key=f"f_{attr}", placeholder=tr._("All")
        )
        chosen_lists[attr] = tuple(picked)
    st.sidebar.button(
        tr._("Reset filters"),
        width="stretch",
        key="f_reset",
        on_click=reset_filters,
        args=((years[0], years[-1]) if len(years) > 1 else None,),
    )
    return Filters(year_from=year_from, year_to=year_to, **chosen_lists)


FILTER_LISTS = ("orgs", "themes", "countries", "groups")


def reset_filters(all_years: tuple[int, int] | None) -> None:
    """Empty every filter: an ``on_click`` callback, run before the next run draws them.

    A widget's key cannot be set once the widget is drawn in the same run
    (``StreamlitWidgetAlreadyInstantiatedError``), so the button does not set
    them in its own run. The year slider goes back to every year (not to the
    URL's range, which still names the old filter when the callback runs).
    """
    for attr in FILTER_LISTS:
        st.session_state[f"f_{attr}"] = []
    if all_years is None:
        st.session_state.pop("f_years", None)
    else:
        st.session_state["f_years"] = all_years


def sync_url(tr: Translator, filters: Filters, extra: dict[str, str] | None = None) -> None:
    """Write language and filters to the URL so a copied link reopens this view."""
    wanted = {"lang": tr.lang, **filters.to_query(), **(extra or {})}
    current = {k: st.query_params.get(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def leave_legacy_pages_mode() -> None:
    """Make sure this run is driven by ``dashboard.py`` and ``st.navigation``.

    Right after a server start Streamlit runs the first request in its legacy
    « pages folder » mode, because a ``pages/`` folder exists: for a deep link
    (``/map``) it runs ``pages/map.py`` alone, skipping the entry script, and even
    for ``/`` it gives widgets other identities than later runs (the first click
    would be lost). Switching the mode off and rerunning at once makes every run,
    the first included, the normal one, for the same URL.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def frame() -> Context | Report:
    """Draw the language switch and filters; returns the context, or the data's report."""
    leave_legacy_pages_mode()
    tr = language()
    db = database()
    if isinstance(db, Report):
        return db
    language_picker(tr)
    tr = Translator(normalise_lang(st.session_state.get("lang")))
    filters = sidebar_filters(tr)
    context = Context(tr, filters)
    st.session_state[CONTEXT_KEY] = context
    return context


def context() -> Context:
    """The context drawn by the frame for this run (see ``leave_legacy_pages_mode``)."""
    leave_legacy_pages_mode()
    if CONTEXT_KEY not in st.session_state:
        raise RuntimeError("Pages run inside dashboard.py: start the app with that file.")
    ctx: Context = st.session_state[CONTEXT_KEY]
    return ctx


def error_page(report: Report) -> None:
    """Explain what is wrong with the data and what to fix, instead of a traceback."""
    tr = language()
    st.title(tr._("The data cannot be shown"))
    st.error(
        tr.ngettext(
            "The data folder has {n} problem to fix before the dashboard can show it.",
            "The data folder has {n} problems to fix before the dashboard can show it.",
            len(report.errors),
        )
    )
    st.caption(tr._("Data folder: {folder}", folder=str(report.folder)))
    table = pd.DataFrame([p.as_row(tr) for p in report.errors])
    table = table.rename(
        columns={
            "severity": tr._("Severity"),
            "file": tr._("File"),
            "row": tr._("Row"),
            "column": tr._("Column"),
            "value": tr._("Value"),
            "rule": tr._("Rule"),
            "message": tr._("What to fix"),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        tr._("Download this report (CSV)"),
        table.to_csv(index=False).encode("utf-8-sig"),
        file_name="validation-report.csv",
        mime="text/csv",
    )
    st.markdown(tr._("Correct the files listed above, then reload this page."))


def chart(
    fig: go.Figure,
    data: pd.DataFrame,
    ctx: Context,
    key: str,
    *,
    filters: Filters | None = None,
    name: str | None = None,
    lang: str | None = None,
) -> None:
    """Show a chart, its image downloads and, under it, the data it is drawn from.

    ``filters`` is the selection the chart shows when it is not the sidebar's
    (exports state it), ``lang`` the language of the exported files when it is
    not the reader's, ``name`` the file name stem of downloads (``key``).
    """
    st.plotly_chart(
        fig,
        width="stretch",
        key=key,
        config={"displaylogo": False, "topojsonURL": TOPOJSON_URL},
    )
    image_downloads(fig, ctx, key, filters=filters, name=name, lang=lang)
    with st.expander(ctx._("Show the data")):
        st.dataframe(data, hide_index=True, width="stretch")
        table_downloads(data, ctx, f"{key}-data", filters=filters, name=name, lang=lang)


# --- Downloads: chart images and tables, rendered on the server (impact.exports) ---


def export_caption(
    ctx: Context, filters: Filters | None = None, lang: str | None = None
) -> Callable[[], tuple[Caption, pd.DataFrame]]:
    """What every exported file states — the selection, its sources, today — made on click.

    Returns a function giving the caption and the sources, called when a file is made
    (in Streamlit's download thread, so it queries the database directly): a view
    with ten download buttons does not run ten source queries it may never use.
    """
    chosen = ctx.filters if filters is None else filters
    tr = Translator(normalise_lang(lang)) if lang else ctx.tr
    scope = describe_filters(tr, chosen, query("filter_options"))
    db = database()

    def made() -> tuple[Caption, pd.DataFrame]:
        assert isinstance(db, Database)
        sources = db.query("export_sources", chosen.params())
        publishers = sorted({str(p) for p in sources["publisher"]}) if len(sources) else []
        source = ", ".join(publishers) or tr._("no source in this selection")
        return Caption(scope, source, date.today()), sources

    return made


@functools.lru_cache(maxsize=64)
def _image(fig_json: str, lang: str, caption: Caption, preset: str, fmt: str) -> bytes:
    """A chart image, rendered once per figure, caption, size and format."""
    figure = pio.from_json(fig_json)
    return images.export(figure, Translator(lang), caption, preset, fmt)


def image_downloads(
    fig: go.Figure,
    ctx: Context,
    key: str,
    *,
    filters: Filters | None = None,
    name: str | None = None,
    lang: str | None = None,
) -> None:
    """PNG and SVG buttons for a chart, in three sizes; the image is made on click."""
    caption = export_caption(ctx, filters, lang)
    file_lang = normalise_lang(lang) if lang else ctx.tr.lang

    def image(preset: str, fmt: str) -> Callable[[], bytes]:
        # the figure's JSON too is made on click: a map's is large
        return lambda: _image(fig.to_json(), file_lang, caption()[0], preset, fmt)

    with st.popover(ctx._("Download the chart"), icon=":material/download:"):
        preset = str(
            st.radio(
                ctx._("Size"),
                list(images.PRESETS),
                format_func=lambda k: ctx._(images.PRESETS[k].label),
                key=f"{key}-preset",
            )
        )
        width, height = images.PRESETS[preset].pixels
        st.caption(
            ctx._(
                "{width} × {height} pixels, with the selection, the source and the date.",
                width=width,
                height=height,
            )
        )
        columns = st.columns(len(images.FORMATS))
        for column, fmt in zip(columns, images.FORMATS, strict=True):
            column.download_button(
                fmt.upper(),
                data=image(preset, fmt),
                file_name=f"{name or key}-{preset}.{fmt}",
                mime="image/png" if fmt == "png" else "image/svg+xml",
                on_click="ignore",
                key=f"{key}-{fmt}",
                width="stretch",
            )


def table_downloads(
    frame: pd.DataFrame,
    ctx: Context,
    key: str,
    *,
    filters: Filters | None = None,
    name: str | None = None,
    sheet: str | None = None,
    lang: str | None = None,
    compact: bool = False,
) -> None:
    """XLSX, CSV and « ; » CSV buttons for a table (numbers stay numbers in the files).

    ``compact`` puts them in a « Download the table » pop-over (under long tables).
    """
    from impact.exports import tables

    chosen = ctx.filters if filters is None else filters
    caption = export_caption(ctx, chosen, lang)
    tr = Translator(normalise_lang(lang)) if lang else ctx.tr

    def xlsx() -> bytes:
        made, sources = caption()
        rows = [
            (tr._("Selection"), made.subtitle),
            (tr._("Sources"), made.source),
            (tr._("Exported on"), tr.date(made.day)),
        ]
        return tables.to_xlsx({sheet or tr._("Data"): frame}, rows, sources, tr)

    stem = name or key
    places: list[Any]
    if compact:  # one button under the other: the pop-over is narrow
        places = [st.popover(ctx._("Download the table"), icon=":material/download:")] * 3
    else:
        places = list(st.columns(3))
    left, middle, right = places
    left.download_button(
        "XLSX",
        data=xlsx,
        file_name=f"{stem}.xlsx",
        mime=tables.XLSX_MIME,
        on_click="ignore",
        key=f"{key}-xlsx",
        icon=":material/download:",
        width="stretch",
    )
    middle.download_button(
        "CSV",
        data=lambda: tables.to_csv(frame),
        file_name=f"{stem}.csv",
        mime=tables.CSV_MIME,
        on_click="ignore",
        key=f"{key}-csv",
        icon=":material/download:",
        width="stretch",
        help=ctx._("Comma-separated, UTF-8: for most programs."),
    )
    right.download_button(
        ctx._("CSV (Excel BE)"),
        data=lambda: tables.to_csv_semicolon(frame),
        file_name=f"{stem}-excel-be.csv",
        mime=tables.CSV_MIME,
        on_click="ignore",
        key=f"{key}-csvbe",
        icon=":material/download:",
        width="stretch",
        help=ctx._("Semicolons and decimal comma: opens right in a Belgian or French Excel."),
    )


# --- Detail views and links between pages (map, programmes, countries, organisations) ---

# URL key of the detail view of each page. Distinct from the filter keys
# (``country``, ``org``…): a filter narrows every page, a detail opens one item.
DETAIL_KEYS = {"programmes": "programme_id", "countries": "iso3", "organisations": "org_id"}
_DETAIL_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def detail(key: str) -> str | None:
    """The item a detail view shows (``?programme_id=…``), if the URL names a well-formed one."""
    value = st.query_params.get(key)
    return value if value and _DETAIL_TOKEN.fullmatch(value) else None


def detail_params(url_path: str) -> dict[str, str]:
    """The detail key of the page being opened, kept when the frame rewrites the URL."""
    key = DETAIL_KEYS.get(url_path)
    value = detail(key) if key else None
    return {key: value} if key and value else {}


def set_detail(key: str, value: str | None) -> None:
    """Open (or close, with None) a detail view by writing its key to the URL."""
    if value:
        st.query_params[key] = value
    elif key in st.query_params:
        del st.query_params[key]


def link_params(ctx: Context, **detail_values: str) -> dict[str, str]:
    """URL parameters of a link: language, filters and a detail view."""
    return {"lang": ctx.tr.lang, **ctx.filters.to_query(), **detail_values}


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
    if total > shown:
        st.caption(
            ctx._(
                "The {shown} largest of {total} figures; narrow the filters to see others.",
                shown=ctx.tr.number(shown),
                total=ctx.tr.number(total),
            )
        )


def programmes_section(ctx: Context, params: dict[str, Any], persons: str, key: str) -> None:
    """The programmes of a profile (country, organisation); picking a row opens the programme."""
    st.subheader(ctx._("Programmes"))
    programmes = query("programmes_list", params)
    if programmes.empty:
        st.info(ctx._("No programme in this selection."))
        return
    st.caption(ctx._("Pick a row to open the programme."))
    rows = explore.programmes_table(ctx.tr, programmes, persons)
    picked = table(rows, ctx, numbers=(persons,), key=key, select=True)
    if picked is not None and picked < len(programmes):
        open_page(ctx, "programmes", programme_id=str(programmes["programme_id"].iloc[picked]))


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
) -> int | None:
    """A sortable table with ``numbers`` in the reader's format; the picked row if ``select``.

    ``columns`` is Streamlit's ``column_config`` (links, widths). With a ``key``,
    a « Download the table » button offers it as XLSX and CSV.
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
        table_downloads(frame, ctx, f"{key}-download", name=key.replace("_", "-"), compact=True)
    return selected_row(event) if event is not None else None


_EXPORTS: dict[tuple[str, Filters, str, str, date], bytes] = {}
_EXPORTS_LOCK = threading.Lock()


def _export_file(
    db: Database, key: tuple[str, Filters, str, str, date], filters: Filters, lang: str, kind: str
) -> bytes:
    """A report, deck or figures pack of one scope and language, built once per day."""
    from impact.exports import pack, report

    with _EXPORTS_LOCK:
        if key in _EXPORTS:
            return _EXPORTS[key]
    day = key[-1]

    def view_in(code: str) -> View:
        return build_view(db.query, Translator(code), filters, day)

    view = view_in(lang)
    if kind == "pdf":
        data = report.to_pdf(view)
    elif kind == "pptx":
        data = report.to_pptx(view)
    elif kind == "zip":
        data = pack.figures_pack(view, view_in)
    else:
        raise ValueError(f"unknown export {kind!r}")
    with _EXPORTS_LOCK:
        while len(_EXPORTS) >= 16:
            _EXPORTS.pop(next(iter(_EXPORTS)))
        _EXPORTS[key] = data
    return data


def export_file(filters: Filters, lang: str, kind: str) -> Callable[[], bytes]:
    """The bytes of an export (``pdf``, ``pptx``, ``zip``), made when the button is clicked."""
    db = database()
    assert isinstance(db, Database)
    lang = normalise_lang(lang)
    key = ("|".join(_source()), filters, lang, kind, date.today())
    return functools.partial(_export_file, db, key, filters, lang, kind)


def export_view(filters: Filters, lang: str) -> View:
    """The ``View`` of a scope (key figures, charts, sentences, sources) for previews."""
    prefetch(view_calls(filters))
    return build_view(query, Translator(normalise_lang(lang)), filters, date.today())
