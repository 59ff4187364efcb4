"""Shared fixtures: hand-made data folders, AppTest on them, a served app and a browser.

Browser tests use Debian's Chromium (``/usr/bin/chromium``, installed by
``.ci/run``) through Playwright, never a downloaded browser. The served app
runs with the network cut off from the page's point of view: every request
that leaves localhost is aborted and recorded, so a test can prove the map
draws offline.
"""

from __future__ import annotations

import os
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from impact.browser import (
    CHROMIUM_ARGS,
    chromium_path,
    free_port,
    start_streamlit,
    stop_streamlit,
)
from impact.db import Database
from tests.factory import make_data

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = chromium_path()
APPTEST_TIMEOUT = 60
ADMIN_PASSWORD = "correct horse battery staple"


def chart_data_keys(at: Any) -> list[str]:
    """The state keys of the charts' « Show the data » on an AppTest page."""
    return [str(key) for key in at.session_state if str(key).endswith("-show-data")]


def open_chart_data(at: Any) -> Any:
    """Open every chart's « Show the data » of an AppTest page and run it again.

    A chart's text alternative, table and table files are made only when its
    expander is open (``impact.ui.layout.chart``): the reader's click is a rerun
    with the expander's state set, as here.
    """
    keys = chart_data_keys(at)
    assert keys, "no chart on this page"
    for key in keys:
        at.session_state[key] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture(scope="session", autouse=True)
def import_candidates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Import checks of the session (and of the servers it starts) write their candidate
    folders here, removed at the end: a test run leaves no ``/tmp/impact-import-*``."""
    import shutil

    folder = tmp_path_factory.mktemp("import-candidates")
    previous = os.environ.get("IMPACT_IMPORT_DIR")
    os.environ["IMPACT_IMPORT_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("IMPACT_IMPORT_DIR", None)
    else:
        os.environ["IMPACT_IMPORT_DIR"] = previous
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A small valid data folder whose totals are known (see tests/factory.py)."""
    return make_data(tmp_path / "data")


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    """The database built from the hand-made data folder."""
    database = Database.open(data_dir)
    yield database
    database.close()


@pytest.fixture
def use_data(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Point the app at a data folder for the test (``use_data(path)``)."""

    def point(folder: Path) -> Path:
        monkeypatch.setenv("IMPACT_DATA_DIR", str(folder))
        return folder

    return point


class Server:
    """A real ``streamlit run app.py`` (the launcher of ``dashboard.py``) on localhost, fresh."""

    def __init__(self, data: Path | None = None, admin_password: str | None = None) -> None:
        from impact.curation import auth

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {"IMPACT_DATA_DIR": str(data)} if data is not None else {}
        if admin_password is not None:  # the Data page's import, behind this password
            env[auth.ENV] = auth.hash_password(admin_password)
        self.log = ROOT / ".cache" / f"streamlit-{self.port}.log"
        self.log.parent.mkdir(exist_ok=True)
        self.process = start_streamlit("app.py", self.port, self.log.open("wb"), ROOT, env)
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 60) -> None:
        """Block until ``/_stcore/health`` answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log.read_text())
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"streamlit did not start: {self.log.read_text()}")

    def stop(self) -> None:
        """Stop the server."""
        stop_streamlit(self.process)


def check_remembered_upload(page: Any, server: Server, upload: Path) -> None:
    """On the Data page in French: sign in (``ADMIN_PASSWORD``), upload ``upload``, whose
    mapping was remembered, and check it (the report and the preview follow)."""
    page.goto(f"{server.url}/data?lang=fr")
    page.get_by_role("tab", name="Importer").click()
    page.get_by_label("Mot de passe administrateur").fill(ADMIN_PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Se connecter").click()
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_text("sa correspondance est réutilisée").wait_for(timeout=30_000)
    page.get_by_role("button", name="Vérifier cet import").click()


@pytest.fixture(scope="session")
def bundled_server() -> Iterator[Server]:
    """The app on the bundled data, shared by the browser tests of a session."""
    server = Server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's headless Chromium driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run .ci/run or `apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class OfflinePage:
    """A browser page that can only reach localhost, collecting console errors."""

    def __init__(self, browser, width: int = 1400, height: int = 1000) -> None:  # type: ignore[no-untyped-def]
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True
        )
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith(
            ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:")
        ):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, url: str, wait_for: str = "[data-testid='stMainBlockContainer']") -> None:
        """Open ``url`` and wait until Streamlit has finished running the script."""
        self.page.goto(url)
        self.page.wait_for_selector(wait_for, timeout=60_000)
        self.settle()

    def settle(self, timeout: float = 60) -> None:
        """Wait until the app is idle (no « running » status widget)."""
        deadline = time.monotonic() + timeout
        time.sleep(0.5)
        while time.monotonic() < deadline:
            running = self.page.locator("[data-testid='stStatusWidget']").count()
            if not running:
                time.sleep(0.5)
                if not self.page.locator("[data-testid='stStatusWidget']").count():
                    return
            time.sleep(0.3)
        raise TimeoutError("the app kept running")

    def close(self) -> None:
        """Close the browser context."""
        self.context.close()


@pytest.fixture
def offline_page(browser) -> Iterator[OfflinePage]:  # type: ignore[no-untyped-def]
    """A fresh offline browser page."""
    page = OfflinePage(browser)
    yield page
    page.close()
