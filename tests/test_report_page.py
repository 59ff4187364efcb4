"""The Reports & exports page: renders, follows both languages, offers its downloads."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any, cast

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from impact.exports.images import PRESETS, png_size
from tests.conftest import APPTEST_TIMEOUT, OfflinePage, Server, open_chart_data
from tests.test_browser import download as fetch

ROOT = Path(__file__).resolve().parent.parent


def _reports(data: Path | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=APPTEST_TIMEOUT)
    at.run()
    at.switch_page("pages/reports.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _labels(at: AppTest) -> list[str]:
    return [str(cast(Any, b).label) for b in at.get("download_button")]


def test_page_renders_with_downloads(data_dir: Path, use_data) -> None:  # type: ignore[no-untyped-def]
    use_data(data_dir)
    at = _reports()
    assert at.title[0].value == "Rapports et exports"
    labels = _labels(at)
    assert labels[:3] == [
        "Rapport (PDF, A4)",
        "Diapositives (PowerPoint)",
        "Pack de chiffres (ZIP)",
    ]
    # The report's four charts are tabs of the preview; the open one is drawn, alone, with
    # its PNG/SVG and its table downloads (a tab's chart is drawn when it is opened).
    tabs = [t.label for t in at.tabs]
    assert tabs == ["Par année", "Par thème", "Par pays", "Carte"]
    for tab in tabs:
        if tab != tabs[0]:
            at.session_state["r_chart"] = tab
            at.run()
            assert not at.exception, at.exception
        drawn = [t.label for t in at.tabs if len(t.children)]
        assert drawn == [tab]
        assert len(at.get("plotly_chart")) == 1
        labels = _labels(at)
        assert labels.count("PNG") == labels.count("SVG") == 1
        assert "XLSX" not in labels  # the table's files come with « Show the data »
        labels = _labels(open_chart_data(at))
        assert labels.count("XLSX") == 1 and labels.count("CSV (Excel BE)") == 1
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Personnes atteintes"] == "≥\u00a014\u202f153"
    codes = [cast(Any, c).value for c in at.get("code")]
    assert any("au Maroc, dont 3\u202f189 enfants" in c for c in codes)


def test_the_open_chart_stays_open_when_the_reader_changes_language(  # type: ignore[no-untyped-def]
    data_dir: Path, use_data
) -> None:
    use_data(data_dir)
    at = _reports()
    at.session_state["r_chart"] = "Carte"
    at.run()
    at.radio(key="lang").set_value("nl").run()
    assert not at.exception
    assert [t.label for t in at.tabs if len(t.children)] == ["Kaart"]
    at.radio(key="lang").set_value("en").run()
    assert [t.label for t in at.tabs if len(t.children)] == ["Map"]


def test_report_language_and_scope(data_dir: Path, use_data) -> None:  # type: ignore[no-untyped-def]
    use_data(data_dir)
    at = _reports()
    at.radio(key="r_lang").set_value("nl").run()
    assert not at.exception
    assert at.title[0].value == "Rapports et exports"  # the page stays in the reader's language
    assert "Bereikte personen" in [m.label for m in at.metric]  # the preview follows the report
    assert any("in Marokko" in cast(Any, c).value for c in at.get("code"))
    at.multiselect(key="r_countries").set_value(["SEN"]).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Bereikte personen"] == "1.675"


def test_the_preview_is_built_once_per_scope_and_language(  # type: ignore[no-untyped-def]
    data_dir: Path, use_data, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rerun (a click, « show more ») reads the kept preview; a new scope builds its own."""
    import streamlit as st

    from impact.exports import view as view_module

    use_data(data_dir)
    built: list[tuple[str, tuple[str, ...]]] = []
    build = view_module.build_view

    def counting(run: Any, tr: Any, filters: Any, day: Any = None) -> Any:
        built.append((tr.lang, filters.countries))
        return build(run, tr, filters, day)

    monkeypatch.setattr(view_module, "build_view", counting)
    st.cache_data.clear()
    at = _reports()
    at.run()
    assert built == [("fr", ())]
    at.radio(key="r_lang").set_value("nl").run()
    at.multiselect(key="r_countries").set_value(["SEN"]).run()
    assert built == [("fr", ()), ("nl", ()), ("nl", ("SEN",))]
    assert {m.label: m.value for m in at.metric}["Bereikte personen"] == "1.675"
    at.multiselect(key="r_countries").set_value([]).run()
    at.radio(key="r_lang").set_value("fr").run()
    assert not at.exception
    assert len(built) == 3  # both kept
    assert {m.label: m.value for m in at.metric}["Personnes atteintes"] == "≥\u00a014\u202f153"
    labels = _labels(at)  # the kept charts are drawn with their downloads
    assert labels.count("PNG") == labels.count("SVG") == 1  # the open tab's
    at.session_state["r_chart"] = "Carte"
    at.run()
    assert not at.exception
    assert len(built) == 3 and len(at.get("plotly_chart")) == 1


def test_a_programme_scope_is_named_and_its_sentences_counted_in_words(  # type: ignore[no-untyped-def]
    use_data,
) -> None:
    """« Sélection : Maroc : phase de résilience… », and « 1 phrase de plus », not « 1 phrases »."""
    use_data(ROOT / "data")  # the bundled data: this programme has seven sentences
    at = _reports()
    at.multiselect(key="r_programmes").set_value(["sos-be-maroc-seisme"]).run()
    assert not at.exception
    selection = [c.value for c in at.caption if c.value.startswith("Sélection")]
    assert len(selection) == 1 and "sos-be" not in selection[0], selection
    assert "phase de résilience après le tremblement de terre" in selection[0]
    assert at.expander[0].label == "1 phrase de plus"
    shown = len(at.code)  # the six first sentences; the seventh is made when opened
    at.session_state["r_more_sentences"] = True
    at.run()
    assert len(at.code) == shown + 1
    at.radio(key="lang").set_value("nl").run()
    at.radio(key="r_lang").set_value("nl").run()  # the report's language names the scope
    assert not at.exception
    selection = [c.value for c in at.caption if c.value.startswith("Selectie")]
    assert len(selection) == 1 and "herstelfase na de aardbeving" in selection[0], selection
    assert at.expander[0].label == "nog 1 zin"
    assert len(at.code) == shown + 1  # open, it stayed open under its new label


def test_programmes_follow_the_organisations(data_dir: Path, use_data) -> None:  # type: ignore[no-untyped-def]
    use_data(data_dir)
    at = _reports()
    at.multiselect(key="r_programmes").set_value(["stop"]).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Personnes atteintes"] == "≥\u00a02\u202f100"
    at.multiselect(key="r_orgs").set_value(["sos"]).run()
    assert not at.exception
    assert at.multiselect(key="r_programmes").value == []
    assert {m.label: m.value for m in at.metric}["Personnes atteintes"] == "12\u202f053"


def test_page_follows_the_interface_language(data_dir: Path, use_data) -> None:  # type: ignore[no-untyped-def]
    use_data(data_dir)
    at = _reports()
    at.radio(key="lang").set_value("nl").run()
    assert not at.exception
    assert at.title[0].value == "Rapporten en exports"
    assert _labels(at)[:3] == ["Rapport (PDF, A4)", "Dia's (PowerPoint)", "Cijferpakket (ZIP)"]


def test_overview_charts_have_downloads(data_dir: Path, use_data) -> None:  # type: ignore[no-untyped-def]
    use_data(data_dir)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=APPTEST_TIMEOUT)
    at.run()
    assert not at.exception
    labels = _labels(at)
    assert labels.count("PNG") >= 3 and "XLSX" not in labels
    labels = _labels(open_chart_data(at))  # each chart's table files, once its data is open
    assert labels.count("PNG") >= 3 and labels.count("XLSX") >= 3


@pytest.mark.browser
def test_downloads_in_a_real_browser(browser, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """The lazy downloads run on click in a served app, with the network cut off."""
    server = Server(data_dir)
    page = OfflinePage(browser)
    try:
        page.open(f"{server.url}/reports?lang=fr")
        pdf_download = fetch(
            page.page, page.page.get_by_role("button", name="Rapport (PDF, A4)"), server.log
        )
        pdf = Path(pdf_download.path()).read_bytes()
        assert pdf.startswith(b"%PDF")
        zip_download = fetch(
            page.page, page.page.get_by_role("button", name="Pack de chiffres (ZIP)"), server.log
        )
        names = zipfile.ZipFile(io.BytesIO(Path(zip_download.path()).read_bytes())).namelist()
        assert "charts/map.png" in names
        page.page.get_by_role("button", name="Télécharger le graphique").first.click()
        # exact: the chart's own tool bar also has a « Download plot as a PNG » button.
        png_button = page.page.get_by_role("button", name="PNG", exact=True).first
        png_download = fetch(page.page, png_button, server.log)
        png = Path(png_download.path()).read_bytes()
        assert png_download.suggested_filename == "reach-by-year-report.png"
        assert png_size(png) == PRESETS["report"].pixels
        page.page.keyboard.press("Escape")
        page.page.get_by_text("Afficher les données").first.click()
        xlsx_button = page.page.get_by_role("button", name="XLSX", exact=True).first
        xlsx_download = fetch(page.page, xlsx_button, server.log)
        assert xlsx_download.suggested_filename == "reach-by-year.xlsx"
        book = load_workbook(io.BytesIO(Path(xlsx_download.path()).read_bytes()))
        assert book.sheetnames == ["Données", "Filtres", "Sources"]
        assert book["Données"]["B2"].data_type == "n"
        assert not page.blocked, page.blocked
    finally:
        page.close()
        server.stop()


def test_sources_of_the_scope_in_one_table(data_dir: Path, use_data) -> None:  # type: ignore[no-untyped-def]
    """One sortable table of the scope's sources (thousands at federation scale), not a list."""
    from impact.db import Database
    from impact.figures import sources_call
    from impact.filters import Filters

    use_data(data_dir)
    at = _reports()
    at.session_state["r_sources"] = True  # the reader opens « Sources (n) »
    at.run()
    frames = [cast(Any, d).value for d in at.dataframe]
    listed = next(f for f in frames if "Chiffres de la sélection" in f.columns)
    assert list(listed.columns) == [
        "Titre",
        "Éditeur",
        "Publié le",
        "Chiffres de la sélection",
        "Lien",
    ]
    database = Database.open(data_dir)
    expected = database.query(*sources_call(Filters(), every=True))
    database.close()
    assert sorted(listed["Titre"]) == sorted(expected["title"])
    assert listed["Chiffres de la sélection"].sum() == expected["facts"].sum()
