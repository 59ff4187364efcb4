"""A chart alone, to embed in another site: its link, its ``<iframe>`` code, and its page.

Communications staff paste a chart into a website or a newsletter; a reader
there must get what a reader of the dashboard gets — the title, the selection,
the sources, the link to how figures are counted, the date, the text
alternative and the numbers as a table — and be told when the data changed
after the chart was shared. The embed is a plain HTML page served by the app
(``impact.web``): the chart is drawn by the plotly.js the app serves itself,
so it makes no request outside the app, and a page showing a chart pays only
for building a link. Figures come from the same queries and the same texts
(``Amount.reach_text``) as the pages, so the privacy rules hold unchanged.
Nothing here imports Streamlit.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from impact import alt_text, charts, explore, maps
from impact.charts import ChartText
from impact.data_table import CSS as TABLE_CSS
from impact.data_table import html_table
from impact.exports.images import PRESETS
from impact.exports.sentences import source_label
from impact.exports.view import reach_table
from impact.figures import (
    describe_filters,
    draws_places,
    publisher_line,
    source_link,
    sources_call,
)
from impact.filters import Filters
from impact.i18n import N_, Translator, normalise_lang

Runner = Callable[[str, dict[str, Any]], pd.DataFrame]

PATH = "/embed"
SCRIPT_PATH = "/embed/plotly.min.js"
TOPOJSON_URL = "/app/static/topojson/"
KINDS = ("year", "theme", "country", "map")
# The charts of the pages (their ``ui.chart`` key) and the embeddable chart each one is.
CHART_KINDS = {
    "overview-year": "year",
    "overview-theme": "theme",
    "overview-country": "country",
    "country-year": "year",
    "country-theme": "theme",
    "country-places": "map",
    "map-world": "map",
    "map-belgium": "map",
    "org-places": "map",
    "programme-map": "map",
    "report-reach-by-year": "year",
    "report-reach-by-theme": "theme",
    "report-reach-by-country": "country",
    "report-map": "map",
}
SHARE_LABEL = N_("Share / Embed")
# Room above and below the chart in the iframe: title, selection, sources, date, links
# (on a narrow frame, where they wrap, the chart gives up height down to MIN_HEIGHT).
FRAME_ROOM = 250
MIN_HEIGHT = 260
_VERSION = re.compile(r"[0-9a-f]{6,32}")


@dataclass(frozen=True)
class DataVersion:
    """Which data a chart was drawn from: a short id of its content, and its date."""

    id: str
    day: date


def data_version(key: str, folder: Path | None = None) -> DataVersion:
    """The version of the data: a short hash of its key (``cache.source_key``), and its date.

    The date is the day the newest data file was written (a folder), else today.
    """
    files = list(folder.glob("*.csv")) if folder is not None and folder.is_dir() else []
    day = date.fromtimestamp(max(p.stat().st_mtime for p in files)) if files else date.today()
    return DataVersion(hashlib.sha256(key.encode("utf-8")).hexdigest()[:12], day)


@dataclass(frozen=True)
class Request:
    """What an embed link asks for: a chart, a selection, a language, a size, a version."""

    kind: str
    filters: Filters
    lang: str = "fr"
    size: str = "report"
    version: str = ""  # the data version the link was made with
    made: date | None = None  # the day the link was made

    def query(self) -> dict[str, str]:
        """The link's query string parameters."""
        out = {"chart": self.kind, "lang": self.lang, "size": self.size}
        if self.version:
            out["v"] = self.version
        if self.made:
            out["made"] = self.made.isoformat()
        return {**out, **self.filters.to_query()}

    def path(self) -> str:
        """``/embed?chart=…``: the address of the embed, relative to the app."""
        return f"{PATH}?{urlencode(self.query())}"

    @classmethod
    def parse(cls, query: Mapping[str, Any]) -> Request | None:
        """Read a link's parameters; None for an unknown chart. Malformed parts are dropped."""
        kind = str(query.get("chart") or "")
        if kind not in KINDS:
            return None
        size = str(query.get("size") or "")
        version = str(query.get("v") or "")
        made: date | None = None
        try:
            made = datetime.strptime(str(query.get("made") or ""), "%Y-%m-%d").date()
        except ValueError:
            made = None
        return cls(
            kind=kind,
            filters=Filters.from_query(query),
            lang=normalise_lang(query.get("lang")),
            size=size if size in PRESETS else "report",
            version=version if _VERSION.fullmatch(version) else "",
            made=made,
        )


def request_for(
    key: str, filters: Filters, lang: str, size: str, version: DataVersion, day: date
) -> Request | None:
    """The embed of a page's chart (its ``ui.chart`` key), or None if it has none."""
    kind = CHART_KINDS.get(key)
    if kind is None:
        return None
    return Request(kind, filters, normalise_lang(lang), size, version.id, day)


def frame_height(size: str) -> int:
    """The height of the ``<iframe>``: the chart's, plus the texts around it."""
    return PRESETS[size].height + FRAME_ROOM


def iframe_code(url: str, title: str, size: str) -> str:
    """The ``<iframe>`` to paste: full width, the preset's height, titled for screen readers."""
    return (
        f'<iframe src="{html.escape(url)}" title="{html.escape(title)}" width="100%" '
        f'height="{frame_height(size)}" style="border:0;max-width:100%" loading="lazy"></iframe>'
    )


# --- the chart, built alone ------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """An embeddable chart: its figure, its table, and what states its selection."""

    figure: go.Figure
    data: pd.DataFrame
    title: str
    scope: str
    sources: pd.DataFrame


def build(run: Runner, tr: Translator, request: Request) -> Chart | None:
    """Run the queries of one chart (only its own) and draw it; None when nothing to draw."""
    _ = tr._
    filters = request.filters
    scope = describe_filters(tr, filters, run("filter_options", {}))
    params = {**filters.params(), "unit": "persons", "measure": "reached"}
    persons = _("Persons reached")
    text = charts.hover_safe(scope)
    fig: go.Figure
    if request.kind == "year":
        by_year = run("reach_by_year", params)
        if by_year.empty:
            return None
        years = charts.years_label(by_year["period_start"], by_year["period_end"])
        title = _("Persons reached by year, {years}", years=years)
        fig = charts.bar_by_year(by_year, tr, ChartText(title, text), persons)
        data = reach_table(tr, by_year, "year")
    elif request.kind == "theme":
        by_theme = charts.theme_labels(run("reach_by_theme", params), tr)
        if by_theme.empty:
            return None
        title = _("Persons reached by theme")
        fig = charts.bar_horizontal(by_theme, tr, ChartText(title, text), "theme_label", persons)
        data = reach_table(tr, by_theme, "theme")
    else:
        by_country = run("reach_by_country", params)
        by_country["country"] = charts.country_names(by_country, tr)
        if request.kind == "country":
            if by_country.empty:
                return None
            title, fig = charts.country_bars(by_country, tr, text, persons)
        else:
            countries = explore.country_map_frame(tr, by_country, persons)
            place_figures = run("place_figures", filters.params())
            places = explore.place_map_frame(tr, run("map_places", params), place_figures)
            if countries.empty and places.empty:
                return None
            # the span of the figures' years: reach_by_country has it (no reach_by_year run)
            years = charts.years_label(by_country["first_year"], by_country["last_year"])
            title = (
                _("Persons reached by country and place, {years}", years=years)
                if years
                else persons
            )
            fig = maps.reach_map(
                countries,
                places,
                tr,
                ChartText(title, text),
                persons,
                world=not filters.countries,
                hovers=explore.place_hovers(tr, place_figures, persons),
            )
        data = reach_table(tr, by_country, "country")
    # the sources of what it draws: the figures of persons reached, and a map's places
    sources = run(*sources_call(filters, every=draws_places(fig)))
    return Chart(fig, data, title, scope, sources)


# --- the page --------------------------------------------------------------------------------


def _sources(tr: Translator, sources: pd.DataFrame) -> str:
    if sources.empty:
        return f"<p>{html.escape(tr._('No source in this selection.'))}</p>"
    items = []
    for row in sources.to_dict("records"):
        text = source_label(tr.lang, str(row["publisher"]), str(row["title"]))
        published = row.get("published")
        if published is not None and not pd.isna(published):
            text += f" ({tr.published(published)})"
        item = html.escape(text)
        link = source_link(row)
        if link:
            item += (
                f' — <a href="{html.escape(link)}" target="_blank" rel="noopener">'
                f"{html.escape(tr._('document'))}</a>"
            )
        items.append(f"<li>{item}</li>")
    return f"<ul>{''.join(items)}</ul>"


STYLE = """
body{margin:0;font-family:"Source Sans Pro","DejaVu Sans",Arial,sans-serif;color:#1f2933;
background:#fff;font-size:15px;line-height:1.4}
main{padding:8px 12px}h1{font-size:18px;margin:0 0 2px}
.muted{color:#52606d;font-size:13px;margin:0}
.notice{border-left:4px solid #b35900;background:#fff4e5;padding:6px 10px;margin:6px 0}
a{color:#005a8c}a:focus-visible,summary:focus-visible{outline:2px solid #0072B2;outline-offset:2px}
details{margin:6px 0}summary{cursor:pointer;color:#005a8c}
ul{margin:2px 0;padding-left:18px;font-size:13px}
footer{font-size:13px;color:#52606d}
"""


def page(
    chart: Chart | None,
    tr: Translator,
    request: Request,
    current: DataVersion,
    app_url: str,
) -> str:
    """The embed page: title, selection, chart, text alternative and table, sources, date."""
    _ = tr._
    size = PRESETS[request.size]
    method = f"{app_url}/method?{urlencode({'lang': tr.lang})}"
    notice = ""
    if request.version and request.version != current.id:
        fresh = replace(request, version=current.id, made=current.day)
        shared = tr.date(request.made) if request.made else "?"
        notice = (
            '<p class="notice" role="status">'
            + html.escape(
                _(
                    "The data changed after this chart was shared on {made}: the figures "
                    "shown are the current ones, of {day}.",
                    made=shared,
                    day=tr.date(current.day),
                )
            )
            + f' <a href="{html.escape(fresh.path())}">'
            + html.escape(_("Link to the current chart"))
            + "</a></p>"
        )
    if chart is None:
        body = f"<p>{html.escape(_('No figure of persons reached in this selection.'))}</p>"
        title = _(SHARE_LABEL)
        chart_part = ""
    else:
        title = chart.title
        fig = chart.figure
        described = alt_text.of(fig)
        # drawn without its title, as on the pages: its note (« 2024* ») said above it
        notes = "".join(f'<p class="muted">{html.escape(n)}</p>' for n in charts.notes_of(fig))
        fig.update_layout(title_text="", margin_t=20, height=None, width=None, autosize=True)
        figure_json = fig.to_json().replace("</", "<\\/")
        config = {
            "displayModeBar": False,
            "responsive": True,
            "topojsonURL": TOPOJSON_URL,
        }
        publishers = publisher_line(tr, chart.sources)
        sources_line = (
            _("Sources: {publishers}", publishers=publishers)
            if publishers
            else _("No source in this selection.")
        )
        chart_part = f"""{notes}
<div id="chart" role="img" aria-label="{html.escape(described)}"
 style="width:100%;height:{size.height}px"></div>"""
        # after every text: the chart's height is what they leave
        scripts = f"""
<script type="application/json" id="figure">{figure_json}</script>
<script src="{SCRIPT_PATH}"></script>
<script>
const figure = JSON.parse(document.getElementById('figure').textContent);
const chart = document.getElementById('chart');
// the texts around the chart wrap on a narrow frame: the chart takes the height left
function fit() {{
  const around = document.body.scrollHeight - chart.offsetHeight;
  const left = window.innerHeight - around;
  chart.style.height = Math.max({MIN_HEIGHT}, Math.min({size.height}, left)) + 'px';
}}
fit();
Plotly.newPlot(chart, figure.data, figure.layout, {json.dumps(config)});
window.addEventListener('resize', () => {{ fit(); Plotly.Plots.resize(chart); }});
</script>"""
        how = html.escape(_("How we count"))
        body = f"""
<p class="muted">{html.escape(sources_line)} ·
 <a href="{html.escape(method)}" target="_blank" rel="noopener">{how}</a></p>
<details><summary>{html.escape(_("Description and data"))}</summary>
<p>{html.escape(described)}</p>
{html_table(tr, chart.data, title)}
<h2 class="muted">{html.escape(_("Sources"))}</h2>
{_sources(tr, chart.sources)}
</details>"""
    scope = chart.scope if chart else ""
    return f"""<!doctype html>
<html lang="{tr.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{STYLE}{TABLE_CSS}</style></head>
<body><main>
<h1>{html.escape(title)}</h1>
<p class="muted">{html.escape(_("Selection: {scope}.", scope=scope)) if scope else ""}</p>
{notice}
{chart_part}
{body}
<footer>{
        html.escape(
            _(
                "Data of {day} (version {version}).",
                day=tr.date(current.day),
                version=current.id,
            )
        )
    }</footer>
</main>{scripts}</body></html>"""
