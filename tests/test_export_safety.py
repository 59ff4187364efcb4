"""Exported tables keep text inert: no cell a spreadsheet would run, no text that breaks a file.

Every writer is checked on the attacks of issue 13 (« =HYPERLINK(…) », « +cmd|… »,
« @SUM(1) », a quote starting with « - »), then by hypothesis on any text: read
back, each cell is the text written (with the CSV's leading apostrophe where OWASP
wants one) and nothing starts like a formula; numbers, negative ones included,
stay numbers.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from impact.curation import mapping, reading, workflow
from impact.db import Database
from impact.exports import tables
from impact.i18n import Translator
from tests.factory import make_data

ATTACKS = [
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "- « citation » qui commence par un tiret",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]
FR = Translator("fr")
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def frame_with(texts: list[str], numbers: list[float] | None = None) -> pd.DataFrame:
    numbers = numbers if numbers is not None else [float(-i) for i in range(len(texts))]
    return pd.DataFrame({"texte": texts, "nombre": numbers})


def xlsx_rows(data: bytes, sheet: str = "T") -> list[list[object]]:
    book = load_workbook(io.BytesIO(data))
    return [[c.value for c in row] for row in book[sheet].iter_rows()]


def xlsx_cells(data: bytes, sheet: str = "T") -> list[list[tuple[object, str, bool]]]:
    book = load_workbook(io.BytesIO(data))
    return [[(c.value, c.data_type, c.quotePrefix) for c in row] for row in book[sheet].iter_rows()]


def csv_rows(data: bytes, sep: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=sep))


def test_xlsx_stores_formula_like_text_as_strings_with_a_quote_prefix() -> None:
    data = tables.to_xlsx({"T": frame_with(ATTACKS)}, [("Filtre", "=1+1")], pd.DataFrame(), FR)
    cells = xlsx_cells(data)
    for (value, kind, prefixed), text in zip((row[0] for row in cells[1:]), ATTACKS, strict=True):
        assert value == text.replace("\r", "\n") or value == text
        assert kind == "s" and prefixed  # a string, and kept text when edited in Excel
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in archive.read(n) for n in sheets)  # no formula anywhere
    filters = xlsx_cells(data, "Filtres")
    assert filters[1][1] == ("=1+1", "s", True)


def test_csv_writers_neutralise_formulas_the_owasp_way() -> None:
    frame = frame_with(ATTACKS)
    for data, sep in ((tables.to_csv(frame), ","), (tables.to_csv_semicolon(frame), ";")):
        rows = csv_rows(data, sep)
        assert [r[0] for r in rows[1:]] == ["'" + t for t in ATTACKS]
        for row in rows:
            assert not row[0].startswith(FORMULA)


def test_numbers_stay_numbers_negative_ones_included() -> None:
    frame = pd.DataFrame(
        {"n": [-5, 3, -12_000], "x": [-2.5, 0.25, -1e6], "texte": ["-5", "+3.2", "-1,5"]}
    )
    assert csv_rows(tables.to_csv(frame))[1:] == [
        ["-5", "-2.5", "-5"],
        ["3", "0.25", "+3.2"],
        ["-12000", "-1000000.0", "-1,5"],
    ]
    assert csv_rows(tables.to_csv_semicolon(frame), ";")[1] == ["-5", "-2,5", "-5"]
    cells = xlsx_cells(tables.to_xlsx({"T": frame}, [], pd.DataFrame(), FR))
    assert cells[1][:2] == [(-5, "n", False), (-2.5, "n", False)]
    assert cells[1][2] == ("-5", "s", False)  # a number written as text is not a formula


def test_the_import_report_csv_is_neutralised(data_dir: Path) -> None:
    text = 'Pays;Année;Groupe;Atteints\nBelgique;2024;=HYPERLINK("http://x");10\n'
    table = reading.read_bytes(text.encode("utf-8"), "rapport.csv")
    chosen = mapping.propose(table)
    chosen.columns["group"] = "Groupe"
    chosen.constants.pop("group", None)
    chosen.constants.update(programme_id="maroc", source_id="src")
    checked = workflow.check(data_dir, table, chosen)
    try:
        rows = csv_rows(checked.report.csv(FR))
        values = [cell for row in rows for cell in row]
        assert '\'=HYPERLINK("http://x")' in values
        assert not any(cell.startswith(FORMULA) and not _number(cell) for cell in values)
    finally:
        checked.discard()


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_control_characters_never_crash_an_export() -> None:
    hostile = "citation\x07\x1b\x0b\x08 finie"
    frame = frame_with([hostile, "ok"])
    data = tables.to_xlsx({"T": frame}, [("Filtre", hostile)], pd.DataFrame(), FR)
    assert xlsx_rows(data)[1][0] == "citation\ufffd\ufffd\ufffd\ufffd finie"
    assert hostile in tables.to_csv(frame).decode("utf-8-sig")
    assert hostile in tables.to_csv_semicolon(frame).decode("utf-8-sig")


@pytest.mark.browser
def test_the_figures_pack_survives_stored_control_characters(tmp_path: Path) -> None:
    """Text that bypassed validation (a Parquet or MotherDuck source) still exports, inert."""
    from impact.exports import pack, view
    from impact.filters import Filters

    db = Database.open(make_data(tmp_path / "data"))
    try:
        quoted = db.con.execute(
            "SELECT table_name FROM duckdb_columns() WHERE column_name = 'quote' "
            "AND table_name IN (SELECT table_name FROM duckdb_tables())"
        ).fetchall()
        for (name,) in quoted:  # every copy the model keeps (facts, largest_facts…)
            db.con.execute(f"UPDATE {name} SET quote = quote || chr(7) || chr(27) || chr(11)")
        db.con.execute("UPDATE programmes SET name = '=HYPERLINK(\"http://x\")' || name")
        built = view.build_view(db.query, FR, Filters())
        archive = zipfile.ZipFile(io.BytesIO(pack.figures_pack(built)))
    finally:
        db.close()
    book = load_workbook(io.BytesIO(archive.read("tables/tables.xlsx")))
    values = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    assert any(isinstance(v, str) and v.endswith("\ufffd\ufffd\ufffd") for v in values)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    for name in archive.namelist():
        if name.endswith(".csv"):
            for row in csv_rows(archive.read(name), ";" if "semicolon" in name else ","):
                assert not any(tables.looks_like_formula(cell) for cell in row), (name, row)


@pytest.mark.browser
def test_the_pdf_and_the_slides_survive_stored_control_characters(tmp_path: Path) -> None:
    """The report (PDF) and the slides (PPTX) of text that bypassed validation: made, readable."""
    from pptx import Presentation

    from impact.exports import report, view
    from impact.filters import Filters

    db = Database.open(make_data(tmp_path / "data"))
    try:
        for (name,) in db.con.execute(
            "SELECT table_name FROM duckdb_columns() WHERE column_name = 'name' "
            "AND table_name IN (SELECT table_name FROM duckdb_tables())"
        ).fetchall():  # organisations, programmes, places… and their copies in the model
            db.con.execute(f"UPDATE {name} SET name = name || chr(7) || chr(27) || chr(11)")
        for (name,) in db.con.execute(
            "SELECT table_name FROM duckdb_columns() WHERE column_name = 'quote' "
            "AND table_name IN (SELECT table_name FROM duckdb_tables())"
        ).fetchall():
            db.con.execute(f"UPDATE {name} SET quote = quote || chr(8) || chr(27)")
        built = view.build_view(db.query, FR, Filters())
        pdf = report.to_pdf(built)
        slides = report.to_pptx(built)
    finally:
        db.close()
    assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-1024:]
    deck = Presentation(io.BytesIO(slides))
    text = " ".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    assert "Test" in text and not {chr(7), chr(8), chr(27)} & set(text)


TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=0, max_size=40)
XML_SAFE = st.text(
    alphabet=st.characters(
        exclude_categories=["Cs"],
        exclude_characters="".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32)])
        + "\ufffe\uffff",
    ),
    max_size=40,
)


def _unquote(cell: str, original: str) -> str:
    return cell[1:] if tables.looks_like_formula(original) else cell


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(XML_SAFE, min_size=1, max_size=6), st.lists(st.integers(-(10**9), 10**9), min_size=1)
)
def test_any_text_round_trips_inert_through_both_csvs(texts: list[str], numbers: list[int]) -> None:
    numbers = (numbers * len(texts))[: len(texts)]
    frame = pd.DataFrame({"texte": texts, "n": numbers})
    for data, sep in ((tables.to_csv(frame), ","), (tables.to_csv_semicolon(frame), ";")):
        rows = csv_rows(data, sep)[1:]
        assert len(rows) == len(texts)
        for row, text, number in zip(rows, texts, numbers, strict=True):
            assert _unquote(row[0], text) == text  # unchanged in meaning
            assert not tables.looks_like_formula(row[0])  # inert
            assert int(row[1]) == number  # numbers stay numbers


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, min_size=1, max_size=5))
def test_any_text_round_trips_inert_through_xlsx(texts: list[str]) -> None:
    frame = pd.DataFrame({"texte": texts, "n": [-1.5] * len(texts)})
    data = tables.to_xlsx({"T": frame}, [("x", texts[0])], pd.DataFrame(), FR)
    cells = xlsx_cells(data)[1:]
    for (value, kind, prefixed), text in zip((row[0] for row in cells), texts, strict=True):
        written = tables.xml_text(text)
        if written == "":
            assert value is None
            continue
        assert kind == "s"  # never a formula
        assert prefixed == tables.looks_like_formula(written)
        # openpyxl reads back \r\n and \r as \n (XML normalises line ends)
        assert value == written.replace("\r\n", "\n").replace("\r", "\n") or value == written
    assert all(row[1] == (-1.5, "n", False) for row in cells)
