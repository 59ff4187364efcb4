"""Safe writes: kills and failures at every step leave the old or the new data, never a mix.

The crash test runs a real import (read, map, validate, write, then undo, again
and again) in a subprocess and kills it with SIGKILL after a random delay; the
injected-failure test raises between every step of a commit. After each, the
folder the loader reads must equal the old or the new state byte for byte and
validate. The concurrency test queries from 20 threads while imports commit.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from impact.curation import mapping, reading, workflow
from impact.curation.store import Loader, Store, data_files
from impact.figures import key_figures
from impact.filters import Filters
from impact.paths import ROOT, current_version
from impact.validation import validate_folder
from tests.factory import PROGRAMMES, fact, make_data, read_rows

IMPORT = (
    "Pays;Année;Atteints\n#country+name;#date+year;#reached\nMaroc;2025;1.234\nSénégal;2025;56\n"
)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in data_files()}


def new_state(root: Path) -> dict[str, bytes]:
    """The state a successful import of ``IMPORT`` produces (computed in a scratch copy)."""
    scratch = root.parent / "scratch"
    make_data(scratch)
    table = reading.read_bytes(IMPORT.encode("cp1252"), "import.csv")
    chosen = mapping.propose(table)
    chosen.constants.update(programme_id="maroc", source_id="src")
    workflow.write(scratch, workflow.check(scratch, table, chosen), "x")
    return snapshot(current_version(scratch))


WORKER = textwrap.dedent(
    """
    import random, sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from impact.curation import mapping, reading, workflow
    from impact.curation.store import Store

    root = Path(sys.argv[1])
    rng = random.Random(int(sys.argv[2]))
    data = Path(sys.argv[3]).read_bytes()

    def step(name):
        print(name, flush=True)
        time.sleep(rng.random() * 0.004)

    workflow.Store = lambda r: Store(r, step=step)  # the same commit, with pauses
    print("ready", flush=True)
    while True:
        table = reading.read_bytes(data, "import.csv")
        chosen = mapping.propose(table)
        chosen.constants.update(programme_id="maroc", source_id="src")
        workflow.write(root, workflow.check(root, table, chosen), "worker")
        Store(root, step=step).undo(who="worker")
    """
)


def check_state(root: Path, states: list[dict[str, bytes]]) -> None:
    current = current_version(root)
    assert snapshot(current) in states
    assert validate_folder(current).ok
    store = Store(root)
    store.recover()
    assert snapshot(root) == snapshot(current)  # the mirror is repaired
    assert current == root or store.history()[0]["version"] == current.name


def test_kill_at_random_moments_leaves_old_or_new(tmp_path: Path) -> None:
    root = make_data(tmp_path / "data")
    old = snapshot(root)
    new = new_state(tmp_path)
    script = tmp_path / "worker.py"
    script.write_text(WORKER.format(root=str(ROOT)))
    upload = tmp_path / "import.csv"
    upload.write_bytes(IMPORT.encode("cp1252"))
    rng = random.Random(2026)
    iterations = int(os.environ.get("CRASH_ITERATIONS", "10"))
    killed_after: list[str] = []
    for i in range(iterations):
        process = subprocess.Popen(
            [sys.executable, str(script), str(root), str(i), str(upload)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == b"ready", process.stderr.read()  # type: ignore[union-attr]
        first = process.stdout.readline().strip()  # the first commit step has started
        time.sleep(rng.uniform(0.0, 1.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        steps = [first, *process.stdout.read().split()]
        killed_after.append(steps[-1].decode())
        check_state(root, [old, new])
    print("kill points:", sorted(Counter(killed_after).items()))
    assert len(set(killed_after)) >= 3, killed_after
    assert "import" in [row["action"] for row in Store(root).history()]


STEPS = [
    *(f"file:{name}" for name in data_files()),
    "version-written",
    "version-renamed",
    "link-created",
    "switched",
    "logged",
    "mirrored",
]


class Injected(Exception):
    pass


@pytest.mark.parametrize("failing", STEPS)
def test_failure_between_any_two_steps_leaves_old_or_new(tmp_path: Path, failing: str) -> None:
    root = make_data(tmp_path / "data")
    old = snapshot(root)
    new = new_state(tmp_path)
    Store(root).commit({})  # versioned from here on, as after a first import

    def step(name: str) -> None:
        if name == failing:
            raise Injected(name)

    with pytest.raises(Injected):
        Store(root, step=step).commit({"beneficiaries.csv": new["beneficiaries.csv"]})
    check_state(root, [old, new])
    after = snapshot(current_version(root))
    assert after == (new if failing in {"switched", "logged", "mirrored"} else old)
    # the store still works afterwards, and undo goes back to the state before
    Store(root).commit({"beneficiaries.csv": new["beneficiaries.csv"]})
    assert snapshot(current_version(root)) == new
    Store(root).undo()
    assert snapshot(current_version(root)) == after
    assert not any(p.name.startswith(".tmp") for p in (root / ".store" / "versions").iterdir())


def test_two_imports_cannot_interleave(tmp_path: Path) -> None:
    root = make_data(tmp_path / "data")
    inside = threading.Event()
    release = threading.Event()

    def slow(name: str) -> None:
        if name == "version-written":
            inside.set()
            release.wait(5)

    programmes = [*PROGRAMMES, {**PROGRAMMES[0], "programme_id": "nouveau", "name": "Nouveau"}]
    first_dir = make_data(tmp_path / "first", programmes=programmes)
    errors: list[BaseException] = []

    def first() -> None:
        try:
            Store(root, step=slow).commit(
                {"programmes.csv": (first_dir / "programmes.csv").read_bytes()}, who="A"
            )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(5)
    facts = read_rows(root / "beneficiaries.csv")
    facts.append(fact("extra", 5))
    second_dir = make_data(tmp_path / "second", beneficiaries=facts)
    started = time.monotonic()
    timer = threading.Timer(0.5, release.set)
    timer.start()
    Store(root).commit(
        {"beneficiaries.csv": (second_dir / "beneficiaries.csv").read_bytes()}, who="B"
    )
    waited = time.monotonic() - started
    thread.join()
    assert not errors
    assert waited >= 0.4  # the second import waited for the first one's lock
    final = current_version(root)
    assert (final / "programmes.csv").read_bytes() == (first_dir / "programmes.csv").read_bytes()
    assert (final / "beneficiaries.csv").read_bytes() == (
        second_dir / "beneficiaries.csv"
    ).read_bytes()
    assert [r["who"] for r in Store(root).history()][:2] == ["B", "A"]
    assert validate_folder(final).ok


def test_twenty_readers_see_old_or_new_never_a_mix(tmp_path: Path) -> None:
    root = make_data(tmp_path / "data")
    programmes = [*PROGRAMMES, {**PROGRAMMES[0], "programme_id": "nouveau", "name": "Nouveau"}]
    facts = [
        *read_rows(root / "beneficiaries.csv"),
        fact("nouveau-1", 1000, programme_id="nouveau"),
    ]
    target = make_data(tmp_path / "target", programmes=programmes, beneficiaries=facts)
    files = {n: (target / n).read_bytes() for n in ("programmes.csv", "beneficiaries.csv")}
    loader = Loader(root)

    def answer() -> tuple[float | None, ...]:
        figures = key_figures(loader.database().query, Filters())
        return tuple(f.value for f in figures)

    old = answer()
    answers: list[tuple[float | None, ...]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                answers.append(answer())
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
                return

    threads = [threading.Thread(target=reader) for _ in range(20)]
    for thread in threads:
        thread.start()
    store = Store(root)
    for _ in range(3):
        time.sleep(0.2)
        store.commit(files, who="import")
        time.sleep(0.2)
        store.undo(who="undo")
    store.commit(files, who="import")
    new = answer()
    time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join()
    loader.close()
    assert not errors, errors[:3]
    assert old != new
    assert old[0] is not None and new[0] == old[0] + 1000 and new[4] == (old[4] or 0) + 1
    assert set(answers) <= {old, new}, set(answers) - {old, new}
    assert old in answers and new in answers
    assert len(answers) > 20
