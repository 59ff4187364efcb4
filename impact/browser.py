"""How the project starts Debian's Chromium headless and a local Streamlit server, for the
browser tests and the benchmarks.

Never a browser downloaded by a tool (``playwright install`` cannot work offline):
the system ``chromium`` package, with flags that keep it off the network — without
them it keeps trying to reach Google's services on this closed machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO, Any

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


def server_log(name: str, mode: str = "wb") -> IO[bytes]:
    """A log file for a server a benchmark starts, under ``.cache/`` (made when missing:
    a fresh clone whose cache lives elsewhere, ``$IMPACT_CACHE_DIR``, has none)."""
    folder = Path(__file__).resolve().parent.parent / ".cache"
    folder.mkdir(parents=True, exist_ok=True)
    return (folder / name).open(mode)  # type: ignore[return-value]


def free_port() -> int:
    """A TCP port free on localhost now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_streamlit(
    script: str, port: int, log: IO[bytes], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """``streamlit run <script>`` headless on ``127.0.0.1:port``, output to ``log``.

    ``env`` is added to this process's environment (``IMPACT_DATA_DIR`` …).
    """
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.enableStaticServing",
            "true",
        ],
        cwd=cwd,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop_streamlit(process: subprocess.Popen[Any]) -> None:
    """Stop a server started by :func:`start_streamlit` (killed after 10 s)."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_health(port: int, timeout: float = 120) -> float | None:
    """Seconds until ``/_stcore/health`` answers on ``port``; None after ``timeout``."""
    started = time.perf_counter()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            url = f"http://127.0.0.1:{port}/_stcore/health"
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
    return None
