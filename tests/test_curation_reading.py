"""Reading real-world spreadsheets: encodings, delimiters, decimals, HXL rows, header layouts."""

from __future__ import annotations

import csv
import io
import random
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impact.curation.reading import (
    MAX_BYTES,
    ReadError,
    Table,
    is_hxl_row,
    parse_number,
    read_bytes,
)
from impact.i18n import Translator

ROWS = [
    ["Pays", "Année", "Enfants atteints"],
    ["Belgique", "2024", "1675"],
    ["Maroc", "2023", "3189"],
]


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    return "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("cp1252", b"", "cp1252"),
        ("utf-16", b"", "utf-16"),
    ],
)
def test_each_encoding_is_decoded(encoding: str, prefix: bytes, expected: str) -> None:
    rows = [*ROWS, ["Côte d’Ivoire œuvre €", "2022", "12"]]
    data = prefix + csv_text(rows, ";").encode(encoding)
    table = read_bytes(data, "f.csv")
    assert table.encoding == expected
    assert table.columns == ["Pays", "Année", "Enfants atteints"]
    assert table.rows[-1][0] == "Côte d’Ivoire œuvre €"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_detected(delimiter: str) -> None:
    table = read_bytes(csv_text(ROWS, delimiter).encode(), "f.csv")
    assert table.delimiter == delimiter
    assert table.rows == ROWS[1:]
    assert table.lines == [2, 3]


def test_semicolon_file_with_decimal_commas_is_not_split_on_commas() -> None:
    text = "Pays;Valeur;Part\nBelgique;1.234,5;12,5\nMaroc;10.378;3,2\n"
    table = read_bytes(text.encode("cp1252"), "f.csv")
    assert table.delimiter == ";"
    assert table.decimal == ","
    assert [parse_number(v, table.decimal) for v in table.column_values("Valeur")] == [
        1234.5,
        10378.0,
    ]


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1.675", ",", 1675.0),
        ("1 675", ".", 1675.0),
        ("1\u202f675", ",", 1675.0),
        ("68,3", ",", 68.3),
        ("68.3", ".", 68.3),
        ("1,234.5", ".", 1234.5),
        ("1e+05", ".", 100000.0),
        ("-", ".", None),
        ("NA", ",", None),
        ("", ".", None),
        ("n/a", ".", None),
        ("abc", ".", None),
        ("12 enfants", ".", None),
    ],
)
def test_numbers_in_each_decimal_style(text: str, decimal: str, expected: float | None) -> None:
    assert parse_number(text, decimal) == expected


def test_decimal_point_file() -> None:
    table = read_bytes(b"a,b\n1.5,2.25\n3.75,4\n", "f.csv")
    assert table.decimal == "."


def test_hxl_row_is_recognised_and_not_data() -> None:
    text = "Org,Région,Atteints,Ciblés\n#org +name,#adm1+name,#reached,#targeted\nMSF,Nord,10,20\n"
    table = read_bytes(text.encode(), "f.csv")
    assert table.hxl == ["#org+name", "#adm1+name", "#reached", "#targeted"]
    assert table.rows == [["MSF", "Nord", "10", "20"]]
    assert table.lines == [3]


def test_hxl_row_with_gaps_and_hash_first_cell() -> None:
    assert is_hxl_row(["", "#org", "", "#sector +name", ""])
    assert is_hxl_row(["#country+code", "#date+year"])
    assert not is_hxl_row(["#1 priority", "Bruxelles", "12"])
    assert not is_hxl_row(["", ""])


def test_hxl_only_header_gives_tags_as_names() -> None:
    table = read_bytes(b"#country+code,#reached\nBEL,12\n", "f.csv")
    assert table.columns == ["#country+code", "#reached"]
    assert table.rows == [["BEL", "12"]]


def test_preamble_lines_are_skipped() -> None:
    text = (
        "Rapport trimestriel;;\nExporté le 03/02/2025;;\n;;\nPays;Année;Total\nBelgique;2024;12\n"
    )
    table = read_bytes(text.encode(), "f.csv")
    assert table.columns == ["Pays", "Année", "Total"]
    assert table.header_line == 4
    assert table.skipped_lines == [1, 2]
    assert table.lines == [5]


def test_multi_row_header_is_combined() -> None:
    text = (
        "LOCATION,,HEALTH,,EDUCATION,\n"
        "Region,Zone,Target,Reached,Target,Reached\n"
        "Tigray,East,1 000,800,-,-\n"
        "Afar,Zone 1,500,450,20,10\n"
    )
    table = read_bytes(text.encode(), "f.csv")
    assert table.header_rows == 2
    assert table.columns == [
        "LOCATION / Region",
        "LOCATION / Zone",
        "HEALTH / Target",
        "HEALTH / Reached",
        "EDUCATION / Target",
        "EDUCATION / Reached",
    ]
    assert table.rows[0][2] == "1 000"


def test_multi_row_header_with_hxl_row() -> None:
    text = (
        "LOCATION,,HEALTH,\n"
        "Region,Zone,Target,Reached\n"
        "#adm1+name,#adm2+name,#targeted+health,#reached+health\n"
        "Tigray,East,1 000,800\n"
    )
    table = read_bytes(text.encode(), "f.csv")
    assert table.header_rows == 2
    assert table.columns[3] == "HEALTH / Reached"
    assert table.hxl == ["#adm1+name", "#adm2+name", "#targeted+health", "#reached+health"]
    assert table.lines == [4]


def test_quoted_line_breaks_keep_row_numbers() -> None:
    text = 'Nom,Note,Total\nA,"ligne 1\nligne 2\nligne 3",5\nB,simple,6\n'
    table = read_bytes(text.encode(), "f.csv")
    assert table.rows[0][1] == "ligne 1\nligne 2\nligne 3"
    assert table.lines == [2, 5]


def test_duplicate_and_empty_column_names_are_made_unique() -> None:
    table = read_bytes(b"a,a,,b\n1,2,3,4\n", "f.csv")
    assert table.columns == ["a", "a (2)", "column_3", "b"]


def test_rows_longer_than_the_header_are_reported() -> None:
    table = read_bytes(b"a,b\n1,2\n3,4,5\n", "f.csv")
    assert [(i.line, i.expected, i.found) for i in table.issues] == [(3, 2, 3)]


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_preamble_and_hxl_row() -> None:
    import datetime as dt

    data = xlsx_bytes(
        [
            ["Rapport"],
            [],
            ["Pays", "Date", "Atteints"],
            ["#country+name", "#date", "#reached"],
            ["Belgique", dt.datetime(2024, 5, 1), 1675],
            ["Maroc", dt.datetime(2023, 1, 1), 12.5],
        ]
    )
    table = read_bytes(data, "f.xlsx")
    assert table.encoding == "xlsx"
    assert table.columns == ["Pays", "Date", "Atteints"]
    assert table.hxl == ["#country+name", "#date", "#reached"]
    assert table.rows == [["Belgique", "2024-05-01", "1675"], ["Maroc", "2023-01-01", "12.5"]]
    assert table.lines == [5, 6]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"a,b\x00c\n", "binary"),
        (b"PK\x03\x04not really a zip", "xlsx"),
        (b"caf\x81,\x8d\n1,2\n", "encoding"),
        (b"x" * (MAX_BYTES + 1), "too_large"),
    ],
)
def test_unreadable_files_say_why(data: bytes, code: str) -> None:
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "f.csv")
    assert caught.value.code == code
    for lang in ("fr", "nl", "en"):
        assert caught.value.message(Translator(lang))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_give_a_table_or_a_reason(data: bytes) -> None:
    try:
        table = read_bytes(data, "random.csv")
    except ReadError as error:
        assert error.message(Translator("fr"))
    else:
        assert isinstance(table, Table)
        assert all(len(row) == len(table.columns) for row in table.rows)


CELL = st.text(alphabet=st.sampled_from(list('ab1,;\t"#\n\r -.é€')), max_size=6)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, max_size=6), max_size=12), st.sampled_from([",", ";", "\t"]))
def test_random_malformed_rows_give_a_table_or_a_reason(rows: list[list[str]], sep: str) -> None:
    text = "\n".join(sep.join(cells) for cells in rows)
    for encoding in ("utf-8", "cp1252", "utf-8-sig"):
        try:
            read_bytes(text.encode(encoding, errors="replace"), "rows.csv")
        except ReadError as error:
            assert error.message(Translator("nl"))


def test_ragged_sample_still_finds_the_delimiter() -> None:
    rng = random.Random(4)
    lines = ["a;b;c;d"] + [";".join(str(rng.randint(0, 9)) for _ in range(4)) for _ in range(50)]
    lines[10] = "1;2"
    table = read_bytes("\n".join(lines).encode(), "f.csv")
    assert table.delimiter == ";"
    assert len(table.rows) == 50


def test_na_is_missing_in_numbers_but_namibia_in_text() -> None:
    from impact.curation.reading import is_missing

    assert is_missing("NA") and is_missing("n/a") and is_missing(" - ")
    assert not is_missing("NA", numeric=False)
    assert is_missing("", numeric=False) and is_missing("—", numeric=False)


# --- strict reading: nothing is read silently in part (issue 13) -----------------------------


def _hundred_rows(stray_at: int | None = None) -> str:
    lines = ["Pays;Année;Atteints"]
    for i in range(1, 100):
        name = f"Lieu {i}"
        if stray_at is not None and i + 1 == stray_at:
            name = f'"Lieu {i}'  # a quote opened and never closed
        lines.append(f"{name};2024;{i}")
    return "\n".join(lines) + "\n"


def test_an_unbalanced_quote_is_an_error_with_its_row() -> None:
    assert len(read_bytes(_hundred_rows().encode(), "f.csv").rows) == 99
    with pytest.raises(ReadError) as caught:
        read_bytes(_hundred_rows(stray_at=4).encode(), "f.csv")
    assert (caught.value.code, caught.value.details["row"]) == ("unbalanced_quote", 4)
    assert "ligne 4" in caught.value.message(Translator("fr"))
    assert "rij 4" in caught.value.message(Translator("nl"))


def test_a_quote_closed_far_below_swallowing_rows_is_an_error() -> None:
    lines = _hundred_rows().splitlines()
    lines[3] = '"Lieu 3;2024;3'
    lines[50] = 'Lieu 50";2024;50'
    with pytest.raises(ReadError) as caught:
        read_bytes(("\n".join(lines) + "\n").encode(), "f.csv")
    assert caught.value.code in {"swallowed_rows", "misplaced_quote"}
    assert caught.value.details["row"] == 4


def test_text_after_a_closing_quote_is_an_error_with_its_row() -> None:
    with pytest.raises(ReadError) as caught:
        read_bytes(b'a,b,c\n1,2,3\n4,"5"x,6\n', "f.csv")
    assert (caught.value.code, caught.value.details["row"]) == ("misplaced_quote", 3)


def test_quoted_line_breaks_in_a_note_are_still_fine() -> None:
    text = 'Nom,Note,Total\nA,"ligne 1\nligne 2, suite",5\nB,simple,6\n'
    table = read_bytes(text.encode(), "f.csv")
    assert table.rows[0][1] == "ligne 1\nligne 2, suite"
    assert table.lines == [2, 4]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(encoding: str) -> None:
    data = csv_text([*ROWS, ["Côte d’Ivoire", "2022", "12"]], "\t").encode(encoding)
    table = read_bytes(data, "f.csv")
    assert table.encoding == encoding
    assert table.rows[-1] == ["Côte d’Ivoire", "2022", "12"]


def test_a_cell_over_the_size_limit_gets_a_translated_message() -> None:
    from impact.curation.reading import MAX_CELL_CHARS

    data = ('a,b\n1,"' + "x" * (MAX_CELL_CHARS + 1) + '"\n').encode()
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "f.csv")
    assert (caught.value.code, caught.value.details["row"]) == ("cell_too_long", 2)
    message = caught.value.message(Translator("fr"))
    assert message.startswith("ligne 2\u00a0: une cellule a plus de 131\u202f072 caractères")
    assert "field larger" not in message


def _with_dimension(data: bytes, ref: str) -> bytes:
    """The workbook with its sheet's <dimension> tag rewritten (as a sloppy exporter does)."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                content = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content
                )
            target.writestr(item, content)
    return out.getvalue()


def test_xlsx_is_read_whatever_its_dimension_tag_says() -> None:
    rows: list[list[object]] = [["Pays", "Année", "Atteints"]]
    rows += [[f"Lieu {i}", 2024, i] for i in range(1, 99)]
    data = _with_dimension(xlsx_bytes(rows), "A1:B10")
    table = read_bytes(data, "f.xlsx")
    assert (len(table.rows), len(table.columns)) == (98, 3)
    assert table.rows[-1] == ["Lieu 98", "2024", "98"]


def _bomb(member: str, size: int, chunk: bytes) -> bytes:
    """A valid workbook whose ``member`` is replaced by ``size`` bytes of repeated ``chunk``."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["a", "b"], [1, 2]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            if item.filename != member:
                target.writestr(item, source.read(item))
        with target.open(member, "w", force_zip64=True) as handle:
            handle.write(b'<?xml version="1.0"?><worksheet><sheetData><row r="1">')
            block = chunk * (1_048_576 // len(chunk))
            for _ in range(size // len(block) + 1):
                handle.write(block)
            handle.write(b"</row></sheetData></worksheet>")
    return out.getvalue()


def test_xlsx_decompression_bombs_are_refused_before_parsing() -> None:
    import time

    from impact.curation.reading import XLSX_LIMITS

    sheet = _bomb("xl/worksheets/sheet1.xml", XLSX_LIMITS["sheet"] + 1, b"<c><v>1</v></c>")
    strings = _bomb("xl/sharedStrings.xml", XLSX_LIMITS["strings"] + 1, b"<si><t>x</t></si>")
    for data, part in ((sheet, "xl/worksheets/sheet1.xml"), (strings, "xl/sharedStrings.xml")):
        assert len(data) < MAX_BYTES
        started = time.process_time()
        with pytest.raises(ReadError) as caught:
            read_bytes(data, "bomb.xlsx")
        assert caught.value.code == "xlsx_limit"
        assert caught.value.details["part"] == part
        assert time.process_time() - started < 30  # sizes are read from the zip directory
        assert "Mo une fois décompressée" in caught.value.message(Translator("fr"))


def test_xlsx_with_too_many_cells_is_refused_before_parsing() -> None:
    from impact.curation.reading import MAX_CELLS

    data = _bomb("xl/worksheets/sheet1.xml", 16 * (MAX_CELLS + 10), b"<c><v>1</v></c>")
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "cells.xlsx")
    assert caught.value.code == "too_many_cells"
    assert "3\u202f000\u202f000" in caught.value.message(Translator("fr"))


# --- numbers: a magnitude never changes quietly -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1,5", ",", 1.5),
        ("1,5", ".", None),  # never 15
        ("2,50", ".", None),  # never 250
        ("1.5", ",", None),  # never 15
        ("1.234", ",", 1234.0),
        ("1,234", ".", 1234.0),
        ("1.234.567", ",", 1234567.0),
        ("1.234,5", ",", 1234.5),
        ("1,234.5", ".", 1234.5),
        ("12.34.5", ",", None),
        ("1 234,5", ",", 1234.5),
        ("1 23", ".", None),
        ("-1.5", ".", -1.5),
        ("1.5", ".", 1.5),
    ],
)
def test_thousands_separators_only_between_groups_of_three(
    text: str, decimal: str, expected: float | None
) -> None:
    assert parse_number(text, decimal) == expected


def test_a_columns_decimal_separator_is_decided_from_all_its_values() -> None:
    from impact.curation.reading import column_numbers

    decided = column_numbers(["1.234", "12", "3,5"], default=".")
    assert (decided.decimal, decided.decided_by, decided.ambiguous) == (",", "values", [])
    points = column_numbers(["1,234", "2.5"], default=",")
    assert (points.decimal, points.decided_by) == (".", "values")
    unsure = column_numbers(["1.234", "2.000", "12"], default=",")
    assert (unsure.decimal, unsure.decided_by) == (",", "file")
    assert sorted(unsure.ambiguous) == ["1.234", "2.000"]
    chosen = column_numbers(["1.234"], default=",", chosen=".")
    assert (chosen.decimal, chosen.decided_by, chosen.ambiguous) == (".", "chosen", [])


def test_xlsx_text_cells_with_a_decimal_comma_are_not_read_as_thousands() -> None:
    table = read_bytes(
        xlsx_bytes([["Pays", "Part"], ["Belgique", "1,5"], ["Maroc", 2.25]]), "f.xlsx"
    )
    assert table.rows == [["Belgique", "1,5"], ["Maroc", "2.25"]]


# --- any file is read whole or refused with a reason ------------------------------------------

FIELD = st.text(alphabet=st.sampled_from(list('ab1 ,;"\n\r\t-.é€#')), max_size=8)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(FIELD, min_size=3, max_size=3), min_size=1, max_size=15),
    st.sampled_from([",", ";", "\t"]),
    st.one_of(st.none(), st.tuples(st.integers(0, 14), st.integers(0, 2))),
)
def test_any_file_is_read_whole_or_refused_never_in_part(
    body: list[list[str]], sep: str, stray: tuple[int, int] | None
) -> None:
    """A file written by a csv writer is read back exactly; with a stray quote typed into one
    cell it is read back exactly or refused with a reason: never a partial silent read."""
    header = ["Nom", "Pays", "Total"]
    rows = [["x" + c if i == 0 else c for i, c in enumerate(r)] for r in body]  # no blank row
    buffer = io.StringIO()
    # CRLF line ends: the writer then quotes cells holding a carriage return too
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows([header, *rows])
    text = buffer.getvalue()
    if stray is not None:
        line, cell = stray
        lines = text.split("\r\n")
        if line + 1 < len(lines) and lines[line + 1] and '"' not in lines[line + 1]:
            cells = lines[line + 1].split(sep)
            if cell < len(cells):
                cells[cell] = '"' + cells[cell]
                lines[line + 1] = sep.join(cells)
                text = "\r\n".join(lines)
    try:
        table = read_bytes(text.encode("utf-8"), "f.csv")
    except ReadError as error:
        assert error.message(Translator("fr"))
        return
    expected = [[c.strip() for c in r] for r in rows]
    if text == buffer.getvalue():
        assert table.columns == header and table.rows == expected
    else:  # the stray quote was read as text (not at a cell's start) or the file refused
        assert len(table.rows) == len(expected)
        assert all(len(r) == 3 for r in table.rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.one_of(st.integers(-(10**6), 10**6), st.text("abc éx,;'", min_size=1, max_size=6)),
            min_size=2,
            max_size=4,
        ),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(["A1:A1", "A1:B2", "A1:Z1000", "B3:C4"]),
)
def test_any_workbook_is_read_whole_whatever_its_dimension(
    body: list[list[object]], ref: str
) -> None:
    width = max(len(r) for r in body)
    header: list[object] = [f"Colonne {i}" for i in range(width)]
    data = _with_dimension(xlsx_bytes([header, *body]), ref)
    table = read_bytes(data, "f.xlsx")
    assert len(table.rows) == len(body)
    for row, cells in zip(table.rows, body, strict=True):
        assert row[: len(cells)] == [str(c).strip() for c in cells]


_SMALL_BOOK = xlsx_bytes([["Pays", "Atteints"], ["Maroc", 10], ["Sénégal", 2.5], ["=1+1", None]])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([i.filename for i in zipfile.ZipFile(io.BytesIO(_SMALL_BOOK)).infolist()]),
    st.integers(min_value=0, max_value=4000),
    st.binary(max_size=40),
    st.booleans(),
)
def test_any_broken_workbook_gives_a_table_or_a_reason(
    member: str, at: int, inserted: bytes, cut: bool
) -> None:
    """A workbook with one part broken (cut short, or bytes written into it) or missing:
    read, or refused with a message in each language, never a traceback."""
    source = zipfile.ZipFile(io.BytesIO(_SMALL_BOOK))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == member:
                if not inserted and cut and at == 0:
                    continue  # the part is missing
                position = min(at, len(content))
                content = content[:position] + inserted + (b"" if cut else content[position:])
            target.writestr(item, content)
    try:
        table = read_bytes(out.getvalue(), "abîmé.xlsx")
    except ReadError as error:
        for lang in ("fr", "nl", "en"):
            assert error.message(Translator(lang))
    else:
        assert isinstance(table, Table)
        assert all(len(row) == len(table.columns) for row in table.rows)
