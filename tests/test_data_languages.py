"""What the data shows a reader is in the reader's language, with a visible fallback.

Programme names and summaries, place names and regions, context labels and the
data dictionary have their Dutch and English in the data contract; a missing
translation shows the French followed by « (FR) ». Quotation marks and percent
signs follow the language.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from impact.paths import BUNDLED_DATA_DIR, ROOT
from impact.queries import localize
from tests.conftest import APPTEST_TIMEOUT
from tests.factory import PLACES, PROGRAMMES, make_data


def run(page: str, lang: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=APPTEST_TIMEOUT)
    at.query_params.update({"lang": lang, **params})
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def elements(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from elements(child)


def page_text(at: AppTest) -> str:
    """Every text, caption, metric label and chart the page sends (hovers included)."""
    parts = []
    for element in elements(at.main):
        for attribute in ("value", "label", "body"):
            value = getattr(element, attribute, None)
            if isinstance(value, str):
                parts.append(value)
        if element.type == "plotly_chart":
            parts.append(json.loads(element.proto.spec).__repr__())
    return "\n".join(parts).replace("\\", "")


@pytest.fixture
def bundled(use_data: Callable[[Path], Path]) -> Path:
    return use_data(BUNDLED_DATA_DIR)


def test_localize_takes_the_reader_language_and_leaves_the_cache_alone() -> None:
    frame = pd.DataFrame({"name": ["Anvers"], "name__nl": ["Antwerpen"], "name__en": ["Antwerp"]})
    assert localize(frame, "nl")["name"].tolist() == ["Antwerpen"]
    assert localize(frame, "en")["name"].tolist() == ["Antwerp"]
    assert localize(frame, "fr") is frame
    assert frame["name"].tolist() == ["Anvers"]  # a cached result is never changed


def test_places_in_dutch_and_english_on_the_map(bundled: Path) -> None:
    dutch = page_text(run("map", "nl"))
    assert "Antwerpen" in dutch and "Luik" in dutch and "Anvers" not in dutch
    assert "Brussels Hoofdstedelijk Gewest" in dutch and "Bruxelles-Capitale" not in dutch
    english = page_text(run("map", "en"))
    assert "Antwerp" in english and "Brussels-Capital Region" in english
    french = page_text(run("map", "fr"))
    assert "Anvers" in french and "(FR)" not in french


def test_a_programme_in_english(bundled: Path) -> None:
    at = run("programmes", "en", programme_id="sos-be-maroc-seisme")
    assert at.title[0].value.replace("\\", "") == "Morocco: resilience phase after the earthquake"
    assert any(m.value.startswith("A new phase of the aid") for m in at.markdown)
    assert "(FR)" not in page_text(at)


def test_the_programme_list_in_dutch(bundled: Path) -> None:
    at = run("programmes", "nl")
    names = at.dataframe[0].value["Programma"].tolist()
    assert "Kindvriendelijke ruimtes voor Oekraïense vluchtelingenkinderen" in names
    assert not [n for n in names if n.endswith("(FR)")]


def test_organisations_in_english(bundled: Path) -> None:
    text = page_text(run("organisations", "en"))
    assert "An international, independent medical organisation" in text
    assert "Association médicale" not in text


def test_world_context_labels_and_percent_in_english(bundled: Path) -> None:
    at = run("overview", "en")
    labels = {m.label: m.value for m in at.metric}
    # « 35% Au plus »: at most, with its mark (issue 11)
    assert labels["Children worldwide covered by social protection"] == "≤\u00a035%"
    # the page quotes its sources with English marks (a quote keeps its own « »)
    assert "“Depuis 1998, le « Code de Conduite" in page_text(at)


def test_a_missing_translation_shows_the_french_marked(
    tmp_path: Path, use_data: Callable[[Path], Path]
) -> None:
    programmes = [{**PROGRAMMES[0], "name_nl": "", "summary_nl": ""}, *PROGRAMMES[1:]]
    places = [{**PLACES[0], "name_nl": "", "admin1_nl": " "}]
    use_data(make_data(tmp_path / "data", programmes=programmes, places=places))
    at = run("programmes", "nl", programme_id="maroc")
    assert at.title[0].value.replace("\\", "") == "Séisme au Maroc (FR)"
    assert "Soutien. (FR)" in [m.value.replace("\\", "") for m in at.markdown]
    text = page_text(run("map", "nl"))
    assert "Bruxelles (FR)" in text
    assert "(FR)" not in page_text(run("map", "fr"))


def dictionary_tables(at: AppTest) -> list[str]:
    """The text of the data dictionary's tables drawn on an AppTest page."""
    bodies = [str(h.proto.body) for h in at.html]
    return [html.unescape(b) for b in bodies if "<table" in b]


def test_the_data_dictionary_in_every_language(bundled: Path) -> None:
    """A file's columns are drawn when it is opened, whole (a grid cut long descriptions
    and pushed the rules out of sight), and it stays open on a change of language. Names
    of columns and values are set as code, never shown with the contract's backticks."""
    for lang, places, column, rule, basis in [
        (
            "fr",
            "Villes, villages et sites cités par les sources.",
            "Nom tel qu'écrit dans la source",
            "une valeur parmi\u00a0: <code>exact</code>, <code>at_least</code>, "
            "<code>about</code>, <code>at_most</code>",
            "; <code>year_basis</code> dit d'où elle",
        ),
        (
            "nl",
            "Steden, dorpen en locaties die de bronnen noemen.",
            "Naam zoals de bron hem schrijft",
            "een van: <code>exact</code>, <code>at_least</code>, <code>about</code>, "
            "<code>at_most</code>",
            "; <code>year_basis</code> zegt waar het",
        ),
        (
            "en",
            "Cities, villages and sites named in the sources.",
            "Name as written in the source",
            "one of: <code>exact</code>, <code>at_least</code>, <code>about</code>, "
            "<code>at_most</code>",
            "; <code>year_basis</code> says where it comes from",
        ),
    ]:
        at = run("data", lang)
        assert not dictionary_tables(at)  # eight closed files: eight titles
        at.session_state["dictionary-places"] = True
        at.session_state["dictionary-beneficiaries"] = True
        at.run()
        assert places in [c.value.replace("\\", "") for c in at.caption]
        tables = dictionary_tables(at)
        assert len(tables) == 2
        assert column in tables[0]
        assert rule in tables[1]
        assert basis in tables[1]
        assert "<code>fact_id</code>" in tables[1]  # the column's name
        assert "`" not in "".join(tables)
    at.sidebar.radio(key="lang").set_value("fr").run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Nom tel qu'écrit dans la source" in dictionary_tables(at)[0]


def test_a_file_over_the_limit_is_refused_in_the_readers_language(
    data_dir: Path, use_data: Callable[[Path], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Streamlit's own refusal is English: it lets larger files through to ours."""
    from impact.curation import auth, reading

    monkeypatch.setenv(auth.ENV, auth.hash_password("a long enough password"))
    use_data(data_dir)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=APPTEST_TIMEOUT)
    at.query_params["lang"] = "nl"
    at.session_state["cur_admin"] = True
    at.switch_page("pages/data.py")
    at.run()
    uploader = at.get("file_uploader")[0]
    limit = reading.MAX_BYTES // 1024 // 1024
    assert uploader.proto.max_upload_size_mb >= 10 * limit
    assert f"hoogstens {limit} MB" in uploader.proto.label
