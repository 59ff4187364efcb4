"""Caching, in one place: the shared database and the results of named queries.

The database is a shared resource (one connection, a cursor per query); query
results are cached data keyed by the query, its parameters and the data's
fingerprint, so new data never serves old results. Pages start their
independent queries side by side (``prefetch``) into the same cache.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pandas as pd
import streamlit as st

from impact.db import QUERY_POOL, Database
from impact.i18n import normalise_lang
from impact.queries import localize
from impact.validation import DataError, Report


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
    frame = _cached_query(*_source(), name, json.dumps(params or {}, sort_keys=True))
    return localize(frame, lang or normalise_lang(st.session_state.get("lang")))


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
