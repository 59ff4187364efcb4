"""One chart style for the whole app and its exports: DataFrame in, Plotly figure out.

Colours are the Okabe-Ito palette (safe for the common colour-vision
deficiencies); titles say what and when; years are categories (no « 2 022,5 »
ticks); hover values use the reader's number format through Plotly's
``separators``. Nothing here knows about Streamlit, so exports render the very
same figures.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from impact import alt_text
from impact.amounts import Amount
from impact.i18n import Translator
from impact.vocab import label

TOP_BARS = 15  # countries drawn as bars (charts.country_bars); their tables list every one

# Okabe & Ito (2008), colour-blind-safe qualitative palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
PRIMARY = PALETTE[0]
FONT = "Source Sans Pro, DejaVu Sans, Arial, sans-serif"
TEXT_COLOUR = "#1f2933"  # 14.8:1 on white (WCAG AA asks 4.5:1; tests/test_accessibility.py)
# A value label's font: a white halo keeps it legible where it runs over a neighbour's
# bar (a phone's year chart: « ≈ 30 » of 2016 across the bar of 2015).
LABEL_FONT = {"color": TEXT_COLOUR, "shadow": "0 0 2px #fff, 0 0 3px #fff"}
HOVER_LABEL = {
    "bgcolor": "#ffffff",
    "bordercolor": "#52606d",
    "font": {"family": FONT, "color": TEXT_COLOUR},
}
# Plotly `separators`: decimal mark then thousands separator.
SEPARATORS = {"fr": ",\u202f", "nl": ",.", "en": ".,"}


@dataclass(frozen=True)
class ChartText:
    """What a chart is about, for its title and its exports."""

    title: str
    subtitle: str = ""
    source: str = ""


def years_label(*years: pd.Series) -> str:
    """« 2014–2024 », « 2024 » or an empty string: the span of every year in ``years``
    (a result's first and last years: ``period_start`` and ``period_end`` of
    ``reach_by_year``, ``first_year`` and ``last_year`` of ``reach_by_country``)."""
    values = sorted({int(y) for column in years for y in column.dropna()})
    if not values:
        return ""
    return str(values[0]) if values[0] == values[-1] else f"{values[0]}–{values[-1]}"


def style_layout(tr: Translator, text: ChartText, height: int = 420) -> dict[str, Any]:
    """The house style, title and subtitle as a Plotly layout.

    A figure built with it (``go.Figure(data, layout)``) is validated once: Plotly's
    ``update_layout`` on a built figure took 20–30 ms a chart, a map's layout 3 ms.
    """
    title = text.title
    if text.subtitle:
        title += f"<br><sup>{text.subtitle}</sup>"
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        "font": {"family": FONT, "size": 13, "color": TEXT_COLOUR},
        "colorway": PALETTE,
        "separators": SEPARATORS[tr.lang],
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 80 if text.subtitle else 60, "b": 10},
        # dark text on white, bordered: readable on any bar (Plotly's default takes the
        # bar's colour, light grey text on the light « may count twice » part)
        "hoverlabel": HOVER_LABEL,
        "showlegend": False,
        "xaxis": {"showgrid": False, "linecolor": "#9aa5b1", "automargin": True},
        "yaxis": {"gridcolor": "#e4e7eb", "zerolinecolor": "#9aa5b1", "automargin": True},
    }


@dataclass
class Draft:
    """A chart being written: its traces, and its layout as plain data, made a figure once.

    Plotly validates a figure's properties as they are set: ``update_layout`` and
    ``update_xaxes`` on a built figure took 20–30 ms a chart through its update
    machinery, the same layout given to the constructor 3 ms.
    """

    data: list[Any] = field(default_factory=list)
    layout: dict[str, Any] = field(default_factory=dict)

    def update(self, **changes: Any) -> None:
        """Merge ``changes`` into the layout as ``update_layout`` does (nested keys kept)."""
        _merge(self.layout, changes)

    def figure(self) -> go.Figure:
        return go.Figure(self.data, self.layout)


def _merge(into: dict[str, Any], changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if isinstance(value, dict):
            if not isinstance(into.get(key), dict):
                into[key] = {}
            _merge(into[key], value)
        else:
            into[key] = value


# The part of a reach that may count the same people again: a light tint of the primary.
EXTRA_COLOUR = "#9cc3e4"
PERIOD_COLOUR = PALETTE[1]
# layout.meta's key of a chart's notes (``notes_of``)
NOTES_KEY = "notes"


def _reach_traces(
    fig: Draft,
    tr: Translator,
    amounts: list[Amount],
    positions: Sequence[object],
    value_label: str,
    horizontal: bool,
    hovers: list[str],
    labelled: bool = True,
) -> None:
    """Bars of distinct people (solid) and of the rest of the sum (light), and their labels
    (none when ``labelled`` is false: they would run into each other).

    The solid part is the people counted at least once for sure; the light part is
    what the activities add when their figures are summed, where the same person
    may count again (queries/model/45_amounts.sql). The label at the end of each
    bar is the reach as the sources allow it (« 10 378 à 20 437 », « ≥ 2 300 »).
    """
    # a range: its distinct people solid, the rest light; otherwise the sum solid (only
    # « au plus » figures: no lower bound, the whole bar is what the label says, « ≤ »)
    lower = [a.stated or 0.0 for a in amounts]
    extra = [(a.value or 0.0) - solid for a, solid in zip(amounts, lower, strict=True)]
    ranged = any(a.is_range for a in amounts)
    solid_name = tr._("Different people, at least") if ranged else value_label
    common = {
        "orientation": "h" if horizontal else "v",
        "hovertemplate": "%{customdata}<extra></extra>",
    }
    axis = {"y": positions, "x": lower} if horizontal else {"x": positions, "y": lower}
    fig.data.append(
        go.Bar(**axis, marker_color=PRIMARY, name=solid_name, customdata=hovers, **common)
    )
    if ranged:
        axis = {"y": positions, "x": extra} if horizontal else {"x": positions, "y": extra}
        fig.data.append(
            go.Bar(
                **axis,
                marker={"color": EXTRA_COLOUR, "pattern": {"shape": "/", "fgcolor": PRIMARY}},
                name=tr._("+ sum of the activities (may count people twice)"),
                customdata=hovers,
                **common,
            )
        )
    fig.update(barmode="stack", showlegend=ranged)
    if not labelled:
        return
    tops = [a.value if a.value is not None else 0.0 for a in amounts]
    labels = [bar_label(tr, a) for a in amounts]
    if horizontal:  # a gap between a bar's end and its label (« ▌2 480 » touched): the
        # label starts a little after the bar (1.2 % of the longest), its text unchanged
        gap = max(tops, default=0.0) * 0.012
        tops = [t + gap for t in tops]
    axis = {"y": positions, "x": tops} if horizontal else {"x": positions, "y": tops}
    fig.data.append(
        go.Scatter(
            **axis,
            mode="text",
            text=labels,
            textposition="middle right" if horizontal else "top center",
            textfont=LABEL_FONT,
            hoverinfo="skip",
            showlegend=False,
            cliponaxis=False,
        )
    )


def bar_label(tr: Translator, amount: Amount) -> str:
    """A bar's value label; a range's bounds one above the other: no wider than a year's
    bar, and room enough after the longest bar on a phone."""
    return _stacked(amount.reach_text(tr, compact=True))


# The plot a year chart gets on a phone (390 px less the axis title and ticks, 450 px
# less the title and legend), and a label's line at the chart's font (13 px): its height
# and the width of its widest character (digits are 0.55 em, « ≳ » 0.6 em).
PHONE_PLOT_PX = (300.0, 300.0)
LABEL_LINE_PX = 16.0
LABEL_CHAR_PX = 7.5


def labels_apart(
    positions: Sequence[float],
    tops: Sequence[float],
    labels: Sequence[str],
    x_span: float,
    y_top: float,
) -> bool:
    """Whether value labels above bars (centred on ``positions``, resting on ``tops``, on
    axes ``x_span`` years wide and up to ``y_top``) stay clear of each other on a phone.

    Labels of close years at close heights run into each other: at a million figures every
    year's label (« ≳ 1 662 628 ») overlapped its neighbours' even on a wide screen. Those
    charts then have no labels; the hover and the data table under the chart give each
    value. Labels of close years at different heights stay (« ≥ 2 300 » above « ≈ 30 »).
    """
    per_x = PHONE_PLOT_PX[0] / x_span if x_span > 0 else 0.0
    per_y = PHONE_PLOT_PX[1] / y_top if y_top > 0 else 0.0
    boxes = []
    for x, top, text in zip(positions, tops, labels, strict=True):
        lines = text.split("<br>")
        width = max(len(line) for line in lines) * LABEL_CHAR_PX
        bottom = top * per_y
        boxes.append(
            (
                x * per_x - width / 2,
                x * per_x + width / 2,
                bottom,
                bottom + len(lines) * LABEL_LINE_PX,
            )
        )
    return not any(
        a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
    )


def _stacked(text: str) -> str:
    """« 13 265–23 324 » as two lines: half as wide, it fits beside or above a bar on a phone."""
    low, dash, high = text.partition("–")
    return f"{low}{dash}<br>{high}" if dash else text


# A category name wider than this many characters wraps: on a phone the names would
# otherwise take the chart's width and leave the bars and their labels no room.
CATEGORY_WIDTH = 16


def wrap_category(name: str) -> str:
    """``name`` on lines of at most :data:`CATEGORY_WIDTH` characters (Plotly's ``<br>``)."""
    return "<br>".join(textwrap.wrap(name, CATEGORY_WIDTH, break_long_words=False)) or name


def bar_by_year(df: pd.DataFrame, tr: Translator, text: ChartText, value_label: str) -> go.Figure:
    """Reach per year on a continuous axis (gaps between years show); periods as spans.

    ``df`` has the columns of ``reach_by_year`` (``period_start``, ``period_end``
    and the amounts). A figure of a period (« entre 2010 et 2014 ») is not the
    reach of any one year: it is drawn as a line over its years, labelled with
    them. A year with figures whose year was inferred, or is the source's, is
    marked « * » and explained under the axis.
    """
    rows = df.to_dict("records")
    single = [r for r in rows if int(r["period_start"]) == int(r["period_end"])]
    periods = [r for r in rows if int(r["period_start"]) != int(r["period_end"])]
    fig = Draft()
    years = [int(r["period_end"]) for r in single]
    year_amounts = [Amount.from_row(r) for r in single]
    hovers = [
        f"{r['period_end']}<br>" + _reach_hover(tr, a, value_label)
        for r, a in zip(single, year_amounts, strict=True)
    ]
    every = sorted(
        {*years, *(y for r in periods for y in (int(r["period_start"]), int(r["period_end"])))}
    )
    x_range = (
        [every[0] - 0.8, every[-1] + (1.2 if year_amounts and year_amounts[-1].is_range else 0.8)]
        if every
        else None
    )
    top = max((a.value or 0.0 for a in year_amounts), default=0.0)
    top = max([top, *(Amount.from_row(r).value or 0.0 for r in periods)])
    # the periods' lines first: a year's label, drawn after them, lies over a line that
    # passes under it (« ≥ 2 300 » beside 2010–2014 on a phone read « > 2 300 », the line
    # over the foot of its « ≥ »)
    for row in periods:
        amount = Amount.from_row(row)
        start, end = int(row["period_start"]), int(row["period_end"])
        span = f"{start}–{end}"
        value = amount.value if amount.value is not None else 0.0
        label_text = _stacked(amount.reach_text(tr, compact=True))  # the line shows the years
        fig.data.append(
            go.Scatter(
                x=[start - 0.4, (start + end) / 2, end + 0.4],
                y=[value, value, value],
                mode="lines+text",
                line={"color": PERIOD_COLOUR, "width": 6},
                # from the line's start: centred, it sat beside the next year's label on a
                # phone and read as one text with it (« 2.480 ≥ 2.300 »)
                text=[label_text, "", ""],
                textposition="top right",
                textfont=LABEL_FONT,
                name=tr._("Figures over a period, not of one year"),
                legendrank=2000,  # listed first, as when it was drawn last
                customdata=[_reach_hover(tr, amount, value_label)] * 3,
                hovertemplate=f"{span}<br>%{{customdata}}<extra></extra>",
                cliponaxis=False,
            )
        )
    if single:
        labelled = labels_apart(
            years,
            [a.value or 0.0 for a in year_amounts],
            [bar_label(tr, a) for a in year_amounts],
            x_range[1] - x_range[0] if x_range else 0.0,
            top * 1.2,
        )
        _reach_traces(fig, tr, year_amounts, list(years), value_label, False, hovers, labelled)
    if periods:
        fig.update(showlegend=True)
    marked = {
        int(r["period_end"])
        for r in single
        if r.get("inferred_facts") or r.get("source_date_facts")
    }
    ticks = list(range(every[0], every[-1] + 1)) if every else []
    step = max(1, -(-len(ticks) // 8))  # at most about eight ticks: the years stay legible
    # every year with a figure keeps its tick (and its « * »), the others as room allows
    shown = sorted(set(ticks[::step]) | set(years))
    fig.update(
        xaxis={
            "type": "linear",
            "tickmode": "array",
            "tickvals": shown,
            "ticktext": [f"{y}*" if y in marked else str(y) for y in shown],
            # room after the last year for its label (« 13 265–23 324 » is wider than a bar)
            "range": x_range,
            "title": {"text": ""},
            "showgrid": False,
            # upright when they fit, else vertical: slanted labels of close years run together
            "autotickangles": [0, 90],
        },
        yaxis={
            "title": {"text": value_label},
            "tickformat": ",.0f",
            "range": [0, top * 1.2 if top > 0 else 1],
        },
    )
    legend = bool(fig.layout.get("showlegend"))
    fig.update(**style_layout(tr, text))
    note = tr._("* some years inferred, or the year of the source") if marked else ""
    if marked:
        # under the title, with the selection: exported images keep it too
        title = fig.layout["title"]["text"]
        fig.update(
            title={"text": f"{title}<br><sup>{hover_safe(note)}</sup>"},
            margin={"t": int(fig.layout["margin"]["t"]) + 22},
        )
    if legend:
        _legend_below(fig, -0.2)
    # a year named as its tick names it: « 2024* » keeps its mark in words too
    items = [
        alt_text.item(tr, f"{y}*" if y in marked else y, a)
        for y, a in sorted(zip(years, year_amounts, strict=True))
    ]
    spans = [
        alt_text.item(tr, f"{int(r['period_start'])}–{int(r['period_end'])}", Amount.from_row(r))
        for r in periods
    ]
    figure = fig.figure()
    if note:
        figure.update_layout(meta={**(figure.layout.meta or {}), NOTES_KEY: [note]})
    return alt_text.attach(
        figure,
        alt_text.years(tr, text.title, alt_text.plain_title(text.subtitle), items, spans, note),
    )


def notes_of(fig: go.Figure) -> list[str]:
    """What a chart says under its title besides the selection (« * some years inferred… »).

    In ``layout.meta`` too, for a view that draws the title apart from the figure (the
    embed): without it, « 2024* » was shown there with no word of what « * » means.
    """
    meta = fig.layout.meta
    notes = meta.get(NOTES_KEY, []) if isinstance(meta, dict) else []
    return [str(n) for n in notes]


def _reach_hover(tr: Translator, amount: Amount, value_label: str) -> str:
    # imported late: explore imports this module for hover_safe
    from impact.explore import reach_hover

    return reach_hover(tr, amount, value_label)


def bar_horizontal(
    df: pd.DataFrame, tr: Translator, text: ChartText, category: str, value_label: str
) -> go.Figure:
    """Horizontal bars of the reach per ``category`` (already translated), largest on top."""
    ordered = df.assign(_sort=df["total"].fillna(0)).sort_values("_sort", ascending=True)
    rows = ordered.to_dict("records")
    amounts = [Amount.from_row(r) for r in rows]
    names = [str(r[category]) for r in rows]
    hovers = [
        f"{hover_safe(n)}<br>" + _reach_hover(tr, a, value_label)
        for n, a in zip(names, amounts, strict=True)
    ]
    fig = Draft()
    _reach_traces(fig, tr, amounts, names, value_label, True, hovers)
    wrapped = [wrap_category(hover_safe(n)) for n in names]
    # Room on the right for the label printed after the longest bar.
    top = max((a.value or 0.0 for a in amounts), default=0.0)
    room = 1.75 if any(a.is_range for a in amounts) else 1.35
    # No value axis: every bar carries its figure (a scale's ticks ran together on a
    # phone); no axis title: the chart's title says what is counted, the legend is below.
    fig.update(
        xaxis={
            "title": {"text": ""},
            "range": [0, top * room if top > 0 else 1],
            "showticklabels": False,
            "showgrid": False,
            "zeroline": True,
        },
        yaxis={
            "title": {"text": ""},
            "type": "category",
            "showgrid": False,
            "tickmode": "array",
            "tickvals": names,
            "ticktext": wrapped,
            "ticklabelstandoff": 6,  # « Colombie▌»: the name touched its bar
        },
    )
    lines = max((w.count("<br>") + 1 for w in wrapped), default=1)
    height = max(320, 90 + (34 + 14 * (lines - 1)) * len(ordered))
    legend = bool(fig.layout.get("showlegend"))
    fig.update(**style_layout(tr, text, height=height + (60 if legend else 0)))
    if legend:
        _legend_below(fig, -0.12)
    items = [alt_text.item(tr, n, a) for n, a in zip(names, amounts, strict=True)]
    return alt_text.attach(
        fig.figure(), alt_text.bars(tr, text.title, alt_text.plain_title(text.subtitle), items)
    )


def country_bars(
    df: pd.DataFrame, tr: Translator, subtitle: str, value_label: str
) -> tuple[str, go.Figure]:
    """Persons reached by country as bars (``reach_by_country`` rows, largest first, with
    ``country`` translated): the ``TOP_BARS`` largest, the title saying so when there are
    more. A federation's 140 countries made a chart 5 000 px tall that no one reads and
    the browser took the longest to draw; the table beside it and the map show them all.
    """
    if len(df) <= TOP_BARS:
        title = tr._("Persons reached by country")
    else:
        title = tr._("Persons reached by country: the {n} largest", n=TOP_BARS)
    shown = df.head(TOP_BARS)
    return title, bar_horizontal(shown, tr, ChartText(title, subtitle), "country", value_label)


def _legend_below(fig: Draft, y: float) -> None:
    """A legend under the plot: what the solid and the hatched parts of a bar count."""
    fig.update(
        showlegend=True,
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": y,
            "x": 0,
            "xanchor": "left",
            "font": {"size": 12},
        },
        margin={"b": max(int(fig.layout["margin"]["b"]), 120)},
    )


def theme_labels(df: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Add a translated ``theme_label`` column."""
    out = df.copy()
    out["theme_label"] = [label(tr, "theme", t) for t in out["theme"]]
    return out


def country_names(df: pd.DataFrame, tr: Translator) -> pd.Series:
    """Country names of ``df`` (with name_fr/name_nl/name_en columns) in the reader's language."""
    return df[f"name_{tr.lang}"]


# --- Text from data files in Plotly (maps live in impact/maps.py) ---


def hover_safe(text: object) -> str:
    """Escape text from a data file for Plotly hover labels, which render some HTML tags."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
