"""Reading real-world spreadsheets: encodings, delimiters, decimals, HXL rows, header layouts."""

from __future__ import annotations

import io
import random

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
