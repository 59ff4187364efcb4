"""Load the SQL files of ``queries/`` by name and know which parameters each takes.

One query per file; the file name is its name. Values always travel as DuckDB
named parameters (``$name``); this module only reads the files and lists the
``$names`` so a caller can pass a superset (all filters) safely — DuckDB
rejects a parameter that the SQL does not use. ``localize`` gives a result's
texts of the data (names, summaries…) in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from impact.paths import QUERIES_DIR

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


@dataclass(frozen=True)
class Query:
    """A named SQL file and the parameters it reads."""

    name: str
    sql: str
    params: frozenset[str]
    doc: str


def query_names(folder: Path = QUERIES_DIR) -> list[str]:
    """Names of the page queries (top-level ``queries/*.sql``)."""
    return sorted(p.stem for p in folder.glob("*.sql"))


def model_files(folder: Path = QUERIES_DIR) -> list[Path]:
    """The model scripts (``queries/model/*.sql``) run once when the database is built."""
    return sorted((folder / "model").glob("*.sql"))


@cache
def load_query(name: str, folder: Path = QUERIES_DIR) -> Query:
    """Read ``queries/<name>.sql``; raises ``KeyError`` for an unknown name."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise KeyError(name)
    path = folder / f"{name}.sql"
    if not path.is_file():
        raise KeyError(name)
    sql = path.read_text(encoding="utf-8")
    header = [line[2:].strip() for line in sql.splitlines() if line.startswith("--")]
    params = frozenset(_PARAM.findall(_COMMENT.sub("", sql)))
    return Query(name, sql, params, " ".join(header))


# A query's column ``x__nl`` (or ``x__en``) is column ``x`` (French, as the data
# writes it) in Dutch (English), already following the fallback rule of
# queries/model/05_texts.sql.
_TRANSLATED = re.compile(r"^(.+)__(nl|en)$")


def localize(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The texts of a query's result in ``lang``: ``x`` takes the values of ``x__<lang>``.

    Pages and exports read ``name``, ``summary``, ``admin1``… whatever the
    language; this swaps in the translations the query returned beside them.
    The frame given is never changed (query results are cached and shared).
    """
    pairs = [
        (match[1], column)
        for column in frame.columns
        if (match := _TRANSLATED.match(str(column))) and match[2] == lang
    ]
    if not pairs:
        return frame
    out = frame.copy()
    for base, column in pairs:
        if base in out.columns:
            out[base] = out[column]
    return out


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A result's rows as dicts of plain values, like ``frame.to_dict("records")``, faster.

    pandas boxes every cell of an Arrow-backed column one at a time (a map's hovers read
    thousands of rows on every run: a fifth of the Map page's script); a column's
    ``tolist`` converts it at once. Missing values come as None, ``pd.NA`` or NaN, as
    from pandas: readers test them with ``pd.isna`` or ``explore._missing``.
    """
    columns = [str(c) for c in frame.columns]
    return [
        dict(zip(columns, values, strict=True))
        for values in zip(*(frame[c].tolist() for c in frame.columns), strict=True)
    ]
