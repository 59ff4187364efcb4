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


def data_root() -> Path:
    """The configured data folder: ``$IMPACT_DATA_DIR`` or the bundled ``data/``."""
    configured = os.environ.get("IMPACT_DATA_DIR")
    return Path(configured).resolve() if configured else BUNDLED_DATA_DIR


def current_version(root: Path) -> Path:
    """The folder to read inside ``root``: the version that ``.store/current`` points to.

    Imports from the Data page write each new state as a complete folder under
    ``.store/versions/`` and switch the ``current`` link in one atomic rename
    (see ``impact.curation.store``), so resolving the link once gives a folder
    that never changes while it is read. A plain folder (no store) is read as is.
    """
    pointer = root / ".store" / "current"
    try:
        target = (pointer.parent / os.readlink(pointer)).resolve(strict=True)
    except OSError:
        return root
    return target


def data_dir() -> Path:
    """Return the folder the loader reads: the current version of :func:`data_root`."""
    return current_version(data_root())
