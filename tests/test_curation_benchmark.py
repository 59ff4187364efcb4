"""The import benchmark (scripts/bench_imports.py) runs end to end at a tiny size."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from impact.paths import ROOT
from tests.factory import make_data


def test_import_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    base = make_data(tmp_path / "federation")
    result = subprocess.run(
        [
            sys.executable,
            "scripts/bench_imports.py",
            "--rows",
            "300",
            "--xlsx-mb",
            "0.05",
            "--xlsx-rows",
            "300",
            "--workdir",
            str(tmp_path),
            "--base",
            str(base),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| file | size (MB) | rows × columns | figures | errors | read (s)")
    csv_row = next(line for line in lines if line.startswith("| import-300.csv |"))
    # every row read, one figure each, and valid: the check went through the model build
    assert "| 300 × 6 | 300 | 0 |" in csv_row
    xlsx_row = next(line for line in lines if line.startswith("| import-0.05mb.xlsx |"))
    assert "| 600 | 0 |" in xlsx_row  # two count columns: two figures a row, valid
    scaled = next(line for line in lines if line.startswith("| import-1000.csv into federation |"))
    # checked against that folder (which knows 3 countries of the file's 5: errors counted)
    assert "| 1,000 × 6 | 1,000 |" in scaled
