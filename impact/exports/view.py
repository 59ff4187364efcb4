"""Everything an export shows about one selection, computed once from the queries.

A ``View`` holds the key figures, the charts (Plotly figures and the numbers
they draw), the tables, the sentences, the sources and a description of the
filters, in one language. The report, the slide deck, the figures pack and the
report page all read the same ``View``, so a number cannot differ between
the PDF and the spreadsheet next to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from impact import charts
from impact.amounts import Amount, numbers, years_note
from impact.charts import ChartText
from impact.explore import amounts as amounts_of
from impact.explore import reach_columns
from impact.exports.images import Caption
from impact.exports.sentences import (
    Sentence,
    figure_sentences,
    headline,
    sentences_call,
    source_label,
)
from impact.figures import (
    ROWS_IN_FILES,
    KeyFigure,
    Runner,
    describe_filters,
    fact_years,
    hidden_reasons,
    key_figure_calls,
    key_figures,
    largest_text,
    option_names,
    publisher_line,
    quote_text,
    rows_behind,
    source_link,
    sources_call,
)
from impact.filters import Filters
from impact.i18n import N_, Translator
from impact.vocab import label

# What the persons-reached figures of every file are (the « Filters » sheet, the pack's README).
COUNTING_NOTE = N_(
    "persons reached, as a range: at least the different people (the largest figure of each "
    "programme in each country, where activities may reach the same people), and the sum of "
    "the figures of the activities; ≥ at least, ≈ about, ≳ at least and about (see “How we "
    "count”)"
)


@dataclass(frozen=True)
class ChartSpec:
    """A chart of the view: its figure and the table of the numbers it draws."""

    key: str
    title: str
    figure: go.Figure
    data: pd.DataFrame


# Sentences a page or a report shows (the largest).
FIRST_SENTENCES = 50
# Sentences the figures pack holds (the largest): more than anyone pastes from, and a pack
# that does not grow with the federation. Every sentence of a million figures (560 000,
# written in three languages) took the pack 2.5 minutes and 3 GB; ten million would not fit.
SENTENCES_IN_FILES = 1_000


@dataclass(frozen=True)
class FiguresAdded:
    """The figures behind one key figure's total, largest first: the title of their
    table (a sheet's name: no colon), how many there are in all, and how to read the
    ``limit`` largest, only when a file needs them (a preview never does)."""

    title: str
    count: int
    read: Callable[[int], pd.DataFrame]

    @property
    def in_files(self) -> int:
        """How many of them the files hold: the ``ROWS_IN_FILES`` largest."""
        return min(self.count, ROWS_IN_FILES)


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
    sources: pd.DataFrame  # every figure's, for the « Sources » part of a file
    # the largest sentences (a preview's, a report's) and how many figures have one in all
    first_sentences: list[Sentence]
    sentence_count: int
    headline: Sentence | None
    filter_rows: list[tuple[str, str]] = field(default_factory=list)
    # the figures behind the persons-reached total, then the families' when there are
    # some (a key figure of its own, whose figures were nowhere in the files)
    added: list[FiguresAdded] = field(default_factory=list)
    read_sentences: Callable[[], list[Sentence]] = list
    # the sources of the figures of persons reached, whose publishers a chart's source
    # line names (``figures.sources_call``): a source of brochures is not one of the charts'
    reach_sources: pd.DataFrame = field(default_factory=pd.DataFrame)

    @cached_property
    def sentences(self) -> list[Sentence]:
        """The figures pack's sentences, largest first: all, or the ``SENTENCES_IN_FILES``
        largest of ``sentence_count`` (read when the pack is made)."""
        if len(self.first_sentences) >= self.sentence_count:
            return self.first_sentences
        return self.read_sentences()

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables of the exports: the summaries, then each table of figures added
        (« Figures added », « Figures added, families »)."""
        return {**self.summary_tables, **{a.title: a.read(ROWS_IN_FILES) for a in self.added}}

    def first_rows(self, added: FiguresAdded, limit: int) -> pd.DataFrame:
        """The ``limit`` largest of ``added``, for a file that shows only its first rows
        (the PDF's 40): read alone unless the files' rows are already read."""
        if "tables" in self.__dict__:
            return self.tables[added.title].head(limit)
        return added.read(limit)

    @property
    def source_line(self) -> str:
        """Publishers of the figures of persons reached, for a chart's source line."""
        if self.reach_sources.empty:
            return self.tr._("no source in this selection")
        return publisher_line(self.tr, self.reach_sources)

    @property
    def caption(self) -> Caption:
        """Subtitle, source line and date of every exported chart."""
        return Caption(self.scope, self.source_line, self.day)

    def source_labels(self) -> list[str]:
        """« Publisher, “Title” (date, as precise as it is known) — link » for every source.

        The link is the source's ``url``, or its ``document`` when that is one; the
        name of a curator's copy (« 002_7ee9….txt ») tells a donor nothing, and stays
        in the files' « Sources » table.
        """
        out = []
        for row in self.sources.to_dict("records"):
            text = source_label(self.tr.lang, str(row["publisher"]), str(row["title"]))
            published = row.get("published")
            if published is not None and not pd.isna(published):
                text += f" ({self.tr.published(published)})"
            link = source_link(row)
            if link:
                text += f" — {link}"
            out.append(text)
        return out


def _files_only(*_: object) -> Any:
    raise RuntimeError("a kept preview reads no rows: files build their own view")


@dataclass(frozen=True)
class KeptView:
    """A preview's ``View`` in a form that pickles fast, for the cache between page runs.

    A Plotly figure pickles through its constructor, which validates every property
    again (0.2 s for one chart of the preview at 10 million figures); its plain dict
    pickles in a millisecond and ``thaw`` builds it again without validation: it is
    what ``build_view`` made and Plotly validated then. What only files read (every
    row behind the total, the pack's sentences) is left out: files build their own view.
    """

    view: View
    charts: list[tuple[str, str, dict[str, Any], pd.DataFrame]]


def keep(view: View) -> KeptView:
    """``view`` ready for a cache (``KeptView``)."""
    charts = [(spec.key, spec.title, spec.figure.to_dict(), spec.data) for spec in view.charts]
    added = [replace(a, read=_files_only) for a in view.added]
    bare = replace(view, charts=[], added=added, read_sentences=_files_only)
    return KeptView(bare, charts)


def thaw(kept: KeptView) -> View:
    """The ``View`` kept, with figures of its own: a page may change them as it draws them."""
    charts = [
        ChartSpec(key, title, go.Figure(figure, _validate=False), data)
        for key, title, figure, data in kept.charts
    ]
    return replace(kept.view, charts=charts)


def filter_rows(
    tr: Translator, filters: Filters, options: pd.DataFrame, scope: str, day: date
) -> list[tuple[str, str]]:
    """The « Filters » sheet: every filter, even the empty ones (« All countries »)."""

    def listed(kind: str, values: tuple[str, ...], everything: str) -> str:
        names = option_names(tr, options, kind, values)
        return ", ".join(names.get(v, v) for v in values) or everything

    years = (
        f"{filters.year_from or '…'}–{filters.year_to or '…'}"
        if filters.year_from is not None or filters.year_to is not None
        else tr._("All years")
    )
    return [
        (tr._("Selection"), scope),
        (tr._("Years"), years),
        (tr._("Organisations"), listed("orgs", filters.orgs, tr._("All organisations"))),
        (tr._("Programmes"), listed("programmes", filters.programmes, tr._("All programmes"))),
        (tr._("Countries"), listed("countries", filters.countries, tr._("All countries"))),
        (
            tr._("Themes"),
            ", ".join(label(tr, "theme", t) for t in filters.themes) or tr._("All themes"),
        ),
        (
            tr._("Beneficiary groups"),
            ", ".join(label(tr, "group", g) for g in filters.groups) or tr._("All groups"),
        ),
        (tr._("Figures"), tr._(COUNTING_NOTE)),
        (tr._("Exported on"), tr.date(day)),
    ]


def choropleth(df: pd.DataFrame, tr: Translator, text: ChartText, value_label: str) -> go.Figure:
    """A world map of ``total`` per country in classes, as on the Map page (``impact.maps``)."""
    from impact import explore, maps

    countries = explore.country_map_frame(tr, df, value_label)
    no_places = pd.DataFrame(columns=["name", "lat", "lon", "total", "hover", "reach"])
    return maps.reach_map(countries, no_places, tr, text, value_label, 460, world=True)


def facts_export_table(tr: Translator, facts: pd.DataFrame) -> pd.DataFrame:
    """The facts behind a total for a file: the figure as a number, its qualifier apart.

    A hidden figure (privacy) stays an empty cell and its qualifier says so
    (« < 10 », « hidden »); the year is a number, its period and basis apart.
    """
    _ = tr._
    amounts = [
        Amount.figure(c, str(q), h)
        for c, q, h in zip(facts["count"], facts["qualifier"], hidden_reasons(facts), strict=True)
    ]
    starts = facts["period_start"] if "period_start" in facts else [None] * len(facts)
    return pd.DataFrame(
        {
            _("Figure"): numbers([a.value for a in amounts], facts.index),
            _("Qualifier"): [a.qualifier_text(tr) for a in amounts],
            _("Group"): [label(tr, "group", g) for g in facts["group"]],
            _("Year"): facts["year"].astype("int64"),
            _("Period from"): numbers(
                [None if pd.isna(v) else float(v) for v in starts], facts.index
            ),
            _("Year basis"): [label(tr, "year_basis", b) for b in facts["year_basis"]],
            _("Year, as the source gives it"): fact_years(tr, facts),
            _("Programme"): facts["programme"].astype(str),
            _("Organisation"): facts["organisation"].astype(str),
            _("Country"): facts[f"country_{tr.lang}"].astype(str),
            _("Quote"): [quote_text(tr, q) for q in facts["quote"]],
            _("Source"): facts["source_title"].astype(str),
        }
    )


def _reach_table(
    tr: Translator, frame: pd.DataFrame, first: dict[str, object], last: dict[str, object]
) -> pd.DataFrame:
    reach = reach_columns(tr, frame, facts_column="facts")
    return pd.DataFrame({**first, **reach, **last})


def reach_table(tr: Translator, frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """The table of a chart of reach by ``year``, ``theme`` or ``country``: on screen and in files.

    Numbers stay numbers (distinct people at least, the sum of the figures), the
    qualifier is a column of words, and a period keeps its first year apart.
    """
    _ = tr._
    if by == "year":
        return _reach_table(
            tr,
            frame,
            {
                _("Year"): frame["period_end"].astype("int64"),
                _("Period from"): numbers(
                    [
                        float(a) if a != b else None
                        for a, b in zip(frame["period_start"], frame["period_end"], strict=True)
                    ],
                    frame.index,
                ),
            },
            {
                _("Figures added"): frame["facts"].astype("int64"),
                _("Years not stated"): [years_note(tr, a) for a in amounts_of(frame, "facts")],
            },
        )
    if by == "theme":
        return _reach_table(
            tr,
            frame,
            {_("Theme"): frame["theme_label"].astype(str)},
            {_("Figures added"): frame["facts"].astype("int64")},
        )
    return _reach_table(
        tr,
        frame,
        {
            _("Country"): frame["country"].astype(str),
            _("ISO code"): frame["country_iso3"].astype(str),
        },
        {
            _("Figures added"): frame["facts"].astype("int64"),
            # the programmes whose figures the row adds up, not every programme of the
            # country (the list of countries and the key figures count those: 43 and 2
            # in Belgium, under one « Programmes » heading)
            _("Programmes counted"): frame["programmes"].astype("int64"),
        },
    )


def view_calls(filters: Filters) -> list[tuple[str, dict[str, Any]]]:
    """The queries ``build_view`` runs, for a page to start them side by side."""
    params = {**filters.params(), "unit": "persons", "measure": "reached"}
    return [
        ("filter_options", {}),
        *key_figure_calls(filters),
        sources_call(filters, every=True),
        sources_call(filters),
        ("reach_by_year", params),
        ("reach_by_theme", params),
        ("reach_by_country", params),
        sentences_call(filters, FIRST_SENTENCES),
    ]


def _figures_added(run: Runner, tr: Translator, figure: KeyFigure, title: str) -> FiguresAdded:
    def read(limit: int) -> pd.DataFrame:
        return facts_export_table(tr, rows_behind(run, figure, limit))

    return FiguresAdded(title, figure.facts, read)


def build_view(run: Runner, tr: Translator, filters: Filters, day: date | None = None) -> View:
    """Run the queries of one selection and shape their results for every export."""
    day = day or date.today()
    _ = tr._
    options = run("filter_options", {})
    scope = describe_filters(tr, filters, options)
    figures = key_figures(run, filters)
    params = {**filters.params(), "unit": "persons", "measure": "reached"}
    persons = _("Persons reached")
    sources = run(*sources_call(filters, every=True))
    reach_sources = run(*sources_call(filters))

    by_year = run("reach_by_year", params)
    by_theme = charts.theme_labels(run("reach_by_theme", params), tr)
    by_country = run("reach_by_country", params)
    by_country["country"] = charts.country_names(by_country, tr)

    year_table = reach_table(tr, by_year, "year")
    theme_table = reach_table(tr, by_theme, "theme")
    country_table = reach_table(tr, by_country, "country")
    specs: list[ChartSpec] = []
    if not by_year.empty:
        title = _(
            "Persons reached by year, {years}",
            years=charts.years_label(by_year["period_start"], by_year["period_end"]),
        )
        fig = charts.bar_by_year(by_year, tr, ChartText(title, scope), persons)
        specs.append(ChartSpec("reach-by-year", title, fig, year_table))
    if not by_theme.empty:
        title = _("Persons reached by theme")
        fig = charts.bar_horizontal(by_theme, tr, ChartText(title, scope), "theme_label", persons)
        specs.append(ChartSpec("reach-by-theme", title, fig, theme_table))
    if not by_country.empty:
        title, fig = charts.country_bars(by_country, tr, scope, persons)
        specs.append(ChartSpec("reach-by-country", title, fig, country_table))
        title = _("Map of persons reached")
        fig = choropleth(by_country, tr, ChartText(title, scope), persons)
        specs.append(ChartSpec("map", title, fig, country_table))

    # The number to quote first; then its numbers apart, each under what it is: a column
    # « Value » beside « Persons reached » read as the reach, and it held the sum of the
    # activities (28 134 beside « at least about », where the reach is ≳ 18 075).
    key_table = pd.DataFrame(
        {
            _("Figure"): [_(f.title) for f in figures],
            _("As the sources allow it"): [f.display(tr) for f in figures],
            # families too: « people » alone read 235 families as 235 people
            _("Different people or families (at least)"): numbers(
                [f.amount.distinct if f.counts_people else None for f in figures]
            ),
            _("Sum of the figures (may count twice)"): numbers(
                [f.value if f.counts_people else None for f in figures]
            ),
            _("Count"): numbers([None if f.counts_people else f.value for f in figures]),
            _("Qualifier"): [f.amount.qualifier_text(tr) for f in figures],
            _("What it counts"): [f.help(tr) for f in figures],
        }
    )
    persons_figure = next(f for f in figures if f.key == "persons")
    families = next(f for f in figures if f.key == "families")
    tables = {
        _("Key figures"): key_table,
        _("By year"): year_table,
        _("By theme"): theme_table,
        _("By country"): country_table,
    }
    first = figure_sentences(run, tr, filters, FIRST_SENTENCES)
    persons_amount = persons_figure.amount
    count = persons_amount.facts - persons_amount.hidden
    rows = filter_rows(tr, filters, options, scope, day)
    cut = largest_text(tr, ROWS_IN_FILES, persons_amount.facts)
    if cut:  # the files' table of figures added holds the largest
        rows.insert(-1, (_("Figures added"), cut))
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
        read_sentences=lambda: figure_sentences(run, tr, filters, SENTENCES_IN_FILES),
        headline=headline(tr, figures, scope, reach_sources),
        filter_rows=rows,
        reach_sources=reach_sources,
        added=[
            _figures_added(run, tr, persons_figure, _("Figures added")),
            *(
                [_figures_added(run, tr, families, _("Figures added, families"))]
                if families.amount.has_figure
                else []
            ),
        ],
    )
