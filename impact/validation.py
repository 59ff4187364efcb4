"""Check a data folder against the data contract before anything reads it.

The checks run in DuckDB over the CSVs read as text, so they are the same for 50
rows or 10 million, and every problem names the file, the spreadsheet row (the
header is row 1), the column, the value and the broken rule. Messages are
rendered in the reader's language by :meth:`Problem.message`; the rule codes stay
stable for tests and for the downloadable report.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from impact.i18n import N_, NP_, Translator
from impact.schema import Package, Resource, contract

ERROR = "error"
WARNING = "warning"
# A broken column can produce millions of identical problems; a curator needs
# the first few and a count.
MAX_EXAMPLES_PER_CHECK = 50

# Rule code -> explanation (English msgid; placeholders come from Problem.details).
# A pair (NP_) has a singular and a plural form, chosen by the detail ``n``.
RULES: dict[str, str | tuple[str, str]] = {
    "missing_file": N_("the file is missing"),
    "unreadable": N_("the file cannot be read as CSV: {error}"),
    "bad_row": N_("the row cannot be read: {error}"),
    "too_many_fields": N_("the row has more fields than the {expected} columns of the header"),
    "missing_fields": N_("the row has fewer fields than the {expected} columns of the header"),
    "bad_quote": N_("a quotation mark is not closed or is misplaced"),
    "bad_encoding": N_("the row is not valid UTF-8 text"),
    "missing_column": N_("the column is missing from the header"),
    "unknown_column": N_("this column is not in the data contract"),
    "required": N_("a value is required"),
    "type_integer": N_("must be a whole number (digits only, e.g. 2024)"),
    "type_number": N_("must be a number written with a decimal point (e.g. 10378 or 68.3)"),
    "type_boolean": N_("must be true or false"),
    "type_date": N_("must be a date written YYYY-MM-DD"),
    "enum": N_("is not an allowed value; allowed: {allowed}"),
    "pattern": N_("does not have the expected form ({pattern})"),
    "minimum": N_("must be at least {limit}"),
    "maximum": N_("must be at most {limit}"),
    "duplicate_key": N_("the identifier is used more than once (also row {other_row})"),
    "foreign_key": N_("refers to « {value} », which is not in {target}"),
    "part_of_self": N_("a figure cannot be a part of itself"),
    "part_of_nested": N_("the whole « {whole} » is itself a part; name the top-level whole"),
    "part_of_unit": N_(
        "a part must have the unit and measure of its whole "
        "(here {part_unit}/{part_measure}, whole {whole_unit}/{whole_measure})"
    ),
    "part_larger": N_("the part ({part}) is larger than its whole « {whole} » ({whole_count})"),
    "count_not_whole": N_("must be a whole number: a count of {unit} is never a fraction"),
    "control_character": N_(
        "contains invisible control characters ({codes}) that no spreadsheet can hold; "
        "remove them (text pasted from a PDF or another program may have brought them)"
    ),
    "period_after_year": N_(
        "a period cannot start after its last year ({year}); for one year leave period_start empty"
    ),
    "more_problems": NP_(
        "{n} more problem of this kind is not listed",
        "{n} more problems of this kind are not listed",
    ),
}

# Characters text may not hold: C0 controls but tab, line feed and carriage return;
# DEL; C1 controls; the XML non-characters U+FFFE and U+FFFF. No XLSX cell can hold
# them (openpyxl raises IllegalCharacterError) and no reader sees them.
CONTROL_PATTERN = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x{9F}\x{FFFE}\x{FFFF}]"
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def control_codes(text: str) -> str:
    """« U+0007, U+001B »: the control characters of ``text``, as code points."""
    return ", ".join(f"U+{ord(c):04X}" for c in sorted(set(CONTROL.findall(text))))


def visible(text: str) -> str:
    """``text`` with its control characters written as ``\\x07`` (safe to show)."""
    return CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class Problem:
    """One broken rule, located as precisely as the data allows."""

    file: str
    rule: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    severity: str = ERROR
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def explanation(self, tr: Translator) -> str:
        """The rule, explained in the reader's language (vocabulary codes as labels)."""
        from impact.vocab import allowed_values, label

        values = {"value": self.value, **self.details}
        if isinstance(values.get("unit"), str):
            values["unit"] = label(tr, "unit", values["unit"])
        if self.rule == "enum" and isinstance(values.get("allowed"), str):
            codes = values["allowed"].split(", ")
            values["allowed"] = allowed_values(tr, self.file, self.column, codes)
        return tr.marked(RULES[self.rule], int(values.pop("n", 0)), **values)

    def message(self, tr: Translator) -> str:
        """Full sentence: where, what value, which rule."""
        where = [self.file]
        if self.row is not None:
            where.append(tr._("row {row}", row=self.row))
        if self.column:
            where.append(tr._("column « {column} »", column=self.column))
        prefix = ", ".join(where)
        if self.value is not None and self.rule not in {"foreign_key", "more_problems"}:
            return tr._(
                "{where}: « {value} » {rule}",
                where=prefix,
                value=self.value,
                rule=self.explanation(tr),
            )
        return tr._("{where}: {rule}", where=prefix, rule=self.explanation(tr))

    @property
    def count(self) -> int:
        """How many problems this entry stands for: the ones not listed, or itself."""
        return int(self.details.get("n", 0)) if self.rule == "more_problems" else 1

    def as_row(self, tr: Translator) -> dict[str, Any]:
        """A flat record for the downloadable report, in the reader's language (a cell
        with nothing to say is empty, not « None »)."""
        return {
            "severity": tr._("error") if self.severity == ERROR else tr._("warning"),
            "file": self.file,
            "row": self.row,
            "column": self.column or "",
            "value": "" if self.value is None else self.value,
            "rule": self.rule,
            "message": self.message(tr),
        }


def problems_table(tr: Translator, problems: Iterable[Problem]) -> pd.DataFrame:
    """Problems as a table for the reader: headers in their language, rows as whole
    numbers, an empty cell where a problem has no row, column or value."""
    table = pd.DataFrame(
        [p.as_row(tr) for p in problems],
        columns=["severity", "file", "row", "column", "value", "rule", "message"],
    )
    table["row"] = table["row"].astype("Int64")
    return table.rename(
        columns={
            "severity": tr._("Severity"),
            "file": tr._("File"),
            "row": tr._("Row"),
            "column": tr._("Column"),
            "value": tr._("Value"),
            "rule": tr._("Rule"),
            "message": tr._("What to fix"),
        }
    )


@dataclass(frozen=True)
class Report:
    """All problems found in a data folder."""

    folder: Path
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        """Problems that block loading."""
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Problems shown but not blocking."""
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def error_count(self) -> int:
        """How many problems block loading, the ones not listed included (« 120 », where
        50 are listed and one entry says « 70 more »)."""
        return sum(p.count for p in self.errors)

    @property
    def ok(self) -> bool:
        """True when nothing blocks loading."""
        return not self.errors


class DataError(Exception):
    """The data folder does not satisfy the contract; carries the full report."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"{report.error_count} problem(s) in {report.folder}")
        self.report = report


def quote_ident(name: str) -> str:
    """Quote a column name from the schema for use in SQL."""
    return '"' + name.replace('"', '""') + '"'


def raw_table(resource: Resource) -> str:
    """Name of the all-text staging table of a resource."""
    return f"raw_{resource.name}"


def _read_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def stage(
    con: duckdb.DuckDBPyConnection, folder: Path, package: Package | None = None
) -> list[Problem]:
    """Read every CSV of ``folder`` as text into ``raw_<name>`` tables.

    Returns the structural problems (missing files, bad header, unreadable
    rows). Each staging table keeps the file's row order, so ``rowid + 2`` is
    the spreadsheet row of a record.
    """
    package = package or contract()
    problems: list[Problem] = []
    for resource in package.resources:
        path = folder / resource.path
        columns = ", ".join(f"{quote_ident(n)} VARCHAR" for n in resource.field_names)
        table = raw_table(resource)
        con.execute(f"CREATE OR REPLACE TABLE {table} ({columns})")
        if not path.exists():
            problems.append(Problem(resource.path, "missing_file"))
            continue
        try:
            header = _read_header(path)
        except (UnicodeDecodeError, csv.Error) as exc:
            problems.append(Problem(resource.path, "unreadable", details={"error": str(exc)}))
            continue
        missing = [n for n in resource.field_names if n not in header]
        unknown = [n for n in header if n not in resource.field_names]
        problems += [Problem(resource.path, "missing_column", row=1, column=n) for n in missing]
        problems += [Problem(resource.path, "unknown_column", row=1, column=n) for n in unknown]
        if missing or unknown or len(set(header)) != len(header):
            continue
        problems += _load_text(con, table, path, resource, header)
    return problems


def _strict_text(header: Sequence[str]) -> str:
    """``read_csv`` options of a curated file: the contract's CSV dialect, every column
    text (``header``, in the file's order), no guessing, a malformed row an error."""
    columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in header) + "}"
    return (
        "header = true, delim = ',', quote = '\"', escape = '\"', "
        f"columns = {columns}, auto_detect = false, strict_mode = true"
    )


def _load_text(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, resource: Resource, header: list[str]
) -> list[Problem]:
    select = ", ".join(quote_ident(n) for n in resource.field_names)
    try:
        con.execute(
            f"""INSERT INTO {table} SELECT {select} FROM read_csv(
                $path, {_strict_text(header)},
                store_rejects = true, rejects_table = 'rejects_{resource.name}',
                rejects_scan = 'scans_{resource.name}')""",
            {"path": str(path)},
        )
    except duckdb.Error as exc:
        return [Problem(resource.path, "unreadable", details={"error": str(exc).splitlines()[0]})]
    rejects = con.execute(
        f"""SELECT line, any_value(column_name), any_value(error_message), any_value(error_type)
            FROM rejects_{resource.name} GROUP BY line ORDER BY line LIMIT $n""",
        {"n": MAX_EXAMPLES_PER_CHECK},
    ).fetchall()
    if rejects:
        con.execute(f"DELETE FROM {table}")  # row numbers would be wrong; fix the file first
    return [
        Problem(
            resource.path,
            REJECT_RULES.get(str(kind), "bad_row"),
            row=int(line),
            column=column or None,
            details={"error": str(message).splitlines()[0], "expected": len(header)},
        )
        for line, column, message, kind in rejects
    ]


def csv_column(path: Path, names: Sequence[str], name: str) -> list[str] | None:
    """One column of a CSV with the header ``names``, read as :func:`stage` reads files
    (strict, every value text); None when the file cannot be read that way."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    try:
        rows = con.execute(
            f"SELECT {quote_ident(name)} FROM read_csv($path, {_strict_text(names)})",
            {"path": str(path)},
        ).fetchall()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return [row[0] or "" for row in rows]


def _rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    return con.execute(sql, params or {}).fetchall()


def _capped(problems: list[Problem], total: int, file: str, column: str | None) -> list[Problem]:
    """The problems listed, then one saying how many of the same rule are not."""
    if total > len(problems):
        problems.append(
            Problem(
                file,
                "more_problems",
                column=column,
                severity=problems[0].severity,
                details={"n": total - len(problems)},
            )
        )
    return problems


def _check(
    con: duckdb.DuckDBPyConnection,
    resource: Resource,
    column: str,
    condition: str,
    rule: str,
    params: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
    row_details: dict[str, str] | None = None,
) -> list[Problem]:
    """Report the rows of ``resource`` where ``condition`` (SQL over the text) holds.

    ``row_details`` maps a message placeholder to a SQL expression read from the
    offending row (e.g. the row's unit), so the message can name it.
    """
    table = raw_table(resource)
    col = quote_ident(column)
    extra = "".join(f", {expr}" for expr in (row_details or {}).values())
    found = _rows(
        con,
        f"""SELECT rowid + 2 AS row, {col}, count(*) OVER () AS total{extra}
            FROM {table} WHERE {condition} ORDER BY rowid LIMIT {MAX_EXAMPLES_PER_CHECK}""",
        params,
    )
    if not found:
        return []
    problems = [
        Problem(
            resource.path,
            rule,
            int(row[0]),
            column,
            row[1],
            ERROR,
            {**(details or {}), **dict(zip(row_details or {}, row[3:], strict=True))},
        )
        for row in found
    ]
    return _capped(problems, int(found[0][2]), resource.path, column)


# DuckDB's reject error types -> our rule codes (others keep DuckDB's own message).
REJECT_RULES = {
    "TOO MANY COLUMNS": "too_many_fields",
    "MISSING COLUMNS": "missing_fields",
    "UNQUOTED VALUE": "bad_quote",
    "INVALID UNICODE": "bad_encoding",
}

TYPE_PATTERNS = {
    "integer": r"-?[0-9]+",
    "number": r"-?[0-9]+(\.[0-9]+)?",
    "boolean": r"(?i)(true|false)",
    "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
}


@dataclass(frozen=True)
class _Rule:
    """One content rule of a column: the rows where ``condition`` (SQL over the text) holds."""

    column: str
    condition: str
    rule: str
    params: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    row_details: dict[str, str] = field(default_factory=dict)
    control: bool = False  # the value is shown with its control characters escaped


_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def _run_rules(
    con: duckdb.DuckDBPyConnection, resource: Resource, rules: Sequence[_Rule]
) -> list[Problem]:
    """Every rule of ``resource`` counted in one scan of its table; only the rules that
    found rows are then read row by row (with :func:`_check`).

    Valid data, the usual case, costs one query per file instead of one per rule:
    186 queries took 2.1 s at a million figures, each scanning the table again. The
    text columns are searched for control characters together (one regular
    expression per row, not one per column), and column by column only when found.
    """
    if not rules:
        return []
    control = [r for r in rules if r.control]
    scanned = [r for r in rules if not r.control]
    anywhere = None
    if control:
        texts = ", ".join(quote_ident(r.column) for r in control)
        anywhere = _Rule(
            "",
            f"regexp_matches(concat_ws('', {texts}), $control)",
            "control_character",
            {"control": CONTROL_PATTERN},
        )
        scanned.append(anywhere)
    counts: list[str] = []
    bound: dict[str, Any] = {}
    for i, rule in enumerate(scanned):
        # each rule's parameters renamed ($re -> $re_3): rules share parameter names
        condition = _PARAM.sub(rf"$\1_{i}", rule.condition)
        counts.append(f"count(*) FILTER (WHERE {condition})")
        bound.update({f"{name}_{i}": value for name, value in rule.params.items()})
    found = con.execute(
        f"SELECT {', '.join(counts)} FROM {raw_table(resource)}",
        bound,
    ).fetchone()
    todo = [rule for rule, count in zip(scanned, found or [], strict=True) if count]
    if anywhere in todo:
        todo.remove(anywhere)
        todo += control
    problems: list[Problem] = []
    for rule in todo:
        rows = _check(
            con,
            resource,
            rule.column,
            rule.condition,
            rule.rule,
            rule.params,
            rule.details,
            rule.row_details,
        )
        problems += [_escaped(p) for p in rows] if rule.control else rows
    return problems


def _escaped(problem: Problem) -> Problem:
    """Text holding control characters: shown with its characters escaped, and their codes."""
    if problem.rule != "control_character" or problem.value is None:
        return problem
    return replace(
        problem, value=visible(problem.value)[:200], details={"codes": control_codes(problem.value)}
    )


def _field_rules(resource: Resource) -> list[_Rule]:
    rules: list[_Rule] = []
    for fld in resource.fields:
        col = quote_ident(fld.name)
        present = f"{col} IS NOT NULL"
        if fld.type == "string" and not fld.enum and not fld.pattern:
            rules.append(
                _Rule(
                    fld.name,
                    f"{present} AND regexp_matches({col}, $control)",
                    "control_character",
                    {"control": CONTROL_PATTERN},
                    control=True,
                )
            )
        if fld.required:
            rules.append(_Rule(fld.name, f"{col} IS NULL", "required"))
        if fld.type in TYPE_PATTERNS:
            bad_type = f"{present} AND NOT regexp_full_match({col}, $re)"
            if fld.type == "date":
                bad_type += f" OR {present} AND try_cast({col} AS DATE) IS NULL"
            rules.append(
                _Rule(fld.name, bad_type, f"type_{fld.type}", {"re": TYPE_PATTERNS[fld.type]})
            )
        typed_ok = (
            f"{present} AND regexp_full_match({col}, $re)"
            if fld.type in {"integer", "number"}
            else present
        )
        if fld.enum:
            rules.append(
                _Rule(
                    fld.name,
                    f"{present} AND NOT list_contains($allowed, {col})",
                    "enum",
                    {"allowed": list(fld.enum)},
                    {"allowed": ", ".join(fld.enum)},
                )
            )
        if fld.pattern:
            rules.append(
                _Rule(
                    fld.name,
                    f"{present} AND NOT regexp_full_match({col}, $pattern)",
                    "pattern",
                    {"pattern": fld.pattern},
                    {"pattern": fld.pattern},
                )
            )
        for rule, limit, op in (("minimum", fld.minimum, "<"), ("maximum", fld.maximum, ">")):
            if limit is not None and fld.type in {"integer", "number"}:
                # try_cast: counted in one scan, the cast can meet rows the guard excludes
                rules.append(
                    _Rule(
                        fld.name,
                        f"{typed_ok} AND try_cast({col} AS DOUBLE) {op} $limit",
                        rule,
                        {"re": TYPE_PATTERNS[fld.type], "limit": limit},
                        {"limit": limit},
                    )
                )
    return rules


def _key_checks(
    con: duckdb.DuckDBPyConnection, resource: Resource, package: Package
) -> list[Problem]:
    problems: list[Problem] = []
    table = raw_table(resource)
    if resource.primary_key:
        key = ", ".join(quote_ident(k) for k in resource.primary_key)
        not_null = " AND ".join(f"{quote_ident(k)} IS NOT NULL" for k in resource.primary_key)
        found = _rows(
            con,
            # duplicates found by a hash aggregate first: the window over every
            # row only runs on the (usually no) repeated keys
            f"""WITH repeated AS (
                    SELECT {key} FROM {table} WHERE {not_null}
                    GROUP BY ALL HAVING count(*) > 1),
                numbered AS (
                    SELECT rowid + 2 AS row, concat_ws(' / ', {key}) AS key,
                           min(rowid + 2) OVER (PARTITION BY {key}) AS first_row
                    FROM {table} SEMI JOIN repeated USING ({key}))
                SELECT row, key, first_row, count(*) OVER () AS total
                FROM numbered WHERE row > first_row
                ORDER BY row LIMIT {MAX_EXAMPLES_PER_CHECK}""",
        )
        column = ",".join(resource.primary_key)
        repeats = [
            Problem(
                resource.path, "duplicate_key", int(r), column, k, details={"other_row": int(f)}
            )
            for r, k, f, _total in found
        ]
        if found:
            problems += _capped(repeats, int(found[0][3]), resource.path, column)
    for fk in resource.foreign_keys:
        target = package.resource(fk.resource)
        col = quote_ident(fk.field)
        # a value of the wrong form (« bel ») is its pattern rule's problem: « not in the
        # list » as well would count the same cell twice
        pattern = resource.field(fk.field).pattern
        form = f" AND regexp_full_match({col}, $pattern)" if pattern else ""
        problems += _check(
            con,
            resource,
            fk.field,
            f"{col} IS NOT NULL{form} AND {col} NOT IN "
            f"(SELECT {quote_ident(fk.reference_field)} FROM {raw_table(target)} "
            f"WHERE {quote_ident(fk.reference_field)} IS NOT NULL)",
            "foreign_key",
            {"pattern": pattern} if pattern else None,
            details={"target": f"{target.path} ({fk.reference_field})"},
        )
    return problems


# Rules that make totals trustworthy, on the figures file: a part is not its own
# whole, counts of people are whole numbers, a period starts before its year.
FACT_RULES = (
    _Rule("part_of", "part_of = fact_id", "part_of_self"),
    _Rule(
        "count",
        r"""unit <> 'percent' AND regexp_full_match("count", '-?[0-9]+\.[0-9]+')""",
        "count_not_whole",
        row_details={"unit": "unit"},
    ),
    _Rule(
        "period_start",
        "try_cast(period_start AS INTEGER) > try_cast(year AS INTEGER)",
        "period_after_year",
        row_details={"year": "year"},
    ),
)


def _fact_checks(con: duckdb.DuckDBPyConnection, package: Package) -> list[Problem]:
    """Parts and their wholes compared (nested, another unit, larger than the whole)."""
    facts = package.resource("beneficiaries")
    problems: list[Problem] = []
    pairs = f"""
        SELECT p.rowid + 2 AS row, p.part_of AS whole, p.unit AS part_unit,
               p.measure AS part_measure, w.unit AS whole_unit, w.measure AS whole_measure,
               try_cast(p."count" AS DOUBLE) AS part_count,
               try_cast(w."count" AS DOUBLE) AS whole_count, w.part_of AS whole_part_of,
               p."count" AS part_text, w."count" AS whole_text
        FROM raw_beneficiaries p
        JOIN raw_beneficiaries w ON p.part_of = w.fact_id
        WHERE p.part_of <> p.fact_id
            AND (w.part_of IS NOT NULL OR p.unit IS DISTINCT FROM w.unit
                 OR p.measure IS DISTINCT FROM w.measure
                 OR try_cast(p."count" AS DOUBLE) > try_cast(w."count" AS DOUBLE))
        ORDER BY p.rowid LIMIT {MAX_EXAMPLES_PER_CHECK * 3}"""
    found = con.execute(pairs).fetchall()
    # A whole whose id is on two rows is the duplicate key's problem: its parts are not
    # compared with either. Asked of the few wholes found, not by numbering every
    # figure's id beforehand (a window over 10 million rows: 1.5 s of the build).
    # Valid data finds none, and then no second scan of the figures is made.
    repeated = (
        {
            whole
            for (whole,) in con.execute(
                """SELECT fact_id FROM raw_beneficiaries WHERE list_contains($wholes, fact_id)
                   GROUP BY fact_id HAVING count(*) > 1""",
                {"wholes": sorted({row[1] for row in found})},
            ).fetchall()
        }
        if found
        else set()
    )
    for row in found:
        (r, whole, pu, pm, wu, wm, pc, wc, wpo, pt, wt) = row
        if whole in repeated:
            continue
        if wpo is not None:
            problems.append(
                Problem(facts.path, "part_of_nested", r, "part_of", whole, details={"whole": whole})
            )
        if (pu, pm) != (wu, wm):
            problems.append(
                Problem(
                    facts.path,
                    "part_of_unit",
                    r,
                    "part_of",
                    whole,
                    details={
                        "part_unit": pu,
                        "part_measure": pm,
                        "whole_unit": wu,
                        "whole_measure": wm,
                    },
                )
            )
        elif pc is not None and wc is not None and pc > wc:
            problems.append(
                Problem(
                    facts.path,
                    "part_larger",
                    r,
                    "count",
                    pt,
                    details={"part": pt, "whole": whole, "whole_count": wt},
                )
            )
    return problems


def check_staged(con: duckdb.DuckDBPyConnection, package: Package | None = None) -> list[Problem]:
    """Run every content rule on the staged ``raw_*`` tables."""
    package = package or contract()
    problems: list[Problem] = []
    for resource in package.resources:
        rules = _field_rules(resource)
        if resource.name == "beneficiaries":
            rules += FACT_RULES  # parts of wholes and whole-number counts
        problems += _run_rules(con, resource, rules)
        problems += _key_checks(con, resource, package)
    problems += _fact_checks(con, package)
    return problems


def sort_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Order problems by file, then row, for reading top to bottom; « N more problems » of
    a file after the ones listed."""
    return tuple(
        sorted(
            problems,
            key=lambda p: (p.file, p.rule == "more_problems", p.row or 0, p.column or "", p.rule),
        )
    )


def validate_folder(folder: Path, package: Package | None = None) -> Report:
    """Validate the CSVs of ``folder`` against the contract and return every problem."""
    con = duckdb.connect()
    try:
        return Report(folder, sort_problems(stage_and_check(con, folder, package)))
    finally:
        con.close()


def stage_and_check(
    con: duckdb.DuckDBPyConnection, folder: Path, package: Package | None = None
) -> list[Problem]:
    """Stage ``folder`` into ``con`` and check it.

    Structural problems (missing file or column, unreadable row) are reported
    alone: until the file reads cleanly, row numbers and references would mislead.
    """
    structural = stage(con, folder, package)
    return structural or check_staged(con, package)
