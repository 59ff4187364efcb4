"""Long lists show what a person can read: a page of items, then « Show more ».

A federation's directory has hundreds of organisations; every card drawn at
once made the page wait seconds in the browser. Paging shows the first items,
adds more on request, never changes a count, starts again on a new search or
selection, and leaves the filters in the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from impact.paths import ROOT
from tests.conftest import APPTEST_TIMEOUT
from tests.factory import ORGS, PROGRAMMES, fact, make_data

ENTRY = str(ROOT / "dashboard.py")
MANY = 45
PAGE = 20  # pages/organisations.py ORGANISATIONS_PAGE


@pytest.fixture
def many_orgs(tmp_path: Path, use_data: Callable[[Path], Path]) -> Path:
    """45 organisations (« Org 00 » … « Org 44 »), each with one programme and one figure."""
    orgs = [
        {**ORGS[1], "org_id": f"org{i:02d}", "name": f"Org {i:02d}", "summary": f"Résumé {i}"}
        for i in range(MANY)
    ]
    programmes = [
        {
            **PROGRAMMES[0],
            "programme_id": f"p{i:02d}",
            "org_id": f"org{i:02d}",
            "name": f"Programme {i:02d}",
            "name_nl": f"Programma {i:02d}",
            "name_en": f"Programme {i:02d}",
            "theme": "education" if i % 2 else "emergency_response",
        }
        for i in range(MANY)
    ]
    facts = [fact(f"f{i:02d}", 100 + i, programme_id=f"p{i:02d}") for i in range(MANY)]
    return use_data(
        make_data(
            tmp_path / "data",
            organisations=orgs,
            programmes=programmes,
            beneficiaries=facts,
            organisation_places=[],
        )
    )


def directory(**params: str) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=APPTEST_TIMEOUT)
    at.query_params.update({"lang": "en", **params})
    at.switch_page("pages/organisations.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def cards(at: AppTest) -> list[str]:
    """The organisations drawn, by the organisation each card's « Open » link opens."""
    links = [link for link in at.get("page_link") if "org_id=" in str(link.proto.query_string)]
    return [str(link.proto.query_string).split("org_id=")[1].split("&")[0] for link in links]


def more(at: AppTest) -> AppTest:
    button = next(b for b in at.button if b.key == "organisations_more")
    button.click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_the_directory_draws_a_page_then_more_until_every_organisation(many_orgs: Path) -> None:
    at = directory()
    seen = cards(at)
    assert len(seen) == PAGE
    assert "45 organisations" in captions(at)  # the count is the whole list's
    assert f"{PAGE} of {MANY} shown" in captions(at)
    assert "Show 20 more" in [b.label for b in at.button]
    more(at)
    assert set(seen) < set(cards(at))  # the first page stays, the next one follows
    assert len(cards(at)) == 2 * PAGE
    assert "45 organisations" in captions(at)
    more(at)
    assert sorted(cards(at)) == [f"org{i:02d}" for i in range(MANY)]  # each once, none lost
    assert not [b for b in at.button if b.key == "organisations_more"]  # all shown: no button
    assert "shown" not in captions(at)


def test_a_search_finds_beyond_the_first_page_and_starts_again(many_orgs: Path) -> None:
    at = directory()
    more(at)
    assert len(cards(at)) == 2 * PAGE
    at.text_input(key="organisations_search").input("Org 44").run()
    assert cards(at) == ["org44"]
    assert "1 organisation" in captions(at)
    at.text_input(key="organisations_search").input("").run()
    assert len(cards(at)) == PAGE  # a new list starts at its first page


def test_paging_keeps_the_filters_in_the_url_and_counts_the_selection(many_orgs: Path) -> None:
    at = directory(theme="education", country="MAR")
    assert "22 organisations" in captions(at)  # the odd ones run an education programme
    assert len(cards(at)) == PAGE
    more(at)
    assert len(cards(at)) == 22
    assert at.query_params["theme"] == "education"
    assert at.query_params["country"] == "MAR"
    links = [str(link.proto.query_string) for link in at.get("page_link")]
    assert all("theme=education" in link for link in links if "org_id=" in link)
