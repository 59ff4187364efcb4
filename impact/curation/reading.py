"""Read a spreadsheet as people really send it: any common encoding, delimiter and layout.

Every step is decided explicitly and recorded on the returned :class:`Table`, so
the Data page can show the curator what was understood:

- **format**: XLSX (a zip archive, read with openpyxl, values only) or text;
- **encoding**: a UTF-16 byte-order mark, then UTF-8 (with or without BOM), then
  Windows-1252 (Excel's « ANSI »), decoded in Python — DuckDB only reads UTF-8;
- **delimiter**: ``,`` ``;`` tab or ``|``, chosen by parsing a sample with each
  and keeping the one that gives the most consistent number of fields; a CSV
  sniffer is never trusted (it skips rows or reads a single column on real files);
- **layout**: preamble lines are skipped, an HXL hashtag row (a row where most
  non-empty cells start with ``#``) is recognised and kept as tags, and header
  rows above the header (« HEALTH » over « Affected, Target, Reached ») are
  combined into the column names;
- **numbers**: the decimal separator is guessed from the cells and can be
  overridden; :func:`parse_number` reads ``1.675``, ``1 675``, ``68,3`` and ``1e+05``;
  ``-``, ``NA`` and empty cells are missing values.

Quoted line breaks are read by the ``csv`` module, which keeps track of the
line where each record starts, so every row carries its spreadsheet row number.
Anything unreadable raises :class:`ReadError` with a code and details that the
page translates; no other exception leaves :func:`read_bytes`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from impact.i18n import N_, Translator

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 300_000
MAX_COLUMNS = 500
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
    "unreadable": N_("the file cannot be read as CSV: {error}"),
    "xlsx": N_("the Excel workbook cannot be read: {error}"),
    "no_header": N_("no header row was found in the first {rows} rows"),
    "too_many_rows": N_("the file has more than {limit} rows"),
    "too_many_columns": N_("the file has more than {limit} columns"),
}


class ReadError(Exception):
    """The file cannot be turned into a table; ``code`` is a key of :data:`ERRORS`."""

    def __init__(self, code: str, **details: Any) -> None:
        super().__init__(f"{code}: {details}")
        self.code = code
        self.details = details

    def message(self, tr: Translator) -> str:
        """Why the file cannot be read, in the reader's language."""
        return tr._(ERRORS[self.code], **self.details)


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


def parse_number(text: str | None, decimal: str = ".") -> float | None:
    """Read a number written with ``decimal`` as decimal separator; ``None`` if it is not one."""
    if text is None or is_missing(text):
        return None
    value = text.strip()
    for space in (" ", "\u00a0", "\u202f", "'"):
        value = value.replace(space, "")
    comma = decimal == ","
    value = value.replace(".", "").replace(",", ".") if comma else value.replace(",", "")
    if not re.fullmatch(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", value):
        return None
    try:
        number = float(value)
    except ValueError:  # pragma: no cover - the pattern above only lets floats through
        return None
    return number if abs(number) < 1e15 else None


def format_number(number: float) -> str:
    """Write a number the way the data contract wants it (``10378``, ``68.3``)."""
    if number.is_integer():
        return str(int(number))
    return repr(number)


def guess_decimal(rows: list[list[str]], delimiter: str | None) -> str:
    """The decimal separator the cells use: ``,`` (Belgian Excel) or ``.``."""
    comma = dot = 0
    for row in rows[:2000]:
        for cell in row:
            value = cell.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
            if not value or not looks_numeric(value):
                continue
            if "," in value and "." in value:
                if value.rfind(",") > value.rfind("."):
                    comma += 1
                else:
                    dot += 1
            elif re.fullmatch(r"-?[0-9]+,[0-9]{1,2}|-?[0-9]+,[0-9]{4,}|-?0,[0-9]+", value):
                comma += 1
            elif re.fullmatch(r"-?[0-9]+\.[0-9]{1,2}|-?[0-9]+\.[0-9]{4,}|-?0\.[0-9]+", value):
                dot += 1
            elif re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{3})+", value) and delimiter == ";":
                comma += 1
    if comma > dot:
        return ","
    if dot == comma == 0 and delimiter == ";":
        return ","
    return "."


# --- decoding --------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-16 (BOM), UTF-8 (BOM or not), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReadError("encoding", position=exc.start + 1) from None
    if b"\x00" in data:
        raise ReadError("binary")
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


def _records(text: str, delimiter: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """Parse ``text`` into (first line, cells) pairs; ``csv.Error`` becomes ``ReadError``."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    records: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for cells in reader:
            records.append((previous + 1, cells))
            previous = reader.line_num
            if limit is not None and len(records) >= limit:
                break
            if len(records) > MAX_ROWS + HEADER_SEARCH:
                raise ReadError("too_many_rows", limit=MAX_ROWS)
    except csv.Error as exc:
        raise ReadError("unreadable", error=str(exc)) from None
    return records


def _filled(cells: list[str]) -> int:
    return sum(1 for c in cells if c.strip())


def _width(cells: list[str]) -> int:
    """Number of fields up to the last non-empty one (Excel pads rows with empty cells)."""
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    return width


def choose_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most consistent columns."""
    best: tuple[float, float, int] | None = None
    chosen = ","
    for rank, delimiter in enumerate(DELIMITERS):
        try:
            sample = _records(text[:200_000], delimiter, SAMPLE_RECORDS)
        except ReadError:
            continue
        counts = [len(cells) for _line, cells in sample if _filled(cells)]
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


def table_from_records(name: str, records: list[tuple[int, list[str]]], **detected: Any) -> Table:
    """Find the header, HXL row and data rows in parsed records."""
    records = [(line, cells) for line, cells in records if _filled(cells)]
    if not records:
        raise ReadError("empty")
    cells_only = [cells for _line, cells in records]
    first, header, hxl = _locate_header(cells_only)
    body_start = (hxl if hxl is not None else header) + 1
    width = max(_width(c) for c in cells_only[first:body_start])
    if width > MAX_COLUMNS:
        raise ReadError("too_many_columns", limit=MAX_COLUMNS)
    width = max(width, 1)
    if hxl == 0:
        header_records: list[list[str]] = [[normalise_tag(c) for c in cells_only[0]]]
    else:
        header_records = cells_only[first : header + 1]
    columns = _column_names(header_records, width)
    tags = None
    if hxl is not None:
        raw = cells_only[hxl]
        tags = [normalise_tag(raw[i]) if i < len(raw) else "" for i in range(width)]
    rows: list[list[str]] = []
    lines: list[int] = []
    issues: list[RowIssue] = []
    for line, cells in records[body_start:]:
        found = _width(cells)
        if found > width:
            issues.append(RowIssue(line, width, found))
        padded = [c.strip() for c in cells[:width]] + [""] * (width - len(cells))
        rows.append(padded)
        lines.append(line)
    if len(rows) > MAX_ROWS:
        raise ReadError("too_many_rows", limit=MAX_ROWS)
    decimal = guess_decimal(rows, detected.get("delimiter"))
    return Table(
        name=name,
        columns=columns,
        rows=rows,
        lines=lines,
        hxl=tags,
        decimal=decimal,
        header_line=records[header][0],
        header_rows=header - first + 1,
        skipped_lines=[line for line, _cells in records[:first]],
        issues=issues,
        **detected,
    )


# --- entry points ----------------------------------------------------------------------------


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


def read_xlsx(data: bytes, name: str, sheet: str | None = None) -> Table:
    """Read the first non-empty sheet (or ``sheet``) of an Excel workbook."""
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            names = [sheet] if sheet else list(book.sheetnames)
            for sheet_name in names:
                records: list[tuple[int, list[str]]] = []
                for number, values in enumerate(book[sheet_name].iter_rows(values_only=True), 1):
                    records.append((number, [_cell_text(v) for v in values[: MAX_COLUMNS + 1]]))
                    if number > MAX_ROWS + HEADER_SEARCH:
                        raise ReadError("too_many_rows", limit=MAX_ROWS)
                if any(_filled(cells) for _line, cells in records):
                    table = table_from_records(name, records, encoding="xlsx", sheet=sheet_name)
                    table.decimal = "."
                    return table
        finally:
            book.close()
    except ReadError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise ReadError("xlsx", error=f"{type(exc).__name__}: {exc}"[:200]) from None
    raise ReadError("empty")


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
