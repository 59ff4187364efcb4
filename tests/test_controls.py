"""Every control, in every language, on every page, in a real browser.

A reader's session in Chromium, once per language: every page (and the detail
views) reached by clicking, and on each, every control used once — toggles,
segmented controls, download menus (a file downloaded from each), expanders
and their table downloads, search boxes, selectors, tabs, the report's scope
and files, the links (each checked, one followed) — then every sidebar widget:
the years, each filter, the language (switched away and back) and « reset ».
After each action: no exception box, no console error, no failed request, and
a URL that still holds every filter the sidebar shows (or none after reset).

This is the test that would have caught issue 12: the reset button crashed
every page, and two language switches dropped filters.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from impact.filters import LIST_KEYS
from impact.i18n import LANGUAGE_NAMES, Translator
from tests.conftest import OfflinePage, Server
from tests.test_browser import Watched, wait_ready
from tests.test_browser import download as fetch
from tests.test_paging import many_organisations

FILTER_KEYS = {"years", *LIST_KEYS.values()}
# Filters that keep every page full: years within the data, most countries.
START = {"years": "2014-2024", "country": "BEL,COD,COL,MAR,SEN"}
MAIN = "[data-testid='stMainBlockContainer']"
SIDEBAR = "[data-testid='stSidebar']"
POPOVER_BODY = "[data-testid='stPopoverBody']"


def url_filters(url: str) -> dict[str, str]:
    """The filters a URL holds (not the language or an open detail)."""
    query = parse_qs(urlsplit(url).query)
    return {k: v[0] for k, v in query.items() if k in FILTER_KEYS}


class Reader:
    """One browser session operating the app, checking the app after every action."""

    def __init__(self, server: Server, offline: OfflinePage, lang: str) -> None:
        self.server = server
        self.watched = Watched(offline)
        self.page = offline.page
        self.lang = lang
        self.tr = Translator(lang)
        self.filters = dict(START)
        self.done: list[str] = []
        self.downloads = 0

    # --- checks ---------------------------------------------------------------------------

    def check(self, what: str) -> None:
        """After an action: the page drew, without error, with every filter in its URL."""
        wait_ready(self.page)
        self.done.append(what)
        context = f"after {what} ({self.lang}, {self.page.url})"
        assert not self.page.locator("[data-testid='stException']").count(), context
        assert self.page.locator(f"{MAIN} h1").count() >= 1, context
        assert self.watched.unexpected_errors() == [], context
        assert self.watched.offline.blocked == [], context
        assert url_filters(self.page.url) == self.filters, context
        assert parse_qs(urlsplit(self.page.url).query).get("lang") == [self.lang], context

    def open(self, path: str, **detail: str) -> None:
        """Open a page by its address (a copied link), with the filters of ``self.filters``."""
        values = {"lang": self.lang, **self.filters, **detail}
        query = "&".join(f"{k}={v}" for k, v in values.items())
        self.watched.open(f"{self.server.url}/{path}?{query}")
        self.check(f"opening /{path}")

    def go(self, page: str) -> None:
        """Click a page in the sidebar's navigation."""
        self.page.locator(f"[data-testid='stSidebarNav'] a[href$='/{page}']").click()
        self.check(f"the navigation link to {page or 'the overview'}")

    # --- the main area ----------------------------------------------------------------------

    def _each(self, selector: str, act: Callable[[Any], str | None]) -> None:
        """Act on every element matching ``selector`` in the main area, by position."""
        index = 0
        while index < self.page.locator(selector).count():
            element = self.page.locator(selector).nth(index)
            element.scroll_into_view_if_needed()
            what = act(element)
            if what:
                self.check(what)
            index += 1

    def toggles(self) -> None:
        def flip(toggle: Any) -> str:
            toggle.locator("label").first.click()
            return "a toggle"

        self._each(f"{MAIN} [data-testid='stToggle'], {MAIN} [data-testid='stCheckbox']", flip)

    def segmented(self) -> None:
        def pick(group: Any) -> str | None:
            buttons = group.locator("button")
            for index in range(buttons.count()):
                button = buttons.nth(index)
                if button.get_attribute("aria-checked") != "true" and (
                    button.get_attribute("aria-pressed") != "true"
                ):
                    button.click()
                    return f"segment {button.inner_text()!r}"
            return None

        self._each(f"{MAIN} [data-testid='stButtonGroup']", pick)

    def download(self, button: Any, what: str) -> None:
        """Click a download button and get its file."""
        button.wait_for(state="visible")
        button.scroll_into_view_if_needed()
        try:
            download = fetch(self.page, button, self.server.log)
        except AssertionError as error:
            raise AssertionError(f"{what} after {self.done[-3:]}: {error}") from error
        assert download.failure() is None, what
        assert download.suggested_filename, what
        self.downloads += 1

    def menus(self) -> None:
        """Every pop-over (chart image, table download): a choice, then one file."""
        turn = ["fr", "nl", "en"].index(self.lang)

        def use(menu: Any) -> str:
            menu.locator("button").first.click()
            body = self.page.locator(f"{POPOVER_BODY}:visible").last
            body.wait_for()
            sizes = body.locator("[data-testid='stRadio'] label")
            if sizes.count():
                sizes.nth(turn % sizes.count()).click()
                wait_ready(self.page)
                body = self.page.locator(f"{POPOVER_BODY}:visible").last
            codes = body.locator("code")
            if codes.count():  # « Share / Embed » (issue 14): the link and the iframe code
                link = codes.first.inner_text()
                assert "/embed?chart=" in link, link
                self.page.keyboard.press("Escape")
                return f"the share menu {menu.inner_text().strip()!r}"
            buttons = body.locator("[data-testid='stDownloadButton'] button:visible")
            buttons.first.wait_for(timeout=60_000)
            label = buttons.nth(turn % buttons.count()).inner_text()
            self.download(buttons.nth(turn % buttons.count()), f"menu file {label}")
            self.page.keyboard.press("Escape")
            return f"the download menu {menu.inner_text().strip()!r} ({label})"

        self._each(f"{MAIN} [data-testid='stPopover']", use)

    def expanders(self) -> None:
        def open_and_download(expander: Any) -> str:
            label = expander.locator("summary").first.inner_text()
            expander.locator("summary").first.click()
            if self.tr._("Show the data") in label:  # made when it opens: a rerun
                expander.locator("[data-testid='stDownloadButton']").first.wait_for()
            inside = expander.locator("[data-testid='stDownloadButton']")
            if inside.count():
                inside.first.locator("button").first.wait_for(state="visible")
            buttons = expander.locator("[data-testid='stDownloadButton'] button:visible")
            if buttons.count():
                turn = ["fr", "nl", "en"].index(self.lang)
                self.download(buttons.nth(turn % buttons.count()), "table file")
            return f"the expander {expander.locator('summary').first.inner_text()!r}"

        self._each(f"{MAIN} [data-testid='stExpander']", open_and_download)

    def downloads_in_page(self) -> None:
        """Download buttons standing alone in the page (the report's files)."""
        selector = (
            f"{MAIN} [data-testid='stDownloadButton']:not([data-testid='stPopover'] *)"
            ":not([data-testid='stExpander'] *)"
        )

        def get(button: Any) -> str:
            label = button.inner_text().strip()
            self.download(button.locator("button:visible").first, label)
            return f"the download {label!r}"

        self._each(selector, get)

    def searches(self) -> None:
        def search(box: Any) -> str:
            field = box.locator("input")
            field.fill("a")
            field.press("Enter")
            self.check("a search")
            field.fill("")
            field.press("Enter")
            return "clearing the search"

        self._each(f"{MAIN} [data-testid='stTextInput']", search)

    def tabs(self) -> None:
        def click(tab: Any) -> str:
            tab.click()
            return f"the tab {tab.inner_text()!r}"

        self._each(f"{MAIN} [role='tab']", click)

    def links(self) -> list[str]:
        """Every link to another page keeps the language and the filters; their addresses."""
        hrefs = []
        links = self.page.locator(f"{MAIN} [data-testid='stPageLink'] a")
        for index in range(links.count()):
            href = str(links.nth(index).get_attribute("href"))
            query = parse_qs(urlsplit(href).query)
            assert query.get("lang") == [self.lang], href
            assert url_filters(href) == self.filters, href
            hrefs.append(href)
        for button in self.page.locator(f"{MAIN} [data-testid='stLinkButton'] a").all():
            assert str(button.get_attribute("href")).startswith("http"), "a link button"
        return hrefs

    def follow_link(self, href: str) -> None:
        """Follow the first link of the page whose address holds ``href`` (« iso3= »).

        By address, not by place: every chart is followed by a link to the Method page.
        """
        links = self.page.locator(f"{MAIN} [data-testid='stPageLink'] a[href*='{href}']")
        link = links.first
        link.scroll_into_view_if_needed()
        label = link.inner_text()
        link.click()
        self.check(f"the link {label!r}")

    def choose(self, index: int = 0) -> None:
        """Pick an item in « Open a programme » (under a long list, « Order of the list » is
        a selector too)."""
        opens = self.tr._("Open a programme")
        box = self.page.locator(f"{MAIN} [data-testid='stSelectbox']").filter(has_text=opens)
        box.scroll_into_view_if_needed()
        box.click()
        self.page.locator("[role='option']").nth(index).click()
        self.check("choosing in the page's selector")

    def back(self) -> None:
        """The « All … » button of a detail view."""
        self.page.locator(f"{MAIN} [data-testid='stButton'] button").first.click()
        self.check("the back button")

    def main_controls(self) -> list[str]:
        self.toggles()
        self.segmented()
        self.downloads_in_page()
        self.menus()
        self.expanders()
        self.searches()
        self.tabs()
        return self.links()

    # --- the report's scope -----------------------------------------------------------------

    def report_scope(self) -> None:
        """The report page's own widgets: years, organisations, countries, language."""
        slider = self.page.locator(f"{MAIN} [data-testid='stSlider'] input[type='range']").first
        slider.focus()
        self.page.keyboard.press("ArrowRight")
        self.check("the report's years")
        for index in range(self.page.locator(f"{MAIN} [data-testid='stMultiSelect']").count()):
            self._pick(self.page.locator(f"{MAIN} [data-testid='stMultiSelect']").nth(index))
            self.check(f"the report's scope list {index + 1}")
        radio = self.page.locator(f"{MAIN} [data-testid='stRadio']").first
        others = radio.locator("label:not(:has(input:checked))")
        others.first.click()
        self.check("the report's language")

    # --- the sidebar ------------------------------------------------------------------------

    def sidebar(self, adding: bool) -> None:
        """Years, each filter (a value added, or the last one removed), the language, reset."""
        thumb = self.page.locator(f"{SIDEBAR} [data-testid='stSlider'] input[type='range']").first
        thumb.focus()
        self.page.keyboard.press("ArrowRight" if adding else "ArrowLeft")
        low, high = self.filters["years"].split("-")
        self.filters["years"] = f"{int(low) + (1 if adding else -1)}-{high}"
        self.check("the years slider")
        for attr, key in [
            ("orgs", "org"),
            ("themes", "theme"),
            ("countries", "country"),
            ("groups", "group"),
        ]:
            self._filter(attr, key, adding)
        self._language()
        self.page.locator(f"{SIDEBAR} [data-testid='stButton'] button").click()
        self.filters = {}
        self.check("reset filters")
        assert not self.page.locator(f"{SIDEBAR} .react-aria-ComboBox [data-tag]").count()

    def _pick(self, box: Any) -> None:
        """Open a multiselect and pick its first option not chosen yet.

        A list that closes or is redrawn under the pointer (what the English run hit on
        « Beneficiary group » until the sidebar stopped scrolling by itself, see
        ``test_a_filter_list_opened_right_after_a_pick_above_stays_open``): close it, wait
        until the app is calm and do it again, as a reader would, at most three times, with
        a warning in the report that names the box. A pick that took effect (one more chip
        in the box) is never done twice.
        """
        options = self.page.locator("[role='listbox']:visible [role='option']")
        fresh = options.and_(self.page.locator(":not([aria-selected='true'])")).first
        chips = box.locator(".react-aria-ComboBox [data-tag]")
        before = chips.count()
        for attempt in range(3):
            wait_ready(self.page)
            box.scroll_into_view_if_needed()
            box.locator("input").click()
            try:
                options.first.wait_for(timeout=15_000)
                fresh.click(timeout=15_000)
                break
            except PlaywrightTimeout:
                self.page.keyboard.press("Escape")
                wait_ready(self.page)
                if chips.count() > before:
                    return  # the option was picked as the click timed out
                if attempt == 2:
                    raise
                # what the box is and whether the app was running (no wait: none may be found)
                label = " ".join(box.locator("[data-testid='stWidgetLabel']").all_inner_texts())
                state = self.page.evaluate(
                    "() => document.querySelector(\"[data-testid='stApp']\")"
                    ".getAttribute('data-test-script-state')"
                )
                warnings.warn(
                    f"{self.lang}, {self.page.url}: an option of « {label} » could not be "
                    f"clicked (attempt {attempt + 1}, script {state}): opened again",
                    stacklevel=2,
                )
        self.page.keyboard.press("Escape")

    def _url_value(self, key: str) -> str:
        wait_ready(self.page)
        return url_filters(self.page.url).get(key, "")

    def _filter(self, attr: str, key: str, adding: bool) -> None:
        index = ["orgs", "themes", "countries", "groups"].index(attr)
        box = self.page.locator(f"{SIDEBAR} [data-testid='stMultiSelect']").nth(index)
        chips = box.locator(".react-aria-ComboBox [data-tag]")
        if adding or not chips.count():
            self._pick(box)
            before = len([v for v in self.filters.get(key, "").split(",") if v])
            value = self._url_value(key)
            assert len(value.split(",")) == before + 1, (key, value)
        else:
            chips.last.locator("button").click()
            value = self._url_value(key)
        if value:
            self.filters[key] = value
        else:
            self.filters.pop(key, None)
        self.check(f"the {key} filter")

    def _language(self) -> None:
        """Switch to another language and back: the filters and the page stay."""
        other = next(code for code in ("fr", "nl", "en") if code != self.lang)
        here = self.lang
        for code in (other, here):
            name = LANGUAGE_NAMES[code]
            self.page.locator(f"{SIDEBAR} label:has-text('{name}')").click()
            self.lang = code
            self.page.wait_for_function(
                "name => Array.from(document.querySelectorAll(\"[data-testid='stSidebar'] label\"))"
                ".some(l => l.querySelector('input:checked') && l.innerText.includes(name))",
                arg=name,
            )
            self.check(f"the language {name}")


@pytest.mark.browser
@pytest.mark.timeout(2400)
@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_every_control_on_every_page(
    bundled_server: Server, offline_page: OfflinePage, lang: str
) -> None:
    reader = Reader(bundled_server, offline_page, lang)
    adding = True

    def finish(path: str, **detail: str) -> None:
        """The sidebar, then back to this page with the starting filters."""
        nonlocal adding
        reader.sidebar(adding)
        adding = not adding
        reader.filters = dict(START)
        reader.open(path, **detail)

    reader.open("")  # the overview
    reader.main_controls()
    finish("")

    reader.go("map")
    assert len(reader.main_controls()) >= 3  # every country links to its profile
    finish("map")
    reader.follow_link("iso3=")  # a country's profile, from the map
    assert "iso3=" in reader.page.url
    reader.main_controls()
    reader.back()
    assert "iso3=" not in reader.page.url
    reader.main_controls()  # the list of countries
    finish("countries")

    reader.go("programmes")
    reader.main_controls()
    reader.choose()  # a programme
    programme = parse_qs(urlsplit(reader.page.url).query)["programme_id"][0]
    reader.main_controls()
    finish("programmes", programme_id=programme)
    reader.back()

    reader.go("organisations")
    reader.main_controls()
    reader.follow_link("org_id=")  # « Open » an organisation
    assert "org_id=" in reader.page.url
    reader.main_controls()
    reader.back()
    finish("organisations")

    reader.go("reports")
    reader.main_controls()
    reader.report_scope()
    finish("reports")

    reader.go("data")
    reader.main_controls()
    finish("data")

    assert reader.downloads >= 15, reader.done
    assert len(reader.done) > 80, reader.done


@pytest.mark.browser
@pytest.mark.timeout(900)
@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_show_more_on_long_lists_keeps_the_filters(
    tmp_path: Path, offline_page: OfflinePage, lang: str
) -> None:
    """« Show more » under the organisations and the programmes of a large federation."""
    server = Server(
        many_organisations(tmp_path / "data", each=5)
    )  # 45 organisations, 225 programmes
    try:
        reader = Reader(server, offline_page, lang)
        reader.filters = {
            "country": "MAR",
            "theme": "education",
        }  # 22 organisations, 110 programmes
        more = reader.tr.ngettext("Show {n} more", "Show {n} more", 2)
        button = f"{MAIN} [class*='_more'] [data-testid='stButton'] button"
        opens = f"{MAIN} [data-testid='stPageLink'] a[href*='org_id=']"

        reader.open("organisations")
        assert reader.page.locator(opens).count() == 20
        assert more in reader.page.locator(button).inner_text()  # 22 - 20
        reader.page.locator(button).click()
        reader.check("« show more » organisations")
        assert reader.page.locator(opens).count() == 22
        assert not reader.page.locator(button).count()
        reader.links()  # every « Open » keeps the language and the filters
        reader.follow_link("org_id=org43")  # the last organisation, on the second page, opens
        assert "org_id=org43" in reader.page.url

        reader.go("programmes")
        rows = reader.tr._("{shown} of {total} shown", shown="100", total="110")
        assert reader.page.get_by_text(rows).count() == 1
        # the whole list in another order (issue 15): it starts again at its first page
        selectors = f"{MAIN} [data-testid='stSelectbox']"
        order = reader.page.locator(selectors).filter(has_text=reader.tr._("Order of the list"))
        order.click()
        reader.page.locator("[role='option']").filter(
            has_text=reader.tr._("Programme, A to Z")
        ).first.click()
        reader.check("the order of the list")
        assert reader.page.get_by_text(rows).count() == 1
        reader.page.locator(button).click()
        reader.check("« show more » programmes")
        assert not reader.page.locator(button).count()
        # the smallest programme, typed into the selector (« Open a programme »)
        box = reader.page.locator(selectors).filter(has_text=reader.tr._("Open a programme"))
        box.scroll_into_view_if_needed()
        box.click()
        name = "Programma 01-0" if lang == "nl" else "Programme 01-0"  # names in the language
        reader.page.keyboard.type(name)
        reader.page.locator("[role='option']").filter(has_text=name).first.click()
        reader.check("choosing a programme of the second page")
        assert "programme_id=p010" in reader.page.url
    finally:
        server.stop()


def test_url_filters_reads_only_filters() -> None:
    url = "http://x/map?lang=nl&country=BEL,MAR&years=2014-2024&iso3=BEL&theme=education"
    assert url_filters(url) == {"country": "BEL,MAR", "years": "2014-2024", "theme": "education"}
