"""The build after a data change, followed on screen instead of a blank page.

The first request after the data folder changed used to wait, on a blank page,
for the whole validation and model build (a minute and more at 10 million
figures). Now the build runs in a thread of the server (one per version of the
data, whoever asks first) and every reader who opens the dashboard meanwhile
sees what it is doing and how far it is (``impact.progress``); the page follows
it every second and opens the dashboard when it is done.
"""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from impact import cache, progress
from impact.i18n import Translator
from impact.source import FOLDER, configured_source
from impact.web import PAGE_PATHS

# A folder smaller than this builds within the first run, as before (a few seconds at most:
# the bundled data, 100 000 figures); a larger one builds in the background, followed.
BACKGROUND_BYTES = 32 * 1024 * 1024
# Builds started by this server, by data fingerprint (a new version: a new build).
_BUILDS: dict[str, progress.Progress] = {}
_LOCK = threading.Lock()


def _build(folder_text: str, job: progress.Progress) -> None:
    try:
        cache.ensure(Path(folder_text), listener=job.report)
    except BaseException as error:  # the page shows the data's report, or raises it
        job.finish(error)
    else:
        job.finish()


def _size(folder: Path) -> int:
    """Bytes of the folder's source files (a missing file counts nothing)."""
    return sum(p.stat().st_size for p in cache.source_files(folder) if p.exists())


def pending() -> progress.Progress | None:
    """The build of the configured data folder, started now if it is due; None when built
    (or small: then the first run builds it, in a few seconds).

    A finished build stays here with its outcome, so that an invalid folder is
    not validated again by the next run (the frame shows its report).
    """
    source = configured_source()
    if source.kind != FOLDER:
        return None
    key = cache.source_key(source)
    with _LOCK:
        job = _BUILDS.get(key)
        if job is None:
            if cache.built_file(source.path) is not None or _size(source.path) < BACKGROUND_BYTES:
                return None
            job = progress.Progress()
            _BUILDS[key] = job
            threading.Thread(
                target=_build, args=(str(source.path), job), name="impact-build", daemon=True
            ).start()
    if job.finished and job.error is None:
        return None
    return job


def step_text(tr: Translator, job: progress.Progress) -> str:
    """« Step 3 of 14: Building the counting tables: 30_rollup »."""
    name, detail = job.step
    return tr._(
        "Step {done} of {total}: {step}",
        done=tr.number(min(job.done + 1, job.total)),
        total=tr.number(job.total),
        step=tr._(name, name=detail),
    )


def one_page_at_every_address(title: str) -> None:
    """Declare the app's addresses, with no page list, for a run that shows one page.

    A run that declares no navigation gets Streamlit's own list of the files of
    ``pages/`` in its sidebar, by file name, and a click on one runs that file alone
    (an exception). While the data is being built or cannot be shown, every address
    the app has (a shared link too) keeps its path and shows this run's page.
    """
    st.navigation(
        [st.Page("pages/overview.py", title=title, default=True)]
        + [st.Page(f"pages/{path}.py", title=title, url_path=path) for path in PAGE_PATHS],
        position="hidden",
    )


def page(tr: Translator, job: progress.Progress) -> None:
    """What the build is doing and how far it is, followed every second until it is done."""
    # no sidebar yet (the filters need the data): a deep link (``/organisations?…``)
    # keeps its address and opens its page when the build is done
    title = tr._("Preparing the data")
    one_page_at_every_address(title)
    st.title(title)
    st.markdown(
        tr._(
            "The data files have changed: the dashboard checks them and builds its counting "
            "tables once. This page follows the build and opens the dashboard when it is done."
        )
    )

    @st.fragment(run_every=1.0)
    def follow() -> None:
        if job.finished:
            st.rerun()  # the whole app: the dashboard, or the data's report
        st.progress(job.fraction, text=step_text(tr, job))
        st.caption(
            tr._("{seconds} s since the build started", seconds=tr.number(round(job.seconds)))
        )

    follow()
