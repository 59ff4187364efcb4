"""Benchmark of the import path: time and peak memory to read and check big uploads.

Two files a curator could send, each measured in a fresh process on a copy of
the bundled data:

- a CSV of 200 000 rows (Belgian Excel: ``;``, decimal commas, a free-text
  note per row, figures of persons reached per country, year and group), valid
  once mapped, so the check goes all the way (validation, model, key figures);
- an XLSX at the 20 MB upload limit (numeric columns with decimals, so it
  compresses like real exports) that stays under the cell limit
  (``reading.MAX_CELLS``), i.e. the largest workbook the page accepts.

and, with ``--base`` (a federation's data folder, e.g. ``impact.synthetic``'s 1M rows),
a CSV of 1 000 rows checked against it: there the current rows are many and the upload few.

For each: the time to read it (``reading.read_bytes``), the time to check it
(``workflow.check``: mapping, candidate folder, validation and model build,
report, preview, key figures before and after), the process's resident memory
once the code is imported, and its peak during the whole run. The aim
(issue 13) is at most 3 s and 500 MB to check 200 000 rows.

    uv run python scripts/bench_imports.py
    uv run python scripts/bench_imports.py --rows 2000 --xlsx-mb 1    # quick
    uv run python scripts/benchmark.py --imports                       # the same
    uv run python scripts/bench_imports.py --base /tmp/perf-bench/rows-1000000  # + at scale
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTRIES = ["Maroc", "Sénégal", "Belgique", "Colombie", "France"]
GROUPS = ["Enfants", "Femmes", "Familles", "Réfugiés"]


def make_csv(path: Path, rows: int) -> Path:
    """A Belgian-Excel CSV: ``;``, decimal commas, thousands points, a note per row."""
    if path.exists():
        return path
    rng = random.Random(13)
    lines = ["Pays;Année;Groupe;Atteints;Taux de couverture;Note"]
    for i in range(rows):
        count = rng.randint(0, 25_000)
        written = f"{count:,}".replace(",", ".")
        rate = f"{rng.uniform(0, 100):.1f}".replace(".", ",")
        lines.append(
            f"{rng.choice(COUNTRIES)};{rng.randint(2015, 2024)};{rng.choice(GROUPS)};"
            f"{written};{rate};Activité {i} relevée sur le terrain"
        )
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")
    return path


def make_xlsx(path: Path, megabytes: float, rows: int) -> Path:
    """A workbook of about ``megabytes`` MB: ``rows`` rows, as many decimal columns as needed.

    A small sample is written first to learn what a cell costs compressed; the
    workbook stays under the cell limit (``reading.MAX_CELLS``).
    """
    from impact.curation.reading import MAX_BYTES, MAX_CELLS

    if path.exists() and abs(path.stat().st_size / 1024 / 1024 - megabytes) < 1.5:
        return path
    sample = _workbook(path, 2_000, 20)
    per_cell = sample.stat().st_size / (2_000 * 24)
    columns = int(megabytes * 1024 * 1024 / per_cell / rows) - 4
    for _attempt in range(2):  # a big file compresses better than the sample: correct once
        columns = max(1, min(columns, MAX_CELLS // rows - 4))
        made = _workbook(path, rows, columns)
        size = made.stat().st_size / 1024 / 1024
        if size > 0.93 * megabytes or columns >= MAX_CELLS // rows - 4:
            break
        columns = int((columns + 4) * megabytes / size) - 4
    while made.stat().st_size > MAX_BYTES and columns > 1:  # never above the upload limit
        columns -= 1
        made = _workbook(path, rows, columns)
    return made


def _workbook(path: Path, rows: int, columns: int) -> Path:
    from openpyxl import Workbook

    rng = random.Random(20)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Données")
    sheet.append(
        ["Pays", "Année", "Atteints", "Cible", *(f"Indicateur {i}" for i in range(columns))]
    )
    for _ in range(rows):
        sheet.append(
            [
                rng.choice(COUNTRIES),
                rng.randint(2015, 2024),
                rng.randint(0, 25_000),
                rng.randint(0, 30_000),
                *(round(rng.uniform(0, 1_000_000), 3) for _ in range(columns)),
            ]
        )
    book.save(path)
    return path


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def _first(path: Path, column: str) -> str:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.DictReader(handle))[column]


def measure(path: Path, base: Path | None = None) -> dict[str, Any]:
    """Read and check ``path`` against a copy of ``base`` (default: the bundled data) in this
    process; seconds and megabytes."""
    from impact.curation import mapping, reading, workflow
    from impact.paths import BUNDLED_DATA_DIR

    work = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    os.environ["IMPACT_IMPORT_DIR"] = str(work / "candidates")
    root = work / "data"
    shutil.copytree(base or BUNDLED_DATA_DIR, root, ignore=shutil.ignore_patterns(".store"))
    workflow.figures  # noqa: B018 - everything the check needs is imported before measuring
    imported = _rss_mb()
    data = path.read_bytes()
    started = time.perf_counter()
    table = reading.read_bytes(data, path.name)
    read = time.perf_counter() - started
    chosen = mapping.propose(table)
    if base is None:
        chosen.constants.update(programme_id="sos-be-daaras", source_id="sos-be-2024")
    else:  # a federation's folder: its first programme and source
        chosen.constants.update(
            programme_id=_first(root / "programmes.csv", "programme_id"),
            source_id=_first(root / "sources.csv", "source_id"),
        )
    started = time.perf_counter()
    checked = workflow.check(root, table, chosen)
    check = time.perf_counter() - started
    result = {
        "file": path.name if base is None else f"{path.name} into {base.name}",
        "megabytes": len(data) / 1024 / 1024,
        "rows": len(table.rows),
        "cells": len(table.rows) * len(table.columns),
        "figures": len(checked.mapped),
        "errors": len(checked.report.errors),
        "read": read,
        "check": check,
        "rss_imported": imported,
        "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    checked.discard()
    shutil.rmtree(work, ignore_errors=True)
    return result


def run(
    workdir: Path, rows: int, xlsx_mb: float, xlsx_rows: int, bases: list[Path] | None = None
) -> list[dict[str, Any]]:
    """Make the files (once) and measure each in a fresh process; then a 1 000-row CSV
    checked against each of ``bases`` (a federation's data: the current rows are many)."""
    workdir.mkdir(parents=True, exist_ok=True)
    files: list[tuple[Path, Path | None]] = [
        (make_csv(workdir / f"import-{rows}.csv", rows), None),
        (make_xlsx(workdir / f"import-{xlsx_mb:g}mb.xlsx", xlsx_mb, xlsx_rows), None),
    ]
    files += [(make_csv(workdir / "import-1000.csv", 1000), base) for base in bases or []]
    results = []
    for path, base in files:
        into = ["--base", str(base)] if base is not None else []
        output = subprocess.run(
            [sys.executable, __file__, "--measure", str(path), *into],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if output.returncode != 0:
            raise RuntimeError(output.stderr[-3000:])
        result = json.loads(output.stdout.strip().splitlines()[-1])
        result["load"] = os.getloadavg()[1]
        results.append(result)
    return results


def table(results: list[dict[str, Any]]) -> str:
    """The Markdown table printed at the end (and pasted in docs/performance.md)."""
    lines = [
        "| file | size (MB) | rows × columns | figures | errors | read (s) | check (s) "
        "| RSS after imports (MB) | peak RSS (MB) | load |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        columns = r["cells"] // max(1, r["rows"])
        lines.append(
            f"| {r['file']} | {r['megabytes']:.1f} | {r['rows']:,} × {columns} | "
            f"{r['figures']:,} | {r['errors']:,} | {r['read']:.2f} | {r['check']:.2f} | "
            f"{r['rss_imported']:.0f} | {r['peak']:.0f} | {r['load']:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module doc)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the CSV")
    parser.add_argument("--xlsx-mb", type=float, default=19.5, help="size of the workbook")
    parser.add_argument("--xlsx-rows", type=int, default=200_000, help="rows of the workbook")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/impact-benchmark/imports"))
    parser.add_argument(
        "--base",
        type=Path,
        action="append",
        default=None,
        help="also check 1 000 rows against this data folder (e.g. impact.synthetic's 1M)",
    )
    parser.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure is not None:
        base = args.base[0] if args.base else None
        print(json.dumps(measure(args.measure, base)))
        return 0
    results = run(args.workdir, args.rows, args.xlsx_mb, min(args.xlsx_rows, args.rows), args.base)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
