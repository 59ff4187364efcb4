"""Preview of a change before it is written: rows added, changed, removed, and the key figures.

Rows are compared by the primary key of each resource (from the data
contract), so a corrected figure shows as « changed » with its old and new
values, not as one removal and one addition. Key figures are computed on both
folders with :func:`impact.figures.key_figures` over ``Database.open``, the very
code the Overview page uses, so the preview shows the numbers readers will see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from impact.curation.mapping import read_rows
from impact.db import Database
from impact.figures import key_figures
from impact.filters import Filters
from impact.i18n import Translator
from impact.schema import contract
from impact.validation import DataError


@dataclass
class FileDiff:
    """What changes in one file."""

    file: str
    added: list[dict[str, str]] = field(default_factory=list)
    changed: list[tuple[dict[str, str], dict[str, str]]] = field(default_factory=list)
    removed: list[dict[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing changes."""
        return not (self.added or self.changed or self.removed)

    def summary(self) -> dict[str, object]:
        """Counts for the change log."""
        return {
            "file": self.file,
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
        }


def compare_files(old: Path, new: Path) -> list[FileDiff]:
    """Row differences for every file of the contract, by primary key."""
    diffs = []
    for resource in contract().resources:
        _h, before = read_rows(old / resource.path)
        _h, after = read_rows(new / resource.path)
        key = resource.primary_key or tuple(resource.field_names)

        def ident(row: dict[str, str], key: tuple[str, ...] = key) -> tuple[str, ...]:
            return tuple(row.get(k) or "" for k in key)

        old_rows = {ident(r): r for r in before}
        new_rows = {ident(r): r for r in after}
        diff = FileDiff(resource.path)
        for k, row in new_rows.items():
            if k not in old_rows:
                diff.added.append(row)
            elif old_rows[k] != row:
                diff.changed.append((old_rows[k], row))
        diff.removed = [row for k, row in old_rows.items() if k not in new_rows]
        diffs.append(diff)
    return diffs


def changes_table(diff: FileDiff, tr: Translator, limit: int = 500) -> pd.DataFrame:
    """One line per added, changed (with the changed columns) or removed row."""
    records: list[dict[str, str]] = []
    resource = next(r for r in contract().resources if r.path == diff.file)
    key = resource.primary_key or tuple(resource.field_names[:1])
    for row in diff.added:
        records.append({"change": tr._("added"), "key": " / ".join(row.get(k) or "" for k in key)})
    for old, new in diff.changed:
        what = "; ".join(
            f"{name}: {old.get(name) or '∅'} → {new.get(name) or '∅'}"
            for name in resource.field_names
            if (old.get(name) or "") != (new.get(name) or "")
        )
        records.append(
            {
                "change": tr._("changed"),
                "key": " / ".join(new.get(k) or "" for k in key),
                "detail": what,
            }
        )
    for row in diff.removed:
        records.append(
            {"change": tr._("removed"), "key": " / ".join(row.get(k) or "" for k in key)}
        )
    table = pd.DataFrame(records[:limit], columns=["change", "key", "detail"]).fillna("")
    return table.rename(
        columns={"change": tr._("Change"), "key": tr._("Identifier"), "detail": tr._("Detail")}
    )


def figures_of(folder: Path) -> dict[str, float | None]:
    """Key figures of a folder (empty when it is not valid)."""
    try:
        db = Database.open(folder)
    except DataError:
        return {}
    try:
        return {f.key: f.value for f in key_figures(db.query, Filters())}
    finally:
        db.close()


def figures_table(old: Path, new: Path, tr: Translator) -> pd.DataFrame:
    """The key figures before and after, and the difference."""
    db_old = figures_of(old)
    try:
        db = Database.open(new)
    except DataError:
        return pd.DataFrame()
    try:
        figures = key_figures(db.query, Filters())
    finally:
        db.close()
    rows = []
    for figure in figures:
        before = db_old.get(figure.key)
        after = figure.value
        delta = None if before is None or after is None else after - before
        rows.append(
            {
                tr._("Key figure"): tr._(figure.title),
                tr._("Now"): tr.number(before),
                tr._("After the import"): tr.number(after),
                tr._("Change"): "" if not delta else ("+" if delta > 0 else "") + tr.number(delta),
            }
        )
    return pd.DataFrame(rows)
