"""What people wait for: every page and detail view drawn in headless Chromium.

Called by ``scripts/benchmark.py --browse`` (or alone: ``python scripts/bench_browser.py
--data FOLDER``). For one data folder, against a real ``streamlit run app.py``:

- **switch** (warm server, warm browser): from another page, the reader clicks the
  page in the sidebar (a detail view: the link or the selector that opens it on its
  list page) until the page is drawn — its title, the app's script no longer
  running, nothing greyed, every Plotly chart mounted with its outlines, and the
  page's own content (the map's shapes, the overview's bars, the list's rows). The
  first switch to a page is dropped (its queries are not cached yet: that cost is
  the filter change's); median of the next ones.
- **filter change**: on the drawn page, the start of the sidebar's years slider moved
  by one year, until the page is drawn again; median of a few moves, each to a selection
  no view has shown before (its queries run uncached: what a reader waits for after
  choosing years). Each view first moves the end of the slider back by a few years
  (not timed) so that its selections are its own: the Overview and the Map share queries,
  and the Map's first change would otherwise find the Overview's results cached.
  **filter back**: the same moves undone, to selections just shown (cached).
- **link**: the server is restarted on its built cache and the page's shared link
  (``/organisations?lang=nl``…) is the first request, in a fresh browser profile,
  until drawn.
- **floor** of the stack, in the same run: a bare Streamlit app (no import of ours)
  with an empty page, a page with one Plotly chart — the Map page's world map
  of this data, the largest chart we draw —, a page with one table — the Programmes
  page's first 100 rows, styled and selectable as ours — and a page of cards — the
  Organisations directory's first twenty, their texts, links and buttons —, switched to
  the same way, and each opened by its link as the first request after a restart, in a
  fresh profile.

Ours ÷ floor is each view's median switch (and its link) over the floor with a chart
for pages that draw charts, over the empty floor for the others (``benchmark.py`` adds,
for views without charts, the switch over the floor nearest their content: the table's
for views with tables, the cards' for views listing links to other views, an empty page
under a sidebar like ours for the others).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# the start and end of the sidebar's years slider
YEAR_THUMBS = "[data-testid='stSidebar'] [data-testid='stSlider'] input[type='range']"
sys.path.insert(0, str(ROOT))

from impact.browser import (  # noqa: E402
    CHROMIUM_ARGS,
    chromium_path,
    free_port,
    server_log,
    start_streamlit,
    stop_streamlit,
    wait_health,
)

TIMEOUT_MS = int(os.environ.get("BENCH_TIMEOUT_MS", "600000"))

# The page is done: its title, nothing running, nothing stale, every chart drawn (a map with
# its outlines) and the page's own content present. ``want`` = {title?, content?, url?}.
DRAWN = """want => {
    const h1 = document.querySelector("[data-testid='stMainBlockContainer'] h1");
    if (!h1) return false;
    if (want.title && h1.innerText.trim() !== want.title) return false;
    if (want.not_title && h1.innerText.trim() === want.not_title) return false;
    if (want.url && !location.search.includes(want.url)) return false;
    if (want.not_url && location.search.includes(want.not_url)) return false;
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute('data-test-script-state') === 'running') return false;
    if (document.querySelectorAll("[data-stale='true'], [data-testid='stSkeleton']").length)
        return false;
    const charts = document.querySelectorAll("[data-testid='stPlotlyChart']").length;
    const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
    const maps = Array.from(document.querySelectorAll('.js-plotly-plot .geo'));
    if (!(plots.length === charts && plots.every(p => p.querySelector('.main-svg'))
          && maps.every(g => g.querySelector('.choroplethlayer path')))) return false;
    return !want.content || document.querySelector(want.content) !== null;
}"""

# The page's own content, by view: what a reader came for.
CONTENT = {
    "overview": ".js-plotly-plot .barlayer path",
    "map": ".js-plotly-plot .geo .choroplethlayer path",
    "programmes": "[data-testid='stDataFrame'] canvas, [data-testid='stDataFrame'] table",
    "programme": "[data-testid='stMetricValue']",
    "countries": "[data-testid='stDataFrame'] canvas, [data-testid='stDataFrame'] table",
    "country": "[data-testid='stMetricValue']",
    "organisations": "[data-testid='stMainBlockContainer'] [data-testid='stPageLink'] a",
    "organisation": "[data-testid='stMetricValue']",
    "reports": "[data-testid='stMainBlockContainer'] [data-testid='stMarkdown'] p",
    "data": "[data-testid='stMainBlockContainer'] [data-testid='stExpander']",
}
PAGES = ["overview", "map", "programmes", "countries", "organisations", "reports", "data"]
# The page each view is on, and the list page a detail view is opened from.
DETAILS = {"programme": "programmes", "country": "countries", "organisation": "organisations"}
PATHS = {page: ("" if page == "overview" else page) for page in PAGES}
DETAIL_KEYS = {"programme": "programme_id", "country": "iso3", "organisation": "org_id"}


def peak_mb(pid: int) -> float:
    """A live process's peak resident memory (Linux's VmHWM), in MB; 0 when unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


# --- Samples and the floor's chart ------------------------------------------------------


def samples(folder: Path, lang: str) -> dict[str, Any]:
    """The detail views to open (the most frequent programme, country, organisation: the
    worst case) with the titles they show, and the Map page's world map as JSON."""
    os.environ["IMPACT_DATA_DIR"] = str(folder)
    os.environ.pop("IMPACT_SOURCE", None)
    from impact import cache, charts, explore, maps
    from impact.charts import ChartText
    from impact.filters import Filters
    from impact.i18n import Translator
    from impact.queries import localize

    tr = Translator(lang)
    database = cache.open_folder(folder)
    con = database.con

    def top(sql: str, *values: Any) -> Any:
        row = con.execute(sql, list(values)).fetchone()
        return row[0] if row else None

    programme = top("SELECT programme_id FROM facts GROUP BY 1 ORDER BY count(*) DESC, 1")
    iso3 = top("SELECT country_iso3 FROM facts GROUP BY 1 ORDER BY count(*) DESC, 1")
    org = top("SELECT org_id FROM facts GROUP BY 1 ORDER BY count(*) DESC, 1")
    names = {
        # the title the view shows: the programme's name in the reader's language
        "programme": localize(database.query("programme_info", {"programme_id": programme}), lang)[
            "name"
        ].iloc[0],
        "country": dict(
            zip(
                ("fr", "nl", "en"),
                con.execute(
                    "SELECT name_fr, name_nl, name_en FROM countries WHERE iso3 = ?", [iso3]
                ).fetchone()
                or (),
                strict=False,
            )
        ).get(lang),
        "organisation": top("SELECT name FROM organisations WHERE org_id = ?", org),
        "organisation_acronym": top("SELECT acronym FROM organisations WHERE org_id = ?", org),
    }
    params = {**Filters().params(), "unit": "persons", "measure": "reached"}
    persons = tr._("Persons reached")
    countries = explore.country_map_frame(tr, database.query("reach_by_country", params), persons)
    figures = database.query("place_figures", Filters().params())
    places = explore.place_map_frame(tr, database.query("map_places", params), figures)
    fig = maps.reach_map(
        countries,
        places,
        tr,
        ChartText(persons, charts.hover_safe("")),
        persons,
        world=True,
        hovers=explore.place_hovers(tr, figures, persons),
    )
    # the Programmes page's first page of rows, as its table shows them: the floor's table
    listed = database.query("programmes_list", params).head(explore.PROGRAMMES_PAGE)
    table = explore.programmes_table(tr, listed)
    # the directory's first page of cards, their texts as it writes them: the floor's cards
    organisations = database.query("organisations_list", params).head(explore.ORGANISATIONS_PAGE)
    cards = [
        [explore.organisation_card(tr, row), row.website if isinstance(row.website, str) else ""]
        for row in organisations.itertuples(index=False)
    ]
    options = database.query("filter_options")
    filters = {kind: int((options["kind"] == kind).sum()) for kind in FILTER_KINDS}
    database.close()
    return {
        "filters": filters,
        "ids": {"programme": programme, "country": iso3, "organisation": org},
        "names": names,
        "figure": fig.to_json(),
        "table": {
            "frame": table.to_json(orient="split", index=False),
            "numbers": list(explore.reach_number_columns(tr)),
        },
        "cards": cards,
    }


FLOOR_APP = '''"""The floor of the stack: Streamlit and Plotly with nothing of ours."""
import io
import json
import pandas as pd
import plotly.io as pio
import streamlit as st

st.set_page_config(page_title="Floor", layout="wide")


@st.cache_resource
def figure_json():
    with open("figure.json", encoding="utf-8") as handle:
        return handle.read()


def empty():
    st.title("Empty")
    st.markdown("A page with a title and a line of text.")


def chart():
    st.title("Chart")
    fig = pio.from_json(figure_json())
    st.plotly_chart(fig, width="stretch", config={"topojsonURL": "/app/static/topojson/"})


@st.cache_resource
def table_data():
    with open("table.json", encoding="utf-8") as handle:
        return json.load(handle)


def table():
    """The Programmes page's table as Streamlit draws it: styled numbers, a row to pick."""
    st.title("Table")
    data = table_data()
    frame = pd.read_json(io.StringIO(data["frame"]), orient="split")
    styled = frame.style.format(dict.fromkeys(data["numbers"], "{:,.0f}"), na_rep="–")
    st.dataframe(styled, hide_index=True, width="stretch", on_select="rerun",
                 selection_mode="single-row", placeholder="–", key="table")


@st.cache_resource
def card_texts():
    with open("cards.json", encoding="utf-8") as handle:
        return json.load(handle)


def cards():
    """The directory's cards as Streamlit draws them: a bordered box with one text, a
    link to a page and a website button each, in two columns."""
    st.title("Cards")
    columns = st.columns(2)
    for index, (text, website) in enumerate(card_texts()):
        with columns[index % 2].container(border=True):
            st.markdown(text)
            with st.container(horizontal=True, horizontal_alignment="distribute",
                              vertical_alignment="center"):
                st.page_link(EMPTY, label="Open", icon=":material/arrow_forward:",
                             query_params={"card": str(index)})
                if website.startswith(("https://", "http://")):
                    st.link_button("Website", website, icon=":material/open_in_new:")


@st.cache_resource
def filter_sizes():
    with open("filters.json", encoding="utf-8") as handle:
        return json.load(handle)


def sidebar():
    """The kinds of widgets our sidebar draws on every page, with the data's option counts."""
    sizes = filter_sizes()
    st.sidebar.radio("Language", ["Français", "Nederlands", "English"], key="lang")
    st.sidebar.header("Filters")
    last = 2000 + max(1, sizes["years"] - 1)
    st.sidebar.slider("Years", 2000, last, (2000, last), key="years")
    for kind in ("orgs", "themes", "countries", "groups"):
        options = [f"{kind} {i}" for i in range(sizes[kind])]
        st.sidebar.multiselect(kind, options, key=kind, placeholder="All", select_all=False)
    st.sidebar.button("Reset filters", width="stretch")


def filters_a():
    st.title("Filters A")
    st.markdown("A page with a title and a line of text.")


def filters_b():
    st.title("Filters B")
    st.markdown("A page with a title and a line of text.")


EMPTY = st.Page(empty, title="Empty", default=True)
page = st.navigation([EMPTY,
                      st.Page(chart, title="Chart", url_path="chart"),
                      st.Page(table, title="Table", url_path="table"),
                      st.Page(cards, title="Cards", url_path="cards"),
                      st.Page(filters_a, title="Filters A", url_path="filters-a"),
                      st.Page(filters_b, title="Filters B", url_path="filters-b")])
if page.url_path.startswith("filters"):
    sidebar()  # drawn before the page, as ours (dashboard.py): kept from page to page
page.run()
'''
# the sidebar's filters (impact.ui.sidebar), counted in the data for the floor's sidebar
FILTER_KINDS = ("orgs", "themes", "countries", "groups", "years")


# --- The browser -------------------------------------------------------------------------


class Browser:
    """One Chromium; ``tab()`` a fresh profile (no cache, as a person opening a link)."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._manager = sync_playwright()
        self.playwright = self._manager.__enter__()
        self.browser = self.playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )

    def tab(self) -> Any:
        context = self.browser.new_context(viewport={"width": 1400, "height": 1000})
        return context.new_page()

    def close(self) -> None:
        self.browser.close()
        self._manager.__exit__(None, None, None)


def drawn(tab: Any, **want: Any) -> None:
    tab.wait_for_function(DRAWN, arg=want, polling="raf", timeout=TIMEOUT_MS)


def timed(action: Any, tab: Any, **want: Any) -> float:
    started = time.perf_counter()
    action()
    drawn(tab, **want)
    return time.perf_counter() - started


def floor(
    switches: int,
    figure: str,
    filters: dict[str, int],
    table: dict[str, Any],
    cards: list[list[str]],
) -> dict[str, float | None]:
    """The bare stack: switching to an empty page, to a page with one chart, to a page
    with one table (the Programmes page's, its rows and formats) and to a page of cards
    (the Organisations directory's first page, its texts), and each opened by its link as
    the first request after a restart (``empty_link``, ``chart_link``, ``table_link``,
    ``cards_link``); and switching between two empty pages under a sidebar of the same
    widgets as ours (``sidebar``: what a page of ours costs before its own content)."""
    with tempfile.TemporaryDirectory() as workdir:
        folder = Path(workdir)
        (folder / "floor.py").write_text(FLOOR_APP, encoding="utf-8")
        (folder / "figure.json").write_text(figure, encoding="utf-8")
        (folder / "filters.json").write_text(json.dumps(filters), encoding="utf-8")
        (folder / "table.json").write_text(json.dumps(table), encoding="utf-8")
        (folder / "cards.json").write_text(json.dumps(cards), encoding="utf-8")
        (folder / "static").symlink_to(ROOT / "static")
        # the same runner settings as ours (no forced collection after each run): a floor
        # slowed by what we turned off would flatter the ratios
        (folder / ".streamlit").mkdir()
        (folder / ".streamlit" / "config.toml").write_text(
            "[runner]\npostScriptGC = false\n", encoding="utf-8"
        )
        browser = Browser()
        links: dict[str, float | None] = {}
        try:
            for page, title, content in (
                ("", "Empty", None),
                ("chart", "Chart", ".geo .choroplethlayer path"),
                ("table", "Table", CONTENT["programmes"]),
                ("cards", "Cards", CONTENT["organisations"]),
            ):
                port = free_port()
                with server_log(f"bench-floor-{port}.log") as log:
                    process = start_streamlit("floor.py", port, log, folder)
                    try:
                        wait_health(port)
                        fresh = browser.tab()
                        address = f"http://127.0.0.1:{port}/{page}"
                        links[f"{page or 'empty'}_link"] = timed(
                            lambda tab=fresh, url=address: tab.goto(url),
                            fresh,
                            title=title,
                            content=content,
                        )
                        fresh.context.close()
                    finally:
                        stop_streamlit(process)
        except BaseException:
            browser.close()
            raise
        port = free_port()
        log = server_log(f"bench-floor-{port}.log")
        process = start_streamlit("floor.py", port, log, folder)
        try:
            wait_health(port)
            tab = browser.tab()
            tab.goto(f"http://127.0.0.1:{port}/")
            drawn(tab, title="Empty")
            times: dict[str, list[float]] = {"empty": [], "chart": [], "table": [], "cards": []}
            for _ in range(switches + 1):
                for page, title, content in (
                    ("chart", "Chart", ".geo .choroplethlayer path"),
                    ("empty", "Empty", None),
                    ("table", "Table", CONTENT["programmes"]),
                    ("empty", "Empty", None),
                    ("cards", "Cards", CONTENT["organisations"]),
                    ("empty", "Empty", None),
                ):
                    link = tab.locator(f"[data-testid='stSidebarNav'] a[href$='/{page}']")
                    if page == "empty":
                        link = tab.locator("[data-testid='stSidebarNav'] a").first
                    times[page].append(timed(link.click, tab, title=title, content=content))
                    time.sleep(0.3)
            times["sidebar"] = []
            for _ in range(switches + 1):
                for page, title in (("filters-b", "Filters B"), ("filters-a", "Filters A")):
                    link = tab.locator(f"[data-testid='stSidebarNav'] a[href$='/{page}']")
                    took = timed(link.first.click, tab, title=title)
                    if page == "filters-a":
                        times["sidebar"].append(took)
                    time.sleep(0.3)
        finally:
            browser.close()
            stop_streamlit(process)
            log.close()
    return {**{page: _median(values[1:]) for page, values in times.items()}, **links}


class App:
    """Our app on one data folder, driven in Chromium as a reader drives it."""

    def __init__(self, folder: Path, lang: str, sample: dict[str, Any]) -> None:
        from impact.i18n import Translator

        self.folder = folder
        self.lang = lang
        self.tr = Translator(lang)
        self.sample = sample
        self.port = free_port()
        self.process: Any = None
        self.log: Any = None
        self.peak_mb = 0.0  # the server's peak resident memory, over every start
        self.titles = {
            "overview": self.tr._("Overview"),
            "map": self.tr._("Map"),
            "programmes": self.tr._("Programmes"),
            "countries": self.tr._("Countries"),
            "organisations": self.tr._("Organisations"),
            "reports": self.tr._("Reports & exports"),
            "data": self.tr._("Data"),
        }

    def title(self, view: str) -> str:
        if view in self.titles:
            return self.titles[view]
        name = str(self.sample["names"][view])
        acronym = self.sample["names"].get("organisation_acronym")
        if view == "organisation" and isinstance(acronym, str) and acronym and acronym != name:
            name += f" ({acronym})"
        return name

    def url(self, view: str) -> str:
        page = DETAILS.get(view, view)
        query = f"lang={self.lang}"
        if view in DETAILS:
            query += f"&{DETAIL_KEYS[view]}={self.sample['ids'][view]}"
        return f"http://127.0.0.1:{self.port}/{PATHS[page]}?{query}"

    def start(self) -> None:
        self.log = server_log(f"bench-browse-{self.port}.log", "ab")
        env = {"IMPACT_DATA_DIR": str(self.folder)}
        self.process = start_streamlit("app.py", self.port, self.log, ROOT, env)
        if wait_health(self.port, timeout=300) is None:
            raise RuntimeError("the app did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.peak_mb = max(self.peak_mb, peak_mb(self.process.pid))
            stop_streamlit(self.process)
            self.log.close()
            self.process = None

    def want(self, view: str) -> dict[str, Any]:
        return {"title": self.title(view), "content": CONTENT[view]}

    def open_detail(self, tab: Any, view: str) -> Any:
        """The reader's way to a detail view from its list page (drawn): the action to time."""
        name = str(self.sample["names"][view])
        ident = str(self.sample["ids"][view])
        main = "[data-testid='stMainBlockContainer']"
        if view == "organisation":
            box = tab.locator(f"{main} [data-testid='stTextInput'] input").first
            box.fill(name)
            box.press("Enter")
            drawn(tab, url="", content=f"{main} a[href*='org_id={ident}']")
            link = tab.locator(f"{main} a[href*='org_id={ident}']").first
            return link.click
        # a programme, a country: typed into the list's « Open … » selector, then chosen
        box = tab.locator(f"{main} [data-testid='stSelectbox']").last
        box.scroll_into_view_if_needed()
        box.click()
        tab.keyboard.type(name)
        option = tab.locator("[role='option']").filter(has_text=name).first
        option.wait_for(timeout=TIMEOUT_MS)
        return option.click

    def switch(self, tab: Any, view: str) -> float:
        """From another page (a detail: from its list page), to ``view`` drawn."""
        if view in DETAILS:
            page = DETAILS[view]
            self.go(tab, "overview")  # the sidebar keeps an open detail on its own page
            self.go(tab, page)
            return timed(self.open_detail(tab, view), tab, **self.want(view))
        self.go(tab, "map" if view == "overview" else "overview")
        return timed(self.nav_click(tab, view), tab, **self.want(view))

    def nav_click(self, tab: Any, page: str) -> Any:
        nav = "[data-testid='stSidebarNav'] a"
        if page == "overview":
            return tab.locator(nav).first.click
        return tab.locator(f"{nav}[href$='/{page}']").first.click

    def go(self, tab: Any, page: str) -> None:
        self.nav_click(tab, page)()
        drawn(tab, **self.want(page))
        time.sleep(0.3)

    def filter_change(self, tab: Any, view: str, step: str, thumb: int = 0) -> float:
        """The sidebar's years slider moved by a year (``step``: an arrow key) at its start
        (``thumb`` 0) or its end (1)."""
        before = tab.evaluate("() => location.search")
        tab.locator(YEAR_THUMBS).nth(thumb).focus()

        def move() -> None:
            tab.keyboard.press(step)

        started = time.perf_counter()
        move()
        tab.wait_for_function(
            "before => location.search !== before", arg=before, timeout=TIMEOUT_MS
        )
        # a small data set may have no figure in the new years: the page says so instead
        want = self.want(view)
        alert = "[data-testid='stMainBlockContainer'] [data-testid='stAlert']"
        drawn(tab, **{**want, "content": f"{want['content']}, {alert}"})
        return time.perf_counter() - started

    def new_selections(
        self, tab: Any, view: str, index: int, moves: int
    ) -> tuple[list[float], list[float]]:
        """``moves`` filter changes to years no view has shown (cold), then back (cached).

        The ``index``-th view first moves the slider's end back ``index`` years (modulo
        what the years allow; not timed), so that the starts it then moves to make
        selections of its own.
        """
        low = tab.locator(YEAR_THUMBS).first
        span = int(low.get_attribute("max") or 0) - int(low.get_attribute("min") or 0)
        offset = index % max(1, span - moves)
        for _ in range(offset):
            self.filter_change(tab, view, "ArrowLeft", thumb=1)
        cold = [self.filter_change(tab, view, "ArrowRight") for _ in range(moves)]
        warm = [self.filter_change(tab, view, "ArrowLeft") for _ in range(moves)]
        for _ in range(offset):
            self.filter_change(tab, view, "ArrowRight", thumb=1)
        return cold, warm


def browse(
    folder: Path, lang: str = "fr", switches: int = 3, views: list[str] | None = None
) -> dict[str, Any]:
    """Every view: switch (warm), filter change, link after a restart; and the floor."""
    sample = samples(folder, lang)
    views = views or [*PAGES, *DETAILS]
    result: dict[str, Any] = {"views": {}, "lang": lang, "load": os.getloadavg()}
    result["floor"] = floor(
        switches, sample["figure"], sample["filters"], sample["table"], sample["cards"]
    )
    app = App(folder, lang, sample)
    browser = Browser()
    try:
        # the shared link, first request after a restart (fresh server, fresh browser profile)
        for view in views:
            app.start()
            fresh = browser.tab()
            address = app.url(view)
            result["views"].setdefault(view, {})["link"] = timed(
                lambda page=fresh, url=address: page.goto(url), fresh, **app.want(view)
            )
            fresh.context.close()
            app.stop()
        # warm: every view visited once, then switched to ``switches`` times
        app.start()
        tab = browser.tab()
        tab.goto(app.url("overview"))
        drawn(tab, **app.want("overview"))
        for index, view in enumerate(views):
            times = [app.switch(tab, view) for _ in range(switches + 1)]
            changes, back = app.new_selections(tab, view, index, max(2, switches))
            result["views"][view].update(
                {
                    "switch_first": times[0],
                    "switch": _median(times[1:]),
                    "switch_max": max(times[1:]),
                    "filter": _median(changes),
                    "filter_back": _median(back),
                    "charts": tab.locator("[data-testid='stPlotlyChart']").count(),
                    "tables": tab.locator("[data-testid='stDataFrame']").count(),
                    # links to other views in the page's content (the directory's cards)
                    "links": tab.locator(
                        "[data-testid='stMainBlockContainer'] [data-testid='stPageLink']"
                    ).count(),
                    "elements": tab.locator(
                        "[data-testid='stMainBlockContainer'] [data-testid^='st']"
                    ).count(),
                }
            )
    finally:
        browser.close()
        app.stop()
    result["server_peak_mb"] = app.peak_mb
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--switches", type=int, default=3)
    parser.add_argument("--views", default="", help="comma-separated views (default: all)")
    args = parser.parse_args()
    views = [v for v in args.views.split(",") if v] or None
    print(json.dumps(browse(args.data.resolve(), args.lang, args.switches, views)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
