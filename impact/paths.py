"""Where the project's files live, resolved once so no module hard-codes a path.

The data folder can be moved with the ``IMPACT_DATA_DIR`` environment variable,
which is how tests and benchmarks point the app at their own data.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
LOCALES_DIR = ROOT / "locales"
STATIC_DIR = ROOT / "static"
TOPOJSON_DIR = STATIC_DIR / "topojson"
DOCS_DIR = ROOT / "docs"
BUNDLED_DATA_DIR = ROOT / "data"


def data_dir() -> Path:
    """Return the data folder in use: ``$IMPACT_DATA_DIR`` or the bundled ``data/``."""
    configured = os.environ.get("IMPACT_DATA_DIR")
    return Path(configured).resolve() if configured else BUNDLED_DATA_DIR
