"""Every figure says what its source says and no more, on every surface.

One data folder (``tests/factory.py``, ``make_truth``) holds every case: a figure
« plus de » (at least), one « une trentaine » (about), a country whose total mixes
both, a country with no figure (Togo), a total made of hidden figures, an
inferred year, a period (2010–2014), activities of one programme that may reach
the same people (a range), and a small sensitive part whose whole's quote
contains it. Each test below reads one surface — a page through AppTest, the
pages in Chromium, each export file read back, the sentences — and checks the
cases that surface shows.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from impact import explore
from impact.db import Database
from impact.exports import images, pack, report, tables
from impact.exports.view import View, build_view
from impact.filters import Filters
from impact.i18n import Translator
from impact.paths import ROOT
from tests.conftest import APPTEST_TIMEOUT, chart_data_keys, open_chart_data
from tests.factory import SECRET_QUOTE, make_truth

NB, NN = "\u00a0", "\u202f"
DAY = date(2026, 11, 29)
FR = Translator("fr")
# What each case reads in French (numbers with their no-break spaces).
AT_LEAST = f"≥{NB}2{NN}300"
ABOUT = f"≈{NB}30"
MIXED = f"≳{NB}2{NN}330"  # Belgium: « plus de 2300 » + « une trentaine »
RANGE = f"10{NN}378 à 17{NN}578"  # Morocco: 10 378 persons and 7 200 children, may overlap
RANGE_ON_CHART = f"10{NN}378–17{NN}578"  # as the browser reads the label's two lines
RANGE_IN_SPEC = f"10{NN}378–<br>17{NN}578"  # one bound above the other (narrow screens)
INFERRED = "2024 (année déduite)"
PERIOD = "2010–2014"
SMALL = "< 10"
HIDDEN = "masqué"
# The small hidden figure must never be readable, as a number or in its whole's quote.
SECRETS = ("4 enfants", SECRET_QUOTE, "1.233", f"1{NN}233", "1233")


@pytest.fixture(scope="module")
def truth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_truth(tmp_path_factory.mktemp("truth") / "data")


@pytest.fixture(scope="module")
def db(truth: Path) -> Iterator[Database]:
    database = Database.open(truth)
    yield database
    database.close()


@pytest.fixture(scope="module", autouse=True)
def _close_the_browser() -> Iterator[None]:
    yield
    images.stop()


def no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret


# --- Pages (AppTest) ----------------------------------------------------------------


def open_page(truth: Path, monkeypatch: pytest.MonkeyPatch, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("IMPACT_DATA_DIR", str(truth))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=APPTEST_TIMEOUT)
    at.query_params.update({"lang": "fr", **params})
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    if chart_data_keys(at):
        open_chart_data(at)  # every surface: the charts' text alternatives and tables too
    return at


def page_text(at: AppTest) -> str:
    """Everything a page shows as text: metrics, captions, tables, links, charts, code."""
    parts: list[str] = []
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    parts += [str(m.proto.help) for m in at.metric]
    for kind in ("caption", "markdown", "info", "title", "subheader", "header", "code"):
        parts += [str(getattr(e, "value", "")) for e in at.get(kind)]
    parts += [link.proto.label for link in at.get("page_link")]
    for frame in at.dataframe:
        value = frame.value
        parts += [" | ".join(map(str, value.columns))]
        parts += [" | ".join(str(v) for v in row) for row in value.itertuples(index=False)]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        parts.append(json.dumps(spec, ensure_ascii=False))
    return "\n".join(parts)


def metric(at: AppTest, label: str) -> str:
    return str(next(m.value for m in at.metric if m.label == label))


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def chart_column(at: AppTest, column: str) -> list[str]:
    """A column of a chart's data table (HTML, impact/data_table.py), as its cells read."""
    label = f'data-label="{column}"'
    body = next(str(h.proto.body) for h in at.html if label in str(h.proto.body))
    cells = re.findall(re.escape(label) + r"[^>]*>([^<]*)</td>", body)
    return [html.unescape(cell) for cell in cells]


def test_overview_page(truth: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(truth, monkeypatch, "overview", country="BEL")
    assert metric(at, "Personnes atteintes") == MIXED
    assert "≳ au moins et environ" in page_text(at)
    at = open_page(truth, monkeypatch, "overview", country="MAR")
    assert metric(at, "Personnes atteintes") == RANGE
    text = page_text(at)
    assert f"Au moins 10{NN}378 personnes différentes" in text
    assert RANGE_IN_SPEC in text  # the bar's label
    assert "sans double comptage" not in text
    at = open_page(truth, monkeypatch, "overview", country="TGO")
    assert metric(at, "Personnes atteintes") == "–"  # never 0
    at = open_page(truth, monkeypatch, "overview", country="FRA", group="children")
    assert metric(at, "Personnes atteintes") == SMALL
    at = open_page(truth, monkeypatch, "overview", country="FRA", group="parents")
    assert metric(at, "Personnes atteintes") == HIDDEN  # not small: never « < 10 »
    at = open_page(truth, monkeypatch, "overview")
    text = page_text(at)
    assert AT_LEAST in text and ABOUT in text  # theme bars of the camp and of Convivial
    assert "2024*" in text  # inferred years are marked on the year axis
    periods = [v for v in chart_column(at, "Période depuis") if v != "–"]
    assert periods == ["2010"]  # the period stays a period
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    # the year chart: on a continuous axis (its title is drawn above it, as text)
    year_chart = next(c for c in specs if c["layout"]["xaxis"].get("type") == "linear")
    spans = [t["x"] for t in year_chart["data"] if t.get("mode") == "lines+text"]
    assert spans == [[2009.6, 2012.0, 2014.4]]
    at.toggle(key="overview_rows").set_value(True).run()
    text = page_text(at)
    assert INFERRED in text and PERIOD in text and "au moins" in text and "environ" in text
    no_secret(text)


def test_map_page(truth: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(truth, monkeypatch, "map")
    links = [link.proto.label for link in at.get("page_link") if " · " in link.proto.label]
    assert f"Maroc · {RANGE}" in links and f"Belgique · {MIXED}" in links
    assert not any(link.startswith("Togo") for link in links)  # no figure: no « 0 »
    text = page_text(at)
    assert f"Au moins 10{NN}378 personnes différentes" in text  # the country's hover
    no_secret(text)


def test_programmes_page(truth: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(truth, monkeypatch, "programmes")
    table = frame_with(at, "Programme")
    rows = {r["Programme"]: r for r in table.to_dict("records")}
    assert rows["Camp Maximilien"]["Précision"] == "au moins"
    assert rows["Insertion par le travail"]["Précision"] == "environ"
    assert pd.isna(rows["ARPEJ"][explore.sum_label(FR)])  # no figure, not 0
    maroc = rows["Séisme au Maroc"]
    assert (maroc[explore.distinct_label(FR)], maroc[explore.sum_label(FR)]) == (10378, 17578)
    at = open_page(truth, monkeypatch, "programmes", programme_id="maroc")
    assert metric(at, "Personnes atteintes") == RANGE
    assert INFERRED in page_text(at)
    at = open_page(truth, monkeypatch, "programmes", programme_id="camp")
    assert metric(at, "Personnes atteintes") == AT_LEAST
    at = open_page(truth, monkeypatch, "programmes", programme_id="convivial")
    assert metric(at, "Personnes atteintes") == ABOUT
    at = open_page(truth, monkeypatch, "programmes", programme_id="golondrina")
    text = page_text(at)
    assert PERIOD in text and metric(at, "Personnes atteintes") == f"2{NN}480"
    at = open_page(truth, monkeypatch, "programmes", programme_id="togo")
    assert metric(at, "Personnes atteintes") == "–"
    at = open_page(truth, monkeypatch, "programmes", programme_id="secret")
    text = page_text(at)
    no_secret(text)
    assert "citation retenue" in text
    figures = frame_with(at, "Citation")
    qualifiers = dict(zip(figures["Groupe"], figures["Précision"], strict=True))
    assert qualifiers["Enfants"] == f"{SMALL}{NB}: masqué pour protéger des enfants"
    assert qualifiers["Parents"].startswith(f"{HIDDEN}{NB}: il révélerait")


def test_countries_page(truth: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(truth, monkeypatch, "countries")
    table = frame_with(at, "Pays")
    rows = {r["Pays"]: r for r in table.to_dict("records")}
    assert rows["Belgique"]["Précision"] == "au moins environ"
    assert pd.isna(rows["Togo"][explore.sum_label(FR)])
    at = open_page(truth, monkeypatch, "countries", iso3="TGO")
    assert metric(at, "Personnes atteintes") == "–"
    assert "Aucun chiffre de personnes atteintes" in page_text(at)
    at = open_page(truth, monkeypatch, "countries", iso3="BEL")
    assert metric(at, "Personnes atteintes") == MIXED
    at = open_page(truth, monkeypatch, "countries", iso3="MAR")
    assert metric(at, "Personnes atteintes") == RANGE
    assert "2024*" in page_text(at)
    at = open_page(truth, monkeypatch, "countries", iso3="COL")
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert PERIOD in json.dumps(charts, ensure_ascii=False)
    at = open_page(truth, monkeypatch, "countries", iso3="FRA", group="children")
    assert metric(at, "Personnes atteintes") == SMALL
    no_secret(page_text(at))


def test_organisations_page(truth: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(truth, monkeypatch, "organisations")
    text = page_text(at)
    assert AT_LEAST in text and ABOUT in text  # the camp's and Convivial's cards
    at = open_page(truth, monkeypatch, "organisations", org_id="sos")
    # Morocco (10 378 to 17 578) and France (1 237): different programmes, added at both ends
    assert metric(at, "Personnes atteintes") == f"11{NN}615 à 18{NN}815"
    no_secret(page_text(at))


def test_reports_page(truth: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(truth, monkeypatch, "reports")
    assert metric(at, "Personnes atteintes") == f"≳{NB}16{NN}425"
    text = page_text(at)
    assert "Selon une publication de 2024, SOS Test a touché 10" in text  # inferred year
    codes = " ".join(str(getattr(c, "value", "")) for c in at.get("code"))
    assert f"17{NN}578" not in codes  # no activity sum in a sentence
    no_secret(text)


# --- Sentences --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fr_view(db: Database) -> View:
    return build_view(db.query, FR, Filters(), DAY)


def test_sentences(db: Database, fr_view: View) -> None:
    texts = [s.text for s in fr_view.sentences]
    joined = "\n".join(texts)
    assert (
        f"Selon une publication de 2024, SOS Test a touché 10{NN}378 personnes au Maroc, dont"
        in (joined)
    )  # an inferred year is never stated as fact
    assert f"En 2015, la Plate-forme citoyenne a touché plus de 2{NN}300 migrants" in joined
    assert "Selon une publication de 2024, Convivial a touché environ 30 personnes" in joined
    assert f"Entre 2010 et 2014, ECPAT Test a touché 2{NN}100 enfants en Colombie" in joined
    assert f"1{NN}237 personnes en France" in joined
    assert f"17{NN}578" not in joined  # activities are never summed into one sentence
    no_secret(joined)
    assert fr_view.headline is not None
    headline = fr_view.headline.text
    assert (
        f"au moins environ 16{NN}425 personnes différentes touchées par 5 programmes dans 4 pays"
        in (headline)
    )
    assert f"(selon les estimations, plus de 23{NN}625 en additionnant" in headline
    for lang, expected in (
        ("nl", "Tussen 2010 en 2014 bereikte ECPAT Test 2.100 kinderen in Colombia"),
        ("en", "Between 2010 and 2014, ECPAT Test reached 2,100 children in Colombia"),
    ):
        view = build_view(db.query, Translator(lang), Filters(), DAY)
        assert any(s.text.startswith(expected) for s in view.sentences), lang


# --- Files --------------------------------------------------------------------------------


def xlsx_rows(data: bytes, sheet: str) -> list[dict[str, Any]]:
    book = load_workbook(io.BytesIO(data))
    rows = list(book[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_xlsx(db: Database, fr_view: View) -> None:
    data = tables.to_xlsx(fr_view.tables, fr_view.filter_rows, fr_view.sources, FR)
    key = {r["Chiffre"]: r for r in xlsx_rows(data, "Chiffres clés")}
    persons = key["Personnes atteintes"]
    sum_of = "Somme des chiffres (peut compter deux fois)"
    assert (persons[sum_of], persons["Personnes ou familles différentes (au moins)"]) == (
        23625,
        16425,
    )
    assert persons["Nombre"] is None  # a count is a count: countries, programmes…
    assert persons["Précision"] == "au moins environ"
    countries = {r["Code ISO"]: r for r in xlsx_rows(data, "Par pays")}
    assert countries["BEL"]["Précision"] == "au moins environ"
    assert (
        countries["MAR"]["Personnes différentes (au moins)"],
        countries["MAR"]["Personnes atteintes (somme des chiffres)"],
    ) == (10378, 17578)
    facts = {r["Chiffre"]: r for r in xlsx_rows(data, "Chiffres additionnés")}
    assert facts[2300]["Précision"] == "au moins" and facts[30]["Précision"] == "environ"
    assert facts[10378]["Origine de l'année"].startswith("année déduite")
    assert facts[2100]["Période depuis"] == 2010 and facts[2100]["Année"] == 2014
    book_text = " ".join(
        str(c)
        for r in load_workbook(io.BytesIO(data)).worksheets
        for row in r.iter_rows(values_only=True)
        for c in row
    )
    no_secret(book_text)
    # a hidden total: an empty cell, and the qualifier says it is hidden
    hidden = build_view(db.query, FR, Filters(countries=("FRA",), groups=("children",)), DAY)
    data = tables.to_xlsx(hidden.tables, hidden.filter_rows, hidden.sources, FR)
    persons = next(
        r for r in xlsx_rows(data, "Chiffres clés") if r["Chiffre"] == "Personnes atteintes"
    )
    assert persons["Somme des chiffres (peut compter deux fois)"] is None
    assert persons["Précision"] == f"{SMALL}{NB}: masqué pour protéger des enfants"
    # no figure: an empty cell, never 0
    listed = db.query(
        "countries_list", {**Filters().params(), "unit": "persons", "measure": "reached"}
    )
    data = tables.to_xlsx({"Pays": explore.countries_table(FR, listed)}, [], fr_view.sources, FR)
    togo = next(r for r in xlsx_rows(data, "Pays") if r["Pays"] == "Togo")
    assert togo[explore.sum_label(FR)] is None and togo[explore.distinct_label(FR)] is None


@pytest.mark.parametrize("flavour", ["csv", "csv-be"])
def test_csv(fr_view: View, flavour: str) -> None:
    for name, frame in fr_view.tables.items():
        data = tables.to_csv(frame) if flavour == "csv" else tables.to_csv_semicolon(frame)
        text = data.decode("utf-8-sig")
        assert not re.search(r"\d\.0\b", text.split("\n", 1)[1].split('"')[0]), name
        no_secret(text)
    sep, dec = (",", ".") if flavour == "csv" else (";", ",")
    by_country = fr_view.tables["Par pays"]
    data = tables.to_csv(by_country) if flavour == "csv" else tables.to_csv_semicolon(by_country)
    back = pd.read_csv(io.BytesIO(data), sep=sep, decimal=dec, encoding="utf-8-sig")
    rows = {r["Code ISO"]: r for r in back.to_dict("records")}
    assert rows["BEL"]["Précision"] == "au moins environ"
    assert rows["MAR"]["Personnes atteintes (somme des chiffres)"] == 17578
    facts = fr_view.tables["Chiffres additionnés"]
    data = tables.to_csv(facts) if flavour == "csv" else tables.to_csv_semicolon(facts)
    text = data.decode("utf-8-sig")
    assert "2010" in text and "année déduite" in text and "environ" in text


def test_pdf(db: Database, fr_view: View) -> None:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(report.to_pdf(fr_view))).pages)
    flat = " ".join(text.replace(NB, " ").replace(NN, " ").split())
    assert "≳ 16 425" in flat  # the key figure, at least and about
    assert "Au moins environ 16 425 personnes différentes" in flat
    assert "Entre 2010 et 2014" in flat and "Selon une publication de 2024" in flat
    assert "au moins environ" in flat and "environ" in flat  # the tables' qualifier column
    assert "Comment nous comptons" in flat  # the method, as on the page
    no_secret(text)
    maroc = build_view(db.query, FR, Filters(countries=("MAR",)), DAY)
    flat = " ".join(
        "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(report.to_pdf(maroc))).pages)
        .replace(NN, " ")
        .split()
    )
    assert "10 378 à 17 578" in flat


def test_pptx(fr_view: View) -> None:
    deck = Presentation(io.BytesIO(report.to_pptx(fr_view)))
    text = "\n".join(
        s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame
    )
    assert f"≳{NB}16{NN}425" in text
    assert f"Au moins environ 16{NN}425 personnes différentes" in text
    no_secret(text)


def test_chart_images(db: Database) -> None:
    view = build_view(db.query, FR, Filters(countries=("MAR", "COL")), DAY)
    texts = {}
    for spec in view.charts:
        svg = images.export(spec.figure, FR, view.caption, "report", "svg")
        # a text's lines are tspans of one element: joined as a reader reads them
        texts[spec.key] = "".join(ElementTree.fromstring(svg).itertext())
    assert RANGE_ON_CHART in texts["reach-by-country"]
    assert "2024*" in texts["reach-by-year"] and f"2{NN}480" in texts["reach-by-year"]
    assert "+ somme des activités" in texts["reach-by-country"]  # the legend of the hatched part
    png = images.export(view.charts[0].figure, FR, view.caption, "social", "png")
    assert images.png_size(png) == images.PRESETS["social"].pixels


def test_figures_pack(db: Database, fr_view: View) -> None:
    def other(lang: str) -> View:
        return build_view(db.query, Translator(lang), Filters(), DAY)

    archive = zipfile.ZipFile(io.BytesIO(pack.figures_pack(fr_view, other)))
    readme = archive.read("README.txt").decode("utf-8")
    assert "sans double comptage" not in readme and "en fourchette" in readme
    assert "Comment nous comptons" in archive.read("how-we-count-fr.md").decode("utf-8")
    english = archive.read("sentences-en.txt").decode("utf-8")
    assert "According to a publication of 2024, SOS Test reached 10,378 persons" in english
    for name in archive.namelist():
        if name.endswith((".txt", ".csv")):
            no_secret(archive.read(name).decode("utf-8-sig"))


# --- In a real browser -------------------------------------------------------------------


@pytest.mark.browser
def test_pages_in_a_browser(browser: Any, truth: Path) -> None:
    """What Chromium draws: the range in the card and on the bar, « – » for Togo."""
    from tests.conftest import OfflinePage, Server
    from tests.test_browser import main_text, wait_ready

    server = Server(truth)
    page = OfflinePage(browser)
    try:
        page.page.goto(f"{server.url}/?lang=fr&country=MAR")
        wait_ready(page.page)
        text = main_text(page.page)
        assert RANGE in text and f"Au moins 10{NN}378 personnes différentes" in text
        labels = page.page.evaluate(
            "() => Array.from(document.querySelectorAll('.js-plotly-plot text'))"
            ".map(t => t.textContent)"
        )
        assert RANGE_ON_CHART in labels
        page.page.goto(f"{server.url}/countries?lang=fr&iso3=TGO")
        wait_ready(page.page)
        card = page.page.locator("[data-testid='stMetric']").first.inner_text()
        assert card.splitlines()[-1].strip() == "–"
        page.page.goto(f"{server.url}/programmes?lang=nl&programme_id=secret")
        wait_ready(page.page)
        no_secret(main_text(page.page))
        assert not page.page.locator("[data-testid='stException']").count()
    finally:
        page.close()
        server.stop()
