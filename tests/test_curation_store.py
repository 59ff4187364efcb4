"""Safe writes: kills and failures at every step leave the old or the new data, never a mix.

The crash test runs a real import (read, map, validate, write, then undo) in a
subprocess and kills it with SIGKILL at one step of the commit, once for every
step (a hook stops it at step k: no random delay, the same kill points every run); the
injected-failure test raises between every step of a commit. After each, the
folder the loader reads must equal the old or the new state byte for byte and
validate. The concurrency test queries from 20 threads while imports commit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
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
    import os, shutil, signal, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from impact.curation import mapping, reading, workflow
    from impact.curation.store import Store

    pristine, out, data = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]).read_bytes()

    def cycle(root, stop_at):
        # import then undo, on a plain data folder (so the first commit seeds the store too);
        # SIGKILL at commit step number stop_at, or exit 3 if the cycle has fewer steps
        seen = []
        def step(name):
            seen.append(f"{{phase}}:{{name}}")
            if len(seen) == stop_at + 1:
                print(stop_at, seen[-1], flush=True)
                os.kill(os.getpid(), signal.SIGKILL)
        phase = "import"
        workflow.Store = lambda r: Store(r, step=step)  # the same commit, observed
        table = reading.read_bytes(data, "import.csv")
        chosen = mapping.propose(table)
        chosen.constants.update(programme_id="maroc", source_id="src")
        workflow.write(root, workflow.check(root, table, chosen), "worker")
        phase = "undo"
        Store(root, step=step).undo(who="worker")
        print("all", *seen, flush=True)
        os._exit(3)

    # fork from a process that has opened no database yet (no thread to inherit)
    for k in range(1000):
        root = out / f"kill-{{k:03d}}"
        shutil.copytree(pristine, root, symlinks=True)
        pid = os.fork()
        if pid == 0:
            cycle(root, k)
        _, status = os.waitpid(pid, 0)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 3:
            shutil.rmtree(root)
            break
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
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


def test_kill_at_every_step_leaves_old_or_new(tmp_path: Path) -> None:
    """SIGKILL at each step of an import and of its undo, one step per run, every step.

    The worker forks one child per kill point k; the child runs the real import
    (read, map, check, commit) then an undo, and kills itself with SIGKILL when
    the store reaches its k-th step. The last child runs to the end and lists
    every step, so the test knows it killed at each one, whatever the machine's load.
    """
    root = make_data(tmp_path / "data")
    old = snapshot(root)
    new = new_state(tmp_path)
    script = tmp_path / "worker.py"
    script.write_text(WORKER.format(root=str(ROOT)))
    upload = tmp_path / "import.csv"
    upload.write_bytes(IMPORT.encode("cp1252"))
    out = tmp_path / "kills"
    out.mkdir()
    scratch = tmp_path / "tmp"  # the checks' candidate folders, left behind by the kills
    scratch.mkdir()
    done = subprocess.run(
        [sys.executable, str(script), str(root), str(out), str(upload)],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(scratch)},
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode().splitlines()
    everything = lines[-1].split()
    assert everything[0] == "all"
    every_step = everything[1:]
    killed = [line.split()[1] for line in lines[:-1]]
    assert killed == every_step  # one kill at each step, in the order the commit runs them
    for phase in ("import", "undo"):
        assert {f"{phase}:{s}" for s in STEPS} <= set(every_step)
    assert "import:mirror:beneficiaries.csv" in every_step
    for k in range(len(killed)):
        check_state(out / f"kill-{k:03d}", [old, new])
    # a kill before the import's switch leaves the old state, from the switch on the new one
    # (the first commit on a plain folder switches twice: to the seed, then to the import)
    switch = len(every_step) - 1 - every_step[::-1].index("import:switched")
    states = [snapshot(current_version(out / f"kill-{k:03d}")) for k in range(len(killed))]
    assert states[every_step.index("import:file:datapackage.json")] == old
    assert states[switch] == new
    assert states[-1] == old  # killed after the undo's last step: old content again
    assert "import" in [row["action"] for row in Store(out / f"kill-{switch:03d}").history()]


STEPS = [
    *(f"file:{name}" for name in data_files()),
    "version-written",
    "version-renamed",
    "link-created",
    "switched",
    "logged",
    "mirror:beneficiaries.csv",
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
    assert after == (new if failing in STEPS[STEPS.index("switched") :] else old)
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
