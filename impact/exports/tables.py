"""Tables as files that open right: XLSX with typed cells, CSV for any Excel.

Numbers stay numbers (an XLSX cell holds 10378 with a ``#,##0`` format that
Excel shows in the reader's locale), every workbook carries a « Filters » sheet
and a « Sources » sheet, and the CSV comes in two flavours: UTF-8 with a BOM
(so Excel detects the encoding) and the Belgian/continental variant with
``;`` between fields and a decimal comma.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from impact.i18n import Translator

HEADER_FILL = PatternFill("solid", fgColor="DCE8F3")
INTEGER_FORMAT = "#,##0"
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


def _cell_value(value: object) -> object:
    """A Python value openpyxl stores with its type (numbers as numbers)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


def _write_frame(sheet: Worksheet, frame: pd.DataFrame) -> None:
    sheet.append([str(c) for c in frame.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in frame.itertuples(index=False):
        sheet.append([_cell_value(v) for v in row])
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        series = frame[column]
        if pd.api.types.is_bool_dtype(series):
            pass
        elif pd.api.types.is_integer_dtype(series):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = INTEGER_FORMAT
        elif pd.api.types.is_float_dtype(series):
            whole = series.dropna().map(float.is_integer).all()
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = INTEGER_FORMAT if whole else DECIMAL_FORMAT
        longest = max([len(str(column)), *(len(str(v)) for v in series.head(200))])
        sheet.column_dimensions[letter].width = min(60, max(10, longest + 2))
    sheet.freeze_panes = "A2"
    if len(frame.columns):
        sheet.auto_filter.ref = sheet.dimensions


def to_xlsx(
    tables: Mapping[str, pd.DataFrame],
    filters: Sequence[tuple[str, str]],
    sources: pd.DataFrame,
    tr: Translator,
) -> bytes:
    """A workbook: one sheet per table, then « Filters » and « Sources »."""
    book = Workbook()
    taken: set[str] = set()
    first = True
    for name, frame in tables.items():
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = sheet_name(name, taken)
        _write_frame(sheet, frame)
    filters_sheet = book.active if first else book.create_sheet()
    assert filters_sheet is not None
    filters_sheet.title = sheet_name(tr._("Filters"), taken)
    _write_frame(
        filters_sheet,
        pd.DataFrame(list(filters), columns=[tr._("Setting"), tr._("Value")]),
    )
    sources_sheet = book.create_sheet(sheet_name(tr._("Sources"), taken))
    _write_frame(sources_sheet, source_table(tr, sources))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def source_table(tr: Translator, sources: pd.DataFrame) -> pd.DataFrame:
    """The sources with translated column names (for sheets and CSV)."""
    columns = {
        "publisher": tr._("Publisher"),
        "title": tr._("Title"),
        "published": tr._("Published"),
        "document": tr._("Document"),
        "url": tr._("Link"),
        "facts": tr._("Figures used"),
    }
    if sources.empty:
        return pd.DataFrame(columns=list(columns.values()))
    out = sources[[c for c in columns if c in sources.columns]].copy()
    if "published" in out:
        out["published"] = out["published"].astype(str)
    if "facts" in out:
        out["facts"] = out["facts"].astype("int64")
    return out.rename(columns=columns)


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV, comma-separated, UTF-8 with a BOM (Excel then reads accents right)."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def to_csv_semicolon(frame: pd.DataFrame) -> bytes:
    """CSV for a Belgian or continental Excel: ``;`` between fields, decimal comma."""
    return frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
