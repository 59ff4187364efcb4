"""Caching, in one place: the shared database and the results of named queries.

The database is a shared resource (one connection, a cursor per query); query
results are cached data keyed by the query, its parameters and the data's
fingerprint, so new data never serves old results. Pages start their
independent queries side by side (``prefetch``) into the same cache. What a core
function writes from results in the reader's language (a map's hover texts) is
cached the same way (``derived``), and so is the Reports page's preview (``view``).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd
import streamlit as st

from impact import explore
from impact.db import QUERY_POOL, Database
from impact.filters import Filters
from impact.i18n import Translator, normalise_lang
from impact.queries import localize
from impact.validation import DataError, Report

if TYPE_CHECKING:
    from impact.exports.view import KeptView, View


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


def query(name: str, params: dict[str, Any] | None = None, lang: str | None = None) -> pd.DataFrame:
    """Run a named query through the cache (same data, query and parameters: same result).

    Texts of the data come in ``lang``, the reader's language by default
    (``impact.queries.localize``).
    """
    return _read(_source(), name, params, lang or normalise_lang(st.session_state.get("lang")))


def _read(
    source: tuple[str, str], name: str, params: dict[str, Any] | None, lang: str
) -> pd.DataFrame:
    """A named query's cached result from one version of the data, its texts in ``lang``."""
    frame = _cached_query(*source, name, json.dumps(params or {}, sort_keys=True))
    return localize(frame, lang)


T = TypeVar("T")


@st.cache_data(show_spinner=False, max_entries=128)
def _cached_derived(
    source: str, fingerprint: str, builder: str, calls_json: str, lang: str, options_json: str
) -> Any:
    module, _, name = builder.partition(":")
    function = getattr(importlib.import_module(module), name)
    # the results read are those of the version the key names
    frames = [
        _read((source, fingerprint), call, params, lang) for call, params in json.loads(calls_json)
    ]
    return function(Translator(lang), *frames, **json.loads(options_json))


def derived(
    builder: Callable[..., T],
    calls: Sequence[tuple[str, dict[str, Any]]],
    lang: str | None = None,
    **options: Any,
) -> T:
    """``builder(tr, *results, **options)`` over named queries' results, cached like them.

    For what a core function writes from results in the reader's language and that
    costs a page's run: the Map page's country hovers and places' reach write
    thousands of numbers and labels, the same on every switch back to it. The key
    is the builder's name, the queries with their parameters, the language, the
    options (JSON) and the data's fingerprint: the same inputs give the same frame,
    new data a new one. ``builder`` must be a module-level function of ``impact``
    that only reads its arguments.
    """
    name = f"{builder.__module__}:{builder.__qualname__}"
    calls_json = json.dumps([[call, params or {}] for call, params in calls], sort_keys=True)
    language = lang or normalise_lang(st.session_state.get("lang"))
    result: T = _cached_derived(
        *_source(), name, calls_json, language, json.dumps(options, sort_keys=True)
    )
    return result


def map_places(
    tr: Translator, params: dict[str, Any], value_label: str
) -> tuple[pd.DataFrame, Callable[[pd.DataFrame], list[str]]]:
    """The places of a map of the selection ``params`` (``explore.place_map_frame``, cached)
    and the writer of the hovers of those it draws alone, both from one ``place_figures``."""
    calls = [("map_places", params), ("place_figures", params)]
    frame = derived(explore.place_map_frame, calls, lang=tr.lang)
    figures = query("place_figures", params, lang=tr.lang)
    return frame, explore.place_hovers(tr, figures, value_label)


def prefetch(
    calls: Iterable[tuple[str, dict[str, Any]]], source: tuple[str, str] | None = None
) -> None:
    """Start a page's independent queries side by side, into the cache ``query`` reads.

    A page lists at its top the queries it is about to run; they start on
    ``QUERY_POOL`` and the page's own ``query`` calls then find each result
    cached, or wait for the one still running (Streamlit computes a cached value
    once). A call the page does not make again is only wasted work, never a
    wrong answer; tests/test_pages.py checks that every prefetched call is used.
    ``source`` is the version of the data to read (the session's by default).
    """
    source = source or _source()
    for name, params in calls:
        QUERY_POOL.submit(_cached_query, *source, name, json.dumps(params or {}, sort_keys=True))


@st.cache_data(show_spinner=False, max_entries=32)
def _cached_view(source: str, fingerprint: str, filters_json: str, lang: str, day: str) -> KeptView:
    from impact.exports.view import build_view, keep, view_calls

    filters = Filters.from_params(json.loads(filters_json))
    version = (source, fingerprint)
    prefetch(view_calls(filters), version)

    def run(name: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        return _read(version, name, params, lang)

    return keep(build_view(run, Translator(lang), filters, date.fromisoformat(day)))


def view(filters: Filters, lang: str) -> View:
    """The ``View`` of a scope in ``lang`` (the Reports page's preview), cached like a query.

    Building it (four charts, one a world map, its sentences and sources) was half
    of the Reports page's run at 10 million figures, on every run of the page: a
    download click or a « show more » reran it. The key is the scope (its
    ``params()`` as JSON, read back with ``Filters.from_params``), the language, the
    day (the view is dated) and the data's fingerprint. Each call gets figures of
    its own (``impact.exports.view.thaw``).
    """
    from impact.exports.view import thaw

    key = json.dumps(filters.params(), sort_keys=True)
    return thaw(_cached_view(*_source(), key, lang, date.today().isoformat()))
