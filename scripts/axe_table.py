"""Run axe-core on every page and detail view in FR, NL and EN; print the table for the docs.

``uv run python scripts/axe_table.py [--json out.json]`` starts the app on the bundled
data (as the browser tests do), opens each view in Debian's Chromium with every request
off localhost blocked, runs axe-core (WCAG 2.0/2.1 A and AA rules, shipped by
``axe-playwright-python``) and prints page × language → violations by impact, then
each rule with the views it fails on. ``docs/accessibility.md`` records its output.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.accessibility import IMPACTS, audit_views  # noqa: E402
from tests.conftest import Server  # noqa: E402


def main() -> None:
    """Audit every view and print the Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, help="also write the raw violations here")
    parser.add_argument(
        "--best-practice",
        action="store_true",
        help="run axe's best-practice rules too (not WCAG requirements: listed, not enforced)",
    )
    args = parser.parse_args()
    server = Server()
    try:
        results = audit_views(server.url, best_practice=args.best_practice)
    finally:
        server.stop()
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print("| view | lang | " + " | ".join(IMPACTS) + " |")
    print("| --- | --- |" + " --- |" * len(IMPACTS))
    rules: dict[str, set[str]] = {}
    for key, violations in results.items():
        view, lang = key.split("|")
        counts = Counter(v["impact"] for v in violations)
        cells = " | ".join(str(counts.get(i, 0)) for i in IMPACTS)
        print(f"| {view or 'overview'} | {lang} | {cells} |")
        for v in violations:
            rules.setdefault(f"{v['impact']} · {v['id']}: {v['help']}", set()).add(
                f"{view or 'overview'}"
            )
    print()
    for rule, views in sorted(rules.items()):
        print(f"- {rule} — {', '.join(sorted(views))}")


if __name__ == "__main__":
    main()
