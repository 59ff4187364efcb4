"""How the project starts Debian's Chromium headless, for browser tests and the benchmark.

Never a browser downloaded by a tool (``playwright install`` cannot work offline):
the system ``chromium`` package, with flags that keep it off the network — without
them it keeps trying to reach Google's services on this closed machine.
"""

from __future__ import annotations

import os
import shutil

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    """``$CHROMIUM_PATH``, else the ``chromium`` on the PATH, else Debian's location."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
