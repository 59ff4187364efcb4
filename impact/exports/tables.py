"""Tables as files that open right: XLSX with typed cells, CSV for any Excel.

Numbers stay numbers (an XLSX cell holds 10378 with a ``#,##0`` format that
Excel shows in the reader's locale), every workbook carries a « Filters » sheet
and a « Sources » sheet, and the CSV comes in two flavours: UTF-8 with a BOM
(so Excel detects the encoding) and the Belgian/continental variant with
``;`` between fields and a decimal comma.

Text stays text, whoever wrote it. A spreadsheet runs a cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula
(``=HYPERLINK(…)``, ``+cmd|' /C calc'!A0``): in the CSV files such text gets
the leading apostrophe OWASP recommends (:func:`inert`; lines end with CRLF,
so the csv writer quotes any cell holding a delimiter, a quote, a line feed or a
carriage return, and no cell can start mid-text); in the XLSX every text cell is
stored as a string (XlsxWriter's ``write_string``, never its guessing ``write``), and one
starting like a formula is also marked « quote prefix », so Excel keeps it text even
after an edit. A number written as text
(« -5 ») and numeric columns are left alone: negative numbers stay numbers.
Characters no XLSX can hold (control characters, which validation refuses, but a
Parquet source may still carry) become U+FFFD instead of failing the export.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from impact.amounts import year_columns
from impact.i18n import Translator, published_iso

# The first characters that make a spreadsheet run a cell (OWASP, « CSV injection »).
FORMULA_START = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?")
# What an XML 1.0 document (an XLSX sheet) cannot hold.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# the header row: bold, on a light blue, wrapped at the top of its cell
HEADER_STYLE = {"bold": True, "bg_color": "#DCE8F3", "valign": "top", "text_wrap": True}
INTEGER_FORMAT = "#,##0"
YEAR_FORMAT = "0"  # « 2014 », not « 2.014 » in a Dutch or French Excel
DECIMAL_FORMAT = "#,##0.0##"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (31 characters, no ``[]:*?/\\``)."""
    base = _BAD_SHEET_CHARS.sub(" ", name).strip()[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.casefold())
    return candidate


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would run ``text``: it starts (after spaces) with ``= + - @``,
    a tab or a carriage return, and is not simply a number (« -5 », « +3.2 »)."""
    stripped = text.lstrip(" ")
    if not stripped or stripped[0] not in FORMULA_START or stripped in {"-", "+"}:
        return False
    return _PLAIN_NUMBER.fullmatch(stripped) is None


def inert(text: str) -> str:
    """Text a spreadsheet shows and never runs: a leading apostrophe when it could be a formula."""
    return "'" + text if looks_like_formula(text) else text


def xml_text(text: str) -> str:
    """``text`` with the characters an XLSX cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _cell_value(value: object) -> object:
    """A Python value written with its type (numbers as numbers), or None for no value."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (list, tuple)):
        return xml_text(", ".join(str(v) for v in value))
    if isinstance(value, str):
        return xml_text(value)
    return value


def _formats(frame: pd.DataFrame, years: frozenset[str] = frozenset()) -> list[str | None]:
    """The number format of each column: years, integers, decimals, or none (text,
    booleans). ``years`` are the names of the columns that hold years."""
    formats: list[str | None] = []
    for column in frame.columns:
        series = frame[column]
        if str(column) in years and pd.api.types.is_numeric_dtype(series):
            formats.append(YEAR_FORMAT)
        elif pd.api.types.is_bool_dtype(series):
            formats.append(None)
        elif pd.api.types.is_integer_dtype(series):
            formats.append(INTEGER_FORMAT)
        elif pd.api.types.is_float_dtype(series):
            whole = series.dropna().map(float.is_integer).all()
            formats.append(INTEGER_FORMAT if whole else DECIMAL_FORMAT)
        else:
            formats.append(None)
    return formats


class _Styles:
    """The workbook's cell formats, made once (XlsxWriter keeps one record per format)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format(HEADER_STYLE)
        self.header_quoted = book.add_format({**HEADER_STYLE, "quote_prefix": True})
        self.quoted = book.add_format({"quote_prefix": True})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.numbers = {
            f: book.add_format({"num_format": f})
            for f in (INTEGER_FORMAT, DECIMAL_FORMAT, YEAR_FORMAT)
        }


def _write_text(
    sheet: Worksheet, row: int, column: int, text: str, quoted: Format, plain: Format | None = None
) -> None:
    """``text`` as a string, never as a formula; marked « quote prefix » when it starts like
    one, so that Excel keeps it text after an edit. A carriage return becomes a line feed
    (a cell's line break): XlsxWriter would store it as the escape « _x000D_ », which
    openpyxl and pandas read back as those seven characters."""
    style = quoted if looks_like_formula(text) else plain
    sheet.write_string(row, column, text.replace("\r\n", "\n").replace("\r", "\n"), style)


def _write_frame(
    book: xlsxwriter.Workbook,
    styles: _Styles,
    title: str,
    frame: pd.DataFrame,
    years: frozenset[str] = frozenset(),
) -> None:
    """One streamed sheet: bold header, typed cells with number formats, filters, widths."""
    sheet = book.add_worksheet(title)
    for index, column in enumerate(frame.columns):
        longest = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))])
        sheet.set_column(index, index, min(60, max(10, longest + 2)))
    sheet.freeze_panes(1, 0)
    if len(frame.columns):
        sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    for index, column in enumerate(frame.columns):
        _write_text(sheet, 0, index, xml_text(str(column)), styles.header_quoted, styles.header)
    formats = [styles.numbers[f] if f else None for f in _formats(frame, years)]
    for line, values in enumerate(frame.itertuples(index=False), start=1):
        for index, (value, number_format) in enumerate(zip(values, formats, strict=True)):
            plain = _cell_value(value)
            if plain is None or plain == "":
                continue
            if isinstance(plain, str):
                _write_text(sheet, line, index, plain, styles.quoted)
            elif isinstance(plain, bool):
                sheet.write_boolean(line, index, plain)
            elif isinstance(plain, (int, float)):
                sheet.write_number(line, index, plain, number_format)
            elif isinstance(plain, dt.date):  # a datetime too
                sheet.write_datetime(line, index, plain, styles.date)
            else:
                _write_text(sheet, line, index, xml_text(str(plain)), styles.quoted)


def to_xlsx(
    tables: Mapping[str, pd.DataFrame],
    filters: Sequence[tuple[str, str]],
    sources: pd.DataFrame,
    tr: Translator,
) -> bytes:
    """A workbook: one sheet per table, then « Filters » and « Sources ».

    Written with XlsxWriter, row by row (``constant_memory``): a federation's sheet of
    100 000 figures added (1.1 million cells) took openpyxl's write-only mode three times
    as long (46 against 16 s on a loaded machine).
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    styles = _Styles(book)
    taken: set[str] = set()
    years = year_columns(tr)
    for name, frame in tables.items():
        _write_frame(book, styles, sheet_name(name, taken), frame, years)
    _write_frame(
        book,
        styles,
        sheet_name(tr._("Filters"), taken),
        pd.DataFrame(list(filters), columns=[tr._("Setting"), tr._("Value")]),
    )
    _write_frame(book, styles, sheet_name(tr._("Sources"), taken), source_table(tr, sources))
    book.close()
    return buffer.getvalue()


def source_table(tr: Translator, sources: pd.DataFrame) -> pd.DataFrame:
    """The sources with translated column names (for sheets and CSV)."""
    columns = {
        "publisher": tr._("Publisher"),
        "title": tr._("Title"),
        "published": tr._("Published"),
        "document": tr._("Document"),
        "url": tr._("Link"),
        "facts": tr._("Figures in the selection"),
        "places": tr._("Places named where the organisations work"),
    }
    if sources.empty:
        return pd.DataFrame(columns=list(columns.values()))
    out = sources[[c for c in columns if c in sources.columns]].copy()
    if "published" in out:  # ISO 8601 to its known precision (« 2017 »); unknown: empty
        out["published"] = [
            published_iso(pd.Timestamp(d).date()) if pd.notna(d) else "" for d in out["published"]
        ]
    for count in ("facts", "places"):
        if count in out:
            out[count] = out[count].astype("int64")
    return out.rename(columns=columns)


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and column names are :func:`inert`; numbers untouched."""
    out = frame.copy()
    out.columns = [inert(c) if isinstance(c, str) else c for c in frame.columns]
    for index, _column in enumerate(frame.columns):
        series = frame.iloc[:, index]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        out.iloc[:, index] = series.map(lambda v: inert(v) if isinstance(v, str) else v).astype(
            series.dtype
        )
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV, comma-separated, UTF-8 with a BOM (Excel then reads accents right); formulas inert."""
    text = inert_frame(frame).to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig", errors="replace")


def to_csv_semicolon(frame: pd.DataFrame) -> bytes:
    """CSV for a Belgian or continental Excel: ``;`` between fields, decimal comma; inert text."""
    text = inert_frame(frame).to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
    return text.encode("utf-8-sig", errors="replace")
