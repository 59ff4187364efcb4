"""Import candidates (full copies of the data) never pile up (issue 13, item 11).

A candidate folder is removed when its import is written, when nobody has looked
at it for ``workflow.ABANDON_AFTER`` seconds, and at start-up when the process
that made it is gone. The suite itself writes them under a folder of its own
(``tests/conftest.py``) and removes it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from impact.curation import mapping, reading, workflow

TEXT = "Pays;Année;Atteints\nMaroc;2024;12\n"


def checked(folder: Path) -> workflow.Checked:
    table = reading.read_bytes(TEXT.encode(), "f.csv")
    chosen = mapping.propose(table)
    chosen.constants.update(programme_id="maroc", source_id="src")
    return workflow.check(folder, table, chosen)


def candidate_dirs() -> set[Path]:
    return set(workflow.candidates_dir().glob(workflow.PREFIX + "*"))


def test_the_suite_keeps_candidates_out_of_the_system_temp_folder() -> None:
    assert workflow.candidates_dir() != Path(tempfile.gettempdir())
    assert os.environ["IMPACT_IMPORT_DIR"] == str(workflow.candidates_dir())


def test_a_written_import_leaves_no_candidate(data_dir: Path) -> None:
    before = candidate_dirs()
    done = checked(data_dir)
    folder = done.candidate.folder.parent
    assert folder in candidate_dirs() and folder.name.startswith(f"impact-import-{os.getpid()}-")
    workflow.write(data_dir, done, "Test")
    assert not folder.exists()
    assert candidate_dirs() <= before


def test_a_failed_check_leaves_no_candidate(data_dir: Path) -> None:
    before = candidate_dirs()
    table = reading.read_bytes(TEXT.encode(), "f.csv")
    chosen = mapping.propose(table)
    chosen.constants.update(programme_id="maroc", source_id="src")
    (data_dir / "context.csv").unlink()
    (data_dir / "context.csv").mkdir()  # the copy into the candidate fails half-way
    with pytest.raises(OSError):
        workflow.check(data_dir, table, chosen)
    assert candidate_dirs() == before


def test_abandoned_candidates_are_swept_after_the_timeout(data_dir: Path) -> None:
    old, fresh = checked(data_dir), checked(data_dir)
    try:
        stale = time.time() - workflow.ABANDON_AFTER - 60
        os.utime(old.candidate.folder.parent, (stale, stale))
        fresh.touch()  # a page showing a check keeps it alive
        removed = workflow.sweep()
        assert old.candidate.folder.parent in removed
        assert not old.candidate.folder.exists() and fresh.candidate.folder.exists()
        try:
            workflow.write(data_dir, old, "Test")
        except workflow.ExpiredError:
            pass
        else:  # pragma: no cover - the guard below fails the test
            raise AssertionError("an expired check must not be written")
    finally:
        fresh.discard()


def test_start_up_removes_candidates_of_ended_processes(data_dir: Path) -> None:
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = workflow.candidates_dir() / f"{workflow.PREFIX}{ended.stdout.strip()}-abc123"
    (dead / "data").mkdir(parents=True)
    mine = checked(data_dir)
    try:
        assert dead not in workflow.sweep()  # recent: kept until start-up
        removed = workflow.sweep(startup=True)
        assert dead in removed and not dead.exists()
        assert mine.candidate.folder.exists()  # this process is alive: its check stays
    finally:
        mine.discard()
