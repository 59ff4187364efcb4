"""The embedded DuckDB database built from the data folder, and the one way to query it.

The folder is validated first (see ``impact.validation``): invalid data raises
``DataError`` with the full report instead of reaching a page. Tables are then
typed from the contract and the counting model (``queries/model/*.sql``) is
built once. ``Database.query`` runs a named query with bound parameters on a
fresh cursor, so one shared connection serves many sessions at once.

``Database.open`` builds in memory (tests, small folders). The app goes through
``impact.cache``, which builds the same tables once into a DuckDB file
(``write_file``) and then opens that file read-only (``Database.open_file``),
or reads a Parquet dataset in place (``Database.open_parquet``).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from impact import privacy, progress
from impact.queries import load_query, model_files
from impact.schema import Package, Resource, contract
from impact.validation import (
    DataError,
    Report,
    quote_ident,
    raw_table,
    sort_problems,
    stage_and_check,
)

# How many of the largest figures of each unit and measure the model keeps apart
# (queries/model/32_largest_facts.sql): enough for any page or file's list of
# the rows behind a total, a few percent of a federation's 10 million.
LARGEST_ROWS = 200_000


# A page's independent queries run side by side on this pool (``ui.prefetch``).
# DuckDB binds and optimises a query on one thread, and on small selections that
# is most of its time: two at once keep both cores of a small server busy.
# IMPACT_QUERY_WORKERS changes the width (1: one query at a time).
QUERY_POOL = ThreadPoolExecutor(
    max_workers=max(1, int(os.environ.get("IMPACT_QUERY_WORKERS", "2"))),
    thread_name_prefix="impact-query",
)


# The order a typed table is stored in by the cache build (``write_file``), when it
# matters. The figures are sorted by programme once, in memory: ``10_facts`` keeps
# this order (DuckDB keeps a scan's order through the probe side of its joins when a
# query has no ORDER BY), so a programme's figures sit in one or two row groups of
# the cache, which DuckDB finds from their min/max. The programme alone is the key:
# at 10 million figures sorting by (programme, year, figure id) took 11-12 s and by
# programme 8 s (3 s unsorted), the ties of the text id costing the difference; the
# order within a programme is then any, which no query depends on (every list with a
# LIMIT orders by count and figure id). ``10_facts`` sorting its own wide result into
# the file instead cost 18 s.
# An in-memory build keeps the files' order: there ``rowid + 2`` is a figure's row
# in its file (the import's report reads it, impact/curation/report.py).
STORED_ORDER = {"beneficiaries": "programme_id"}


def _typed_select(resource: Resource, ordered: bool = False) -> str:
    columns = []
    for fld in resource.fields:
        col = quote_ident(fld.name)
        if fld.type == "boolean":
            expr = f"CAST(lower({col}) AS BOOLEAN)"
        else:
            expr = f"CAST({col} AS {fld.duckdb_type})"
        columns.append(f"{expr} AS {col}")
    # Unordered, a table keeps its file's order (DuckDB preserves insertion order):
    # no ORDER BY rowid, a full sort at 10M rows.
    order = STORED_ORDER.get(resource.name) if ordered else None
    return f"SELECT {', '.join(columns)} FROM {raw_table(resource)}" + (
        f" ORDER BY {order}" if order else ""
    )


def build(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    package: Package | None = None,
    largest_rows: int = LARGEST_ROWS,
) -> Report:
    """Validate ``folder`` and, if it is valid, create the typed tables and the model in ``con``."""
    report = load(con, folder, package)
    run_model(con, largest_rows=largest_rows)
    return report


def load(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    package: Package | None = None,
    ordered: bool = False,
) -> Report:
    """Validate ``folder`` and, if it is valid, create its typed tables in ``con`` (no model).

    ``ordered``: in ``STORED_ORDER`` rather than in the files' order.
    """
    package = package or contract()
    report = Report(folder, sort_problems(stage_and_check(con, folder, package)))
    if not report.ok:
        raise DataError(report)
    for resource in package.resources:
        typed = _typed_select(resource, ordered)
        con.execute(f"CREATE OR REPLACE TABLE {resource.name} AS {typed}")
        con.execute(f"DROP TABLE {raw_table(resource)}")
    return report


# DuckDB settings of every connection. The memory limit bounds the buffer pool
# (the cache file's pages, intermediate results); override with
# IMPACT_DUCKDB_MEMORY (e.g. "2GB") and IMPACT_DUCKDB_THREADS.
DEFAULT_MEMORY_LIMIT = "500MB"
BUILD_MEMORY_LIMIT = os.environ.get("IMPACT_DUCKDB_BUILD_MEMORY", "8GB")
_CREATES_TABLE = re.compile(r"create\s+(?:or\s+replace\s+)?table\s+([a-z_][a-z0-9_]*)", re.I)


def connect(
    path: str = ":memory:", read_only: bool = False, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the project's settings (never downloads an extension)."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "autoinstall_known_extensions": False,
        "memory_limit": memory_limit
        or os.environ.get("IMPACT_DUCKDB_MEMORY")
        or DEFAULT_MEMORY_LIMIT,
    }
    threads = os.environ.get("IMPACT_DUCKDB_THREADS")
    if threads:
        config["threads"] = int(threads)
    con = duckdb.connect(path, read_only=read_only, config=config)
    con.execute("SET enable_progress_bar = false")
    return con


def model_tables() -> list[str]:
    """Tables the model scripts create (``facts``), in script order."""
    names: list[str] = []
    for script in model_files():
        names += [m.lower() for m in _CREATES_TABLE.findall(script.read_text(encoding="utf-8"))]
    return names


def table_names(package: Package | None = None) -> list[str]:
    """Every table of a built database: the contract's resources, then the model's tables."""
    package = package or contract()
    return [r.name for r in package.resources] + model_tables()


def write_file(
    folder: Path,
    target: Path,
    package: Package | None = None,
    listener: progress.Listener | None = None,
) -> Report:
    """Validate ``folder`` and build its tables and model into the DuckDB file ``target``.

    Validation and typing run in memory (much faster than in a file); the
    contract's tables are then copied into ``target`` and the model is built
    there directly, reading the figures from memory: at 10 million rows only one
    copy of them (and the sort of ``facts``) is ever held in memory. Raises
    ``DataError`` (and writes nothing) when the folder is invalid. ``listener``
    hears each step (``impact.progress``): checking, storing, each model script,
    saving.
    """
    package = package or contract()
    total = len(model_files()) + 3

    def step(name: str, detail: str, done: int) -> None:
        if listener is not None:
            listener((name, detail), done, total)

    con = connect(memory_limit=BUILD_MEMORY_LIMIT)
    try:
        step(progress.CHECKING, "", 0)
        report = load(con, folder, package, ordered=True)
        step(progress.COPYING, "", 1)
        con.execute(f"ATTACH '{_literal(str(target))}' AS store")
        con.execute("USE store")
        # unqualified names: the store's tables first, then the figures in memory
        con.execute("SET search_path = 'store.main,memory.main'")
        for resource in package.resources:
            if resource.name != "beneficiaries":
                con.execute(
                    f"CREATE TABLE store.{resource.name} AS SELECT * FROM memory.{resource.name}"
                )
        run_model(
            con,
            listener=None
            if listener is None
            else lambda name, index: step(progress.MODEL, name, 2 + index),
        )
        step(progress.SAVING, "", total - 1)
        _facts_only(con, package, source="memory.beneficiaries")
        con.execute("USE memory")
        con.execute("DETACH store")
    except BaseException:
        con.close()
        target.unlink(missing_ok=True)
        raise
    con.close()
    return report


def _facts_only(
    con: duckdb.DuckDBPyConnection, package: Package, source: str = "beneficiaries"
) -> None:
    """Store the figure rows once: ``beneficiaries`` becomes a view of ``facts``.

    ``facts`` holds every column of ``beneficiaries`` (one row per figure) plus
    the model's; keeping both would write 10 million rows twice.
    """
    facts = {row[0] for row in con.execute("DESCRIBE facts").fetchall()}
    resource = package.resource("beneficiaries")
    if not set(resource.field_names) <= facts:
        return
    columns = ", ".join(quote_ident(n) for n in resource.field_names)
    con.execute(f"DROP TABLE {source}")
    con.execute(f"CREATE VIEW beneficiaries AS SELECT {columns} FROM facts")


def export_parquet(con: duckdb.DuckDBPyConnection, out: Path) -> list[Path]:
    """Write every table of a built database to ``out/<table>.parquet`` (zstd)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in table_names():
        path = out / f"{name}.parquet"
        con.execute(
            f"COPY (SELECT * FROM {name}) TO '{_literal(str(path))}' "
            "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
        )
        written.append(path)
    return written


def _literal(text: str) -> str:
    """A path for a SQL string literal (DDL cannot take bound parameters)."""
    return text.replace("'", "''")


def run_model(
    con: duckdb.DuckDBPyConnection,
    skip_tables: frozenset[str] = frozenset(),
    largest_rows: int = LARGEST_ROWS,
    listener: Callable[[str, int], None] | None = None,
) -> None:
    """Run the model scripts, except those creating a table given in ``skip_tables``.

    ``listener`` hears each script's name (``30_rollup``) and position before it runs.

    Settings are stored first (table ``settings``): the privacy threshold the
    model hides small sensitive figures with (see ``impact.privacy``), and how
    many of the largest figures of each unit and measure ``largest_facts`` keeps.
    """
    con.execute(
        "CREATE OR REPLACE TABLE settings AS SELECT $threshold::INTEGER AS privacy_threshold, "
        "$largest::BIGINT AS largest_rows",
        {"threshold": privacy.threshold(), "largest": largest_rows},
    )
    for index, script in enumerate(model_files()):
        sql = script.read_text(encoding="utf-8")
        if {m.lower() for m in _CREATES_TABLE.findall(sql)} & skip_tables:
            continue
        if listener is not None:
            listener(script.stem, index)
        con.execute(sql)


@dataclass
class Database:
    """A built, valid database and the report of its (non-blocking) warnings."""

    con: duckdb.DuckDBPyConnection
    folder: Path
    report: Report
    fingerprint: str = ""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    @classmethod
    def open(cls, folder: Path, largest_rows: int = LARGEST_ROWS) -> Database:
        """Build an in-memory database from ``folder``; raises ``DataError`` if invalid."""
        con = connect(memory_limit=BUILD_MEMORY_LIMIT)
        try:
            report = build(con, folder, largest_rows=largest_rows)
        except Exception:
            con.close()
            raise
        return cls(con, folder, report)

    @classmethod
    def open_file(cls, path: Path, report: Report, fingerprint: str = "") -> Database:
        """Open a database file written by ``write_file``, read-only."""
        con = connect(str(path), read_only=True)
        return cls(con, report.folder, report, fingerprint)

    @classmethod
    def open_parquet(cls, location: str, fingerprint: str = "") -> Database:
        """Read a Parquet dataset in place: one ``<table>.parquet`` per table, local or remote.

        The tables become views; the model's macros are created on top (its
        tables, ``facts``, are read from the dataset, not rebuilt).
        """
        con = connect()
        try:
            if "://" in location:
                con.execute("LOAD httpfs")
            for name in table_names():
                path = f"{location.rstrip('/')}/{name}.parquet"
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{_literal(path)}')")
            run_model(con, skip_tables=frozenset(model_tables()))
        except Exception:
            con.close()
            raise
        return cls(con, Path(location), Report(Path(location), ()), fingerprint)

    @classmethod
    def open_motherduck(cls, url: str) -> Database:
        """Open a MotherDuck database (``md:<name>``) holding the tables and the model."""
        con = duckdb.connect(url, read_only=True)
        return cls(con, Path(url), Report(Path(url), ()), url)

    def query(self, name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Run ``queries/<name>.sql`` with the parameters it uses, taken from ``params``."""
        query = load_query(name)
        given = dict(params or {})
        missing = query.params - given.keys()
        if missing:
            raise TypeError(f"query {name!r} needs parameters {sorted(missing)}")
        bound = {k: given[k] for k in query.params}
        with self._lock:
            cursor = self.con.cursor()
        try:
            return cursor.execute(query.sql, bound).df()
        finally:
            cursor.close()

    def close(self) -> None:
        """Close the connection."""
        self.con.close()
