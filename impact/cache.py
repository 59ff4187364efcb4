"""The columnar cache: a data folder validated and built once, then opened read-only.

Loading 10 million rows from CSV on every start is not acceptable. The first
start validates the folder and writes its typed tables, the model's ``facts``
table and the counting macros into one DuckDB file named after a fingerprint
of the source; later starts open that file read-only and never read a CSV.

The fingerprint is content-based: SHA-256 of every file of the contract (and
of ``datapackage.json``), streamed in 1 MiB chunks, combined with the contract,
the model scripts and the code that builds the tables, so changing data, rules
or model gives a new file. Hashing 1.7 GB of CSV costs about a second, so a
« stamp » (size, modification time, inode) per file remembers the last digest:
a file whose stamp is unchanged is not re-read, as ``git status`` does. Set
``IMPACT_CACHE_VERIFY=1`` to re-hash every file regardless.

The cache lives in ``$IMPACT_CACHE_DIR`` or ``.cache/impact`` at the project
root (never in the data folder, never committed); the newest
``KEEP_BUILDS`` files are kept. Commands:

    uv run python -m impact.cache build [--data FOLDER]      # build or reuse
    uv run python -m impact.cache export --out DATASET       # Parquet dataset
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

import duckdb

from impact import db as dbmod
from impact import privacy, progress
from impact.paths import BUNDLED_DATA_DIR, ROOT, data_dir
from impact.queries import model_files
from impact.schema import DESCRIPTOR, contract
from impact.source import FOLDER, MOTHERDUCK, PARQUET, Source, configured_source
from impact.validation import Problem, Report

# Bump to invalidate every cache file when the build changes in a way the
# hashed sources below do not show.
CACHE_VERSION = "1"
CHUNK = 1 << 20
KEEP_BUILDS = 6
# The code whose change must rebuild the cache.
BUILD_CODE = (
    "impact/db.py",
    "impact/validation.py",
    "impact/schema.py",
    "impact/cache.py",
    "impact/privacy.py",
)

Opener = Callable[[Path], IO[bytes]]


def _open(path: Path) -> IO[bytes]:
    return path.open("rb")


def cache_dir() -> Path:
    """The cache folder: ``$IMPACT_CACHE_DIR`` or ``.cache/impact`` at the project root."""
    configured = os.environ.get("IMPACT_CACHE_DIR")
    return Path(configured).resolve() if configured else ROOT / ".cache" / "impact"


def source_files(folder: Path) -> list[Path]:
    """The files of a data folder that the database is built from."""
    return [folder / r.path for r in contract().resources] + [folder / DESCRIPTOR]


def file_digest(path: Path, opener: Opener = _open) -> str:
    """SHA-256 of a file's bytes, streamed in chunks."""
    digest = hashlib.sha256()
    with opener(path) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _stamp(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


@cache
def _build_inputs() -> str:
    """Digest of what turns a folder into a database besides the folder itself."""
    digest = hashlib.sha256(f"{CACHE_VERSION} duckdb {duckdb.__version__}".encode())
    for path in [
        BUNDLED_DATA_DIR / DESCRIPTOR,
        *model_files(),
        *(ROOT / name for name in BUILD_CODE),
    ]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _write_json(path: Path, value: Any) -> None:
    """Write JSON atomically (another process may read it at the same time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(value, sort_keys=True, default=str), encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


# The last fingerprint of each folder in this process, with the stamps it was made from: the
# app asks for it before every query (new data must never serve old results), and reading
# the stamps file each time was a tenth of the Reports page's run. Unchanged stamps: the
# same answer, as the stamps file would give it.
_REMEMBERED: dict[tuple[str, str, int], tuple[list[list[int] | None], str]] = {}


def fingerprint(
    folder: Path, store: Path | None = None, verify: bool | None = None, opener: Opener = _open
) -> str:
    """Content fingerprint of a data folder (see the module doc for the stamp shortcut)."""
    store = store or cache_dir()
    if verify is None:
        verify = os.environ.get("IMPACT_CACHE_VERIFY", "") not in {"", "0"}
    folder = folder.resolve()
    files = source_files(folder)
    stamps = [_stamp(path) for path in files]
    threshold = privacy.threshold()
    remembered_as = (str(folder), str(store), threshold)
    remembered = _REMEMBERED.get(remembered_as)
    if not verify and remembered is not None and remembered[0] == stamps:
        return remembered[1]
    stamps_file = (
        store / "stamps" / (hashlib.sha256(str(folder).encode()).hexdigest()[:20] + ".json")
    )
    known: dict[str, Any] = _read_json(stamps_file) or {}
    current: dict[str, Any] = {}
    parts = [_build_inputs(), f"privacy threshold {threshold}"]
    for path, stamp in zip(files, stamps, strict=True):
        if stamp is None:
            parts.append(f"{path.name}:missing")
            continue
        previous = known.get(path.name)
        if not verify and previous and previous["stamp"] == stamp:
            digest = str(previous["sha256"])
        else:
            digest = file_digest(path, opener)
        current[path.name] = {"stamp": stamp, "sha256": digest}
        parts.append(f"{path.name}:{digest}")
    if current != known:
        _write_json(stamps_file, current)
    key = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    _REMEMBERED[remembered_as] = (stamps, key)
    return key


@dataclass(frozen=True)
class CacheFile:
    """A built cache file, its fingerprint and how it was obtained."""

    path: Path
    fingerprint: str
    report: Report
    built: bool  # False when an existing file was reused
    seconds: float


def _report_to_json(report: Report) -> dict[str, Any]:
    return {"folder": str(report.folder), "problems": [asdict(p) for p in report.problems]}


def _report_from_json(raw: dict[str, Any], folder: Path) -> Report:
    return Report(folder, tuple(Problem(**p) for p in raw.get("problems", [])))


def built_file(folder: Path, store: Path | None = None) -> Path | None:
    """The cache file of ``folder`` as it is now, if it is built (else None: a build is due)."""
    store = store or cache_dir()
    key = fingerprint(folder.resolve(), store)
    target = store / f"{key}.duckdb"
    return target if target.exists() and (store / f"{key}.json").exists() else None


def ensure(
    folder: Path,
    store: Path | None = None,
    verify: bool | None = None,
    listener: progress.Listener | None = None,
) -> CacheFile:
    """Return the cache file of ``folder``, building it when the fingerprint is new.

    Raises ``DataError`` when the folder is invalid (nothing is written).
    ``listener`` hears the steps of a build (``impact.progress``).
    """
    started = time.perf_counter()
    store = store or cache_dir()
    folder = folder.resolve()
    key = fingerprint(folder, store, verify)
    target = store / f"{key}.duckdb"
    meta = store / f"{key}.json"
    raw = _read_json(meta)
    if target.exists() and raw is not None:
        report = _report_from_json(raw, folder)
        return CacheFile(target, key, report, False, time.perf_counter() - started)
    store.mkdir(parents=True, exist_ok=True)
    tmp = store / f"{key}.{os.getpid()}.building.duckdb"
    tmp.unlink(missing_ok=True)
    report = dbmod.write_file(folder, tmp, listener=listener)
    os.replace(tmp, target)
    _write_json(meta, _report_to_json(report))
    prune(store)
    return CacheFile(target, key, report, True, time.perf_counter() - started)


def prune(cache: Path, keep: int = KEEP_BUILDS) -> None:
    """Delete all but the ``keep`` newest cache files (open readers keep their copy)."""
    files = sorted(cache.glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in files[keep:]:
        if ".building." in path.name:
            continue
        path.unlink(missing_ok=True)
        path.with_suffix(".json").unlink(missing_ok=True)


def open_folder(folder: Path, store: Path | None = None) -> dbmod.Database:
    """Open a data folder through its cache (built first if needed), read-only."""
    built = ensure(folder, store)
    return dbmod.Database.open_file(built.path, built.report, built.fingerprint)


def source_key(source: Source, store: Path | None = None) -> str:
    """What identifies the data of a source now: the fingerprint of a folder, else its URL."""
    if source.kind == FOLDER:
        return fingerprint(source.path, store)
    if source.kind == PARQUET and not source.is_remote:
        stamps = [(p.name, _stamp(p)) for p in sorted(source.path.glob("*.parquet"))]
        return hashlib.sha256(json.dumps(stamps).encode()).hexdigest()[:32]
    return source.describe()


def open_source(source: Source | None = None, store: Path | None = None) -> dbmod.Database:
    """Open the configured source (``IMPACT_SOURCE``; default: the data folder, cached)."""
    source = source or configured_source()
    if source.kind == FOLDER:
        return open_folder(source.path, store)
    if source.kind == PARQUET:
        return dbmod.Database.open_parquet(source.location, source_key(source, store))
    if source.kind == MOTHERDUCK:
        return dbmod.Database.open_motherduck(source.location)
    raise ValueError(source.kind)


def export(folder: Path, out: Path, store: Path | None = None) -> list[Path]:
    """Write the validated tables of ``folder`` as a Parquet dataset for ``parquet:`` sources."""
    database = open_folder(folder, store)
    try:
        return dbmod.export_parquet(database.con, out)
    finally:
        database.close()


def main(argv: list[str] | None = None) -> int:
    """Command line: ``build`` the cache of a folder, or ``export`` it as Parquet."""
    parser = argparse.ArgumentParser(description="Columnar cache of a data folder")
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="build (or reuse) the cache of a data folder")
    build_cmd.add_argument("--data", type=Path, default=None)
    export_cmd = sub.add_parser("export", help="write a Parquet dataset")
    export_cmd.add_argument("--data", type=Path, default=None)
    export_cmd.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    folder = (args.data or data_dir()).resolve()
    if args.command == "build":
        built = ensure(folder)
        state = "built" if built.built else "reused"
        print(f"{state} {built.path} in {built.seconds:.2f} s")
    else:
        started = time.perf_counter()
        paths = export(folder, args.out.resolve())
        seconds = time.perf_counter() - started
        print(f"wrote {len(paths)} Parquet files to {args.out} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
