"""The import workflow in one call per step, for the Data page and for scripts.

``check`` turns a read file and a mapping into everything the curator reviews
before writing (the mapped rows, the validation report, the row changes and the
key figures before and after); ``write`` commits a checked import through the
:class:`~impact.curation.store.Store`, remembers the mapping and logs who did it.
An import that changes or removes records that exist now is written only when
the caller confirms it (``confirmed=True``): the page asks the curator first.

Candidate folders hold a full copy of the data, so they never outlive their use:
each lives in its own ``impact-import-<pid>-…`` directory under
:func:`candidates_dir` (``$IMPACT_IMPORT_DIR``, else the system's temporary
folder). It is removed when the import is written, when a newer check replaces
it, when nobody has looked at it for :data:`ABANDON_AFTER` seconds, and at
start-up when the process that made it is gone (:func:`sweep`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from impact.curation import diff, mapping, report
from impact.curation.diff import FileDiff, KeyFigureChange
from impact.curation.mapping import Candidate, Mapped, Mapping
from impact.curation.reading import Table
from impact.curation.report import ImportReport
from impact.curation.store import Store, Version
from impact.i18n import Translator

PREFIX = "impact-import-"
# A check nobody looked at for this long is abandoned (its session closed or left).
ABANDON_AFTER = 2 * 3600


class ExpiredError(Exception):
    """The checked candidate was cleaned up (abandoned for too long): check again."""


class ConfirmationNeededError(Exception):
    """The import changes or removes existing records and was not confirmed."""


@dataclass
class Checked:
    """An import ready to review: nothing is written yet."""

    table: Table
    mapping: Mapping
    mapped: Mapped
    candidate: Candidate
    report: ImportReport
    diffs: list[FileDiff]
    base: Path  # the version the preview was computed on
    figures: list[KeyFigureChange] = field(default_factory=list)
    edit: bool = False  # an edit of a file on the page (its changes are the curator's own)

    @property
    def changes(self) -> list[FileDiff]:
        """The files that change."""
        return [d for d in self.diffs if not d.empty]

    @property
    def touches_existing(self) -> int:
        """Records that exist now and that this import changes or removes."""
        return sum(d.touches_existing for d in self.diffs)

    @property
    def needs_confirmation(self) -> bool:
        """True when writing would change or remove existing records of an import."""
        return not self.edit and self.touches_existing > 0

    def mapped_frame(self, limit: int = 200) -> pd.DataFrame:
        """The first mapped rows, as they will be written."""
        rows = [self.mapped.row(i) for i in range(min(limit, len(self.mapped)))]
        frame = pd.DataFrame(rows, columns=self.mapped.fields)
        frame.insert(0, "↤", self.mapped.lines[:limit])
        return frame

    def touch(self) -> None:
        """Mark the candidate as still in use (see :data:`ABANDON_AFTER`)."""
        with contextlib.suppress(OSError):
            os.utime(self.candidate.folder.parent)

    def discard(self) -> None:
        """Remove the candidate folder."""
        shutil.rmtree(self.candidate.folder.parent, ignore_errors=True)


def candidates_dir() -> Path:
    """Where candidate folders are made: ``$IMPACT_IMPORT_DIR`` or the temporary folder."""
    configured = os.environ.get("IMPACT_IMPORT_DIR")
    folder = Path(configured) if configured else Path(tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(max_age: float = ABANDON_AFTER, *, startup: bool = False) -> list[Path]:
    """Remove abandoned candidate folders; returns what was removed.

    A folder is abandoned when unused for ``max_age`` seconds; at start-up also
    when the process that made it (its name carries the pid) has ended — a
    restart ends every session that could still write it.
    """
    removed = []
    now = time.time()
    try:
        entries = list(candidates_dir().glob(PREFIX + "*"))
    except OSError:
        return []
    for folder in entries:
        try:
            age = now - folder.stat().st_mtime
        except OSError:
            continue
        owner = folder.name.removeprefix(PREFIX).split("-", 1)[0]
        dead = startup and owner.isdigit() and not _pid_alive(int(owner))
        if age > max_age or dead:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def check(root: Path, table: Table, chosen: Mapping, *, edit: bool = False) -> Checked:
    """Map, validate and compare a file against the current data of ``root``.

    The candidate is validated by building its database (the checks the loader
    runs); when valid, the same database gives the key figures after the import.
    """
    from impact.db import BUILD_MEMORY_LIMIT, Database, build, connect
    from impact.validation import DataError, Report

    sweep()
    store = Store(root)
    base = store.current()
    mapped = mapping.apply_mapping(table, chosen, base)
    parent = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=candidates_dir()))
    try:
        candidate = mapping.merge(base, mapped, chosen, parent / "data")
        con = connect(memory_limit=BUILD_MEMORY_LIMIT)
        con.execute("SET threads = 1")  # one thread's buffers: a check is small, memory counts
        database: Database | None = None
        try:
            # only the key figures are read from it: a short list of the largest figures
            problems = build(con, candidate.folder, largest_rows=1000).problems
            database = Database(con, candidate.folder, Report(candidate.folder, problems))
        except DataError as error:
            problems = error.report.problems
        try:
            found = report.build_report(
                table, chosen, mapped, candidate, problems, con, built=database is not None
            )
            figures = diff.figure_changes(base, database)
        finally:
            con.close()
        diffs = diff.compare_files(base, candidate.folder, known=candidate.diff)
    except BaseException:
        shutil.rmtree(parent, ignore_errors=True)
        raise
    return Checked(table, chosen, mapped, candidate, found, diffs, base, figures, edit)


def write(
    root: Path,
    checked: Checked,
    who: str,
    note: str = "",
    *,
    remember: bool = True,
    confirmed: bool = False,
) -> Version:
    """Commit a checked import whose report has no error; remember its mapping.

    Raises :class:`ConfirmationNeededError` when the import changes existing
    records and ``confirmed`` is not set, :class:`ExpiredError` when the
    candidate was cleaned up; the candidate is removed once written.
    """
    if not checked.report.ok:
        raise ValueError("the import has blocking errors")
    if checked.needs_confirmation and not confirmed:
        raise ConfirmationNeededError(checked.touches_existing)
    try:
        files = {d.file: (checked.candidate.folder / d.file).read_bytes() for d in checked.changes}
    except FileNotFoundError:
        raise ExpiredError() from None
    version = Store(root).commit(
        files,
        who=who,
        note=note or checked.table.name,
        changes=[d.summary() for d in checked.changes],
        base=checked.base,
    )
    if remember:
        mapping.remember(root, checked.table, checked.mapping)
    checked.discard()
    return version


def figures(checked: Checked, tr: Translator) -> pd.DataFrame:
    """Key figures now and after the import."""
    return diff.figures_table(checked.figures, tr)


def file_summary(
    folder: Path, tr: Translator, counts: dict[str, int] | None = None
) -> pd.DataFrame:
    """One line per file of the data: its name, what a row is, how many rows it has.

    ``counts`` are the rows per resource as the database read them (the Data
    page passes them: parsing the CSVs again took seconds at a million figures);
    a file without a count is read.
    """
    from impact.schema import contract

    rows = []
    for resource in contract().resources:
        if counts is not None and resource.name in counts:
            count = int(counts[resource.name])
        else:
            _header, records = mapping.read_rows(folder / resource.path)
            count = len(records)
        rows.append(
            {
                tr._("File"): resource.path,
                tr._("Description"): resource.description,
                tr._("Rows"): count,
            }
        )
    return pd.DataFrame(rows)


def file_frame(folder: Path, resource_name: str) -> pd.DataFrame:
    """A curated file as text columns, for editing in the page."""
    from impact.schema import contract

    resource = contract().resource(resource_name)
    _header, rows = mapping.read_rows(folder / resource.path)
    return pd.DataFrame(rows, columns=resource.field_names, dtype="string").fillna("")


def check_edit(root: Path, resource_name: str, edited: pd.DataFrame) -> Checked:
    """Check an edited copy of a whole file like an import that replaces the file."""
    from impact.schema import contract

    resource = contract().resource(resource_name)
    frame = edited.reindex(columns=resource.field_names).astype("string").fillna("")
    records = [{k: str(v) for k, v in row.items()} for row in frame.to_dict("records")]
    table = Table(
        name=resource.path,
        columns=list(resource.field_names),
        rows=[[r[n] for n in resource.field_names] for r in records],
        lines=list(range(2, len(records) + 2)),
    )
    chosen = Mapping(
        resource=resource_name,
        columns={n: n for n in resource.field_names},
        mode="replace_all",
        keep_totals=True,
    )
    return check(root, table, chosen, edit=True)
