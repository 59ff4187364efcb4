"""Where the dashboard reads its data from: configuration, not code.

``IMPACT_SOURCE`` chooses the source; unset, it is the local data folder
(``IMPACT_DATA_DIR`` or the bundled ``data/``), validated and cached as a
columnar DuckDB file (see ``impact.cache``). The other forms are for
federations whose data outgrows one machine:

- ``folder:/path/to/data`` — a folder of the 8 CSVs (same as the default);
- ``parquet:/path/to/dataset`` or ``parquet:s3://bucket/prefix`` — a Parquet
  dataset written by ``python -m impact.cache export`` (one ``<table>.parquet``
  per table, the model's ``facts`` included), read in place by DuckDB; a remote
  URL needs DuckDB's ``httpfs`` extension and credentials (docs/performance.md);
- ``md:<database>`` — a MotherDuck database holding the same tables and macros
  (needs the ``motherduck`` extension and ``MOTHERDUCK_TOKEN``).

Parquet and MotherDuck data are validated when they are written, not when read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from impact.paths import data_dir

FOLDER = "folder"
PARQUET = "parquet"
MOTHERDUCK = "motherduck"


@dataclass(frozen=True)
class Source:
    """A configured data source: its kind and its location (a path or a URL)."""

    kind: str
    location: str

    @property
    def is_remote(self) -> bool:
        """True when DuckDB reads the data over the network."""
        return self.kind == MOTHERDUCK or "://" in self.location

    @property
    def path(self) -> Path:
        """The local path of a folder or local Parquet source."""
        if self.is_remote:
            raise ValueError(f"{self.location} is not a local path")
        return Path(self.location)

    def describe(self) -> str:
        """A stable text form, used as a cache key and shown in logs."""
        return f"{self.kind}:{self.location}"


def parse_source(text: str | None) -> Source:
    """Read an ``IMPACT_SOURCE`` value; empty means the local data folder."""
    value = (text or "").strip()
    if not value:
        return Source(FOLDER, str(data_dir()))
    if value.startswith("md:"):
        return Source(MOTHERDUCK, value)
    kind, sep, rest = value.partition(":")
    if sep and kind in {FOLDER, PARQUET} and rest:
        return Source(kind, rest if "://" in rest else str(Path(rest).expanduser().resolve()))
    raise ValueError(
        f"IMPACT_SOURCE={value!r}: expected folder:<path>, parquet:<path or s3://…> or md:<db>"
    )


def configured_source() -> Source:
    """The source named by ``IMPACT_SOURCE`` (default: the local data folder)."""
    return parse_source(os.environ.get("IMPACT_SOURCE"))
