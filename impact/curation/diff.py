"""Preview of a change before it is written: rows changed, removed, added, and the key figures.

Rows are compared by the primary key of each resource (from the data
contract), so a corrected figure shows as « changed » with its old and new
values, not as one removal and one addition. Changes to records that exist now
are listed first — they are what an import can break — and are never cut off
by the length of the list: additions come last. Key figures are computed with
:func:`impact.figures.key_figures`, the very code the Overview page uses, so the
preview shows the numbers readers will see: on the current data through its
columnar cache (built once per version), on the candidate from the database
the check built anyway to validate it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from impact.curation.mapping import EXAMPLES, FileDiff, diff_rows, read_table
from impact.db import Database
from impact.figures import key_figures
from impact.filters import Filters
from impact.i18n import Translator
from impact.schema import contract
from impact.validation import DataError

__all__ = ["FileDiff", "KeyFigureChange", "changes_table", "compare_files", "figures_table"]


def compare_files(
    old: Path, new: Path, examples: int = EXAMPLES, known: FileDiff | None = None
) -> list[FileDiff]:
    """Row differences for every file of the contract, by primary key (``known``: already done)."""
    diffs = []
    for resource in contract().resources:
        if known is not None and known.file == resource.path:
            diffs.append(known)
            continue
        names = resource.field_names
        before_path, after_path = old / resource.path, new / resource.path
        if _same_bytes(before_path, after_path):
            diffs.append(FileDiff(resource.path))
            continue
        diffs.append(
            diff_rows(
                resource.path,
                names,
                resource.primary_key,
                read_table(before_path, names),
                read_table(after_path, names),
                examples,
            )
        )
    return diffs


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return not a.exists() and not b.exists()


def changes_table(
    diff: FileDiff, tr: Translator, limit: int = EXAMPLES, blocked: bool = False
) -> pd.DataFrame:
    """One line per changed (with what changes), removed, then added row; changes first.

    ``blocked``: a problem blocks the import, which writes nothing; each line then says
    what would happen once it is fixed (« would be added »), not what happens.
    """
    changed, removed, added = (
        (tr._("would change"), tr._("would be removed"), tr._("would be added"))
        if blocked
        else (tr._("changed"), tr._("removed"), tr._("added"))
    )
    records: list[dict[str, str]] = []
    resource = next(r for r in contract().resources if r.path == diff.file)
    key = resource.primary_key or tuple(resource.field_names[:1])
    for _number, old, new in diff.changed_rows:
        what = "; ".join(
            f"{name}: {old.get(name) or '∅'} → {new.get(name) or '∅'}"
            for name in resource.field_names
            if (old.get(name) or "") != (new.get(name) or "")
        )
        records.append(
            {
                "change": changed,
                "key": " / ".join(new.get(k) or "" for k in key),
                "detail": what,
            }
        )
    for row in diff.removed_rows:
        records.append(
            {
                "change": removed,
                "key": " / ".join(row.get(k) or "" for k in key),
                "detail": "",
            }
        )
    for row in diff.added_rows:
        records.append(
            {
                "change": added,
                "key": " / ".join(row.get(k) or "" for k in key),
                "detail": "",
            }
        )
    table = pd.DataFrame(records[:limit], columns=["change", "key", "detail"], dtype="object")
    return table.rename(
        columns={"change": tr._("Change"), "key": tr._("Identifier"), "detail": tr._("Detail")}
    )


@dataclass(frozen=True)
class KeyFigureChange:
    """One key figure now and after the change (``None``: the data cannot be read)."""

    key: str
    title: str  # English msgid
    before: float | None
    after: float | None


_BEFORE: dict[str, dict[str, float | None]] = {}
_BEFORE_LOCK = threading.Lock()


def figures_now(folder: Path) -> dict[str, float | None]:
    """Key figures of a valid data folder, through its columnar cache (empty when invalid).

    The cache is the one the app reads, so for the current version it is
    usually built already; results are kept per content fingerprint.
    """
    from impact import cache

    try:
        fingerprint = cache.fingerprint(folder)
    except OSError:
        return {}
    with _BEFORE_LOCK:
        if fingerprint in _BEFORE:
            return _BEFORE[fingerprint]
    try:
        db = cache.open_folder(folder)
    except (DataError, OSError):
        return {}
    try:
        values = {f.key: f.value for f in key_figures(db.query, Filters())}
    finally:
        db.close()
    with _BEFORE_LOCK:
        if len(_BEFORE) > 16:
            _BEFORE.clear()
        _BEFORE[fingerprint] = values
    return values


def figure_changes(old: Path, new: Database | None) -> list[KeyFigureChange]:
    """The key figures of ``old`` and of the candidate database ``new`` (``None``: invalid)."""
    before = figures_now(old)
    if new is None:
        return []
    return [
        KeyFigureChange(f.key, f.title, before.get(f.key), f.value)
        for f in key_figures(new.query, Filters())
    ]


def figures_table(changes: list[KeyFigureChange], tr: Translator) -> pd.DataFrame:
    """The key figures before and after, and the difference, in the reader's language."""
    rows = []
    for change in changes:
        before, after = change.before, change.after
        delta = None if before is None or after is None else after - before
        rows.append(
            {
                tr._("Key figure"): tr._(change.title),
                tr._("Now"): tr.number(before),
                tr._("After the import"): tr.number(after),
                tr._("Change"): "" if not delta else ("+" if delta > 0 else "") + tr.number(delta),
            }
        )
    return pd.DataFrame(rows)
