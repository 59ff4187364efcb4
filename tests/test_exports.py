"""Every export, opened as a reader would, checked against the query results.

Real files only: the PDF is read back with pypdf, the deck with python-pptx,
the workbook with openpyxl, the CSV with pandas, the images from their PNG
header and as XML; kaleido renders with the Debian Chromium, maps from the
bundled topojson (no network).
"""

from __future__ import annotations

import io
import itertools
import json
import pickle
import re
import tomllib
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, cast
from xml.etree import ElementTree

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from impact import alt_text, charts, figures, vocab
from impact.charts import ChartText
from impact.db import Database
from impact.exports import images, pack, report, sentences, tables
from impact.exports.view import SENTENCES_IN_FILES, View, build_view, keep, thaw
from impact.figures import sources_call
from impact.filters import Filters
from impact.i18n import Translator
from impact.paths import BUNDLED_DATA_DIR, TOPOJSON_DIR
from impact.queries import localize

DAY = date(2026, 11, 23)
NNBSP = "\u202f"
NBSP = "\u00a0"


@pytest.fixture(scope="module", autouse=True)
def _close_the_browser() -> Iterator[None]:
    """Kaleido's Chromium is shared by the module's tests, then closed."""
    yield
    images.stop()


@pytest.fixture(scope="module")
def factory_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    from tests.factory import make_data

    return Database.open(make_data(tmp_path_factory.mktemp("exports") / "data"))


@pytest.fixture(scope="module")
def fr_view(factory_db: Database) -> View:
    return build_view(factory_db.query, Translator("fr"), Filters(), DAY)


def _expected_total(db: Database, filters: Filters) -> float:
    row = db.query("reach_total", {**filters.params(), "unit": "persons", "measure": "reached"})
    return float(row["total"].iloc[0])


# --- Sentences -----------------------------------------------------------------------


def test_sentence_of_the_design_in_three_languages(factory_db: Database) -> None:
    texts = {}
    for lang in ("fr", "nl", "en"):
        view = build_view(factory_db.query, Translator(lang), Filters(), DAY)
        texts[lang] = next(s.text for s in view.sentences if s.total == 10378)
    # The verb says what the figure counts (people reached), never the programme's theme
    # (« emergency response »); French typography: no-break spaces before « : » and in « ».
    assert texts["fr"] == (
        f"En 2024, SOS Test a touché 10{NNBSP}378 personnes au Maroc, "
        f"dont 3{NNBSP}189 enfants (source{NBSP}: ONG Test, «{NBSP}Rapport annuel 2024{NBSP}»)."
    )
    assert texts["nl"] == (
        "In 2024 bereikte SOS Test 10.378 personen in Marokko, onder wie 3.189 "
        "kinderen (bron: ONG Test, “Rapport annuel 2024”)."
    )
    assert texts["en"] == (
        "In 2024, SOS Test reached 10,378 persons in Morocco, of whom 3,189 "
        "children (source: ONG Test, “Rapport annuel 2024”)."
    )


def test_a_federations_sentence_names_its_main_publishers(fr_view: View) -> None:
    """Beyond five publishers, a source line names the five behind most figures."""
    real = fr_view.sources
    sources = pd.concat(
        [real]
        + [
            real.head(1).assign(publisher=f"Éditeur {k}", facts=facts, source_id=f"s-{k}")
            for k, facts in enumerate([900, 5, 700, 800, 1, 600, 650, 600])
        ],
        ignore_index=True,
    )
    assert real["facts"].max() < 600  # ties are broken by name: « Éditeur 7 » stays out
    main = "Éditeur 0, Éditeur 2, Éditeur 3, Éditeur 5, Éditeur 6"
    others = sources["publisher"].nunique() - 5
    fr = Translator("fr")
    assert others > 3
    assert figures.publisher_line(fr, sources) == f"{main} et {others} autres"
    headline = sentences.headline(fr, fr_view.figures, "Toutes les données", sources)
    assert headline is not None
    assert headline.text.endswith(
        f"(sources{NBSP}: {main.replace(', ', f'{NBSP}; ')} et {others} autres)."
    )
    assert figures.publisher_line(Translator("nl"), sources).endswith(f" en {others} andere")
    # up to five, every publisher is named, as before
    assert figures.publisher_line(fr, real) == ", ".join(sorted(set(real["publisher"])))
    assert figures.publisher_line(fr, real.head(0)) == ""


def test_sentences_follow_the_query_results(factory_db: Database, fr_view: View) -> None:
    rows = factory_db.query(
        "export_sentences",
        {
            **Filters().params(),
            "unit": "persons",
            "measure": "reached",
            "limit": None,
            "largest_only": False,
        },
    )
    # one sentence per figure that adds to the total, largest first
    assert [s.total for s in fr_view.sentences] == [int(t) for t in rows["count"]]
    # Only children in the Daaras: the sentence says « enfants », not « personnes ».
    daaras = next(s.text for s in fr_view.sentences if s.total == 1675)
    assert f"1{NNBSP}675 enfants au Sénégal" in daaras
    # « plus de 2100 étudiants »: a lower bound in words, and its group's own noun.
    stop = next(s.text for s in fr_view.sentences if s.total == 2100)
    assert f"plus de 2{NNBSP}100 étudiants en Belgique" in stop
    assert fr_view.headline is not None
    assert fr_view.headline.total == _expected_total(factory_db, Filters())
    # three programmes, three countries: the people are different, no range to give
    assert f"plus de 14{NNBSP}153 personnes touchées par 3 programmes dans 3 pays" in (
        fr_view.headline.text
    )


def test_sentences_respect_the_selection(factory_db: Database) -> None:
    view = build_view(factory_db.query, Translator("fr"), Filters(countries=("SEN",)), DAY)
    assert [s.total for s in view.sentences] == [1675]
    none = build_view(factory_db.query, Translator("fr"), Filters(year_from=1990, year_to=1991))
    assert none.sentences == [] and none.headline is None


@pytest.mark.parametrize(
    ("lang", "name", "expected"),
    [
        ("fr", "Maroc", "au Maroc"),
        ("fr", "Belgique", "en Belgique"),
        ("fr", "Afghanistan", "en Afghanistan"),
        ("fr", "Pays-Bas", "aux Pays-Bas"),
        ("fr", "États-Unis", "aux États-Unis"),
        ("fr", "Madagascar", "à Madagascar"),
        ("fr", "Mexique", "au Mexique"),
        ("fr", "République démocratique du Congo", "en République démocratique du Congo"),
        ("fr", "Royaume-Uni", "au Royaume-Uni"),
        ("nl", "Nederland", "in Nederland"),
        ("en", "Netherlands", "in the Netherlands"),
        ("en", "Morocco", "in Morocco"),
    ],
)
def test_country_prepositions(lang: str, name: str, expected: str) -> None:
    assert sentences.in_country(lang, name) == expected


# --- Tables ----------------------------------------------------------------------------


def test_xlsx_holds_numbers_filters_and_sources(factory_db: Database) -> None:
    filters = Filters(countries=("MAR",))
    view = build_view(factory_db.query, Translator("fr"), filters, DAY)
    data = tables.to_xlsx(view.tables, view.filter_rows, view.sources, view.tr)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "Chiffres clés",
        "Par année",
        "Par thème",
        "Par pays",
        "Chiffres additionnés",
        "Chiffres additionnés, familles",
        "Filtres",
        "Sources",
    ]
    by_country = book["Par pays"]
    header = [c.value for c in by_country[1]]
    assert header == [
        "Pays",
        "Code ISO",
        "Personnes différentes (au moins)",
        "Personnes atteintes (somme des chiffres)",
        "Précision",
        "Chiffres additionnés",
        "Programmes comptés",  # those whose figures the row adds, not all the country's
    ]
    expected = factory_db.query(
        "reach_by_country", {**filters.params(), "unit": "persons", "measure": "reached"}
    )
    cells = list(by_country.iter_rows(min_row=2, values_only=True))
    assert [(c[1], c[3]) for c in cells] == list(
        zip(expected["country_iso3"], expected["total"], strict=True)
    )
    total_cell = by_country.cell(row=2, column=4)
    assert isinstance(total_cell.value, int) and total_cell.value == 10378
    assert total_cell.number_format == "#,##0"
    # a year is « 2014 », never « 2 014 » (« 2.014 » in a Dutch Excel)
    by_year = book["Par année"]
    assert [c.value for c in by_year[1]][:2] == ["Année", "Période depuis"]
    assert {c.number_format for c in by_year["A"][1:]} == {"0"}
    facts = book["Chiffres additionnés"]
    year_columns = [i for i, c in enumerate(facts[1]) if c.value in ("Année", "Période depuis")]
    years = [row[i] for row in facts.iter_rows(min_row=2) for i in year_columns]
    assert years and {c.number_format for c in years if c.value is not None} == {"0"}
    assert by_country["A1"].font.b and by_country.freeze_panes == "A2"
    assert by_country.auto_filter.ref == f"A1:G{len(expected) + 1}"
    assert by_country.cell(row=2, column=6).data_type == "n"
    key_sheet = book["Chiffres clés"]
    assert [c.value for c in key_sheet[1]][3] == "Somme des chiffres (peut compter deux fois)"
    key = {row[0]: row[3] for row in key_sheet.iter_rows(min_row=2, values_only=True)}
    assert key["Personnes atteintes"] == _expected_total(factory_db, filters)
    filters_sheet = dict(book["Filtres"].iter_rows(min_row=2, values_only=True))
    assert filters_sheet["Pays"] == "Maroc"
    assert filters_sheet["Sélection"] == "Maroc"
    assert filters_sheet["Exporté le"] == "23 novembre 2026"
    sources = list(book["Sources"].iter_rows(values_only=True))
    assert sources[0][:2] == ("Éditeur", "Titre")
    assert sources[1][:2] == ("ONG Test", "Rapport annuel 2024")
    assert isinstance(sources[1][5], int)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_a_programme_scope_is_named_not_coded_in_every_file(
    factory_db: Database, lang: str
) -> None:
    """A report for one programme says which, by the name the reader knows, in their language."""
    programmes = localize(factory_db.query("report_programmes", {}), lang)
    names = dict(zip(programmes["programme_id"], programmes["name"], strict=True))
    filters = Filters(programmes=("maroc", "daaras"))
    view = build_view(factory_db.query, Translator(lang), filters, DAY)
    expected = f"{names['maroc']}, {names['daaras']}"
    assert "maroc" not in expected  # names, not identifiers
    assert view.scope == expected
    sheet = dict(view.filter_rows)
    assert sheet[Translator(lang)._("Programmes")] == expected
    assert view.charts and all(expected in s.figure.layout.title.text for s in view.charts)


def test_a_kept_preview_draws_the_figures_it_was_built_with(fr_view: View) -> None:
    """The cached preview (``keep``, pickled, ``thaw``) is the view built, figures of its own."""
    kept = pickle.loads(pickle.dumps(keep(fr_view)))
    first, second = thaw(kept), thaw(kept)
    assert [json.loads(pio.to_json(spec.figure)) for spec in first.charts] == [
        json.loads(pio.to_json(spec.figure)) for spec in fr_view.charts
    ]
    assert [spec.key for spec in first.charts] == [spec.key for spec in fr_view.charts]
    assert [(f.key, f.display(first.tr)) for f in first.figures] == [
        (f.key, f.display(fr_view.tr)) for f in fr_view.figures
    ]
    assert first.scope == fr_view.scope and first.sources.equals(fr_view.sources)
    assert [s.text for s in first.first_sentences] == [s.text for s in fr_view.first_sentences]
    # a page changes a figure as it draws it: the next reader's stays whole
    first.charts[0].figure.update_layout(title_text="")
    assert second.charts[0].figure.layout.title.text == fr_view.charts[0].figure.layout.title.text
    with pytest.raises(RuntimeError):
        _ = first.tables  # files build their own view, with every row


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert tables.sheet_name("a/b:c*d?[e]", taken) == "a b c d  e"
    long = "x" * 40
    assert tables.sheet_name(long, taken) == "x" * 31
    assert tables.sheet_name(long, taken) == "x" * 27 + " (2)"


def test_csv_with_bom_and_belgian_excel_variant(fr_view: View) -> None:
    frame = pd.DataFrame({"Pays": ["Maroc", "Sénégal"], "Part": [12.5, 1675.25], "N": [1, 2]})
    plain = tables.to_csv(frame)
    assert plain.startswith(b"\xef\xbb\xbf") and b"S\xc3\xa9n\xc3\xa9gal" in plain
    pd.testing.assert_frame_equal(pd.read_csv(io.BytesIO(plain), encoding="utf-8-sig"), frame)
    belgian = tables.to_csv_semicolon(frame)
    assert belgian.startswith(b"\xef\xbb\xbf")
    assert "Maroc;12,5;1" in belgian.decode("utf-8-sig")
    back = pd.read_csv(io.BytesIO(belgian), sep=";", decimal=",", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(back, frame)
    # The view's tables read back with the same numbers.
    by_theme = next(v for k, v in fr_view.tables.items() if k == "Par thème")
    back = pd.read_csv(
        io.BytesIO(tables.to_csv_semicolon(by_theme)), sep=";", decimal=",", encoding="utf-8-sig"
    )
    summed = "Personnes atteintes (somme des chiffres)"
    assert back[summed].tolist() == by_theme[summed].tolist()
    # whole numbers are written as such, never « 1675.0 »
    assert b"1675.0" not in tables.to_csv(by_theme) and b"1675" in tables.to_csv(by_theme)


# --- Images ----------------------------------------------------------------------------


@pytest.mark.parametrize("preset", list(images.PRESETS))
def test_png_has_the_preset_size_and_svg_is_xml(fr_view: View, preset: str) -> None:
    spec = fr_view.charts[0]
    png = images.export(spec.figure, fr_view.tr, fr_view.caption, preset, "png")
    assert images.png_size(png) == images.PRESETS[preset].pixels
    svg = images.export(spec.figure, fr_view.tr, fr_view.caption, preset, "svg")
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    assert root.get("width") == str(images.PRESETS[preset].width)
    text = " ".join(t for t in root.itertext())
    assert "Personnes atteintes par année" in text
    assert "Toutes les données" in text  # the selection
    assert "ONG Test" in text and f"23{NBSP}novembre{NBSP}2026" in text  # source, unbroken date


def test_a_legend_moves_above_the_plot_away_from_the_source_line() -> None:
    fig = go.Figure(
        [go.Scatter(x=[1], y=[1], name="Lieux"), go.Scatter(x=[2], y=[2], name="Autres")]
    )
    fig.update_layout(legend={"orientation": "h", "y": -0.2})
    caption = images.Caption("Toutes les données", "ONG Test", DAY)
    out = images.decorate(fig, Translator("fr"), caption, images.PRESETS["slide"])
    assert out.layout.legend.y == 1.01 and out.layout.legend.yanchor == "bottom"
    single = images.decorate(
        go.Figure(go.Bar(x=[1], y=[1])), Translator("fr"), caption, images.PRESETS["slide"]
    )
    assert single.layout.margin.t < out.layout.margin.t


def _label_extents(svg: bytes, group: str) -> list[tuple[float, float, str]]:
    """Top and bottom (CSS px) of each text of a Plotly SVG's ``group`` (« ytick »), from
    its baseline, its lines (``tspan.line``, 1.3 em apart) and its font size."""
    out = []
    for tick in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}g"):
        if tick.get("class") != group:
            continue
        text = next(tick.iter("{http://www.w3.org/2000/svg}text"))
        size = float(re.search(r"font-size: ([\d.]+)px", text.get("style", "")).group(1))  # type: ignore[union-attr]
        shift = re.search(r"translate\([^,]*,([-\d.]+)\)", text.get("transform", ""))
        baseline = float(text.get("y", "0")) + (float(shift.group(1)) if shift else 0.0)
        lines = [t for t in text if t.get("class") == "line"]
        first = float(lines[0].get("dy", "0em")[:-2]) if lines else 0.0
        top = baseline + first * size - 0.8 * size
        bottom = baseline + (first + 1.3 * (max(1, len(lines)) - 1)) * size + 0.25 * size
        out.append((top, bottom, "".join(text.itertext())))
    return sorted(out)


@pytest.mark.parametrize("preset", list(images.PRESETS))
@pytest.mark.parametrize("themes", [7, 20])
def test_bar_names_in_an_image_never_run_into_each_other(
    db: Database, preset: str, themes: int
) -> None:
    """The pages wrap long names for a phone and grow with the bars; an image has a fixed
    height: with a federation's 20 themes (or the bundled data's 7 and its long list of
    publishers in a square) the wrapped names overlapped. Checked on the rendered SVG."""
    fr = Translator("fr")
    rows = db.query(
        "reach_by_theme", {**Filters().params(), "unit": "persons", "measure": "reached"}
    )
    codes = list(vocab.LABELS["theme"])
    more = [
        {**rows.iloc[-1].to_dict(), "theme": code, "total": 100.0 + k, "lower": 100.0 + k}
        for k, code in enumerate(c for c in codes if c not in set(rows["theme"]))
    ]
    rows = pd.concat([rows, pd.DataFrame(more)], ignore_index=True).head(themes)
    fig = charts.bar_horizontal(
        charts.theme_labels(rows, fr),
        fr,
        ChartText("Personnes par thème", "Tout"),
        "theme_label",
        "P",
    )
    assert any("<br>" in str(t) for t in fig.layout.yaxis.ticktext)  # wrapped on the page
    long_source = ", ".join(f"Éditeur numéro {k} de la fédération" for k in range(5))
    caption = images.Caption("Toutes les données", long_source, DAY)
    svg = images.export(fig, fr, caption, preset, "svg")
    names = _label_extents(svg, "ytick")
    assert len(names) == themes
    for (_, bottom, name), (top, _, below) in itertools.pairwise(names):
        assert top >= bottom - 0.5, (name, below)
    values = _label_extents(svg, "textpoint")  # the figure after each bar
    assert len(values) == themes
    for (_, bottom, value), (top, _, below) in itertools.pairwise(values):
        assert top >= bottom - 0.5, (value, below)


def test_presets_are_the_announced_sizes() -> None:
    assert images.PRESETS["report"].pixels == (1890, 1120)
    assert images.PRESETS["slide"].pixels == (1920, 1080)
    assert images.PRESETS["social"].pixels == (1080, 1080)


def test_map_exports_offline_from_the_bundled_outlines() -> None:
    images.start()
    assert pio.defaults.topojson == TOPOJSON_DIR.resolve().as_uri() + "/"
    fig = go.Figure(go.Choropleth(locations=["BEL", "MAR"], z=[1, 2]))
    fig.update_geos(resolution=50)
    caption = images.Caption("Belgique, Maroc", "ONG Test", DAY)
    png = images.export(fig, Translator("fr"), caption, "social", "png")
    assert images.png_size(png) == (1080, 1080)
    svg = images.export(fig, Translator("fr"), caption, "report", "svg")
    root = ElementTree.fromstring(svg)
    shapes = [
        e
        for e in root.iter()
        if e.tag.endswith("path") and "choroplethlocation" in (e.get("class") or "")
    ]
    assert len(shapes) == 2  # both countries drawn: the outlines were found on disk
    assert all(len(e.get("d") or "") > 100 for e in shapes)


# --- Report, deck, pack ------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _slides_text(deck: Any) -> str:
    """Every text box of a deck, one per line."""
    return "\n".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )


def test_pdf_states_figures_sources_and_method(factory_db: Database, fr_view: View) -> None:
    data = report.to_pdf(fr_view)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert 5 <= len(reader.pages) <= 12
    text = _pdf_text(data)
    total = _expected_total(factory_db, Filters())
    assert Translator("fr").number(total) == f"14{NNBSP}153"
    assert f"≥\u00a014{NNBSP}153" in text  # the key figure, formatted, a lower bound
    assert f"4{NNBSP}864" in text  # of whom children
    assert "Rapport d'impact" in text and "Chiffres clés" in text
    assert "Comment nous comptons" in text  # the method page, reproduced
    flat = " ".join(text.split())
    assert "une fourchette" in flat and "ne s'additionnent jamais" in flat
    assert "ONG Test, « Rapport annuel 2024 »" in text.replace(NBSP, " ")
    assert "23 novembre 2026" in text
    assert "dont 3" in text and "enfants (source" in text  # the sentences
    assert "Page 2 sur" in text
    # each chart's image carries the pages' text alternative, for a screen reader
    alts = _pdf_alt_texts(reader)
    for spec in fr_view.charts:
        assert " ".join(alt_text.of(spec.figure).split()) in [" ".join(a.split()) for a in alts]


def _pdf_alt_texts(reader: PdfReader) -> list[str]:
    """The /Alt texts of a tagged PDF's structure tree (fpdf2 writes an image's there)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    root = cast(dict[str, Any], reader.trailer["/Root"].get_object())
    walk(root.get("/StructTreeRoot"))
    return found


def test_pdf_follows_an_edited_template(fr_view: View, tmp_path: Path) -> None:
    raw = report.DEFAULT_TEMPLATE.read_text(encoding="utf-8")
    edited = raw.replace('name = ""', 'name = "Association Été"', 1)
    edited = edited.replace('title = ""', 'title = "Bilan pour nos donateurs"')
    edited = edited.replace('logo = "logo.png"', f'logo = "{report.TEMPLATES_DIR / "logo.png"}"')
    (tmp_path / "report.toml").write_text(edited, encoding="utf-8")
    template = report.load_template(tmp_path / "report.toml")
    assert template.name == "Association Été" and template.logo is not None
    text = _pdf_text(report.to_pdf(fr_view, template))
    assert "Association Été" in text and "Bilan pour nos donateurs" in text


@pytest.mark.parametrize(
    ("lang", "name"),
    [("nl", "Impact — ngo-statistieken"), ("en", "Impact — NGO statistics")],
)
def test_reports_name_the_dashboard_in_their_language(
    factory_db: Database, lang: str, name: str
) -> None:
    """The shipped template names no organisation: the cover, footer and slides say the
    dashboard's name in the report's language, not the French one."""
    view = build_view(factory_db.query, Translator(lang), Filters(), DAY)
    pdf = _pdf_text(report.to_pdf(view))
    deck = Presentation(io.BytesIO(report.to_pptx(view)))
    slides = _slides_text(deck)
    for text in (pdf, slides, deck.core_properties.author):
        assert name in text and "statistiques des ONG" not in text


def test_template_file_is_valid_toml() -> None:
    with report.DEFAULT_TEMPLATE.open("rb") as handle:
        raw = tomllib.load(handle)
    assert {"organisation", "colours", "fonts"} <= raw.keys()
    template = report.load_template()
    assert template.logo is not None and template.logo.exists()
    assert (report.TEMPLATES_DIR / "logo.svg").exists()
    ElementTree.parse(report.TEMPLATES_DIR / "logo.svg")


def test_pptx_has_title_figures_one_slide_per_chart_and_sources(fr_view: View) -> None:
    deck = Presentation(io.BytesIO(report.to_pptx(fr_view)))
    slides = list(deck.slides)
    assert len(slides) == 2 + len(fr_view.charts) + 1
    texts = [
        " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in slides
    ]
    assert "Rapport d'impact" in texts[0] and "Toutes les données" in texts[0]
    assert "Chiffres clés" in texts[1] and f"≥\u00a014{NNBSP}153" in texts[1]
    assert f"4{NNBSP}864" in texts[1]
    for slide, spec in zip(slides[2:-1], fr_view.charts, strict=True):
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1 and pictures[0].name == spec.title
        assert spec.title in slide.notes_slide.notes_text_frame.text
        # a screen reader hears the chart's text alternative, not only its title
        described = pictures[0]._element.nvPicPr.cNvPr.get("descr")
        assert described == alt_text.of(spec.figure)
        assert described.startswith(("Diagramme", "Carte"))
    assert "Sources" in texts[-1] and f"ONG Test, «{NBSP}Rapport annuel 2024{NBSP}»" in texts[-1]
    width, height = deck.slide_width, deck.slide_height
    assert (width, height) == (12192000, 6858000)  # 16:9
    for slide in slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, shape.name
            assert shape.left + shape.width <= width and shape.top + shape.height <= height


def test_figures_pack_holds_everything(factory_db: Database, fr_view: View) -> None:
    def other(lang: str) -> View:
        return build_view(factory_db.query, Translator(lang), Filters(), DAY)

    archive = zipfile.ZipFile(io.BytesIO(pack.figures_pack(fr_view, other)))
    names = set(archive.namelist())
    for spec in fr_view.charts:
        assert f"charts/{spec.key}.png" in names and f"charts/{spec.key}.svg" in names
        png = archive.read(f"charts/{spec.key}.png")
        assert images.png_size(png) == images.PRESETS["report"].pixels
        ElementTree.fromstring(archive.read(f"charts/{spec.key}.svg"))
    assert {"charts/map.png", "charts/reach-by-year.png"} <= names
    assert {"tables/tables.xlsx", "sources.csv", "README.txt"} <= names
    assert {"sentences-fr.txt", "sentences-nl.txt", "sentences-en.txt"} <= names
    for name in fr_view.tables:
        assert f"tables/csv/{pack.slug(name)}.csv" in names
        assert f"tables/csv-semicolon/{pack.slug(name)}.csv" in names
    book = load_workbook(io.BytesIO(archive.read("tables/tables.xlsx")))
    assert "Filtres" in book.sheetnames and "Sources" in book.sheetnames
    french = archive.read("sentences-fr.txt").decode("utf-8")
    assert all(s.text in french for s in fr_view.sentences)
    assert "10.378 personen" in archive.read("sentences-nl.txt").decode("utf-8")
    readme = archive.read("README.txt").decode("utf-8")
    assert "Sélection\u00a0: Toutes les données" in readme
    assert "ONG Test" in readme
    sources = pd.read_csv(io.BytesIO(archive.read("sources.csv")), encoding="utf-8-sig")
    assert sources["Titre"].tolist() == ["Rapport annuel 2024"]


def test_exports_of_the_bundled_data_match_the_queries() -> None:
    db = Database.open(BUNDLED_DATA_DIR)
    view = build_view(db.query, Translator("nl"), Filters(), DAY)
    total = _expected_total(db, Filters())
    assert view.figures[0].value == total
    text = _pdf_text(report.to_pdf(view))
    assert Translator("nl").number(total) in text
    for title in view.sources["title"]:
        assert str(title)[:30] in text.replace("\n", " ")
    assert "Hoe we tellen" in text


def test_a_sentence_and_a_chart_name_the_sources_of_what_they_state() -> None:
    """Belgium's sentence of persons reached named ECPAT Belgique and the Portail de
    l'Action sociale en Wallonie, whose Belgian figures are signatures, brochures and
    places: its persons reached come from one document. The file's list of sources
    still holds every figure's."""
    db = Database.open(BUNDLED_DATA_DIR)
    tr = Translator("en")
    filters = Filters(countries=("BEL",))
    view = build_view(lambda n, p: localize(db.query(n, p), "en"), tr, filters, DAY)
    behind = db.con.execute(
        "select distinct s.source_id, s.publisher from beneficiaries as b "
        "join sources as s using (source_id) where b.country_iso3 = 'BEL' "
        "and b.unit = 'persons' and b.measure = 'reached'"
    ).fetchall()
    assert len(behind) == 1
    publisher = behind[0][1]
    persons_reach = next(f for f in view.figures if f.key == "persons").display(tr)
    assert view.headline is not None
    assert view.headline.text.endswith(f"(source: {publisher}).")
    assert view.source_line == publisher and view.caption.source == publisher
    # the exported map draws Belgium alone, no place: its sources are those of its reach
    drawn = next(spec.figure for spec in view.charts if spec.key == "map")
    assert not figures.draws_places(drawn)
    legend = [t.name for t in drawn.data if t.type == "choropleth" and t.showlegend]
    assert legend == [f"Belgium: {persons_reach}"], legend
    every = set(view.sources["publisher"])
    assert {"ECPAT Belgique", "Portail de l'Action sociale en Wallonie"} <= every
    assert not any(other in view.headline.text for other in every - {publisher})


def test_a_slides_key_figures_sit_on_one_line() -> None:
    """« 12.175 tot 16.996 » at 34 pt bold is wider than its 3.6 in box: PowerPoint wrapped
    it and its second line covered « waarvan kinderen ». Each key figure's size now keeps
    it on one line (measured here with the font's own advance widths)."""
    from fontTools.ttLib import TTFont

    db = Database.open(BUNDLED_DATA_DIR)
    tr = Translator("nl")
    view = build_view(lambda n, p: localize(db.query(n, p), "nl"), tr, Filters(), DAY)
    template = report.load_template()
    font = TTFont(str(template.bold_font))
    cmap, metrics, per_em = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
    deck = Presentation(io.BytesIO(report.to_pptx(view, template)))
    runs = {
        shape.text_frame.text: shape.text_frame.paragraphs[0].runs[0]
        for shape in deck.slides[1].shapes
        if shape.has_text_frame and shape.text_frame.text
    }
    shown = [f.display(tr) for f in view.figures]
    assert any(" tot " in text for text in shown)  # a range, the widest
    for text in shown:
        size = runs[text].font.size.pt
        width = sum(metrics[cmap[ord(c)]][0] for c in text) * size / per_em
        assert width <= 3.4 * 72, (text, size, width)
        assert size == 34 or width > 3.4 * 72 * 0.9, (text, size)  # no smaller than needed


def test_a_report_without_persons_reached_says_so() -> None:
    """Togo (an organisation's country, no figure): the PDF had « In words, ready to
    quote » over nothing and a page « Tables » with nothing on it, the pack's sentences
    file its headers alone. They now say there is no figure of persons reached."""
    db = Database.open(BUNDLED_DATA_DIR)
    tr = Translator("en")
    view = build_view(
        lambda n, p: localize(db.query(n, p), "en"), tr, Filters(countries=("TGO",)), DAY
    )
    assert view.headline is None and not view.first_sentences
    said = tr._("No figure of persons reached in this selection.")
    text = _pdf_text(report.to_pdf(view))
    assert said in text.replace("\n", " ")
    assert tr._("Tables") not in text.splitlines()
    assert said in pack.sentences_text(view)


def test_the_key_figures_sheet_names_each_number_for_what_it_is() -> None:
    """A column « Value » beside « Persons reached » held the sum of the activities:
    28 134 « at least about », where the reach is ≳ 18 075. The sheet now gives the
    number to quote first, then the different people, the sum and a count, each named."""
    db = Database.open(BUNDLED_DATA_DIR)
    tr = Translator("en")
    view = build_view(lambda n, p: localize(db.query(n, p), "en"), tr, Filters(), DAY)
    table = view.summary_tables[tr._("Key figures")]
    assert list(table.columns) == [
        "Figure",
        "As the sources allow it",
        "Different people or families (at least)",
        "Sum of the figures (may count twice)",
        "Count",
        "Qualifier",
        "What it counts",
    ]
    rows = table.set_index("Figure")
    persons = next(f for f in view.figures if f.key == "persons")
    assert rows.loc["Persons reached", "As the sources allow it"] == persons.display(tr)
    distinct = "Different people or families (at least)"
    assert rows.loc["Persons reached", distinct] == persons.amount.distinct
    assert rows.loc["Persons reached", "Sum of the figures (may count twice)"] == persons.value
    assert persons.amount.distinct != persons.value  # the two differ on the bundled data
    assert rows["Count"].isna()["Persons reached"]
    assert rows.loc["Countries", "Count"] == next(
        f.value for f in view.figures if f.key == "countries"
    )
    assert rows["Sum of the figures (may count twice)"].isna()["Countries"]
    # what a count counts: « 8 countries » beside « in 6 countries » of the sentence
    assert rows.loc["Countries", "What it counts"] == tr._(figures.COUNTRIES_DEFINITION)
    notes = report.key_figure_notes(view)
    assert f"Countries: {tr._(figures.COUNTRIES_DEFINITION)}" in notes


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_pdf_tables_keep_every_word_whole(lang: str) -> None:
    """fpdf cuts a word wider than its column: « Democratisch / e Republiek Congo », a
    heading's « persone / n ». Each table of the bundled data, drawn alone, must give back
    every word of its headings and cells whole."""
    db = Database.open(BUNDLED_DATA_DIR)
    view = build_view(lambda n, p: localize(db.query(n, p), lang), Translator(lang), Filters(), DAY)
    template = report.load_template()
    for title, frame in view.summary_tables.items():
        pdf = report._Pdf(view, template)
        pdf.add_page()
        report._table(pdf, title, frame, template)
        words = set(_pdf_text(bytes(pdf.output())).split())
        texts = [str(c) for c in frame.columns]
        texts += [
            str(v)
            for column in frame.columns
            if not pd.api.types.is_numeric_dtype(frame[column])
            for v in frame[column].head(report.MAX_TABLE_ROWS).dropna()
        ]
        cut = {w for text in texts for w in text.split() if w not in words}
        assert not cut, (title, cut)


def test_report_stays_short_on_a_large_federation(tmp_path: Path) -> None:
    from impact.synthetic import generate

    generate(5000, tmp_path / "federation")
    db = Database.open(tmp_path / "federation")
    view = build_view(db.query, Translator("fr"), Filters(), DAY)
    every = db.query(
        "export_sentences",
        {
            **Filters().params(),
            "unit": "persons",
            "measure": "reached",
            "limit": None,
            "largest_only": False,
        },
    )
    # the count is every figure of persons reached; the pack's sentences are the
    # SENTENCES_IN_FILES largest of them, the preview's first sentences their first 50
    assert view.sentence_count == len(every) > SENTENCES_IN_FILES == len(view.sentences)
    assert [s.total for s in view.sentences] == every["count"].head(1000).tolist()
    assert view.first_sentences == view.sentences[:50]
    fr = Translator("fr")

    def spaced(text: str) -> str:
        return " ".join(text.replace(NNBSP, " ").replace("\u00a0", " ").split())

    written = spaced(pack.sentences_text(view))  # the pack's sentences-fr.txt
    assert (
        f"Les 1 000 plus grandes des {spaced(fr.number(len(every)))} phrases ; affinez la "
        "sélection pour obtenir les autres." in written
    )
    assert spaced(view.sentences[-1].text) in written
    persons, families = view.added
    facts = view.tables[persons.title]
    assert len(facts) > report.MAX_TABLE_ROWS
    assert len(view.tables[families.title]) > report.MAX_TABLE_ROWS
    data = report.to_pdf(view)
    # 14, and a page for the 40 first figures of families added
    assert len(PdfReader(io.BytesIO(data)).pages) <= 15
    text = spaced(_pdf_text(data))
    assert f"Les 40 premières lignes sur {spaced(fr.number(len(facts)))}" in text
    assert "le pack de chiffres les contient toutes" in text  # the table's rows
    assert (
        f"Les 12 plus grandes des {spaced(fr.number(len(every)))} phrases ; le pack de "
        "chiffres contient les 1 000 plus grandes." in text
    )
    by_country = next(c for c in view.charts if c.key == "reach-by-country")
    assert len(by_country.figure.data[0].y) == 15


def test_files_say_when_they_hold_only_the_largest_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A federation's files hold its ``ROWS_IN_FILES`` largest figures added, and say so."""
    from impact.exports import view as view_module
    from impact.synthetic import generate

    generate(3000, tmp_path / "federation")
    db = Database.open(tmp_path / "federation")
    monkeypatch.setattr(view_module, "ROWS_IN_FILES", 300)
    view = build_view(db.query, Translator("fr"), Filters(), DAY)
    facts = view.tables[view.added[0].title]
    persons = view.figures[0]
    assert persons.key == "persons"
    assert len(facts) == 300 < view.added[0].count == persons.amount.facts
    fr = Translator("fr")

    def spaced(text: str) -> str:
        return " ".join(text.replace(NNBSP, " ").replace("\u00a0", " ").split())

    total = spaced(fr.number(view.added[0].count))
    said = f"Les 300 plus grands des {total} chiffres ; affinez les filtres pour voir les autres."
    assert spaced(dict(view.filter_rows)["Chiffres additionnés"]) == said
    workbook = tables.to_xlsx(view.tables, view.filter_rows, view.sources, fr)
    book = load_workbook(io.BytesIO(workbook))
    rows = [[str(c) for c in row] for row in book["Filtres"].iter_rows(values_only=True)]
    assert any(row[0] == "Chiffres additionnés" and spaced(row[1]) == said for row in rows)
    assert len(list(book["Chiffres additionnés"].iter_rows())) == 301  # header and 300 rows
    text = spaced(_pdf_text(report.to_pdf(view)))
    assert (
        f"Les 40 premières lignes sur {total} ; le pack de chiffres contient les 300 plus "
        "grandes." in text
    )
    assert "Les 40 premières lignes sur 300 " not in text  # not the file's rows as all
    # a PDF made alone reads the figures added it shows, not the files' 300: same text
    limits: list[int] = []

    def run(name: str, params: dict[str, object]) -> pd.DataFrame:
        if name == "counted_facts":
            limits.append(int(str(params["limit"])))
        return db.query(name, params)

    alone = build_view(run, fr, Filters(), DAY)
    assert spaced(_pdf_text(report.to_pdf(alone))) == text
    assert limits and max(limits) == report.MAX_TABLE_ROWS
    db.close()


def test_source_table_leaves_an_unknown_date_empty(db: Database) -> None:
    found = db.query(*sources_call(Filters(), every=True))
    found.loc[0, "published"] = pd.NaT
    table = tables.source_table(Translator("nl"), found)
    published = table["Gepubliceerd op"].tolist()
    assert published[0] == ""
    assert all(len(d) == 10 and d[4] == "-" for d in published[1:])


def test_a_sources_date_is_no_more_precise_than_it_is_known() -> None:
    """ECPAT's publications give years; the contract stores 2017-01-01 for « 2017 ».
    The files printed « (1 janvier 2017) », a day the source never gave, and the name
    of the curator's copy (« — 002_7ee95de39b589ef8.txt »), which no donor can open."""
    from impact.embed import _sources

    db = Database.open(BUNDLED_DATA_DIR)
    try:
        fr = Translator("fr")
        view = build_view(lambda n, p: localize(db.query(n, p), "fr"), fr, Filters(), DAY)
        labels = view.source_labels()
        ecpat = next(label for label in labels if "ECPAT" in label)
        assert ecpat.endswith("(2017)"), ecpat
        jmr = next(label for label in labels if "Journée mondiale" in label)
        assert jmr.endswith("(juin 2016)"), jmr
        action = next(label for label in labels if "Action sociale" in label)
        assert action.endswith("(26 juillet 2022)"), action
        assert not [label for label in labels if ".txt" in label]
        said = _slides_text(Presentation(io.BytesIO(report.to_pptx(view))))
        assert "(2017)" in said and "janvier 2017" not in said and ".txt" not in said
        pdf = _pdf_text(report.to_pdf(view))
        assert "janvier 2017" not in pdf and "002_7ee95de39b589ef8" not in pdf
        sheet = tables.source_table(Translator("nl"), view.sources)
        assert {"2017", "2016-06", "2022-07-26"} <= set(sheet["Gepubliceerd op"])
        html = _sources(Translator("nl"), view.sources)
        assert "(2017)" in html and "(juni 2016)" in html and "januari" not in html
    finally:
        db.close()


def test_the_families_key_figure_comes_with_its_figures_and_quotes() -> None:
    """« Familles atteintes 235 » stood in the PDF, the slides and the workbook with no
    figure, quote or source behind it (the figures added were persons' only). The files
    now hold the families' figures added: 26 + 200 + 9, with their quotes."""
    db = Database.open(BUNDLED_DATA_DIR)
    try:
        fr = Translator("fr")
        view = build_view(lambda n, p: localize(db.query(n, p), "fr"), fr, Filters(), DAY)
        families = next(f for f in view.figures if f.key == "families")
        assert families.value == 235
        assert families.help(fr).startswith("Les chiffres de familles atteintes, additionnés")
        table = view.tables["Chiffres additionnés, familles"]
        assert sorted(table["Chiffre"].astype(int)) == [9, 26, 200]
        assert all(len(q) > 10 for q in table["Citation"]), table["Citation"]
        book = load_workbook(io.BytesIO(pack_table_bytes(view)), read_only=True)
        assert "Chiffres additionnés, familles" in book.sheetnames
        text = " ".join(_pdf_text(report.to_pdf(view)).split())
        assert "Chiffres additionnés, familles" in text
        # a selection without families has no such table
        belgium_only_persons = build_view(
            lambda n, p: localize(db.query(n, p), "fr"), fr, Filters(groups=("children",)), DAY
        )
        assert "Chiffres additionnés, familles" not in belgium_only_persons.tables
    finally:
        db.close()


def pack_table_bytes(view: View) -> bytes:
    """The workbook of a view's figures pack."""
    with zipfile.ZipFile(io.BytesIO(pack.figures_pack(view))) as archive:
        return archive.read("tables/tables.xlsx")
