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


def test_the_browser_table_shows_every_view_with_its_floor_ratio() -> None:
    """The table of what people wait for: a row per view, a column per size, ours ÷ floor
    (switch, then shared link) over the one-chart floor for a view with charts and over
    the empty page otherwise (and over the floor nearest its content: one table for a
    view with tables, cards for a view listing links to others, the empty page under a
    sidebar like ours for the others)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("benchmark", ROOT / "scripts" / "benchmark.py")
    assert spec and spec.loader
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    views = {
        view: {"switch": 1.0, "switch_first": 2.0, "filter": 0.5, "link": 3.0, "charts": 0}
        for view in benchmark.BROWSE_VIEWS
    }
    views["map"] = {**views["map"], "charts": 2, "filter_back": 0.25}
    views["countries"] = {**views["countries"], "tables": 1, "links": 1}
    views["organisations"] = {**views["organisations"], "links": 20}
    views["data"] = {**views["data"], "links": 1}  # « How we count » alone: no cards
    result = {
        "rows": 1_000_000,
        "load": (1.0, 2.0, 3.0),
        "browse": {
            "floor": {
                "empty": 0.25,
                "sidebar": 0.4,
                "chart": 0.5,
                "table": 0.75,
                "cards": 0.625,
                "empty_link": 1.5,
                "table_link": 1.75,
                "cards_link": 1.8,
                "chart_link": 2.0,
            },
            "views": views,
            "load": [1, 2, 3],
        },
    }
    lines = benchmark.browse_table([result])
    assert "| view | 1,000,000 |" in lines
    rows = {line.split(" | ")[0].strip("| "): line for line in lines if line.startswith("| ")}
    assert set(benchmark.BROWSE_VIEWS) <= set(rows)
    assert rows["map"].endswith("1.00 (2.00) / 0.50 (0.25) / 3.00 · 2.0× / 1.5× |")  # chart floor
    assert "1.00 (2.00) / 0.50 / 3.00" in rows["organisations"]  # an older run: no « back »
    # no chart nor list: over the empty page, and over the empty page under our sidebar
    assert rows["data"].endswith("· 4.0× (2.5×) / 2.0× |")
    # cards: over the empty page, and over the page of cards
    assert rows["organisations"].endswith("· 4.0× (1.6×) / 2.0× |")
    # a table: over the empty page, and over the page with one table
    assert rows["countries"].endswith("· 4.0× (1.3×) / 2.0× |")
    floor = rows[
        "floor: empty page / under our sidebar / one table / cards / one chart (switch; "
        "shared link)"
    ]
    assert "0.25 / 0.40 / 0.75 / 0.62 / 0.50; 1.50 / 1.75 / 1.80 / 2.00" in floor
