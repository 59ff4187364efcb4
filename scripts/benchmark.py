"""Benchmark: the dashboard's queries at federation scale, against the pandas way and the floor.

For each size it generates a synthetic data folder (``impact.synthetic``),
builds its columnar cache in a fresh process (timed), then:

- records, in a fresh process, the queries each view of the app really runs:
  every page (and its detail view: a programme, a country, an organisation;
  the Overview with its rows behind the totals opened) is run with Streamlit's
  AppTest on the data, with no filter and under each filter change (years, a
  country, an organisation, a theme, a group, combinations), and every call
  that reaches ``Database.query`` is kept with its parameters, and so is
  each batch a page starts side by side (``ui.prefetch``);
- replays them, in another fresh process (so peak memory is this size's
  alone), through ``Database.query`` on the read-only cache, uncached, batches
  on the app's ``QUERY_POOL`` as the pages start them: « view » = a view's
  full set of calls with no filter, « filter change » = its set under another
  selection;
- measures the peak resident memory of that process (before the pandas way);
- does the overview's four aggregates (total, by year, by theme, by country of
  persons reached) the pandas way (read the CSVs into DataFrames, join, group)
  and as one raw DuckDB aggregate each on the cache file (the floor); « ours »
  are the app's four queries as the overview starts them (side by side), and
  one after the other.

The app's cold start is a real ``streamlit run app.py`` on the data with
a warm cache: time until ``/_stcore/health`` answers, and (unless
``--no-browser``) until headless Chromium shows the overview's key figures.
Then (unless ``--no-browser``) the switch from the overview to the Map page,
clicked in Chromium's sidebar, until both maps are drawn (``page_switch``).
With ``--browse`` (or ``--browse-only``), what people wait for: every page and
detail view drawn in Chromium — page switch, filter change, shared link opened
first after a restart — beside the stack's floor (``scripts/bench_browser.py``).

    uv run python scripts/benchmark.py --sizes 10000,100000,1000000,10000000
    uv run python scripts/benchmark.py --sizes 2000 --no-browser --repeats 3
    uv run python scripts/benchmark.py --imports     # reading and checking big uploads
    uv run python scripts/benchmark.py --browse-only --bundled --sizes 1000000,10000000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
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
from impact.filters import Filters  # noqa: E402
from impact.i18n import LANGS, Translator  # noqa: E402

BUDGET = 20.0  # seconds of repeated runs per page and size (at least 3 runs, 4 filter changes)


# --- Which queries each view runs -------------------------------------------------------

APPTEST_TIMEOUT = 600  # seconds: a first run at 10 million rows reads a cold cache


def _views(samples: dict[str, Any]) -> dict[str, tuple[str, dict[str, str], str | None]]:
    """View name -> (page, URL parameters, toggle key switched on)."""
    from impact.ui import DETAIL_KEYS

    return {
        "overview": ("overview", {}, None),
        "overview, rows behind": ("overview", {}, "overview_rows"),
        "map": ("map", {}, None),
        "programmes": ("programmes", {}, None),
        "programme": ("programmes", {DETAIL_KEYS["programmes"]: samples["programme_id"]}, None),
        "countries": ("countries", {}, None),
        "country": ("countries", {DETAIL_KEYS["countries"]: samples["iso3"]}, None),
        "organisations": ("organisations", {}, None),
        "organisation": ("organisations", {DETAIL_KEYS["organisations"]: samples["org_id"]}, None),
        "reports": ("reports", {}, None),
        "data": ("data", {}, None),
    }


Call = tuple[str, dict[str, Any]]
# A recorded event: a call [name, params], or {"batch": [calls]} started side by side.
Event = Any


def _key(name: str, params: dict[str, Any]) -> str:
    """One call's identity, as the results cache sees it (same query, same parameters)."""
    return json.dumps([name, params], sort_keys=True)


def _calls(events: list[Event]) -> list[Call]:
    """The distinct calls of a view's events, in order."""
    seen: dict[str, Call] = {}
    for event in events:
        for name, params in event["batch"] if isinstance(event, dict) else [event]:
            seen.setdefault(_key(name, params), (name, params))
    return list(seen.values())


def record(folder: Path) -> dict[str, Any]:
    """Run every view with AppTest on ``folder``; the ``Database.query`` calls of each run.

    Returns ``{"samples": …, "views": {view: {"none": [events], "1": [events], …}}}``
    where "none" is the run with no filter and "1"… are the filter changes; an
    event is a call or a batch of calls a page prefetched.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from impact import cache, db, ui

    os.environ["IMPACT_DATA_DIR"] = str(folder)
    os.environ.pop("IMPACT_SOURCE", None)
    database = cache.open_folder(folder)
    samples = _samples(database.con)
    database.close()
    events: list[Event] = []
    original = db.Database.query
    original_prefetch = ui.prefetch

    def recording(self: Any, name: str, params: Any = None) -> Any:
        events.append((name, dict(params or {})))
        return original(self, name, params)

    def recording_prefetch(calls: Iterable[Call], source: tuple[str, str] | None = None) -> None:
        started = [(name, dict(params or {})) for name, params in calls]
        events.append({"batch": started})
        original_prefetch(started, source)

    db.Database.query = recording  # type: ignore[method-assign]
    # pages call ``ui.prefetch``; the ui layer's own modules (reports) ``ui.caching.prefetch``
    ui.prefetch = recording_prefetch
    ui.caching.prefetch = recording_prefetch
    views: dict[str, dict[str, list[Event]]] = {}
    selections = {
        "none": Filters(),
        **{str(i): f for i, f in enumerate(_filter_changes(samples), 1)},
    }
    for view, (page, url, toggle) in _views(samples).items():
        views[view] = {}
        for label, filters in selections.items():
            st.cache_data.clear()  # every query of the run reaches the database
            events.clear()
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=APPTEST_TIMEOUT)
            at.query_params.update({**filters.to_query(), **url})
            at.switch_page(f"pages/{page}.py")
            at.run()
            if toggle:
                events.clear()  # the view = what switching the toggle on runs, on top of the page
                st.cache_data.clear()
                at.toggle(key=toggle).set_value(True).run()
            if at.exception:
                raise RuntimeError(f"{view}: {[e.message for e in at.exception]}")
            views[view][label] = list(events)
    return {"samples": samples, "views": views}


# --- Measuring one size (runs in its own process) ----------------------------------------


def _samples(con: Any) -> dict[str, Any]:
    """Detail views and filters to try: the most frequent of each in the data (the worst case)."""

    def top(sql: str) -> Any:
        row = con.execute(sql).fetchone()
        return row[0] if row else None

    return {
        "programme_id": top("SELECT programme_id FROM facts GROUP BY 1 ORDER BY count(*) DESC"),
        "iso3": top("SELECT country_iso3 FROM facts GROUP BY 1 ORDER BY count(*) DESC"),
        "org_id": top("SELECT org_id FROM facts GROUP BY 1 ORDER BY count(*) DESC"),
        "place_id": top(
            "SELECT place_id FROM facts WHERE place_id IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*) DESC"
        ),
        "theme": top("SELECT theme FROM facts GROUP BY 1 ORDER BY count(*) DESC"),
        "year": top("SELECT max(year) FROM facts"),
    }


def _filter_changes(samples: dict[str, Any]) -> list[Filters]:
    year = int(samples["year"] or 2024)
    country = (samples["iso3"],)
    return [
        Filters(year_from=year - 2, year_to=year),
        Filters(countries=country),
        Filters(orgs=(samples["org_id"],)),
        Filters(themes=(samples["theme"],)),
        Filters(groups=("children",)),
        Filters(year_from=year - 4, year_to=year, countries=country, groups=("all", "children")),
        Filters(year_from=year, year_to=year),
        Filters(orgs=(samples["org_id"],), themes=(samples["theme"],)),
    ]


def _run_set(database: Any, events: list[Event]) -> float:
    """Wall time of a view's events: batches on the app's pool, calls in order, no cache.

    A call already started by a batch waits for it (as a page's ``ui.query``
    waits for its prefetched value); the set ends when every query is done.
    """
    from concurrent.futures import Future

    from impact.db import QUERY_POOL

    started = time.perf_counter()
    running: dict[str, Future[Any]] = {}
    for event in events:
        if isinstance(event, dict):
            for name, params in event["batch"]:
                key = _key(name, params)
                if key not in running:
                    running[key] = QUERY_POOL.submit(database.query, name, params)
            continue
        name, params = event
        key = _key(name, params)
        if key in running:
            running[key].result()
        else:
            done: Future[Any] = Future()
            done.set_result(database.query(name, params))
            running[key] = done
    for future in running.values():
        future.result()
    return time.perf_counter() - started


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


PANDAS_COLUMNS = ["fact_id", "programme_id", "country_iso3", "year", "unit", "measure"]


def pandas_way(folder: Path) -> float:
    """The overview's four aggregates of persons reached, read from CSV and grouped in pandas."""
    import pandas as pd

    started = time.perf_counter()
    facts = pd.read_csv(
        folder / "beneficiaries.csv",
        usecols=[*PANDAS_COLUMNS, "count", "part_of"],
        engine="pyarrow",
    )
    programmes = pd.read_csv(folder / "programmes.csv", usecols=["programme_id", "theme"])
    facts = facts.merge(programmes, on="programme_id", how="left")
    # No filter: a part is counted only when its whole is missing (never, here).
    counted = facts[
        (facts["unit"] == "persons") & (facts["measure"] == "reached") & facts["part_of"].isna()
    ]
    counted["count"].sum()
    counted.groupby("year")["count"].sum()
    counted.groupby("theme")["count"].sum()
    counted.groupby("country_iso3")["count"].sum()
    return time.perf_counter() - started


FLOOR_SQL = [
    "SELECT sum(count) FROM facts WHERE unit = 'persons' AND measure = 'reached' "
    "AND part_of IS NULL",
    "SELECT year, sum(count) FROM facts WHERE unit = 'persons' AND measure = 'reached' "
    "AND part_of IS NULL GROUP BY year",
    "SELECT theme, sum(count) FROM facts WHERE unit = 'persons' AND measure = 'reached' "
    "AND part_of IS NULL GROUP BY theme",
    "SELECT country_iso3, sum(count) FROM facts WHERE unit = 'persons' AND measure = 'reached' "
    "AND part_of IS NULL GROUP BY country_iso3",
]


def _on_rollup(sql: str) -> str:
    """The same floor aggregate on the model's pre-aggregated ``fact_rollup``."""
    return (
        sql.replace("sum(count)", "sum(total)")
        .replace("FROM facts", "FROM fact_rollup")
        .replace("part_of IS NULL", "NOT is_part")
    )


AGGREGATES = ["reach_total", "reach_by_year", "reach_by_theme", "reach_by_country"]


def measure(folder: Path, repeats: int, recorded: dict[str, Any]) -> dict[str, Any]:
    """Everything but the cache build and the cold start, for one data folder."""
    import duckdb

    from impact import cache

    started = time.perf_counter()
    database = cache.open_folder(folder)
    warm_open = time.perf_counter() - started
    views: dict[str, dict[str, list[Event]]] = recorded["views"]
    result: dict[str, Any] = {"warm_open": warm_open, "pages": {}}
    for view, runs_by_selection in views.items():
        plain = runs_by_selection["none"]
        changes = [calls for label, calls in runs_by_selection.items() if label != "none"]
        _run_set(database, plain)  # warm the buffer pool once
        runs = [_run_set(database, plain)]
        slow = runs[0] > BUDGET / 3  # a very slow view gets fewer runs
        budget = time.perf_counter() + BUDGET
        while len(runs) < repeats and (len(runs) < 3 - 2 * slow or time.perf_counter() < budget):
            runs.append(_run_set(database, plain))
        changed: list[float] = []
        budget = time.perf_counter() + BUDGET
        for calls in changes * max(1, repeats // len(changes)):
            if len(changed) >= 4 - 2 * slow and time.perf_counter() > budget:
                break
            changed.append(_run_set(database, calls))
        result["pages"][view] = {
            "queries": sorted({name for name, _ in _calls(plain)}),
            "calls": len(_calls(plain)),
            "runs": len(runs),
            "median": statistics.median(runs),
            "p95": _pct(runs, 0.95),
            "change_runs": len(changed),
            "change_median": statistics.median(changed),
            "change_p95": _pct(changed, 0.95),
        }
    per_query: dict[str, float] = {}
    first_call: dict[str, Call] = {}
    for runs_by_selection in views.values():
        for name, params in _calls(runs_by_selection["none"]):
            first_call.setdefault(name, (name, params))
    for name, call in sorted(first_call.items()):
        times = [_run_set(database, [call])]
        if times[0] < 2:  # slow queries are timed once
            times += [_run_set(database, [call]) for _ in range(2)]
        per_query[name] = statistics.median(times)
    result["queries"] = per_query
    aggregates = [
        (name, params) for name, params in _calls(views["overview"]["none"]) if name in AGGREGATES
    ]
    # as the overview runs them (started side by side), and one after the other
    ours = [_run_set(database, [{"batch": aggregates}]) for _ in range(repeats)]
    result["aggregates"] = statistics.median(ours)
    one_by_one = [_run_set(database, aggregates) for _ in range(repeats)]
    result["aggregates_one_by_one"] = statistics.median(one_by_one)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cache_file = cache.ensure(folder).path
    database.close()
    floor_con = duckdb.connect(str(cache_file), read_only=True)
    floor = []
    for _ in range(repeats):
        t = time.perf_counter()
        for sql in FLOOR_SQL:
            floor_con.execute(sql).fetchall()
        floor.append(time.perf_counter() - t)
    rollup = []
    for _ in range(repeats):
        t = time.perf_counter()
        for sql in FLOOR_SQL:
            floor_con.execute(_on_rollup(sql)).fetchall()
        rollup.append(time.perf_counter() - t)
    floor_con.close()
    result["floor"] = statistics.median(floor)
    result["floor_rollup"] = statistics.median(rollup)
    result["pandas"] = statistics.median([pandas_way(folder) for _ in range(min(repeats, 3))])
    return result


# --- Cold start of the real app -----------------------------------------------------------


def cold_start(folder: Path, browser: bool) -> dict[str, float | None]:
    """Seconds from ``streamlit run`` to health, to the first key figure sent, and drawn.

    « Sent »: the websocket frame carrying the overview's first key figure reaches
    Chromium; « drawn »: Chromium shows it (after loading Streamlit's and Plotly's scripts).

    Chromium is started before the server, so its own start is not counted. The
    server is then restarted on the same address and the same browser comes back
    (« cached »): its HTTP cache holds Streamlit's frontend, as a returning user's
    does, so the second start measures the app rather than a first visit.
    """
    if not browser:
        return _serve(folder, None, free_port())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = instance.new_context()
            port = free_port()
            first = _serve(folder, context.new_page(), port)
            again = _serve(folder, context.new_page(), port)
            return {
                **first,
                "cached_sent": again["first_sent"],
                "cached_page": again["first_page"],
            }
        finally:
            instance.close()


def _start_app(folder: Path, port: int, log: Any) -> subprocess.Popen[bytes]:
    """``streamlit run app.py`` on ``folder`` (the way a user starts it; no other source)."""
    env = {"IMPACT_DATA_DIR": str(folder), "IMPACT_SOURCE": ""}
    return start_streamlit("app.py", port, log, ROOT, env)


def _serve(folder: Path, page: Any, port: int) -> dict[str, float | None]:
    log = server_log(f"benchmark-streamlit-{port}.log")
    started = time.perf_counter()
    process = _start_app(folder, port, log)
    health: float | None = None
    first: float | None = None
    sent: dict[str, float] = {}
    if page is not None:
        # when the server has sent the first key figure: the websocket frame with its label
        labels = [Translator(lang)._("Persons reached").encode() for lang in LANGS]

        def frames(socket: Any) -> None:
            def received(payload: bytes | str) -> None:
                data = payload if isinstance(payload, bytes) else payload.encode()
                if "figure" not in sent and any(label in data for label in labels):
                    sent["figure"] = time.perf_counter() - started

            socket.on("framereceived", received)

        page.on("websocket", frames)
    try:
        waited = wait_health(port)
        health = None if waited is None else time.perf_counter() - started
        if page is not None and health is not None:
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector("[data-testid='stMetricValue']", timeout=300_000)
            first = time.perf_counter() - started
    finally:
        stop_streamlit(process)
        log.close()
    return {"health": health, "first_sent": sent.get("figure"), "first_page": first}


# --- Switching to the Map page in Chromium -----------------------------------------------

# The page is done: its title, every chart drawn (a map with its outlines), nothing running.
_SHOWN = """title => {
    const h1 = document.querySelector("[data-testid='stMainBlockContainer'] h1");
    if (!h1 || h1.innerText !== title) return false;
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute('data-test-script-state') === 'running') return false;
    if (document.querySelectorAll("[data-stale='true'], [data-testid='stSkeleton']").length)
        return false;
    const charts = document.querySelectorAll("[data-testid='stPlotlyChart']").length;
    const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
    const maps = Array.from(document.querySelectorAll('.js-plotly-plot .geo'));
    return plots.length === charts
        && plots.every(p => p.querySelector('.main-svg'))
        && maps.every(g => g.querySelector('.choroplethlayer path'));
}"""


def page_switch(folder: Path, page: str = "map", switches: int = 7) -> dict[str, float | None]:
    """Seconds from a click on a page in the sidebar to that page drawn, in Chromium.

    The app runs on ``folder``; the browser opens the overview, then goes to
    ``page`` and back ``switches`` times, clicking the sidebar's links as a
    reader does. « first » is the first switch (outlines fetched, queries not
    cached yet), median and p95 are the next ones (what a reader browsing sees).
    """
    from playwright.sync_api import sync_playwright

    tr = Translator("fr")
    titles = {"map": tr._("Map"), "overview": tr._("Overview")}
    port = free_port()
    log = server_log(f"benchmark-switch-{port}.log")
    process = _start_app(folder, port, log)
    try:
        if wait_health(port) is None:
            return {"first": None, "median": None, "p95": None}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS
            )
            try:
                tab = browser.new_page(viewport={"width": 1400, "height": 1000})
                tab.goto(f"http://127.0.0.1:{port}/?lang=fr")
                tab.wait_for_function(_SHOWN, arg=titles["overview"], timeout=600_000)
                times = []
                for _ in range(switches + 1):
                    started = time.perf_counter()
                    tab.locator(f"[data-testid='stSidebarNav'] a[href$='/{page}']").click()
                    tab.wait_for_function(_SHOWN, arg=titles[page], polling="raf", timeout=600_000)
                    times.append(time.perf_counter() - started)
                    tab.locator("[data-testid='stSidebarNav'] a").first.click()
                    tab.wait_for_function(_SHOWN, arg=titles["overview"], timeout=600_000)
                    time.sleep(0.5)
            finally:
                browser.close()
    finally:
        stop_streamlit(process)
        log.close()
    later = times[1:]
    return {"first": times[0], "median": statistics.median(later), "p95": _pct(later, 0.95)}


# --- Driver -------------------------------------------------------------------------------


def _subprocess_json(args: list[str]) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if output.returncode != 0:
        raise RuntimeError(output.stderr[-3000:])
    parsed: dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    return parsed


def run_size(
    rows: int | None, workdir: Path, repeats: int, browser: bool, browse: bool = False
) -> dict[str, Any]:
    """Generate (or reuse), build the cache cold, measure, start the app."""
    from impact import cache

    folder = _data_folder(rows, workdir)
    # Cold build: remove this folder's cache file, build it in a fresh process.
    (cache.cache_dir() / f"{cache.fingerprint(folder)}.duckdb").unlink(missing_ok=True)
    started = time.perf_counter()
    _build(folder)
    build = time.perf_counter() - started
    workdir.mkdir(parents=True, exist_ok=True)
    recorded = workdir / f"calls-{'bundled' if rows is None else rows}.json"
    recorded.write_text(json.dumps(_subprocess_json(["--record", str(folder)])), encoding="utf-8")
    result = _subprocess_json(
        ["--measure", str(folder), "--calls", str(recorded), "--repeats", str(repeats)]
    )
    result["build"] = build
    result["rows"] = rows
    result["load"] = os.getloadavg()[1]  # 5-minute load average: other work on the machine
    result["cold"] = cold_start(folder, browser)
    result["map_switch"] = page_switch(folder) if browser else None
    if browse:
        result["browse"] = run_browse(rows, workdir, switches=3, lang="fr")["browse"]
    return result


def run_switch(rows: int | None, workdir: Path) -> dict[str, Any]:
    """Only the Map page switch (``--switch-only``): the cache is built if it is not."""
    folder = _data_folder(rows, workdir)
    _build(folder)
    return {"rows": rows, "load": os.getloadavg()[1], "map_switch": page_switch(folder)}


def run_browse(rows: int | None, workdir: Path, switches: int, lang: str) -> dict[str, Any]:
    """What people wait for, in Chromium (``scripts/bench_browser.py``), in a fresh process."""
    folder = _data_folder(rows, workdir)
    _build(folder)
    load = os.getloadavg()
    script = str(ROOT / "scripts" / "bench_browser.py")
    args = ["--data", str(folder), "--switches", str(switches), "--lang", lang]
    output = subprocess.run(
        [sys.executable, script, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if output.returncode != 0:
        raise RuntimeError(output.stderr[-3000:])
    browsed: dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    return {"rows": rows, "load": load, "browse": browsed}


BROWSE_VIEWS = [
    "overview",
    "map",
    "programmes",
    "programme",
    "countries",
    "country",
    "organisations",
    "organisation",
    "reports",
    "data",
]


def browse_table(results: list[dict[str, Any]]) -> list[str]:
    """Pages × sizes: switch, filter change, shared link after a restart, ours ÷ floor."""
    measured = [r for r in results if r.get("browse")]
    if not measured:
        return []
    label = ["bundled" if r["rows"] is None else f"{r['rows']:,}" for r in measured]
    lines = [
        "What people wait for, in Chromium: page switch median (first) / filter change to a "
        "new selection, median (back to a selection just shown) / shared link opened first "
        "after a restart (s), and the switch / the link ÷ the "
        "stack's floor (a page with one chart of our map's size for pages with charts, an "
        "empty page otherwise; for those, in brackets, over the floor nearest their content: "
        "a page with one table like the Programmes page's for views with tables, a page of "
        "cards like the directory's for views listing links, an empty page under a sidebar "
        "of the same widgets as ours for the others):",
        "",
        "| view | " + " | ".join(label) + " |",
        "| --- |" + " --- |" * len(measured),
    ]
    floors = [r["browse"]["floor"] for r in measured]
    lines.append(
        "| floor: empty page / under our sidebar / one table / cards / one chart (switch; "
        "shared link) | "
        + " | ".join(
            f"{_s(f['empty'])} / {_s(f.get('sidebar'))} / {_s(f.get('table'))} / "
            f"{_s(f.get('cards'))} / {_s(f['chart'])}; {_s(f.get('empty_link'))} / "
            f"{_s(f.get('table_link'))} / {_s(f.get('cards_link'))} / "
            f"{_s(f.get('chart_link'))}"
            for f in floors
        )
        + " |"
    )
    for view in BROWSE_VIEWS:
        cells = []
        for r, floor in zip(measured, floors, strict=True):
            v = r["browse"]["views"].get(view)
            if not v or v.get("switch") is None:
                cells.append("–")
                continue
            kind = "chart" if v.get("charts") else "empty"
            back = "" if v.get("filter_back") is None else f" ({_s(v['filter_back'])})"
            # the floor nearest a list's content (an older run has none): a table, cards
            # (links to other views, more than the « How we count » one), or neither
            nearest = None
            if kind == "empty":
                near = "table" if v.get("tables") else "cards" if v.get("links", 0) > 1 else None
                nearest = floor.get(near or "sidebar")
            framed = f" ({_ratio(v['switch'], nearest)})" if nearest else ""
            cells.append(
                f"{_s(v['switch'])} ({_s(v['switch_first'])}) / {_s(v['filter'])}{back} / "
                f"{_s(v['link'])} · {_ratio(v['switch'], floor[kind])}{framed} / "
                f"{_ratio(v['link'], floor.get(f'{kind}_link'))}"
            )
        lines.append(f"| {view} | " + " | ".join(cells) + " |")
    lines.append(
        "| server's peak memory (MB) | "
        + " | ".join(f"{r['browse'].get('server_peak_mb', 0):,.0f}" for r in measured)
        + " |"
    )
    lines.append(
        "| load (1, 5, 15 min) | "
        + " | ".join(
            ", ".join(f"{x:.1f}" for x in r["browse"].get("load", r["load"])) for r in measured
        )
        + " |"
    )
    return lines


def _build(folder: Path) -> None:
    """Build the folder's cache in a fresh process (nothing to do when it is built)."""
    subprocess.run(
        [sys.executable, "-m", "impact.cache", "build", "--data", str(folder)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def _data_folder(rows: int | None, workdir: Path) -> Path:
    """The bundled data, or a synthetic folder of ``rows`` figures (generated once)."""
    from impact.paths import BUNDLED_DATA_DIR

    if rows is None:
        return BUNDLED_DATA_DIR
    folder = workdir / f"rows-{rows}"
    marker = folder / ".generated"
    if not marker.exists() or marker.read_text() != str(rows):
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "impact.synthetic", "--rows", str(rows), "--out", str(folder)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        print(f"  generated {rows:,} rows in {time.perf_counter() - started:.1f} s")
        marker.write_text(str(rows))
    return folder


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:,.0f}"


def _s(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:.2f}"


def _ratio(a: float, b: float | None) -> str:
    return "–" if not b else f"{a / b:.1f}×"


def _load(load: float | None) -> str:
    return "–" if load is None else f"{load:.1f}"


def switch_table(results: list[dict[str, Any]]) -> list[str]:
    """The Markdown table of the Map page switch (empty when it was not measured)."""
    label = ["bundled" if r["rows"] is None else f"{r['rows']:,}" for r in results]
    lines: list[str] = []
    switched = [
        (n, r["map_switch"], r.get("load"))
        for n, r in zip(label, results, strict=True)
        if r.get("map_switch")
    ]
    if switched:
        lines += [
            "Switching to the Map page in Chromium (click in the sidebar to both maps drawn):",
            "",
            "| rows | Map page switch: first / median / p95 (s) | load |",
            "| --- | --- | --- |",
        ]
        for name, switch, load in switched:
            lines.append(
                f"| {name} | {_s(switch['first'])} / {_s(switch['median'])} / "
                f"{_s(switch['p95'])} | {_load(load)} |"
            )
    return lines


def table(results: list[dict[str, Any]]) -> str:
    """The Markdown tables printed at the end (and pasted in docs/performance.md)."""
    label = ["bundled" if r["rows"] is None else f"{r['rows']:,}" for r in results]
    lines = [
        "| rows | cache build (s) | cold start: health / first figure sent / drawn "
        "/ sent, drawn to a returning browser (s) "
        "| slowest view median / p95 (ms) | filter change median / p95 (ms) | peak RSS (MB) "
        "| 4 aggregates: ours side by side / one by one / floor on facts / floor on rollup "
        "/ pandas (ms) | pandas ÷ ours (side by side / one by one) "
        "| ours ÷ floor (facts / rollup) | load |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in zip(label, results, strict=True):
        pages = r["pages"].values()
        worst = max(pages, key=lambda p: p["median"])
        worst_change = max(pages, key=lambda p: p["change_median"])
        lines.append(
            f"| {name} | {_s(r['build'])} | {_s(r['cold']['health'])} / "
            f"{_s(r['cold'].get('first_sent'))} / {_s(r['cold']['first_page'])} / "
            f"{_s(r['cold'].get('cached_sent'))}, {_s(r['cold'].get('cached_page'))} | "
            f"{_ms(worst['median'])} / {_ms(worst['p95'])} | "
            f"{_ms(worst_change['change_median'])} / {_ms(worst_change['change_p95'])} | "
            f"{r['peak_rss_mb']:,.0f} | {_ms(r['aggregates'])} / "
            f"{_ms(r.get('aggregates_one_by_one'))} / {_ms(r['floor'])} / "
            f"{_ms(r.get('floor_rollup'))} / {_ms(r['pandas'])} | "
            f"{r['pandas'] / r['aggregates']:.1f}× / "
            f"{_ratio(r['pandas'], r.get('aggregates_one_by_one'))} | "
            f"{r['aggregates'] / r['floor']:.1f}× / "
            f"{_ratio(r['aggregates'], r.get('floor_rollup'))} | {_load(r.get('load'))} |"
        )
    switch = switch_table(results)
    if switch:
        lines += ["", *switch]
    browsed = browse_table(results)
    if browsed:
        lines += ["", *browsed]
    pages_names = sorted(results[0]["pages"])
    lines += [
        "",
        "Per view, median / p95 of the queries it runs with no filter, then median / p95 "
        "under a filter change (ms):",
        "",
        "| rows | " + " | ".join(pages_names) + " |",
        "| --- |" + " --- |" * len(pages_names),
    ]
    for name, r in zip(label, results, strict=True):
        cells = []
        for page in pages_names:
            p = r["pages"].get(page)
            cells.append(
                "–"
                if p is None
                else f"{_ms(p['median'])} / {_ms(p['p95'])} · "
                f"{_ms(p['change_median'])} / {_ms(p['change_p95'])}"
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "The five slowest queries, median with no filter (ms):", ""]
    for name, r in zip(label, results, strict=True):
        slow = sorted(r["queries"].items(), key=lambda kv: -kv[1])[:5]
        lines.append(f"- {name}: " + ", ".join(f"{q} {_ms(t)}" for q, t in slow))
    return "\n".join(lines)


def _imports_benchmark(workdir: Path) -> int:
    """Time and peak memory to read and check a 200 000-row CSV and a 20 MB XLSX."""
    script = ROOT / "scripts" / "bench_imports.py"
    command = [sys.executable, str(script), "--workdir", str(workdir / "imports")]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module doc)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10000,100000,1000000,10000000")
    parser.add_argument("--bundled", action="store_true", help="also measure the bundled data")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--no-browser", action="store_true", help="cold start: health only")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/impact-benchmark"))
    parser.add_argument("--json", type=Path, default=None, help="also write raw results here")
    parser.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--calls", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--record", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--switch-only", action="store_true", help="only the Map page switch in Chromium"
    )
    parser.add_argument(
        "--imports", action="store_true", help="only the import path (scripts/bench_imports.py)"
    )
    parser.add_argument(
        "--browse",
        action="store_true",
        help="also every page and detail view in Chromium (switch, filter change, link)",
    )
    parser.add_argument(
        "--browse-only", action="store_true", help="only every view in Chromium, and the floor"
    )
    parser.add_argument("--switches", type=int, default=3, help="switches per view (--browse)")
    parser.add_argument("--lang", default="fr", help="the reader's language (--browse)")
    args = parser.parse_args(argv)
    if args.imports:
        return _imports_benchmark(args.workdir)
    if args.record is not None:
        print(json.dumps(record(args.record), default=str))
        return 0
    if args.measure is not None:
        recorded = json.loads(args.calls.read_text(encoding="utf-8"))
        print(json.dumps(measure(args.measure, args.repeats, recorded)))
        return 0
    sizes: list[int | None] = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    if args.bundled:
        sizes.insert(0, None)
    results = []
    if args.switch_only:
        for rows in sizes:
            print(f"size {'bundled' if rows is None else f'{rows:,}'} …", flush=True)
            results.append(run_switch(rows, args.workdir))
        print("\n".join(switch_table(results)))
        return 0
    if args.browse_only:
        for rows in sizes:
            print(f"size {'bundled' if rows is None else f'{rows:,}'} …", flush=True)
            results.append(run_browse(rows, args.workdir, args.switches, args.lang))
            print("\n".join(browse_table(results[-1:])), flush=True)
        if args.json:
            args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
        print()
        print("\n".join(browse_table(results)))
        return 0
    for rows in sizes:
        print(f"size {'bundled' if rows is None else f'{rows:,}'} …", flush=True)
        results.append(run_size(rows, args.workdir, args.repeats, not args.no_browser, args.browse))
        print(table(results[-1:]).splitlines()[2], flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
