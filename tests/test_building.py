"""The build after a data change shows what it does and how far it is, not a blank page.

A large folder (at 10 million figures, a minute of validation and model
building) is built in a thread of the server; whoever opens the dashboard
meanwhile sees the step and the progress, and the dashboard (or the data's
report) when it is done. A small folder still builds within the first run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from impact import cache, db, progress
from impact.i18n import Translator
from impact.queries import model_files
from impact.source import configured_source
from impact.ui import building
from tests.conftest import APPTEST_TIMEOUT
from tests.factory import FACTS, fact, make_data

ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard.py")
FR = Translator("fr")


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder: the data is built in this test, and no build is remembered."""
    monkeypatch.setenv("IMPACT_CACHE_DIR", str(tmp_path / "cache"))
    yield tmp_path / "cache"
    building._BUILDS.clear()


def run(lang: str = "fr") -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=APPTEST_TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def wait_built(timeout: float = 120) -> progress.Progress:
    """The build of the configured folder, once it has finished."""
    key = cache.source_key(configured_source())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = building._BUILDS.get(key)
        if job is not None and job.finished:
            return job
        time.sleep(0.05)
    raise AssertionError("the build did not finish")


def test_a_build_reports_each_step_in_order(data_dir: Path, tmp_path: Path) -> None:
    heard: list[tuple[progress.Step, int, int]] = []
    db.write_file(data_dir, tmp_path / "built.duckdb", listener=lambda *a: heard.append(a))
    total = len(model_files()) + 3
    assert {t for _, _, t in heard} == {total}
    assert [done for _, done, _ in heard] == list(range(total))  # one step after the other
    assert heard[0][0] == (progress.CHECKING, "")
    assert heard[1][0] == (progress.COPYING, "")
    assert [step for step, _, _ in heard[2:-1]] == [
        (progress.MODEL, script.stem) for script in model_files()
    ]
    assert heard[-1][0] == (progress.SAVING, "")
    job = progress.Progress()
    for step, done, count in heard:
        job.report(step, done, count)
    assert 0 < job.fraction < 1
    job.finish()
    assert job.fraction == 1


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_a_large_folder_is_built_in_the_background_with_its_progress_shown(
    data_dir: Path,
    use_data: Callable[[Path], Path],
    fresh_cache: Path,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
) -> None:
    monkeypatch.setattr(building, "BACKGROUND_BYTES", 0)  # every folder counts as large
    use_data(data_dir)
    tr = Translator(lang)
    at = run(lang)
    assert [t.value for t in at.title] == [tr._("Preparing the data")]
    bars = at.get("progress")
    assert len(bars) == 1
    step = tr._("Step {done} of {total}: {step}", done="", total="", step="").split()[0]
    assert str(bars[0].proto.text).startswith(step)  # « Étape 1 sur 14 : … »
    assert not at.sidebar.get("multiselect")  # nothing drawn from data not built yet
    job = wait_built()
    assert job.error is None and job.fraction == 1
    assert cache.built_file(data_dir) is not None
    at = run(lang)
    assert at.title[0].value == tr._("Overview")
    assert at.metric  # the key figures


def test_an_invalid_large_folder_shows_its_report_after_the_build(
    tmp_path: Path,
    use_data: Callable[[Path], Path],
    fresh_cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(building, "BACKGROUND_BYTES", 0)
    use_data(
        make_data(tmp_path / "broken", beneficiaries=[*FACTS, fact("x", 1, country_iso3="XXX")])
    )
    at = run()
    assert at.title[0].value == FR._("Preparing the data")
    wait_built()
    at = run()
    assert at.title[0].value == FR._("The data cannot be shown")
    assert at.dataframe[0].value[FR._("Value")].tolist() == ["XXX"]


def test_a_small_folder_is_built_within_the_first_run(
    data_dir: Path, use_data: Callable[[Path], Path], fresh_cache: Path
) -> None:
    use_data(data_dir)
    assert cache.built_file(data_dir) is None
    at = run()
    assert at.title[0].value == FR._("Overview")
    assert not building._BUILDS


def test_the_server_warms_up_the_data_before_its_first_reader(
    data_dir: Path,
    use_data: Callable[[Path], Path],
    fresh_cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At start the launcher imports the pages' modules and opens the data in a thread; the
    first run then finds the database opened and the filters' values read."""
    import asyncio
    import threading

    from impact import web
    from impact.ui import caching, startup

    use_data(data_dir)
    caching._database.clear()
    caching._cached_query.clear()
    opened: list[str] = []
    real_open = cache.open_source

    def counting_open(*args: object, **kwargs: object) -> db.Database:
        opened.append("open")
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "open_source", counting_open)

    async def serve() -> None:
        async with web.lifespan(None):
            warming = [t for t in threading.enumerate() if t.name == "impact-warm-up"]
            assert warming  # started as the server starts, without holding it up
            for thread in warming:
                thread.join(timeout=120)

    # in a thread of its own, as a server runs it (and because a session's Playwright
    # keeps an event loop running in this thread)
    server = threading.Thread(target=lambda: asyncio.run(serve()))
    server.start()
    server.join(timeout=180)
    assert opened == ["open"]
    at = run()
    assert at.title[0].value == FR._("Overview")
    assert opened == ["open"]  # the first run found the data opened
    startup.warm()  # a second warm-up (another start) opens nothing again
    assert opened == ["open"]
