"""Read a spreadsheet as people really send it: any common encoding, delimiter and layout.

Every step is decided explicitly and recorded on the returned :class:`Table`, so
the Data page can show the curator what was understood:

- **format**: XLSX (a zip archive, read with calamine, values only) or text;
- **encoding**: a UTF-16 byte-order mark, UTF-16 without one (recognised by its
  zero bytes), then UTF-8 (with or without BOM), then Windows-1252 (Excel's
  « ANSI »), decoded in Python — DuckDB only reads UTF-8;
- **delimiter**: ``,`` ``;`` tab or ``|``, chosen by parsing a sample with each
  and keeping the one that gives the most consistent number of fields; a CSV
  sniffer is never trusted (it skips rows or reads a single column on real files);
- **layout**: preamble lines are skipped, an HXL hashtag row (a row where most
  non-empty cells start with ``#``) is recognised and kept as tags, and header
  rows above the header (« HEALTH » over « Affected, Target, Reached ») are
  combined into the column names;
- **numbers**: :func:`parse_number` reads ``1.675``, ``1 675``, ``68,3`` and
  ``1e+05`` but never guesses: a thousands separator must separate groups of
  three digits, so « 1,5 » is one and a half or nothing, never 15.
  :func:`column_numbers` decides a column's decimal separator from all its values
  (see :mod:`impact.curation.mapping`); ``-``, ``NA`` and empty cells are missing.

Nothing is read silently in part. The CSV parser is strict: a quotation mark
that is never closed (it would swallow the rest of the file into one cell), a
character after a closing quote, or a quoted cell that holds whole rows of the
file are errors that name the row. An XLSX is read whatever its ``<dimension>``
tag claims, and before any XML is parsed its archive is checked against
documented limits (:data:`XLSX_LIMITS`, :data:`MAX_CELLS`): a decompression bomb
is refused by its declared sizes, which :mod:`zipfile` enforces while reading.
Every row carries its spreadsheet row number. Anything unreadable raises
:class:`ReadError` with a code and details that the page translates; no other
exception leaves :func:`read_bytes`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from impact.i18n import N_, Translator

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 300_000
MAX_COLUMNS = 500
# Cells of the data rows (rows x columns); bounds the memory a file can take once
# read (about 200 000 rows of 15 columns).
MAX_CELLS = 3_000_000
# Characters in one cell (the csv module's default limit, and more than any
# spreadsheet cell holds: Excel stops at 32 767).
MAX_CELL_CHARS = 131_072
# An XLSX is a zip of XML parts. Limits checked on the archive before parsing.
XLSX_LIMITS = {
    "members": 2_000,  # parts in the archive
    "total": 400 * 1024 * 1024,  # uncompressed bytes, all parts together
    "sheet": 250 * 1024 * 1024,  # uncompressed bytes of one worksheet part
    "strings": 60 * 1024 * 1024,  # uncompressed bytes of the shared strings part
    "other": 20 * 1024 * 1024,  # any other part (styles, workbook, relations…)
}
DELIMITERS = (",", ";", "\t", "|")
SAMPLE_RECORDS = 200
HEADER_SEARCH = 30
MISSING = frozenset({"", "-", "–", "—", "na", "n/a", "n.a.", "nan", "null", "none", "..", "#n/a"})

TEXT_MISSING = frozenset({"", "-", "–", "—"})

ERRORS: dict[str, str] = {
    "too_large": N_("the file is {size} MB; the limit is {limit} MB"),
    "empty": N_("the file is empty"),
    "binary": N_("the file is neither a CSV text file nor an Excel workbook (.xlsx)"),
    "encoding": N_("the text is neither UTF-8 nor Windows-1252 (byte {position} cannot be read)"),
    "unreadable": N_("the file cannot be read as CSV (row {row})"),
    "unbalanced_quote": N_(
        "row {row}: a quotation mark opens a cell that is never closed, so the rest of "
        "the file would be read as one cell; close or remove that quotation mark"
    ),
    "misplaced_quote": N_(
        "row {row}: a quotation mark closes a cell but text follows it before the next "
        "delimiter; remove the quotation mark or put the whole cell in quotes"
    ),
    "swallowed_rows": N_(
        "row {row}: a quoted cell runs over {lines} lines that look like rows of the file "
        "(up to row {last}); a quotation mark is probably missing or misplaced"
    ),
    "cell_too_long": N_(
        "row {row}: a cell has more than {limit} characters (a quotation mark may be missing)"
    ),
    "xlsx": N_("the Excel workbook cannot be read: {error}"),
    "xlsx_limit": N_(
        "the Excel workbook is refused before reading: its part « {part} » would take "
        "{size} MB once decompressed; the limit is {limit} MB"
    ),
    "xlsx_members": N_("the Excel workbook has {count} parts; the limit is {limit}"),
    "no_header": N_("no header row was found in the first {rows} rows"),
    "too_many_rows": N_("the file has more than {limit} rows"),
    "too_many_columns": N_("the file has more than {limit} columns"),
    "too_many_cells": N_(
        "the file has more than {limit} filled cells; split it into smaller files"
    ),
}


class ReadError(Exception):
    """The file cannot be turned into a table; ``code`` is a key of :data:`ERRORS`."""

    def __init__(self, code: str, **details: Any) -> None:
        super().__init__(f"{code}: {details}")
        self.code = code
        self.details = details

    def message(self, tr: Translator) -> str:
        """Why the file cannot be read, in the reader's language."""
        values = dict(self.details)
        for key in ("row", "last", "lines", "limit", "count", "rows", "position"):
            if isinstance(values.get(key), int):
                values[key] = tr.number(values[key])
        return tr._(ERRORS[self.code], **values)


@dataclass(frozen=True)
class RowIssue:
    """A data row whose number of fields differs from the header's."""

    line: int
    expected: int
    found: int


@dataclass
class Table:
    """A file read as text: column names, optional HXL tags, rows and what was detected."""

    name: str
    columns: list[str]
    rows: list[list[str]]
    lines: list[int]  # spreadsheet row (1-based line) of each row
    hxl: list[str] | None = None
    encoding: str = "utf-8"
    delimiter: str | None = None
    decimal: str = "."
    header_line: int = 1
    header_rows: int = 1
    skipped_lines: list[int] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    sheet: str | None = None
    # Columns of a workbook whose data cells are all numbers typed as numbers (not
    # text): written with a decimal point, their reading is never in doubt.
    typed_columns: frozenset[str] = frozenset()

    def column_values(self, column: str) -> list[str]:
        """The cells of one column."""
        index = self.columns.index(column)
        return [row[index] for row in self.rows]

    def shape(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What identifies files of the same layout: column names and HXL tags."""
        names = tuple(" ".join(c.casefold().split()) for c in self.columns)
        return names, tuple(self.hxl or ())


def is_missing(text: str | None, numeric: bool = True) -> bool:
    """True for the cells that mean « no value »: empty, ``-``, and for numbers ``NA``, ``n/a``…

    In a text column only empty cells and dashes are missing: « NA » is Namibia.
    """
    if text is None:
        return True
    folded = text.strip().casefold()
    return folded in MISSING if numeric else folded in TEXT_MISSING


_NUMBER = re.compile(r"[-+]?[0-9][0-9 .,\u00a0\u202f']*(?:[eE][-+]?[0-9]+)?")


def looks_numeric(text: str) -> bool:
    """True when the cell is written like a number (any separators)."""
    value = text.strip().rstrip("%").strip()
    return bool(value) and _NUMBER.fullmatch(value) is not None


# --- numbers ---------------------------------------------------------------------------------

SPACES = (" ", "\u00a0", "\u202f", "'")
_DIGITS = re.compile(r"[0-9]+")
_EXPONENT = {
    ".": re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+"),
    ",": re.compile(r"[-+]?(?:[0-9]+(?:,[0-9]*)?|,[0-9]+)[eE][-+]?[0-9]+"),
}
# Thousands groups: a first group of one to three digits (not starting with 0: « 0.123 »
# is a decimal), then groups of exactly three.
_GROUPED = {
    sep: re.compile(r"[1-9][0-9]{0,2}(?:" + re.escape(sep) + r"[0-9]{3})+")
    for sep in (".", ",", *SPACES)
}
# « 12.5 », « -0,25 »: one separator between digits, the usual case, told apart fast.
_SIMPLE = re.compile(r"[-+]?([0-9]+)([.,])([0-9]+)")


def parse_number(text: str | None, decimal: str = ".") -> float | None:
    """Read a number written with ``decimal`` as decimal separator; ``None`` if it is not one.

    Thousands separators (the other of ``.`` and ``,``, a space, a no-break space,
    an apostrophe) are accepted only between groups of three digits, one kind per
    number: « 1.675 » with a decimal comma is 1675, « 1.5 » with a decimal comma is
    not a number (never 15), « 1,5 » with a decimal point is not a number either.
    """
    if text is None or is_missing(text):
        return None
    value = text.strip()
    if "e" in value or "E" in value:
        if not _EXPONENT[decimal].fullmatch(value):
            return None
        return _finite(float(value.replace(",", ".")))
    sign = ""
    if value[:1] in "+-":
        sign, value = value[:1], value[1:].lstrip()
    if value.count(decimal) > 1:
        return None
    whole, point, fraction = value.partition(decimal)
    if point and fraction and not _DIGITS.fullmatch(fraction):
        return None
    if not whole:
        if not fraction:
            return None
    elif not _DIGITS.fullmatch(whole):
        separators = {c for c in whole if not c.isascii() or not c.isdigit()}
        if len(separators) != 1:
            return None
        (separator,) = separators
        if separator == decimal or separator not in _GROUPED:
            return None
        if not _GROUPED[separator].fullmatch(whole):
            return None
        whole = whole.replace(separator, "")
    return _finite(float(f"{sign}{whole or '0'}.{fraction or '0'}"))


def _finite(number: float) -> float | None:
    return number if abs(number) < 1e15 else None


def format_number(number: float) -> str:
    """Write a number the way the data contract wants it (``10378``, ``68.3``)."""
    if number.is_integer():
        return str(int(number))
    return repr(number)


@dataclass
class ColumnNumbers:
    """How one column writes its numbers, decided from all its values.

    ``decimal`` is the decimal separator used to read the column; ``decided_by``
    says why: ``values`` (some values can only be read one way, e.g. « 12,5 » or
    « 1.234,5 »), ``file`` (no value tells, so the file's convention is used) or
    ``chosen`` (the curator chose it). ``ambiguous`` lists the values that read
    as different numbers with either separator (« 1.234 »: 1234 or 1.234) when
    the column itself does not decide; ``conflicting`` the values that can only
    be read with the other separator.
    """

    decimal: str
    decided_by: str
    ambiguous: list[str] = field(default_factory=list)
    conflicting: list[str] = field(default_factory=list)


def number_evidence(value: str) -> str | None:
    """``"."`` or ``","`` when ``value`` can only be read with that decimal separator.

    ``"?"`` when it reads as two different numbers (« 1.234 »), ``None`` when
    both readings agree (« 12 », « 1 675 ») or neither reads it.
    """
    if "." not in value and "," not in value:
        return None  # both readings are the same number, or neither is a number
    simple = _SIMPLE.fullmatch(value.strip())
    if simple is not None:
        whole, separator, fraction = simple.groups()
        grouped = len(fraction) == 3 and len(whole) <= 3 and whole[0] != "0"
        return "?" if grouped else separator
    point, comma = parse_number(value, "."), parse_number(value, ",")
    if point is None and comma is None:
        return None
    if comma is None:
        return "."
    if point is None:
        return ","
    return None if point == comma else "?"


def column_numbers(
    values: Iterable[str],
    default: str,
    chosen: str | None = None,
    limit: int = 20,
    typed: bool = False,
) -> ColumnNumbers:
    """Decide a column's decimal separator from all its (distinct) values.

    A value that only one separator can read is evidence; the separator with
    the most evidence wins. Without evidence the file's convention ``default``
    is used, and the values that would read differently with the other
    separator are listed as ambiguous, so the report can say so. A ``typed``
    column (a workbook's numbers stored as numbers) reads with a point.
    """
    if typed and chosen not in {".", ","}:  # numbers typed as numbers in a workbook
        return ColumnNumbers(".", "values")
    votes: Counter[str] = Counter()
    ambiguous: list[str] = []
    evidence: dict[str, list[str]] = {".": [], ",": []}
    for value in values:
        found = number_evidence(value)
        if found == "?":
            ambiguous.append(value)
        elif found is not None:
            votes[found] += 1
            if len(evidence[found]) < limit:
                evidence[found].append(value)
    if chosen in {".", ","}:
        decimal, decided_by = chosen, "chosen"
    elif votes:
        decimal, decided_by = max(sorted(votes), key=lambda d: votes[d]), "values"
    else:
        decimal, decided_by = default, "file"
    other = "," if decimal == "." else "."
    return ColumnNumbers(
        decimal=decimal,
        decided_by=decided_by,
        ambiguous=ambiguous[:limit] if decided_by == "file" else [],
        conflicting=evidence[other],
    )


def guess_decimal(rows: list[list[str]], delimiter: str | None, skip: Iterable[int] = ()) -> str:
    """The file's decimal separator: the one most columns' values show, else by delimiter.

    Each column (but ``skip``) votes with its own evidence, from up to 2 000 of
    its distinct values; a file with no evidence uses the comma when its
    delimiter is ``;`` (Belgian and continental Excel) and the point otherwise.
    """
    if not rows:
        return "," if delimiter == ";" else "."
    votes: Counter[str] = Counter()
    skipped = set(skip)
    for index in range(len(rows[0])):
        if index in skipped:
            continue
        distinct = {row[index] for row in rows}
        sample = itertools.islice((v for v in distinct if v and v[0] in "+-.,0123456789"), 2000)
        column = column_numbers(sample, "")
        if column.decided_by == "values":
            votes[column.decimal] += 1
    if votes[","] > votes["."]:
        return ","
    if votes["."] > votes[","]:
        return "."
    return "," if delimiter == ";" else "."


# --- decoding --------------------------------------------------------------------------------


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the zero bytes say so (text without a BOM)."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    if zeros_odd >= 0.6 * len(odd) and zeros_even <= 0.1 * len(even):
        return "utf-16-le"
    if zeros_even >= 0.6 * len(even) and zeros_odd <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-16 (with or without BOM), UTF-8 (BOM or not), else cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReadError("encoding", position=exc.start + 1) from None
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise ReadError("binary")
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError as exc:
            raise ReadError("encoding", position=exc.start + 1) from None
        if "\x00" in text:
            raise ReadError("binary")
        return text, utf16
    try:
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        return data.decode("utf-8-sig"), encoding
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise ReadError("encoding", position=exc.start + 1) from None


# --- records ---------------------------------------------------------------------------------

csv.field_size_limit(MAX_CELL_CHARS)


def _csv_error(message: str, row: int) -> ReadError:
    """The ``csv`` module's English message as one of our codes, located at ``row``."""
    if "field larger than field limit" in message:
        return ReadError("cell_too_long", row=row, limit=MAX_CELL_CHARS)
    if "unexpected end of data" in message or "EOF" in message:
        return ReadError("unbalanced_quote", row=row)
    if "expected after" in message:
        return ReadError("misplaced_quote", row=row)
    return ReadError("unreadable", row=row)


def _physical_lines(text: str) -> int:
    """Lines as the csv module counts them: ends are ``\\n``, ``\\r\\n`` or ``\\r``."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    return ends + (0 if not text or text[-1] in "\r\n" else 1)


@dataclass
class Records:
    """Parsed records that are not blank: each one's first line, and its cells."""

    lines: list[int]
    cells: list[list[str]]

    def __len__(self) -> int:
        return len(self.lines)


def _without_blanks(lines: list[int], cells: list[list[str]]) -> Records:
    """Drop records whose cells are all empty or spaces (C-level passes in the usual case)."""
    filled = list(map(any, cells))
    if not all(filled):
        lines = list(itertools.compress(lines, filled))
        cells = list(itertools.compress(cells, filled))
    spaced = [k for k, c in enumerate(cells) if not c[0] or c[0].isspace()]
    blank = {k for k in spaced if not _nonempty(cells[k])}
    if blank:
        lines = [line for k, line in enumerate(lines) if k not in blank]
        cells = [c for k, c in enumerate(cells) if k not in blank]
    return Records(lines, cells)


def _records(text: str, delimiter: str, limit: int | None = None) -> Records:
    """Parse ``text`` into its non-blank records, each with the line where it starts.

    A malformed record is a ``ReadError`` naming the row where it starts. With
    ``limit`` (a sample to choose the delimiter), a record cut by the end of the
    sample is not an error: parsing stops there.

    When no record spans several lines (no quoted line break), the records are
    parsed in one call and each record's line is its position; otherwise, or on
    a malformed file, record by record, following the reader's line count.
    """
    if limit is None:
        cap = 2 * (MAX_ROWS + HEADER_SEARCH)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        try:
            parsed: list[list[str]] | None = list(itertools.islice(reader, cap + 1))
        except csv.Error:
            parsed = None  # located by the slow path below
        if parsed is not None and len(parsed) <= cap and len(parsed) == _physical_lines(text):
            records = _without_blanks(list(range(1, len(parsed) + 1)), parsed)
            if len(records) > MAX_ROWS + HEADER_SEARCH:
                raise ReadError("too_many_rows", limit=MAX_ROWS)
            return records
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    lines: list[int] = []
    cells_list: list[list[str]] = []
    previous = 0
    try:
        for cells in reader:
            if _nonempty(cells):
                lines.append(previous + 1)
                cells_list.append(cells)
                if limit is not None and len(lines) >= limit:
                    break
                if len(lines) > MAX_ROWS + HEADER_SEARCH:
                    raise ReadError("too_many_rows", limit=MAX_ROWS)
            previous = reader.line_num
    except csv.Error as exc:
        if limit is None:
            raise _csv_error(str(exc), previous + 1) from None
    return Records(lines, cells_list)


def _filled(cells: list[str]) -> int:
    return sum(1 for c in cells if c and not c.isspace())


def _nonempty(cells: list[str]) -> bool:
    return any(c and not c.isspace() for c in cells)


def _width(cells: list[str]) -> int:
    """Number of fields up to the last non-empty one (Excel pads rows with empty cells)."""
    width = len(cells)
    while width and (not cells[width - 1] or cells[width - 1].isspace()):
        width -= 1
    return width


def choose_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most consistent columns."""
    best: tuple[float, float, int] | None = None
    chosen = ","
    for rank, delimiter in enumerate(DELIMITERS):
        sample = _records(text[:200_000], delimiter, SAMPLE_RECORDS)
        counts = [len(cells) for cells in sample.cells if _filled(cells)]
        if not counts:
            continue
        mode, hits = Counter(counts).most_common(1)[0]
        score = (float(mode > 1), hits / len(counts) if mode > 1 else 0.0, -rank)
        if best is None or score[:2] > best[:2]:
            best, chosen = (score[0], score[1], mode), delimiter
    return chosen


def is_hxl_row(cells: list[str]) -> bool:
    """A row of HXL hashtags: most non-empty cells start with ``#``."""
    values = [c.strip() for c in cells if c.strip()]
    if not values:
        return False
    tagged = sum(1 for v in values if v.startswith("#") and len(v) > 1)
    return tagged >= max(1, 0.8 * len(values))


def normalise_tag(cell: str) -> str:
    """``#Adm1 +Name`` -> ``#adm1+name`` (HXL is case- and space-insensitive)."""
    return "".join(cell.split()).casefold()


def _header_like(cells: list[str]) -> bool:
    return not any(looks_numeric(c) for c in cells if c.strip())


def _locate_header(records: list[list[str]]) -> tuple[int, int, int | None]:
    """(first header record, header record, HXL record) among the first records."""
    search = records[:HEADER_SEARCH]
    hxl = next((i for i, cells in enumerate(search) if is_hxl_row(cells)), None)
    widths = [_width(cells) for cells in records[: SAMPLE_RECORDS + HEADER_SEARCH]]
    useful = [w for w in widths if w > 1] or [w for w in widths if w] or [0]
    width = Counter(useful).most_common(1)[0][0]
    if hxl is not None:
        if hxl == 0:
            return 0, 0, 0
        header = hxl - 1
        first = header
        while first > 0 and _filled(records[first - 1]) >= 2 and _header_like(records[first - 1]):
            first -= 1
        return first, header, hxl
    for index, cells in enumerate(search):
        if _filled(cells) >= max(1, min(2, width), int(0.5 * width)):
            header = index
            following = records[index + 1 : index + 3]
            if (
                len(following) == 2
                and _filled(cells) < _width(following[0])
                and _header_like(cells)
                and _header_like(following[0])
                and _filled(following[0]) >= 0.9 * _width(following[0])
                and not _header_like(following[1])
            ):
                return index, index + 1, None
            return header, header, None
    raise ReadError("no_header", rows=HEADER_SEARCH)


def _column_names(header_records: list[list[str]], width: int) -> list[str]:
    """Combine header rows (group rows are filled rightwards) into unique names."""
    parts: list[list[str]] = [[] for _ in range(width)]
    for depth, cells in enumerate(header_records):
        last = ""
        for i in range(width):
            value = " ".join(cells[i].split()) if i < len(cells) else ""
            if depth < len(header_records) - 1:
                last = value or last
                value = last
            if value and (not parts[i] or parts[i][-1] != value):
                parts[i].append(value)
    names: list[str] = []
    seen: Counter[str] = Counter()
    for i, pieces in enumerate(parts):
        name = " / ".join(pieces) or f"column_{i + 1}"
        seen[name] += 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


def _swallowed(
    records: Iterable[tuple[int, list[str]]], delimiter: str | None, width: int
) -> ReadError | None:
    """A quoted cell that holds lines shaped like the file's rows: a quote gone astray.

    Cells may hold line breaks (a note over several lines); they may not hold
    lines that split into as many fields as the header, which is what a stray
    quotation mark that happens to be closed much later produces.
    """
    if delimiter is None or width < 3:
        return None
    for line, cells in records:
        for cell in cells:
            if "\n" not in cell and "\r" not in cell:
                continue
            inner = cell.splitlines()
            shaped = sum(1 for part in inner[1:] if part.count(delimiter) >= width - 1)
            if shaped:
                return ReadError(
                    "swallowed_rows", row=line, lines=len(inner), last=line + len(inner) - 1
                )
    return None


class _Shared(dict[str, str]):
    """A string -> the first equal string seen (a per-file intern table)."""

    def __missing__(self, key: str) -> str:
        self[key] = key
        return key


def table_from_records(name: str, records: Records, **detected: Any) -> Table:
    """Find the header, HXL row and data rows in parsed records."""
    if not records:
        raise ReadError("empty")
    head = records.cells[: SAMPLE_RECORDS + HEADER_SEARCH]
    first, header, hxl = _locate_header(head)
    body_start = (hxl if hxl is not None else header) + 1
    width = max(_width(c) for c in head[first:body_start])
    if width > MAX_COLUMNS:
        raise ReadError("too_many_columns", limit=MAX_COLUMNS)
    width = max(width, 1)
    if len(records) - body_start > MAX_ROWS:
        raise ReadError("too_many_rows", limit=MAX_ROWS)
    if (len(records) - body_start) * width > MAX_CELLS:
        raise ReadError("too_many_cells", limit=MAX_CELLS)
    starts = records.lines
    gaps = [k for k, (a, b) in enumerate(itertools.pairwise(starts)) if b - a > 1]
    spanning = [
        (starts[k], records.cells[k])
        for k in [*gaps, len(records) - 1]
        if any("\n" in c or "\r" in c for c in records.cells[k])
    ]
    swallowed = _swallowed(spanning, detected.get("delimiter"), width)
    if swallowed is not None:
        raise swallowed
    if hxl == 0:
        header_records: list[list[str]] = [[normalise_tag(c) for c in head[0]]]
    else:
        header_records = head[first : header + 1]
    columns = _column_names(header_records, width)
    tags = None
    if hxl is not None:
        raw = head[hxl]
        tags = [normalise_tag(raw[i]) if i < len(raw) else "" for i in range(width)]
    lines = records.lines[body_start:]
    # One string object per distinct value: a file repeats its values (countries,
    # years, programmes), and each cell would otherwise hold its own copy.
    shared = _Shared().__getitem__
    strip = str.strip
    rows = [list(map(shared, map(strip, cells))) for cells in records.cells[body_start:]]
    issues: list[RowIssue] = []
    for k in [k for k, cells in enumerate(rows) if len(cells) != width]:
        cells = rows[k]
        if len(cells) > width:
            found = _width(cells)
            if found > width:
                issues.append(RowIssue(lines[k], width, found))
            del cells[width:]
        else:
            cells.extend([""] * (width - len(cells)))
    decimal = guess_decimal(rows, detected.get("delimiter"))
    return Table(
        name=name,
        columns=columns,
        rows=rows,
        lines=lines,
        hxl=tags,
        decimal=decimal,
        header_line=records.lines[header],
        header_rows=header - first + 1,
        skipped_lines=records.lines[:first],
        issues=issues,
        **detected,
    )


# --- XLSX ------------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return format_number(value)
    return str(value)


_VALUE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is)>")


def _count_values(archive: zipfile.ZipFile, info: zipfile.ZipInfo, count: bool = True) -> int:
    """Cells holding a value in a part, counted while decompressing it in chunks.

    Reading a part through :mod:`zipfile` also proves its declared size honest:
    it stops at that size and checks the CRC, so no parser later meets more.
    """
    found = 0
    tail = b""
    with archive.open(info) as handle:
        while chunk := handle.read(1 << 20):
            if not count:
                continue
            block = tail + chunk
            found += len(_VALUE_TAG.findall(block))
            # keep a short tail so a tag cut by the chunk boundary is counted once, in the next
            cut = block.rfind(b"<", max(0, len(block) - 64))
            tail = block[cut:] if cut >= 0 else b""
            found -= len(_VALUE_TAG.findall(tail))
            if found > MAX_CELLS + 50_000:
                break
    return found + len(_VALUE_TAG.findall(tail))


def check_xlsx(data: bytes) -> None:
    """Refuse a workbook whose archive exceeds :data:`XLSX_LIMITS` or :data:`MAX_CELLS`.

    Only the zip directory is read for the sizes; the sizes declared there are
    binding (:mod:`zipfile` stops a part at its declared size and checks its
    CRC), so a part cannot expand beyond what is checked here. Every part is
    then decompressed in chunks — which proves its declared size — and the
    worksheets' filled cells are counted, in bounded memory.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError("xlsx", error=f"{type(exc).__name__}: {exc}"[:200]) from None
    with archive:
        members = archive.infolist()
        if len(members) > XLSX_LIMITS["members"]:
            raise ReadError("xlsx_members", count=len(members), limit=XLSX_LIMITS["members"])
        total = 0
        for info in members:
            name = info.filename.casefold()
            if "worksheets/" in name and name.endswith(".xml"):
                limit = XLSX_LIMITS["sheet"]
            elif name.endswith("sharedstrings.xml"):
                limit = XLSX_LIMITS["strings"]
            else:
                limit = XLSX_LIMITS["other"]
            total += info.file_size
            for size, bound, part in (
                (info.file_size, limit, info.filename),
                (total, XLSX_LIMITS["total"], "*"),
            ):
                if size > bound:
                    raise ReadError(
                        "xlsx_limit",
                        part=part,
                        size=round(size / 1024 / 1024, 1),
                        limit=bound // 1024 // 1024,
                    )
        for info in members:
            name = info.filename.casefold()
            sheet = "worksheets/" in name and name.endswith(".xml")
            try:
                cells = _count_values(archive, info, count=sheet)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
                raise ReadError("xlsx", error=f"{type(exc).__name__}: {exc}"[:200]) from None
            if cells > MAX_CELLS:
                raise ReadError("too_many_cells", limit=MAX_CELLS)


def _sheet_records(
    sheet: Any, last_text: dict[int, int], numbers: set[int]
) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of the non-empty rows of a calamine sheet.

    calamine reads every cell, whatever the ``<dimension>`` tag claims (openpyxl
    trusts it and truncates). Fills ``last_text`` (column -> last row holding
    text) and ``numbers`` (columns holding a typed number), to tell which
    columns are numbers throughout.
    """
    first_row = int(sheet.start[0]) + 1 if sheet.start else 1
    filled = 0
    for offset, values in enumerate(sheet.iter_rows()):
        if not any(v is not None and v != "" for v in values):
            continue
        number = first_row + offset
        filled += 1
        if filled > MAX_ROWS + HEADER_SEARCH:
            raise ReadError("too_many_rows", limit=MAX_ROWS)
        if len(values) > MAX_COLUMNS + 1:
            values = values[: MAX_COLUMNS + 1]
        texts: list[str] = []
        append = texts.append
        for index, value in enumerate(values):  # one pass: the text, and what kind it was
            kind = type(value)
            if kind is str:
                if value:
                    last_text[index] = number
                append(value)
            elif kind is float:
                numbers.add(index)
                append(str(int(value)) if value.is_integer() else repr(value))
            else:
                if kind is int:
                    numbers.add(index)
                elif value is not None:
                    last_text[index] = number
                append(_cell_text(value))
        yield number, texts


def read_xlsx(data: bytes, name: str, sheet: str | None = None) -> Table:
    """Read the first non-empty sheet (or ``sheet``) of an Excel workbook.

    The archive is checked first (:func:`check_xlsx`); the sheet is then read
    with calamine (Rust, values only), some twenty times faster than openpyxl.
    """
    check_xlsx(data)
    try:
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            names = [sheet] if sheet else list(book.sheet_names)
            for sheet_name in names:
                lines: list[int] = []
                cells: list[list[str]] = []
                last_text: dict[int, int] = {}
                numbers: set[int] = set()
                found = book.get_sheet_by_name(sheet_name)
                for line, values in _sheet_records(found, last_text, numbers):
                    lines.append(line)
                    cells.append(values)
                if lines:
                    table = table_from_records(
                        name, Records(lines, cells), encoding="xlsx", sheet=sheet_name
                    )
                    start = table.lines[0] if table.lines else 0
                    typed = [
                        i for i in numbers if i < len(table.columns) and last_text.get(i, 0) < start
                    ]
                    table.typed_columns = frozenset(table.columns[i] for i in typed)
                    table.decimal = guess_decimal(table.rows, None, skip=typed)
                    return table
        finally:
            book.close()
    except ReadError:
        raise
    except Exception as exc:  # a damaged workbook raises many kinds
        raise ReadError("xlsx", error=f"{type(exc).__name__}: {exc}"[:200]) from None
    raise ReadError("empty")


# --- entry points ----------------------------------------------------------------------------


def read_text(text: str, name: str, encoding: str = "utf-8") -> Table:
    """Read decoded CSV text."""
    delimiter = choose_delimiter(text)
    records = _records(text, delimiter)
    return table_from_records(name, records, encoding=encoding, delimiter=delimiter)


def read_bytes(data: bytes, name: str = "upload.csv") -> Table:
    """Read an uploaded file (CSV in any common dialect, or XLSX) into a :class:`Table`."""
    if len(data) > MAX_BYTES:
        raise ReadError(
            "too_large", size=round(len(data) / 1024 / 1024, 1), limit=MAX_BYTES // 1024 // 1024
        )
    if not data.strip():
        raise ReadError("empty")
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data, name)
    text, encoding = decode(data)
    return read_text(text, name, encoding)
