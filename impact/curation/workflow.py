"""The import workflow in one call per step, for the Data page and for scripts.

``check`` turns a read file and a mapping into everything the curator reviews
before writing (the mapped rows, the validation report, the row changes and the
key figures before and after); ``write`` commits a checked import through the
:class:`~impact.curation.store.Store`, remembers the mapping and logs who did it.
Candidate folders are built in a private temporary directory and removed when
a newer check replaces them.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from impact.curation import diff, mapping, report
from impact.curation.diff import FileDiff
from impact.curation.mapping import Candidate, Mapped, Mapping
from impact.curation.reading import Table
from impact.curation.report import ImportReport
from impact.curation.store import Store, Version
from impact.i18n import Translator


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

    @property
    def changes(self) -> list[FileDiff]:
        """The files that change."""
        return [d for d in self.diffs if not d.empty]

    def mapped_frame(self, limit: int = 200) -> pd.DataFrame:
        """The first mapped rows, as they will be written."""
        from impact.schema import contract

        names = contract().resource(self.mapped.resource).field_names
        frame = pd.DataFrame(self.mapped.rows[:limit], columns=names)
        frame.insert(0, "↤", self.mapped.lines[:limit])
        return frame

    def discard(self) -> None:
        """Remove the candidate folder."""
        shutil.rmtree(self.candidate.folder.parent, ignore_errors=True)


def check(root: Path, table: Table, chosen: Mapping) -> Checked:
    """Map, validate and compare a file against the current data of ``root``."""
    store = Store(root)
    base = store.current()
    mapped = mapping.apply_mapping(table, chosen, base)
    workdir = Path(tempfile.mkdtemp(prefix="impact-import-")) / "data"
    candidate = mapping.merge(base, mapped, chosen, workdir)
    found = report.build_report(table, chosen, mapped, candidate)
    return Checked(table, chosen, mapped, candidate, found, diff.compare_files(base, workdir), base)


def write(
    root: Path, checked: Checked, who: str, note: str = "", *, remember: bool = True
) -> Version:
    """Commit a checked import whose report has no error; remember its mapping."""
    if not checked.report.ok:
        raise ValueError("the import has blocking errors")
    files = {d.file: (checked.candidate.folder / d.file).read_bytes() for d in checked.changes}
    version = Store(root).commit(
        files,
        who=who,
        note=note or checked.table.name,
        changes=[d.summary() for d in checked.changes],
        base=checked.base,
    )
    if remember:
        mapping.remember(root, checked.table, checked.mapping)
    return version


def figures(checked: Checked, tr: Translator) -> pd.DataFrame:
    """Key figures now and after the import."""
    return diff.figures_table(checked.base, checked.candidate.folder, tr)


def file_summary(folder: Path, tr: Translator) -> pd.DataFrame:
    """One line per file of the data: its name, what a row is, how many rows it has."""
    from impact.schema import contract

    rows = []
    for resource in contract().resources:
        _header, records = mapping.read_rows(folder / resource.path)
        rows.append(
            {
                tr._("File"): resource.path,
                tr._("Description"): resource.description,
                tr._("Rows"): len(records),
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
    )
    return check(root, table, chosen)
