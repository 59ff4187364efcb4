"""Everything an export shows about one selection, computed once from the queries.

A ``View`` holds the key figures, the charts (Plotly figures and the numbers
they draw), the tables, the sentences, the sources and a description of the
filters, in one language. The report, the slide deck, the figures pack and the
report page all read the same ``View``, so a number cannot differ between
the PDF and the spreadsheet next to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from impact import charts, privacy
from impact.charts import ChartText
from impact.exports.images import Caption
from impact.exports.sentences import (
    Sentence,
    cell_sentences,
    headline,
    sentences_call,
    source_label,
)
from impact.figures import (
    ROWS_IN_FILES,
    KeyFigure,
    Runner,
    describe_filters,
    key_figure_calls,
    key_figures,
    quote_text,
    rows_behind,
)
from impact.filters import Filters
from impact.i18n import N_, Translator
from impact.vocab import label

# How figures are counted, for the method notes of reports (English msgids).
METHOD_NOTES = (
    N_(
        "Every figure comes from a published document of the organisation (annual report, "
        "web page, leaflet) and is quoted word for word in the data; the list of sources "
        "closes this report."
    ),
    N_(
        "A total adds the figures of one unit and one measure: persons reached are never "
        "added to families, places, sessions or targets, and percentages are never added up."
    ),
    N_(
        "A figure that is part of another one (« 10 378 persons, of whom 3 189 children ») is "
        "counted once: the part is left out of a total that already holds its whole."
    ),
    N_("Figures reported as « more than » make the total a lower bound, shown with « ≥ »."),
    N_(
        "The same person may be reached by two programmes or in two years: the totals add "
        "reported figures and are not counts of unique individuals."
    ),
    N_(
        "Context figures (the world the programmes work in) are never added to the reach "
        "of the programmes."
    ),
)


# Bars an exported chart can hold and stay legible (the map and the tables show them all).
TOP_BARS = 15


@dataclass(frozen=True)
class ChartSpec:
    """A chart of the view: its figure and the table of the numbers it draws."""

    key: str
    title: str
    figure: go.Figure
    data: pd.DataFrame


# Sentences a page or a report shows (the largest); files have them all.
FIRST_SENTENCES = 50


@dataclass
class View:
    """One selection, in one language, ready to export."""

    tr: Translator
    filters: Filters
    scope: str
    day: date
    figures: list[KeyFigure]
    charts: list[ChartSpec]
    summary_tables: dict[str, pd.DataFrame]
    sources: pd.DataFrame
    # the largest sentences (a preview's, a report's) and how many there are in all
    first_sentences: list[Sentence]
    sentence_count: int
    headline: Sentence | None
    filter_rows: list[tuple[str, str]] = field(default_factory=list)
    # the rows behind the persons-reached total (up to ROWS_IN_FILES of them),
    # read only when a file needs them: a preview never does
    read_rows: Callable[[], pd.DataFrame] = pd.DataFrame
    read_sentences: Callable[[], list[Sentence]] = list

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Every sentence, largest first (read when the figures pack needs them all)."""
        if len(self.first_sentences) >= self.sentence_count:
            return self.first_sentences
        return self.read_sentences()

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables of the exports: the summaries, then the figures added (« Figures added »)."""
        return {**self.summary_tables, self.tr._("Figures added"): self.read_rows()}

    @property
    def source_line(self) -> str:
        """Publishers of the figures, for a chart's source line."""
        if self.sources.empty:
            return self.tr._("no source in this selection")
        return ", ".join(sorted({str(p) for p in self.sources["publisher"]}))

    @property
    def caption(self) -> Caption:
        """Subtitle, source line and date of every exported chart."""
        return Caption(self.scope, self.source_line, self.day)

    def source_labels(self) -> list[str]:
        """« Publisher, “Title” (published date) » for every source."""
        out = []
        for row in self.sources.to_dict("records"):
            text = source_label(self.tr.lang, str(row["publisher"]), str(row["title"]))
            published = row.get("published")
            if published is not None and not pd.isna(published):
                text += f" ({self.tr.date(published)})"
            if row.get("document"):
                text += f" — {row['document']}"
            out.append(text)
        return out


def filter_rows(
    tr: Translator, filters: Filters, options: pd.DataFrame, scope: str, day: date
) -> list[tuple[str, str]]:
    """The « Filters » sheet: every filter, even the empty ones (« All »)."""
    names = {
        (str(r.kind), str(r.value)): str(getattr(r, f"name_{tr.lang}"))
        for r in options.itertuples(index=False)
        if isinstance(getattr(r, f"name_{tr.lang}"), str)
    }
    everything = tr._("All")

    def listed(kind: str, values: tuple[str, ...]) -> str:
        return ", ".join(names.get((kind, v), v) for v in values) or everything

    years = (
        f"{filters.year_from or '…'}–{filters.year_to or '…'}"
        if filters.year_from is not None or filters.year_to is not None
        else everything
    )
    return [
        (tr._("Selection"), scope),
        (tr._("Years"), years),
        (tr._("Organisations"), listed("orgs", filters.orgs)),
        (tr._("Programmes"), ", ".join(filters.programmes) or everything),
        (tr._("Countries"), listed("countries", filters.countries)),
        (tr._("Themes"), ", ".join(label(tr, "theme", t) for t in filters.themes) or everything),
        (
            tr._("Beneficiary groups"),
            ", ".join(label(tr, "group", g) for g in filters.groups) or everything,
        ),
        (tr._("Figures"), tr._("persons reached, counted without double counting")),
        (tr._("Exported on"), tr.date(day)),
    ]


def choropleth(df: pd.DataFrame, tr: Translator, text: ChartText, value_label: str) -> go.Figure:
    """A world map of ``total`` per country in classes, as on the Map page (``impact.maps``)."""
    from impact import explore, maps

    countries = explore.country_map_frame(tr, df, value_label)
    no_places = pd.DataFrame(columns=["name", "lat", "lon", "total", "hover"])
    return maps.reach_map(countries, no_places, tr, text, value_label, 460, world=True)


def facts_export_table(tr: Translator, facts: pd.DataFrame) -> pd.DataFrame:
    """The facts behind a total for a file: the figure as a number, its qualifier apart."""
    _ = tr._
    return pd.DataFrame(
        {
            # A hidden figure (privacy) stays an empty cell, its qualifier says « < 10 ».
            _("Figure"): facts["count"].astype("float64"),
            _("Qualifier"): [
                privacy.hidden_text() if pd.isna(c) else label(tr, "qualifier", q)
                for c, q in zip(facts["count"], facts["qualifier"], strict=True)
            ],
            _("Group"): [label(tr, "group", g) for g in facts["group"]],
            _("Year"): facts["year"].astype("int64"),
            _("Programme"): facts["programme"].astype(str),
            _("Organisation"): facts["organisation"].astype(str),
            _("Country"): facts[f"country_{tr.lang}"].astype(str),
            _("Quote"): [quote_text(tr, q) for q in facts["quote"]],
            _("Source"): facts["source_title"].astype(str),
        }
    )


def view_calls(filters: Filters) -> list[tuple[str, dict[str, Any]]]:
    """The queries ``build_view`` runs, for a page to start them side by side."""
    params = {**filters.params(), "unit": "persons", "measure": "reached"}
    return [
        ("filter_options", {}),
        *key_figure_calls(filters),
        ("export_sources", filters.params()),
        ("reach_by_year", params),
        ("reach_by_theme", params),
        ("reach_by_country", params),
        sentences_call(filters, FIRST_SENTENCES),
    ]


def build_view(run: Runner, tr: Translator, filters: Filters, day: date | None = None) -> View:
    """Run the queries of one selection and shape their results for every export."""
    day = day or date.today()
    _ = tr._
    options = run("filter_options", {})
    scope = describe_filters(tr, filters, options)
    figures = key_figures(run, filters)
    params = {**filters.params(), "unit": "persons", "measure": "reached"}
    persons = _("Persons reached")
    sources = run("export_sources", filters.params())

    by_year = run("reach_by_year", params)
    by_theme = charts.theme_labels(run("reach_by_theme", params), tr)
    by_country = run("reach_by_country", params)
    by_country["country"] = charts.country_names(by_country, tr)

    year_table = pd.DataFrame(
        {
            _("Year"): by_year["year"].astype("int64"),
            persons: by_year["total"].astype("float64"),
            _("Figures added"): by_year["facts"].astype("int64"),
        }
    )
    theme_table = pd.DataFrame(
        {
            _("Theme"): by_theme["theme_label"].astype(str),
            persons: by_theme["total"].astype("float64"),
            _("Figures added"): by_theme["facts"].astype("int64"),
        }
    )
    country_table = pd.DataFrame(
        {
            _("Country"): by_country["country"].astype(str),
            _("ISO code"): by_country["country_iso3"].astype(str),
            persons: by_country["total"].astype("float64"),
            _("Figures added"): by_country["facts"].astype("int64"),
            _("Programmes"): by_country["programmes"].astype("int64"),
        }
    )
    specs: list[ChartSpec] = []
    if not by_year.empty:
        title = _("Persons reached by year, {years}", years=charts.years_label(by_year["year"]))
        fig = charts.bar_by_year(by_year, tr, ChartText(title, scope), persons)
        specs.append(ChartSpec("reach-by-year", title, fig, year_table))
    if not by_theme.empty:
        title = _("Persons reached by theme")
        fig = charts.bar_horizontal(by_theme, tr, ChartText(title, scope), "theme_label", persons)
        specs.append(ChartSpec("reach-by-theme", title, fig, theme_table))
    if not by_country.empty:
        shown = by_country.head(TOP_BARS)
        title = (
            _("Persons reached by country")
            if len(by_country) <= TOP_BARS
            else _("Persons reached by country: the {n} largest", n=TOP_BARS)
        )
        fig = charts.bar_horizontal(shown, tr, ChartText(title, scope), "country", persons)
        specs.append(ChartSpec("reach-by-country", title, fig, country_table))
        title = _("Map of persons reached")
        fig = choropleth(by_country, tr, ChartText(title, scope), persons)
        specs.append(ChartSpec("map", title, fig, country_table))

    key_table = pd.DataFrame(
        {
            _("Figure"): [_(f.title) for f in figures],
            _("Value"): [f.value if f.value is not None else float("nan") for f in figures],
            _("Lower bound (« more than »)"): [_("yes") if f.approximate else "" for f in figures],
        }
    )
    persons_figure = next(f for f in figures if f.key == "persons")
    tables = {
        _("Key figures"): key_table,
        _("By year"): year_table,
        _("By theme"): theme_table,
        _("By country"): country_table,
    }
    first, count = cell_sentences(run, tr, filters, sources, FIRST_SENTENCES)
    return View(
        tr=tr,
        filters=filters,
        scope=scope,
        day=day,
        figures=figures,
        charts=specs,
        summary_tables=tables,
        sources=sources,
        first_sentences=first,
        sentence_count=count,
        read_sentences=lambda: cell_sentences(run, tr, filters, sources)[0],
        headline=headline(tr, figures, scope, sources),
        filter_rows=filter_rows(tr, filters, options, scope, day),
        read_rows=lambda: facts_export_table(tr, rows_behind(run, persons_figure, ROWS_IN_FILES)),
    )
