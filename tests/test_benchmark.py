"""The benchmark command runs end to end at a tiny size and prints its table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from impact.paths import ROOT


@pytest.mark.timeout(900)  # a loaded machine (other suites on the same 2 cores) takes minutes
def test_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    env = {**os.environ, "IMPACT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("IMPACT_SOURCE", None)
    result = subprocess.run(
        [
            sys.executable,
            "scripts/benchmark.py",
            "--sizes",
            "2000",
            "--bundled",
            "--no-browser",
            "--repeats",
            "2",
            "--workdir",
            str(tmp_path / "work"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert any(line.startswith("| 2,000 |") for line in lines), result.stdout
    assert any(line.startswith("| bundled |") for line in lines), result.stdout
    assert "pandas ÷ ours" in result.stdout and "overview" in result.stdout
    assert (tmp_path / "work" / "rows-2000" / "beneficiaries.csv").exists()
