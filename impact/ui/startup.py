"""What the server does once at start, before its first reader: imports and the data.

A shared link opened right after a restart used to wait for the first run to
import pandas, Plotly and the package, to open the database and to read the
filters' values (the sidebar of every page). The launcher (``app.py``, through
``impact.web.lifespan``) runs ``warm`` in a thread as the server starts, so the
first request finds them done — or, for a data folder changed since the last
build, finds its build already under way (``impact.ui.building``).
"""

from __future__ import annotations

import importlib
import json
import logging

# What every page imports (``dashboard.py``, the frame, the pages' modules).
MODULES = (
    "impact.ui",
    "impact.explore",
    "impact.maps",
    "impact.charts",
    "impact.figures",
    "impact.exports.view",
    "plotly.graph_objects",
)

_LOG = logging.getLogger(__name__)


def warm() -> None:
    """Import the pages' modules, open the data, read the filters' values (never raises)."""
    try:
        for name in MODULES:
            importlib.import_module(name)
        from impact.db import Database
        from impact.ui import building, caching

        if building.pending() is not None:
            return  # a large folder is being built: the pages follow it
        source = caching._source()
        if isinstance(caching._database(*source), Database):
            caching._cached_query(*source, "filter_options", json.dumps({}, sort_keys=True))
    except Exception:  # the first request does it again, and shows what is wrong
        _LOG.exception("warming up failed")
