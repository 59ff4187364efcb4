"""The validation report of an import: every problem, where it is, and how to fix it.

The candidate data folder (current data with the mapped rows applied) goes
through the loader's own checks (:func:`impact.db.build`, in
:func:`impact.curation.workflow.check`), so an import that passes here loads.
Each problem is located in the curated file *and* in the uploaded spreadsheet
(the row the curator can find in Excel), and gets a suggestion when one exists:
the closest allowed value of a vocabulary, the ISO code of a country written by
name (« Belgie » → BEL, found with :mod:`difflib` in ``countries.csv``), the
closest known identifier.

The mapping's own notes come first: numbers that could be read two ways
(« 1.234 »), control characters removed, total rows left out, a « dont »
column mapped as a figure of its own (it would be added to its whole), and every
existing record the import would change — a clash with a curated record is
never silent. Warnings do not block: a programme reaching more people than it
targeted for the same year and group is possible, but worth a second look.
Errors block.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from impact.curation.mapping import (
    FACTS,
    Candidate,
    Mapped,
    Mapping,
    _plain,
    country_lookup,
    enum_lookup,
    made_fields,
    read_rows,
)
from impact.curation.reading import Table, parse_number
from impact.i18n import N_, NP_, Translator
from impact.paths import QUERIES_DIR
from impact.queries import load_query
from impact.schema import contract
from impact.validation import ERROR, WARNING, Problem, raw_table

# Existing records changed by an import that are called out one by one (then a count).
MAX_CLASHES = 20

RULES: dict[str, str | tuple[str, str]] = {
    "unknown_country": N_("unknown country: « {value} » (not a code or name in countries.csv)"),
    "unmapped_required": N_("the field « {field} » is required: choose a column or a constant"),
    "row_too_long": N_("the row has {found} fields but the header has {expected}"),
    "no_rows": N_("the file has no data row to import"),
    "reached_above_target": N_(
        "reached ({reached}) is larger than targeted ({targeted}) "
        "for the same programme, year and group"
    ),
    "ambiguous_number": NP_(
        "{n} value, « {value} », read as {read}, with « {separator} » as the "
        "decimal separator (the file's convention, nothing in this column tells); "
        "if « {other} » is this column's decimal separator, choose it for the column",
        "{n} values such as « {value} » read as {read}, with « {separator} » as the "
        "decimal separator (the file's convention, nothing in this column tells); "
        "if « {other} » is this column's decimal separator, choose it for the column",
    ),
    "control_characters": NP_(
        "{n} cell held invisible control characters (« {value} »); they were removed",
        "{n} cells held invisible control characters (such as « {value} »); they were removed",
    ),
    "same_figure_twice": N_(
        "this row of your file is the same as row {other} in every column but the figures, "
        "so both give the same figure (the identifier the import makes, « {value} »): "
        "remove one, or add a column that tells them apart (a place, a date)"
    ),
    "same_name_twice": N_(
        "this row of your file has the same name as row {other}, so both get the "
        "identifier « {value} »: give one of them another name, or map an identifier column"
    ),
    "total_row": N_("a total row (« {value} ») is left out: the app computes totals itself"),
    "part_added_to_whole": N_(
        "this column looks like a part of « {whole} » (« dont … »), but it is mapped as a "
        "figure of its own, so both would be added: declare it as a part of « {whole} »"
    ),
    "overwrites_record": N_(
        "the import replaces the existing record « {value} » ({label}): {fields}"
    ),
    "changes_existing": NP_(
        "the import changes or removes {n} existing record (changed: {changed}, removed: "
        "{removed}); it is listed first in the preview and writing it needs your confirmation",
        "the import changes or removes {n} existing records (changed: {changed}, removed: "
        "{removed}); they are listed first in the preview and writing them needs your "
        "confirmation",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One problem of an import, with its place in the upload and a suggestion."""

    severity: str
    file: str
    rule: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    source_row: int | None = None
    suggestion: str | None = None
    problem: Problem | None = None
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def count(self) -> int:
        """How many problems this finding stands for (« 70 more problems of this kind »)."""
        return self.problem.count if self.problem is not None else 1

    def message(self, tr: Translator) -> str:
        """Where, what and why, then « did you mean … ? » when there is a suggestion."""
        if self.problem is not None and self.rule not in RULES:
            text = self.problem.message(tr)
        else:
            where = [self.file]
            if self.row is not None:
                where.append(tr._("row {row}", row=self.row))
            if self.column:
                where.append(tr._("column « {column} »", column=self.column))
            # the detail « count » chooses a counted rule's form (« 1 cell », « 3 cells »)
            details = {
                k: tr.number(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
                for k, v in self.details.items()
                if k != "count"
            }
            n = int(self.details.get("count", 0))
            explanation = tr.marked(RULES[self.rule], n, value=self.value, **details)
            text = tr._("{where}: {rule}", where=", ".join(where), rule=explanation)
        if self.source_row is not None:
            text = tr._("{text} (uploaded file, row {row})", text=text, row=self.source_row)
        if self.suggestion:
            text = tr._(
                "{text} — did you mean « {suggestion} »?", text=text, suggestion=self.suggestion
            )
        return text

    def as_row(self, tr: Translator) -> dict[str, Any]:
        """A flat record for the table and the downloadable CSV."""
        return {
            "severity": tr._("error") if self.severity == ERROR else tr._("warning"),
            "file": self.file,
            "row": self.row,
            "source_row": self.source_row,
            "column": self.column,
            "value": self.value,
            "rule": self.rule,
            "suggestion": self.suggestion,
            "message": self.message(tr),
        }


@dataclass
class ImportReport:
    """Everything found about an import; errors block it, warnings do not."""

    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        """Blocking problems."""
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        """Problems shown but not blocking."""
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def error_count(self) -> int:
        """How many problems block the import, the ones not listed included."""
        return sum(f.count for f in self.errors)

    @property
    def warning_count(self) -> int:
        """How many warnings, the ones not listed included."""
        return sum(f.count for f in self.warnings)

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import."""
        return not self.errors

    def frame(self, tr: Translator) -> pd.DataFrame:
        """The report as a table with translated headings (also the CSV download)."""
        columns = {
            "severity": tr._("Severity"),
            "source_row": tr._("Row in the uploaded file"),
            "column": tr._("Column"),
            "value": tr._("Value"),
            "suggestion": tr._("Suggestion"),
            "message": tr._("What to fix"),
            "rule": tr._("Rule"),
            "file": tr._("File"),
            "row": tr._("Row"),
        }
        table = pd.DataFrame([f.as_row(tr) for f in self.findings], columns=list(columns))
        for name in ("row", "source_row"):
            table[name] = table[name].astype("Int64")
        for name in ("column", "value", "suggestion"):  # an empty cell, never « None »
            table[name] = table[name].fillna("").astype(str)
        return table.rename(columns=columns)

    def csv(self, tr: Translator) -> bytes:
        """The report as a CSV file that opens in Excel (UTF-8 with BOM, formulas inert)."""
        from impact.exports.tables import to_csv

        return to_csv(self.frame(tr))


def _closest(value: str, choices: list[str], cutoff: float = 0.6) -> str | None:
    found = difflib.get_close_matches(value, choices, n=1, cutoff=cutoff)
    return found[0] if found else None


class _Suggester:
    def __init__(self, candidate: Candidate) -> None:
        self.folder = candidate.folder
        self.countries = country_lookup(candidate.folder)
        self._ids: dict[tuple[str, str], list[str]] = {}

    def ids(self, resource: str, column: str) -> list[str]:
        key = (resource, column)
        if key not in self._ids:
            _h, rows = read_rows(self.folder / contract().resource(resource).path)
            self._ids[key] = sorted({r.get(column) or "" for r in rows} - {""})
        return self._ids[key]

    def country(self, value: str) -> str | None:
        if re.fullmatch("[A-Z]{3}", value):
            return None  # a well-formed code that countries.csv lacks: add the country first
        name = _closest(_plain(value), list(self.countries), cutoff=0.7)
        return self.countries[name] if name else None

    def suggest(self, problem: Problem) -> str | None:
        value = problem.value or ""
        if not value:
            return None
        resource = next((r for r in contract().resources if r.path == problem.file), None)
        if resource is None or problem.column not in resource.field_names:
            return None
        fld = resource.field(problem.column)
        if problem.rule == "enum":
            lookup = enum_lookup(resource.name, fld.name)
            name = _closest(_plain(value), list(lookup), cutoff=0.75)
            return lookup[name] if name and _same_words(_plain(value), name) else None
        if problem.rule == "count_not_whole":
            # « 1.675 » may be a thousands separator read as a decimal point; « 1.5 » is not
            return value.replace(".", "") if re.fullmatch(r"[0-9]{1,3}\.[0-9]{3}", value) else None
        if problem.rule in {"type_number", "type_integer"}:
            number = parse_number(value, ",")
            if number is None:
                number = parse_number(value, ".")
            return None if number is None else str(number).removesuffix(".0")
        if problem.rule == "foreign_key":
            target = next(fk for fk in resource.foreign_keys if fk.field == problem.column)
            if target.resource == "countries":
                return self.country(value)
            return _closest(value, self.ids(target.resource, target.reference_field))
        if problem.rule == "pattern" and fld.pattern == "^[A-Z]{3}$":
            return self.country(value)
        return None


def _same_words(value: str, candidate: str) -> bool:
    """Every word of ``value`` is close to a word of ``candidate``: « childrn » ~ « children »,
    but « national ngo » is not « international ngo »."""
    words = candidate.split()
    return all(difflib.get_close_matches(word, words, n=1, cutoff=0.8) for word in value.split())


def _is_country(problem: Problem) -> bool:
    if problem.rule not in {"pattern", "foreign_key"} or not problem.column:
        return False
    resource = next((r for r in contract().resources if r.path == problem.file), None)
    if resource is None or problem.column not in resource.field_names:
        return False
    if problem.rule == "pattern":
        return resource.field(problem.column).pattern == "^[A-Z]{3}$"
    return any(
        fk.field == problem.column and fk.resource == "countries" for fk in resource.foreign_keys
    )


def _whole(value: float) -> int | float:
    """A sum of counts as an int when it is one (it is then written « 1 234 567 »)."""
    return int(value) if float(value).is_integer() else float(value)


def _reached_above_target(
    con: duckdb.DuckDBPyConnection, candidate: Candidate, built: bool
) -> list[Finding]:
    """Sums of persons reached above their target that the import makes (a warning).

    Computed by DuckDB on the candidate ``con`` just validated (``built``: its typed
    table, else its staged text), where ``rowid + 2`` is the row of the file: streaming
    the file in Python took a second at 200 000 rows and four at a million.
    """
    resource = contract().resource(FACTS)
    table = resource.name if built else raw_table(resource)
    if not con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE table_name = $name", {"name": table}
    ).fetchall():
        return []  # the file could not be staged: validation says why
    imported = candidate.origin if candidate.target == resource.path else {}
    query = load_query("reached_above_target", QUERIES_DIR / "checks")
    # the table's name is the contract's, never the upload's; its rows are in the file's order
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW checked_facts AS SELECT rowid + 2 AS line, * FROM {table}"  # noqa: S608
    )
    con.register("imported_lines", pd.DataFrame({"line": pd.array(list(imported), "int64")}))
    try:
        found = con.execute(query.sql, {"any_imported": bool(imported)}).fetchall()
    finally:
        con.unregister("imported_lines")
        con.execute("DROP VIEW checked_facts")
    return [
        Finding(
            WARNING,
            resource.path,
            "reached_above_target",
            row=int(line),
            column="count",
            value=None,
            source_row=imported.get(int(line)),
            details={"reached": _whole(reached), "targeted": _whole(targeted)},
        )
        for line, reached, targeted in found
    ]


def note_findings(table: Table, mapped: Mapped) -> list[Finding]:
    """The mapping's notes (numbers, control characters, parts) and the total rows left out."""
    findings = [
        Finding(
            note.severity,
            table.name,
            note.rule,
            row=note.line,
            column=note.column,
            value=note.value,
            source_row=note.line,
            suggestion=note.suggestion,
            details={"count": note.count, **note.details},
        )
        for note in mapped.notes
    ]
    findings += [
        Finding(WARNING, table.name, "total_row", row=line, value=label, source_row=line)
        for line, label in mapped.skipped[:50]
    ]
    return findings


def clash_findings(candidate: Candidate) -> list[Finding]:
    """Every existing record the import changes, with what changes; then one summary line."""
    change = candidate.diff
    if change is None or not change.touches_existing:
        return []
    resource = next(r for r in contract().resources if r.path == change.file)
    key = resource.primary_key or tuple(resource.field_names[:1])
    label_field = next(
        (n for n in ("name", "title", "label", "quote") if n in resource.field_names), None
    )
    findings = [
        Finding(
            WARNING,
            change.file,
            "changes_existing",
            details={
                "changed": change.changed,
                "removed": change.removed,
                "count": change.changed + change.removed,
            },
        )
    ]
    for number, old, new in change.changed_rows[:MAX_CLASHES]:
        fields = [n for n in resource.field_names if (old.get(n) or "") != (new.get(n) or "")]
        described = "; ".join(
            f"{n}: « {_short(old.get(n))} » → « {_short(new.get(n))} »" for n in fields
        )
        findings.append(
            Finding(
                WARNING,
                change.file,
                "overwrites_record",
                row=number,
                value=" / ".join(new.get(k) or "" for k in key),
                source_row=candidate.origin.get(number),
                details={
                    "label": _short(old.get(label_field) if label_field else "") or "–",
                    "fields": described,
                },
            )
        )
    return findings


def _short(text: str | None, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mapping_findings(table: Table, mapping: Mapping, mapped: Mapped) -> list[Finding]:
    """Problems visible before validation: unreadable rows, required fields left unmapped."""
    findings = [
        Finding(
            ERROR,
            table.name,
            "row_too_long",
            row=issue.line,
            source_row=issue.line,
            details={"found": issue.found, "expected": issue.expected},
        )
        for issue in table.issues[:50]
    ]
    resource = contract().resource(mapping.resource)
    generated = made_fields(mapping)
    for fld in resource.fields:
        given = fld.name in mapping.columns or (mapping.constants.get(fld.name) or "").strip()
        if fld.required and not given and fld.name not in generated:
            findings.append(
                Finding(
                    ERROR,
                    resource.path,
                    "unmapped_required",
                    column=fld.name,
                    details={"field": fld.name},
                )
            )
    if not len(mapped):
        findings.append(Finding(ERROR, table.name, "no_rows"))
    return findings


def build_report(
    table: Table,
    mapping: Mapping,
    mapped: Mapped,
    candidate: Candidate,
    problems: Sequence[Problem],
    con: duckdb.DuckDBPyConnection,
    *,
    built: bool,
) -> ImportReport:
    """Explain the candidate's validation ``problems`` (``con`` holds the candidate
    as validated: its typed tables when ``built``, else its staged text)."""
    findings = mapping_findings(table, mapping, mapped)
    findings += note_findings(table, mapped) + clash_findings(candidate)
    suggester = _Suggester(candidate)
    made = made_fields(mapping)
    # a value of the wrong form is reported once, by its pattern (impact.validation)
    for problem in problems:
        source_row = None
        if problem.file == candidate.target and problem.row is not None:
            source_row = candidate.origin.get(problem.row)
        rule, details = problem.rule, {}
        if _is_country(problem):
            rule = "unknown_country"
        elif rule == "duplicate_key" and source_row is not None and problem.column in made:
            # an identifier the import made: the curator never typed it, so name the rows
            other = candidate.origin.get(int(problem.details.get("other_row", 0)))
            if other is not None:
                rule = "same_figure_twice" if mapping.resource == FACTS else "same_name_twice"
                details = {"other": other}
        findings.append(
            Finding(
                problem.severity,
                problem.file,
                rule,
                row=problem.row,
                column=problem.column,
                value=problem.value,
                source_row=source_row,
                suggestion=suggester.suggest(problem),
                problem=problem,
                details=details,
            )
        )
    findings += _reached_above_target(con, candidate, built)
    return ImportReport(_without_repeats(findings))


# Warnings a curator must read before anything else, in this order.
FIRST = {
    "part_added_to_whole": 0,
    "changes_existing": 1,
    "overwrites_record": 2,
    "ambiguous_number": 3,
}


def _without_repeats(findings: list[Finding]) -> list[Finding]:
    """Drop « required » on every row of a field already reported unmapped; order for reading."""
    unmapped = {(f.file, f.column) for f in findings if f.rule == "unmapped_required"}
    kept = [
        f
        for f in findings
        if not (f.rule in {"required", "more_problems"} and (f.file, f.column) in unmapped)
        or f.rule == "unmapped_required"
    ]

    def order(f: Finding) -> tuple[int, int, str, int, int, str]:
        last = 1 if f.rule == "more_problems" else 0
        return (
            0 if f.severity == ERROR else 1,
            FIRST.get(f.rule, len(FIRST)),
            f.file,
            last,
            f.row or 0,
            f.column or "",
        )

    return sorted(kept, key=order)
