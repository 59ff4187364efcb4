"""Downloads: chart images, tables and reports, made on the server when clicked.

Files are rendered by ``impact.exports``; every file states its selection, its
sources and the date (``export_caption``). Buttons receive a function, so a
view with many buttons makes no file it is not asked for.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from impact import figures
from impact.db import Database
from impact.exports import images
from impact.exports.images import Caption
from impact.exports.view import View, build_view
from impact.figures import publisher_line, sources_call
from impact.filters import Filters
from impact.i18n import Translator, normalise_lang
from impact.queries import localize
from impact.ui import caching
from impact.ui.state import Context


def publishers(filters: Filters, lang: str, places: bool = False) -> str:
    """The publishers' line of what a chart of a selection draws (``figures.publisher_line``
    of ``sources_call``), cached: at 10 million figures its sources are thousands of rows."""
    return caching.derived(publisher_line, [sources_call(filters, every=places)], lang)


def start_publishers(filters: Filters, places: pd.DataFrame) -> None:
    """Start the query of a map's ``publishers`` while its figure is built.

    A map draws every place it is given (``maps.reach_map``), so it names every
    figure's sources when ``places`` has rows (``figures.draws_places``), persons
    reached's when not: the rule ``layout.chart`` applies once the map is drawn.
    """
    caching.prefetch([sources_call(filters, every=not places.empty)])


def selection_description(filters: Filters, lang: str) -> str:
    """A selection's description in ``lang`` (``figures.selection_description``), cached."""
    options: list[tuple[str, dict[str, Any]]] = [("filter_options", {})]
    return caching.derived(figures.selection_description, options, lang, filters=filters.params())


def export_caption(
    ctx: Context, filters: Filters | None = None, lang: str | None = None, places: bool = False
) -> Callable[[], tuple[Caption, pd.DataFrame]]:
    """What every exported file states — the selection, its sources, today — made on click.

    Returns a function giving the caption and the sources, called when a file is made
    (in Streamlit's download thread, so it queries the database directly): a view
    with ten download buttons does not run ten source queries it may never use.
    """
    chosen = ctx.filters if filters is None else filters
    tr = Translator(normalise_lang(lang)) if lang else ctx.tr
    scope = selection_description(chosen, tr.lang)
    db = caching.database()

    def made() -> tuple[Caption, pd.DataFrame]:
        assert isinstance(db, Database)
        # the file's list of sources: every figure's of the selection; its caption names
        # those of what it draws (the same for a map of places: read once)
        every = db.query(*sources_call(chosen, every=True))
        named = every if places else db.query(*sources_call(chosen))
        source = publisher_line(tr, named) or tr._("no source in this selection")
        return Caption(scope, source, date.today()), every

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
    places: bool = False,
) -> None:
    """PNG and SVG buttons for a chart, in three sizes; the image is made on click."""
    caption = export_caption(ctx, filters, lang, places)
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


def largest_rows(tr: Translator, shown: int, total: int | None) -> list[tuple[str, str]]:
    """The workbook's line saying its table holds the ``shown`` largest of ``total``
    figures (none when it holds them all)."""
    said = None if total is None else figures.largest_text(tr, shown, total)
    return [(tr._("Figures"), said)] if said else []


def table_downloads(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    ctx: Context,
    key: str,
    *,
    filters: Filters | None = None,
    name: str | None = None,
    sheet: str | None = None,
    lang: str | None = None,
    compact: bool = False,
    largest_of: int | None = None,
) -> None:
    """XLSX, CSV and « ; » CSV buttons for a table (numbers stay numbers in the files).

    ``compact`` puts them in a « Download the table » pop-over (under long tables).
    ``frame`` may be a function making the table on click (a whole list the page
    draws a page at a time). ``largest_of``: the table is the largest figures of that
    many, which the workbook says beside the selection (a file travels without the
    page's caption).
    """
    from impact.exports import tables

    chosen = ctx.filters if filters is None else filters
    caption = export_caption(ctx, chosen, lang)
    tr = Translator(normalise_lang(lang)) if lang else ctx.tr

    def xlsx() -> bytes:
        made, sources = caption()
        table = whole()
        rows = [(tr._("Selection"), made.subtitle), (tr._("Sources"), made.source)]
        rows += largest_rows(tr, len(table), largest_of)
        rows.append((tr._("Exported on"), tr.date(made.day)))
        return tables.to_xlsx({sheet or tr._("Data"): table}, rows, sources, tr)

    def whole() -> pd.DataFrame:
        return frame() if callable(frame) else frame

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
        data=lambda: tables.to_csv(whole()),
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
        data=lambda: tables.to_csv_semicolon(whole()),
        file_name=f"{stem}-excel-be.csv",
        mime=tables.CSV_MIME,
        on_click="ignore",
        key=f"{key}-csvbe",
        icon=":material/download:",
        width="stretch",
        help=ctx._("Semicolons and decimal comma: opens right in a Belgian or French Excel."),
    )


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
        def query(name: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
            return localize(db.query(name, params), code)

        return build_view(query, Translator(code), filters, day)

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
    db = caching.database()
    assert isinstance(db, Database)
    lang = normalise_lang(lang)
    key = ("|".join(caching._source()), filters, lang, kind, date.today())
    return functools.partial(_export_file, db, key, filters, lang, kind)


def export_view(filters: Filters, lang: str) -> View:
    """The ``View`` of a scope (key figures, charts, sentences, sources) for previews."""
    return caching.view(filters, normalise_lang(lang))
