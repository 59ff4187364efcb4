"""The embedded DuckDB database built from the data folder, and the one way to query it.

The folder is validated first (see ``impact.validation``): invalid data raises
``DataError`` with the full report instead of reaching a page. Tables are then
typed from the contract and the counting model (``queries/model/*.sql``) is
built once. ``Database.query`` runs a named query with bound parameters on a
fresh cursor, so one shared connection serves many sessions at once.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

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


def _typed_select(resource: Resource) -> str:
    columns = []
    for fld in resource.fields:
        col = quote_ident(fld.name)
        if fld.type == "boolean":
            expr = f"CAST(lower({col}) AS BOOLEAN)"
        else:
            expr = f"CAST({col} AS {fld.duckdb_type})"
        columns.append(f"{expr} AS {col}")
    return f"SELECT {', '.join(columns)} FROM {raw_table(resource)} ORDER BY rowid"


def build(con: duckdb.DuckDBPyConnection, folder: Path, package: Package | None = None) -> Report:
    """Validate ``folder`` and, if it is valid, create the typed tables and the model in ``con``."""
    package = package or contract()
    report = Report(folder, sort_problems(stage_and_check(con, folder, package)))
    if not report.ok:
        raise DataError(report)
    for resource in package.resources:
        con.execute(f"CREATE OR REPLACE TABLE {resource.name} AS {_typed_select(resource)}")
        con.execute(f"DROP TABLE {raw_table(resource)}")
    for script in model_files():
        con.execute(script.read_text(encoding="utf-8"))
    return report


@dataclass
class Database:
    """A built, valid database and the report of its (non-blocking) warnings."""

    con: duckdb.DuckDBPyConnection
    folder: Path
    report: Report

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    @classmethod
    def open(cls, folder: Path) -> Database:
        """Build an in-memory database from ``folder``; raises ``DataError`` if invalid."""
        con = duckdb.connect(config={"autoinstall_known_extensions": False})
        try:
            report = build(con, folder)
        except Exception:
            con.close()
            raise
        return cls(con, folder, report)

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
