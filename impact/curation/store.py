"""Safe writes of curated data: whole-folder versions, one atomic switch, backups, log, undo.

Design — why a reader can never see a mix of old and new files
--------------------------------------------------------------
Writing several CSVs one after the other can never be atomic as a whole: a kill
between two renames leaves new ``beneficiaries.csv`` next to old
``sources.csv``. So a change is never written over the files being read.
Instead, under ``<data folder>/.store/``:

``versions/<stamp>-<id>/``
    a complete data folder (every CSV and ``datapackage.json``) plus
    ``version.json`` (when, who, what, parent version). It is written under a
    temporary name (``.tmp-…``), every file is flushed and ``fsync``-ed, then
    the directory is renamed to its final name. A version is never modified
    afterwards, so it doubles as the timestamped backup of the state it holds.
``current``
    a symbolic link to one version. A commit creates a new link under a
    temporary name and ``os.replace``-s it over ``current``: one atomic rename,
    then the directory is ``fsync``-ed. Before the rename readers see the old
    version, after it the new one; there is no state in between.
``changes.csv``
    the append-only change log (when, version, action, file, rows added,
    changed and removed, who, note). Lines are appended with ``O_APPEND`` and
    ``fsync``; if a kill falls between the switch and the log line, the next
    :meth:`Store.recover` appends the missing lines from ``version.json``.
``lock``
    ``fcntl.flock`` on this file serialises writers: two imports (two browser
    sessions, two processes) cannot interleave. The kernel drops the lock of a
    killed process.
``mappings/``
    remembered column mappings (see :mod:`impact.curation.mapping`).

``impact.paths.data_dir()`` resolves ``current`` once per call, and
``Database.open`` reads that immutable folder, so a loader gets the old or the
new state whole; its cache key (the resolved path) changes with each version.
The plain files at the top of the data folder (the ones under git) are kept as
a *mirror* of the current version, replaced file by file with
write-fsync-rename after each commit, so the curated CSVs can be reviewed and
committed; the app never reads them while a store exists, and
:meth:`Store.recover` re-synchronises them after a crash.

A crash or kill at any moment therefore leaves ``current`` on the old version
(the new one is an unreferenced temporary directory, removed by the next
recovery) or on the new one (complete and synced before the switch). Undo writes
the state before the last change still in effect as a new version (logged like an
import); repeated undos walk back import by import, as far as the kept versions
(``KEEP_VERSIONS``) reach.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import secrets
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from impact.db import Database
from impact.paths import current_version
from impact.schema import DESCRIPTOR, contract

STORE = ".store"
KEEP_VERSIONS = 30
LOG_FIELDS = ["when", "version", "action", "file", "added", "changed", "removed", "who", "note"]


class ConflictError(Exception):
    """The data changed after the preview was made: preview again before writing."""


class NothingToUndoError(Exception):
    """There is no earlier version to go back to."""


def data_files() -> list[str]:
    """The files that make a data folder: the descriptor and every resource's CSV."""
    return [DESCRIPTOR, *(r.path for r in contract().resources)]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, content: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def atomic_write(path: Path, content: bytes) -> None:
    """Replace ``path`` by ``content``: temp file in the same folder, fsync, rename, fsync dir."""
    temp = path.with_name(f".{path.name}.tmp-{secrets.token_hex(4)}")
    try:
        _write_synced(temp, content)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    _fsync_dir(path.parent)


@dataclass(frozen=True)
class Version:
    """One committed state of the data folder."""

    name: str
    folder: Path
    info: dict[str, Any]


class Store:
    """The versioned data folder rooted at ``root`` (the configured data folder)."""

    def __init__(self, root: Path, step: Callable[[str], None] | None = None) -> None:
        self.root = root
        self.dir = root / STORE
        self.versions = self.dir / "versions"
        self.pointer = self.dir / "current"
        self.log = self.dir / "changes.csv"
        # Called between the steps of a commit; tests inject failures through it.
        self._step = step or (lambda _name: None)

    # --- reading ------------------------------------------------------------------------------

    def current(self) -> Path:
        """The folder a loader must read now."""
        return current_version(self.root)

    def current_version(self) -> Version | None:
        """The version ``current`` points to (``None`` before the first import)."""
        folder = self.current()
        if folder == self.root:
            return None
        return Version(folder.name, folder, self._info(folder))

    @staticmethod
    def _info(folder: Path) -> dict[str, Any]:
        try:
            info: dict[str, Any] = json.loads((folder / "version.json").read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return info

    def history(self) -> list[dict[str, str]]:
        """The change log, newest first."""
        try:
            with self.log.open(encoding="utf-8", newline="") as handle:
                return list(reversed(list(csv.DictReader(handle))))
        except OSError:
            return []

    def edited_outside(self) -> list[str]:
        """Files at the top of the data folder that differ from the current version.

        They are a mirror the app never reads while a store exists; a difference
        means someone edited them by hand or pulled new ones from git.
        """
        version = self.current_version()
        if version is None:
            return []
        differ = []
        for name in data_files():
            mine, theirs = version.folder / name, self.root / name
            try:
                if mine.read_bytes() != theirs.read_bytes():
                    differ.append(name)
            except OSError:
                differ.append(name)
        return differ

    def adopt_outside(self, *, who: str = "") -> Version:
        """Make the hand-edited top-level files the new version (they must be valid)."""
        from impact.validation import DataError, validate_folder

        report = validate_folder(self.root)
        if not report.ok:
            raise DataError(report)
        files = {name: (self.root / name).read_bytes() for name in self.edited_outside()}
        return self.commit(
            files,
            who=who,
            note="files edited outside the app",
            changes=[{"file": name} for name in sorted(files)],
            action="adopt",
        )

    # --- locking and recovery -----------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the exclusive write lock (and repair what a crash left) inside the block."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with (self.dir / "lock").open("a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                self._recover()
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def recover(self) -> None:
        """Take the lock and repair: temp versions removed, log completed, mirror synced."""
        with self.locked():
            pass

    def _recover(self) -> None:
        if self.versions.exists():
            for item in self.versions.iterdir():
                if item.name.startswith(".tmp-"):
                    shutil.rmtree(item, ignore_errors=True)
        for item in self.dir.glob(".current.tmp-*"):
            item.unlink(missing_ok=True)
        version = self.current_version()
        if version is None:
            return
        logged = {row.get("version") for row in self.history()}
        if version.name not in logged and version.info:
            self._append_log(version)
        self._sync_mirror(version.folder)

    # --- writing ------------------------------------------------------------------------------

    def _seed(self) -> Version:
        """Turn a plain data folder into version 1 (same content, now versioned)."""
        files = {name: (self.root / name).read_bytes() for name in data_files()}
        return self._write_version(files, {"action": "seed", "who": "", "note": "", "changes": []})

    def _write_version(self, files: dict[str, bytes], info: dict[str, Any]) -> Version:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        self.versions.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name[:6]) for p in self.versions.iterdir() if p.name[:6].isdigit()]
        name = f"{max(numbers, default=0) + 1:06d}-{stamp}-{secrets.token_hex(3)}"
        temp = self.versions / f".tmp-{name}"
        temp.mkdir()
        for file_name, content in files.items():
            _write_synced(temp / file_name, content)
            self._step(f"file:{file_name}")
        info = {**info, "version": name, "when": datetime.now(UTC).isoformat(timespec="seconds")}
        _write_synced(temp / "version.json", json.dumps(info, indent=2).encode("utf-8"))
        _fsync_dir(temp)
        self._step("version-written")
        os.replace(temp, self.versions / name)
        _fsync_dir(self.versions)
        self._step("version-renamed")
        return Version(name, self.versions / name, info)

    def _switch(self, version: Version) -> None:
        link = self.dir / f".current.tmp-{secrets.token_hex(4)}"
        os.symlink(Path("versions") / version.name, link)
        self._step("link-created")
        os.replace(link, self.pointer)
        _fsync_dir(self.dir)
        self._step("switched")

    def _append_log(self, version: Version) -> None:
        info = version.info
        lines = []
        changes = info.get("changes") or [{"file": ""}]
        for change in changes:
            row = {
                "when": info.get("when", ""),
                "version": version.name,
                "action": info.get("action", ""),
                "file": change.get("file", ""),
                "added": change.get("added", ""),
                "changed": change.get("changed", ""),
                "removed": change.get("removed", ""),
                "who": info.get("who", ""),
                "note": info.get("note", ""),
            }
            lines.append(row)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=LOG_FIELDS, lineterminator="\n")
        new = not self.log.exists() or self.log.stat().st_size == 0
        if new:
            writer.writeheader()
        writer.writerows(lines)
        fd = os.open(self.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, buffer.getvalue().encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def _sync_mirror(self, folder: Path) -> None:
        """Make the top-level files equal the current version (each replaced atomically)."""
        for name in data_files():
            source = folder / name
            target = self.root / name
            if not source.exists():
                continue
            content = source.read_bytes()
            if not target.exists() or target.read_bytes() != content:
                atomic_write(target, content)
                self._step(f"mirror:{name}")

    def _prune(self) -> None:
        keep = {self.current().name}
        names = sorted(p.name for p in self.versions.iterdir() if not p.name.startswith("."))
        for name in names[:-KEEP_VERSIONS]:
            if name not in keep:
                shutil.rmtree(self.versions / name, ignore_errors=True)

    def commit(
        self,
        files: dict[str, bytes],
        *,
        who: str = "",
        note: str = "",
        changes: list[dict[str, Any]] | None = None,
        base: Path | None = None,
        action: str = "import",
    ) -> Version:
        """Write a new version where ``files`` (path -> content) replace the current ones.

        ``base`` is the folder the preview was computed on: if another import
        was committed since, :class:`ConflictError` is raised and nothing is written.
        """
        unknown = set(files) - set(data_files())
        if unknown:
            raise ValueError(f"not files of the data contract: {sorted(unknown)}")
        with self.locked():
            before = self.current()
            if base is not None and base.resolve() != before.resolve():
                raise ConflictError(str(before))
            parent = self.current_version()
            if parent is None:
                parent = self._seed()
                self._switch(parent)
                self._append_log(parent)
            merged = {}
            for name in data_files():
                merged[name] = files[name] if name in files else (parent.folder / name).read_bytes()
            info = {
                "action": action,
                "who": who,
                "note": note,
                "parent": parent.name,
                "changes": changes or [{"file": name} for name in sorted(files)],
            }
            version = self._write_version(merged, info)
            self._switch(version)
            self._append_log(version)
            self._step("logged")
            self._sync_mirror(version.folder)
            self._step("mirrored")
            self._prune()
            return version

    def _undo_target(self) -> tuple[Version, Path] | None:
        """(version whose change is undone, folder of the state before it), if any.

        The current version may itself be an undo: it then holds the content of
        an older version (``restores``), and the next undo goes one step further
        back, so repeated undos walk back through the imports one by one.
        """
        version = self.current_version()
        if version is None:
            return None
        holds = self.versions / str(version.info.get("restores") or version.name)
        undone = Version(holds.name, holds, self._info(holds))
        parent = undone.info.get("parent")
        if not parent or not (self.versions / str(parent)).exists():
            return None
        return undone, self.versions / str(parent)

    def next_undo(self) -> dict[str, Any] | None:
        """What the next undo reverts (its ``version.json``), or ``None``."""
        found = self._undo_target()
        return None if found is None else {**found[0].info, "version": found[0].name}

    def can_undo(self) -> bool:
        """True when there is an earlier state to go back to."""
        return self._undo_target() is not None

    def undo(self, *, who: str = "", note: str = "") -> Version:
        """Go back to the state before the last change still in effect (logged, as a change)."""
        with self.locked():
            found = self._undo_target()
            if found is None:
                raise NothingToUndoError()
            undone, parent = found
            current = self.current()
            files = {name: (parent / name).read_bytes() for name in data_files()}
            changes = [
                {**c, "added": c.get("removed", ""), "removed": c.get("added", "")}
                for c in undone.info.get("changes", [])
            ]
            info = {
                "action": "undo",
                "who": who,
                "note": note or f"undo {undone.name}",
                "parent": current.name,
                "restores": parent.name,
                "changes": changes,
            }
            version = self._write_version(files, info)
            self._switch(version)
            self._append_log(version)
            self._step("logged")
            self._sync_mirror(version.folder)
            self._step("mirrored")
            self._prune()
            return version


class Loader:
    """A database that follows ``current``: reopened when a commit switched the version.

    Each version folder is opened once and kept open, so a thread still querying
    the previous database is never cut off (what ``ui._database`` does too, keyed
    by the resolved folder).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._open: dict[Path, Database] = {}

    def database(self) -> Database:
        """The database of the current version."""
        folder = current_version(self.root)
        with self._lock:
            if folder not in self._open:
                self._open[folder] = Database.open(folder)
            return self._open[folder]

    def close(self) -> None:
        """Close every database opened."""
        with self._lock:
            for db in self._open.values():
                db.close()
            self._open.clear()


def main(argv: list[str]) -> int:
    """``python -m impact.curation.store <data folder> [recover|history]``."""
    if len(argv) < 2:
        print(main.__doc__)
        return 2
    store = Store(Path(argv[1]).resolve())
    command = argv[2] if len(argv) > 2 else "history"
    if command == "recover":
        store.recover()
        print(store.current())
        return 0
    for row in store.history():
        print(",".join(str(row.get(k, "")) for k in LOG_FIELDS))
    return 0


if __name__ == "__main__":  # pragma: no cover - command line
    raise SystemExit(main(sys.argv))
