"""Chart embeds: a link and an ``<iframe>`` under every chart, and the page they open.

The embed page states what a reader of the dashboard gets — title, selection,
sources, the « How we count » link, the date and data version, the text
alternative and the table — with the pages' privacy rules; it draws inside an
iframe of a plain page with every request off the app cut, in French and
Dutch, at 390 and 1200 px; a later data change is announced with a link to the
current chart.
"""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from impact import embed
from impact.db import Database
from impact.exports.images import PRESETS
from impact.exports.view import build_view
from impact.figures import draws_places, sources_call
from impact.filters import Filters
from impact.i18n import Translator
from impact.paths import ROOT
from impact.queries import localize
from tests.accessibility import audit
from tests.conftest import OfflinePage, Server
from tests.factory import FACTS, make_data
from tests.test_browser import wait_ready
from tests.test_privacy import PRIVATE

VERSION = embed.DataVersion("0123456789ab", date(2026, 11, 29))


def _runner(db: Database, lang: str) -> Any:
    def run(name: str, params: dict[str, Any]) -> pd.DataFrame:
        return localize(db.query(name, params), lang)

    return run


def _page(db: Database, request: embed.Request, version: embed.DataVersion = VERSION) -> str:
    tr = Translator(request.lang)
    chart = embed.build(_runner(db, request.lang), tr, request)
    return embed.page(chart, tr, request, version, "http://app.example")


def test_a_link_keeps_chart_filters_language_size_and_version() -> None:
    """The link's parameters read back the same; malformed parts are dropped, never used."""
    filters = Filters(year_from=2015, countries=("BEL", "MAR"), themes=("education",))
    request = embed.Request("map", filters, "nl", "social", "0123456789ab", date(2026, 11, 1))
    query = dict(re.findall(r"([^?&=]+)=([^&]*)", request.path().replace("%2C", ",")))
    assert embed.Request.parse(query) == request
    odd = embed.Request.parse(
        {"chart": "year", "lang": "xx", "size": "huge", "v": "<script>", "made": "soon"}
    )
    assert odd == embed.Request("year", Filters(), "fr", "report", "", None)
    assert embed.Request.parse({"chart": "pie"}) is None


def test_the_iframe_code_has_the_size_presets_height_and_a_title() -> None:
    """Full width, the preset's height plus room for the texts, a title for screen readers."""
    code = embed.iframe_code("http://h/embed?chart=year&lang=fr", 'Personnes "atteintes"', "slide")
    assert f'height="{PRESETS["slide"].height + embed.FRAME_ROOM}"' in code
    assert 'width="100%"' in code
    assert 'title="Personnes &quot;atteintes&quot;"' in code
    assert 'src="http://h/embed?chart=year&amp;lang=fr"' in code


def test_every_chart_of_the_pages_can_be_embedded(db: Database) -> None:
    """Each ``ui.chart`` key of the pages and of the report preview maps to an embed."""
    keys = set()
    for page in (ROOT / "pages").glob("*.py"):
        # the calls read as Python, not as text: an argument may span lines and nest calls
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "chart"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "ui"
            ):
                keys |= {
                    arg.value
                    for arg in [*node.args, *(k.value for k in node.keywords)]
                    if isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and re.fullmatch(r"[a-z]+-[a-z-]+", arg.value)
                }
    assert len(keys) >= 10, keys
    view = build_view(_runner(db, "fr"), Translator("fr"), Filters(), date.today())
    keys |= {f"report-{spec.key}" for spec in view.charts}
    assert keys <= set(embed.CHART_KINDS), keys - set(embed.CHART_KINDS)


@pytest.mark.parametrize("kind", embed.KINDS)
@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_embed_page_carries_title_selection_sources_method_date_and_table(
    db: Database, kind: str, lang: str
) -> None:
    """Everything that lets a reader trust the chart travels with it."""
    filters = Filters(countries=("MAR",)) if kind == "map" else Filters()
    request = embed.Request(kind, filters, lang, "report", VERSION.id, VERSION.day)
    html = _page(db, request)
    tr = Translator(lang)
    assert f'<html lang="{lang}">' in html
    chart = embed.build(_runner(db, lang), tr, request)
    assert chart is not None
    # the sources of what it draws: persons reached, and a map's places named by any figure
    sources = db.query(*sources_call(filters, every=draws_places(chart.figure)))
    assert len(sources)
    for publisher in sources["publisher"]:
        assert str(publisher).replace("'", "&#x27;") in html
    assert f"http://app.example/method?lang={lang}" in html
    assert tr._("How we count") in html
    assert tr._("Data of {day} (version {version}).", day=tr.date(VERSION.day), version=VERSION.id)
    assert '<table class="impact-data"' in html and '<th scope="col"' in html
    assert 'role="img" aria-label="' in html
    assert tr._("Description and data") in html
    assert "https://" not in re.sub(r'href="https://[^"]*"', "", html)  # no request elsewhere
    assert f'src="{embed.SCRIPT_PATH}"' in html
    assert tr._("The data changed after this chart was shared on {made}: ").split("{")[0] not in (
        html
    )


def test_a_changed_data_version_is_announced_with_the_current_chart(db: Database) -> None:
    """An older version in the link: the page says so and links to the current chart."""
    old = embed.Request("year", Filters(), "fr", "report", "fedcba987654", date(2026, 1, 5))
    html = _page(db, old)
    assert "Les données ont changé depuis le partage de ce graphique le 5 janvier 2026" in html
    assert "du 29 novembre 2026" in html
    assert "v=0123456789ab" in html and "made=2026-11-29" in html
    assert "Lien vers le graphique actuel" in html
    same = embed.Request("year", Filters(), "fr", "report", VERSION.id, VERSION.day)
    assert "Les données ont changé" not in _page(db, same)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_an_embedded_years_mark_says_what_it_means(tmp_path: Path, lang: str) -> None:
    """The embed draws the chart without its title (written above it, as on the pages):
    the axis said « 2024* » and nothing said what « * » means. The note is written
    under the selection, in the page's text and in the text alternative."""
    from tests.factory import make_truth

    database = Database.open(make_truth(tmp_path / "truth"))  # inferred, source-dated years
    try:
        request = embed.Request("year", Filters(), lang, "report", VERSION.id, VERSION.day)
        html = _page(database, request)
        note = Translator(lang)._("* some years inferred, or the year of the source")
        figure = json.loads(
            re.search(r'id="figure">(.*?)</script>', html, re.S)[1].replace("<\\/", "</")  # type: ignore[index]
        )
        assert any(str(t).endswith("*") for t in figure["layout"]["xaxis"]["ticktext"])
        assert figure["layout"]["title"]["text"] == ""  # drawn apart, above the chart
        body = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
        assert f'<p class="muted">{note}</p>' in body
        assert note + "." in re.search(r'aria-label="([^"]*)"', body)[1]  # type: ignore[index]
    finally:
        database.close()


def test_the_embed_keeps_the_privacy_rules(tmp_path: Path) -> None:
    """The hidden 7 (and its sibling's 993) never appear; the total is marked « ≥ »."""
    folder = make_data(tmp_path / "private", beneficiaries=[*FACTS, *PRIVATE])
    database = Database.open(folder)
    try:
        for kind in embed.KINDS:
            request = embed.Request(kind, Filters(programmes=("stop",)), "fr")
            html = _page(database, request)
            figure = json.loads(
                re.search(r'id="figure">(.*?)</script>', html, re.S)[1].replace("<\\/", "</")  # type: ignore[index]
            )
            drawn = [
                v
                for trace in figure["data"]
                for axis in ("x", "y", "z", "text", "customdata")
                for v in (trace.get(axis) or [])
            ]
            assert not {7, 993} & {v for v in drawn if isinstance(v, int | float)}
            shown = re.sub(r"<script.*?</script>|<style>.*?</style>", " ", html, flags=re.S)
            text = re.sub(r"<[^>]+>", " ", shown) + " ".join(map(str, drawn))
            assert not re.search(r"(?<![\d\u202f.,])(7|993)(?![\d\u202f.,])", text), kind
            assert "Nous avons accompagné" not in html
    finally:
        database.close()


# --- in a plain page, in the browser ------------------------------------------------------

HOST = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Newsletter</title>
</head><body style="margin:0;padding:12px;font-family:serif;background:#f4f1ea">
<h1 style="font-size:22px">{heading}</h1><p>{text}</p>{iframe}<p>{after}</p></body></html>"""


def _host(lang: str, iframe: str) -> str:
    words = {
        "fr": ("Notre lettre d'information", "Voici nos chiffres de l'année.", "Merci !"),
        "nl": ("Onze nieuwsbrief", "Dit zijn onze cijfers van het jaar.", "Bedankt!"),
    }[lang]
    return HOST.format(lang=lang, heading=words[0], text=words[1], iframe=iframe, after=words[2])


def _framed(offline: OfflinePage, lang: str, url: str, width: int) -> Any:
    """Open a plain page holding the iframe; wait until the chart is drawn in it."""
    offline.page.set_viewport_size({"width": width, "height": 1000})
    offline.page.set_content(_host(lang, embed.iframe_code(url, "chart", "report")))
    frame = offline.page.frame_locator("iframe")
    frame.locator(".main-svg").first.wait_for(timeout=60_000)
    return frame


@pytest.mark.browser
def test_an_embedded_chart_draws_offline_with_its_sources_and_announces_new_data(
    tmp_path: Path, browser: Any
) -> None:
    """FR and NL, 390 and 1200 px: drawn, sourced, nothing fetched off the app; then new data."""
    folder = make_data(tmp_path / "data")
    server = Server(folder)
    offline = OfflinePage(browser)
    try:
        for lang, kind, heading, drawn in (
            ("fr", "year", "Personnes atteintes par année", ".main-svg .bars path"),
            ("nl", "map", "Bereikte personen per land en per plaats", ".geo path"),
        ):
            request = embed.Request(kind, Filters(), lang, "report", "", None)
            url = server.url + request.path()
            for width in (390, 1200):
                frame = _framed(offline, lang, url, width)
                text = frame.locator("body").inner_text()
                assert heading in text
                assert ("Sources" if lang == "fr" else "Bronnen") in text
                assert frame.locator("html").get_attribute("lang") == lang
                # bars, or the map's outlines (fetched from the app after the first draw)
                frame.locator(drawn).first.wait_for(timeout=60_000)
                assert frame.locator(drawn).count() > 0
        # the link made now, then the data changes: the embed says so
        made = offline.page.frame_locator("iframe").locator("footer").inner_text()
        version = re.search(r"\((?:version|versie) ([0-9a-f]+)\)", made)
        assert version
        request = embed.Request("year", Filters(), "fr", "report", version[1], date(2026, 1, 5))
        frame = _framed(offline, "fr", server.url + request.path(), 1200)
        assert "Les données ont changé" not in frame.locator("body").inner_text()
        facts = folder / "beneficiaries.csv"
        facts.write_text(facts.read_text().replace(",10378,", ",10379,"), encoding="utf-8")
        frame = _framed(offline, "fr", server.url + request.path(), 1200)
        text = frame.locator("body").inner_text()
        assert "Les données ont changé depuis le partage de ce graphique le 5 janvier 2026" in text
        frame.get_by_role("link", name="Lien vers le graphique actuel").wait_for()
        assert not offline.blocked, offline.blocked
        assert not offline.errors, offline.errors
    finally:
        offline.close()
        server.stop()


@pytest.mark.browser
def test_every_chart_offers_share_and_embed(bundled_server: Server, browser: Any) -> None:
    """« Partager / Intégrer » under the overview's charts gives the link and the iframe code."""
    offline = OfflinePage(browser)
    try:
        offline.page.goto(f"{bundled_server.url}/?lang=fr&country=BEL")
        wait_ready(offline.page)
        buttons = offline.page.get_by_role("button", name="Partager / Intégrer")
        assert buttons.count() == offline.page.locator("[data-testid='stPlotlyChart']").count()
        buttons.first.click()
        code = offline.page.locator("[data-testid='stPopoverBody'] code")
        code.first.wait_for()
        link, iframe = code.nth(0).inner_text(), code.nth(1).inner_text()
        assert link.startswith(f"{bundled_server.url}/embed?chart=year&lang=fr&size=report&v=")
        assert "country=BEL" in link
        assert "<iframe" in iframe and 'height="810"' in iframe
        # the link opens the chart alone
        offline.page.goto(link.replace("&amp;", "&"))
        offline.page.locator(".main-svg").first.wait_for(timeout=60_000)
        assert "Sélection\u00a0: Belgique." in offline.page.locator("main").inner_text()
        # the embed page itself passes axe-core (WCAG 2.1 A and AA), its details open
        offline.page.get_by_text("Description et données").click()
        bad = [v for v in audit(offline.page) if v["impact"] in ("critical", "serious")]
        assert not bad, bad
        assert not offline.blocked, offline.blocked
    finally:
        offline.close()
