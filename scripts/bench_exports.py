"""How long the exports take on the bundled data (or ``$IMPACT_DATA_DIR``).

    uv run python scripts/bench_exports.py [--repeat 3]

Prints a Markdown table: the first chart image (starts the headless browser),
later images, a full PDF report, a PowerPoint deck and a figures pack. Times
are wall-clock seconds on this machine; the best of ``--repeat`` runs is shown
for everything but the first image.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from impact.db import Database
from impact.exports import images, pack, report
from impact.exports.view import View, build_view
from impact.filters import Filters
from impact.i18n import Translator
from impact.paths import data_dir


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """Seconds taken by ``action`` and its result."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def best(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The fastest of ``repeat`` runs."""
    runs = [timed(action) for _ in range(repeat)]
    return min(runs, key=lambda run: run[0])


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    folder = data_dir()
    db = Database.open(folder)
    rows: list[tuple[str, float, str]] = []

    seconds, view = timed(lambda: build_view(db.query, Translator("fr"), Filters()))
    assert isinstance(view, View)
    rows.append(("Queries of one view (key figures, charts, tables, sentences)", seconds, ""))
    chart = view.charts[0]
    seconds, png = timed(lambda: images.export(chart.figure, view.tr, view.caption, "report"))
    assert isinstance(png, bytes)
    rows.append(("First PNG image (starts Chromium)", seconds, f"{len(png) // 1024} KB"))
    for preset in images.PRESETS:
        for fmt in images.FORMATS:
            render = functools.partial(
                images.export, chart.figure, view.tr, view.caption, preset, fmt
            )
            seconds, data = best(render, args.repeat)
            assert isinstance(data, bytes)
            rows.append(
                (f"Later {fmt.upper()} image, {preset}", seconds, f"{len(data) // 1024} KB")
            )
    world = next(c for c in view.charts if c.key == "map")
    seconds, data = best(
        lambda: images.export(world.figure, view.tr, view.caption, "slide"), args.repeat
    )
    assert isinstance(data, bytes)
    rows.append(("Map PNG, slide (offline outlines)", seconds, f"{len(data) // 1024} KB"))

    def other(lang: str) -> View:
        return build_view(db.query, Translator(lang), Filters())

    for label, action in (
        ("Full PDF report (A4)", lambda: report.to_pdf(view)),
        ("PowerPoint deck", lambda: report.to_pptx(view)),
        ("Figures pack (ZIP, sentences in 3 languages)", lambda: pack.figures_pack(view, other)),
    ):
        seconds, data = best(action, args.repeat)
        assert isinstance(data, bytes)
        rows.append((label, seconds, f"{len(data) // 1024} KB"))

    print(f"Data: {folder} · {len(view.charts)} charts · {len(view.sources)} sources\n")
    print("| Export | Seconds | Size |")
    print("| --- | ---: | ---: |")
    for label, seconds, size in rows:
        print(f"| {label} | {seconds:.2f} | {size} |")
    images.stop()
    db.close()


if __name__ == "__main__":
    main()
