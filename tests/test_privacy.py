"""Small sensitive figures are hidden everywhere and cannot be recovered by subtraction."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from impact.db import Database
from impact.figures import key_figures
from impact.filters import Filters
from impact.i18n import Translator
from impact.paths import ROOT
from tests.conftest import APPTEST_TIMEOUT
from tests.factory import FACTS, fact, make_data

# The whole's quote holds the hidden number: it must be withheld wherever the 7 is hidden.
HIDDEN_QUOTE = "Nous avons accompagné 1.000 personnes, dont 7 enfants victimes et 993 jeunes."
# Programme « stop » is sensitive. 1 000 persons, dont 7 (hidden) and 993 (its
# sibling, hidden too: 1 000 - 993 would give 7 back); 64 is sensitive but large.
PRIVATE = [
    fact("stop-all", 1000, programme_id="stop", country_iso3="BEL", quote=HIDDEN_QUOTE),
    fact(
        "stop-victims",
        7,
        programme_id="stop",
        country_iso3="BEL",
        group="children",
        part_of="stop-all",
        quote=HIDDEN_QUOTE,
    ),
    fact(
        "stop-others",
        993,
        programme_id="stop",
        country_iso3="BEL",
        group="young_people",
        part_of="stop-all",
        quote=HIDDEN_QUOTE,
    ),
    fact("stop-large", 64, programme_id="stop", country_iso3="BEL", year="2023", quote="64 jeunes"),
]


@pytest.fixture
def private_dir(tmp_path: Path) -> Path:
    return make_data(tmp_path / "private", beneficiaries=[*FACTS, *PRIVATE])


def test_small_sensitive_figures_and_their_siblings_are_stored_hidden(private_dir: Path) -> None:
    db = Database.open(private_dir)
    rows = dict(
        db.con.execute(
            "select fact_id, coalesce(cast(\"count\" as varchar), 'hidden') from facts "
            "where programme_id = 'stop' and fact_id like 'stop-%'"
        ).fetchall()
    )
    assert rows == {
        "stop-all": "1000.0",
        "stop-victims": "hidden",
        "stop-others": "hidden",
        "stop-large": "64.0",
        "stop-students": "2100.0",
    }
    reasons = dict(
        db.con.execute("select fact_id, hidden_reason from facts where is_hidden").fetchall()
    )
    assert reasons == {"stop-victims": "small", "stop-others": "protects_small"}
    # the whole is shown, but its quote (« dont 7 enfants ») is withheld, and its note
    withheld = db.con.execute(
        "select fact_id, quote, note from facts where quote_withheld order by fact_id"
    ).fetchall()
    assert withheld == [
        ("stop-all", None, None),
        ("stop-others", None, None),
        ("stop-victims", None, None),
    ]
    found = db.con.execute("select count(*) from facts where contains(quote, '7 enfants')")
    assert found.fetchone() == (0,)
    db.close()


def test_a_wholes_children_leave_out_its_hidden_parts(private_dir: Path) -> None:
    """``fact_children`` (the « dont … enfants » of the sentences) adds visible parts only."""
    db = Database.open(private_dir)
    rows = db.con.execute(
        "select fact_id, children, children_at_least, children_about from fact_children"
    ).fetchall()
    db.close()
    # « 1 000 personnes, dont 7 enfants »: the 7 is hidden, so the whole names no children;
    # Morocco's 10 378 keeps its 3 189 (a part of group children, exact)
    assert rows == [("maroc-persons", 3189, False, False)]


def test_totals_leave_hidden_figures_out_and_say_so(private_dir: Path) -> None:
    db = Database.open(private_dir)
    children = Filters(groups=("children",), orgs=("ecpat",))
    figures = {f.key: f for f in key_figures(db.query, children)}
    # The only children of ECPAT are the hidden 7: the total shows « < 10 », never 7.
    assert figures["persons"].value is None
    assert figures["persons"].amount.hidden == 1
    assert figures["persons"].display(Translator("fr")) == "< 10"
    # The hidden 993 is not small: it is « hidden », never « < 10 ».
    young = {f.key: f for f in key_figures(db.query, Filters(groups=("young_people",)))}
    assert young["persons"].display(Translator("fr")) == "masqué"
    assert young["persons"].display(Translator("nl")) == "verborgen"
    everyone = {f.key: f for f in key_figures(db.query, Filters(orgs=("ecpat",)))}
    # 2 100 + 1 000 + 64 may be the same people (one programme in one country): at least
    # 2 100 different people, « plus de » and hidden figures make the sum a lower bound too.
    assert everyone["persons"].display(Translator("en")) == "≥\u00a02,100"
    assert "3,164" in everyone["persons"].explanation(Translator("en"))
    db.close()


def test_no_selection_gives_the_hidden_value_back(private_dir: Path) -> None:
    """Every total of every selection over the sensitive programme excludes the 7."""
    db = Database.open(private_dir)
    groups = [(), ("children",), ("young_people",), ("all",), ("children", "young_people")]
    seen = set()
    for grp in groups:
        for years in [(None, None), (2024, 2024), (2023, 2023)]:
            filters = Filters(*years, programmes=("stop",), groups=grp)
            row = db.query(
                "reach_total", {**filters.params(), "unit": "persons", "measure": "reached"}
            )
            seen.add(float(row["total"].iloc[0]))
    # Whatever is subtracted from whatever, 7 (or 993) cannot come out.
    differences = {abs(a - b) for a in seen for b in seen}
    assert 7 not in differences and 993 not in differences, seen
    db.close()


def test_threshold_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMPACT_PRIVACY_THRESHOLD", "100")
    db = Database.open(make_data(tmp_path / "d", beneficiaries=[*FACTS, *PRIVATE]))
    hidden = {r[0] for r in db.con.execute("select fact_id from facts where is_hidden").fetchall()}
    assert hidden == {"stop-victims", "stop-others", "stop-large"}
    db.close()


def test_overview_never_shows_the_hidden_figure(
    private_dir: Path, use_data: Callable[[Path], Path]
) -> None:
    use_data(private_dir)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=APPTEST_TIMEOUT)
    at.query_params.update({"org": "ecpat", "lang": "fr"})
    at.run()
    assert not at.exception
    texts = [m.value for m in at.metric] + [c.value for c in at.caption]
    for frame in at.dataframe:
        texts += frame.value.astype(str).to_numpy().ravel().tolist()
    joined = " | ".join(str(t) for t in texts)
    assert HIDDEN_QUOTE not in joined
    assert "993" not in joined
    assert "< 10" in joined  # the hidden children are « < 10 »
    assert "masqués" in joined  # and the page says why totals are lower bounds


def test_programme_page_withholds_the_quote_that_holds_the_hidden_figure(
    private_dir: Path, use_data: Callable[[Path], Path]
) -> None:
    use_data(private_dir)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=APPTEST_TIMEOUT)
    at.switch_page("pages/programmes.py")
    at.query_params.update({"programme_id": "stop", "lang": "fr"})
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    joined = " | ".join(str(v) for v in table.to_numpy().ravel())
    assert HIDDEN_QUOTE not in joined and "7 enfants" not in joined
    assert "citation retenue" in joined
    rows = dict(zip(table["Groupe"], table["Précision"], strict=False))
    assert rows["Enfants"] == "< 10 : masqué pour protéger des enfants".replace(" :", "\u00a0:")
    assert rows["Jeunes"].startswith("masqué\u00a0: il révélerait")


def test_no_export_contains_the_hidden_figure(private_dir: Path) -> None:
    """PDF, PPTX, the figures pack (XLSX, CSV, sentences, sources): no hidden value or quote."""
    import io
    import zipfile

    from openpyxl import load_workbook
    from pptx import Presentation
    from pypdf import PdfReader

    from impact.exports import images, pack, report
    from impact.exports.view import build_view

    db = Database.open(private_dir)
    try:
        view = build_view(db.query, Translator("fr"), Filters(orgs=("ecpat",)), date(2026, 11, 23))
        texts = [
            "\n".join(
                page.extract_text() for page in PdfReader(io.BytesIO(report.to_pdf(view))).pages
            )
        ]
        deck = Presentation(io.BytesIO(report.to_pptx(view)))
        texts += [
            s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame
        ]
        archive = zipfile.ZipFile(io.BytesIO(pack.figures_pack(view)))
        for name in archive.namelist():
            if name.endswith((".txt", ".csv", ".svg")):
                texts.append(archive.read(name).decode("utf-8-sig", errors="replace"))
            if name.endswith(".xlsx"):
                book = load_workbook(io.BytesIO(archive.read(name)))
                for sheet in book.worksheets:
                    texts += [str(c) for row in sheet.iter_rows(values_only=True) for c in row]
    finally:
        images.stop()
        db.close()
    joined = "\n".join(texts)
    assert HIDDEN_QUOTE not in joined
    assert "7 enfants" not in joined
    # As numbers, not as digits inside an SVG path's coordinates.
    spaced = joined.replace("\u202f", " ").replace("\u00a0", " ")
    # (« 7 » alone is too common — page numbers, dates — its quote is checked above.)
    for hidden in ("993", "1 007", "1007"):
        assert not re.search(rf"(?<![\d.,]){hidden}(?![\d.,]?\d)", spaced), hidden
    assert "3\u202f164" in joined or "3 164" in joined  # the visible total is there
