"""One chart style for the whole app and its exports: DataFrame in, Plotly figure out.

Colours are the Okabe-Ito palette (safe for the common colour-vision
deficiencies); titles say what and when; years are categories (no « 2 022,5 »
ticks); hover values use the reader's number format through Plotly's
``separators``. Nothing here knows about Streamlit, so exports render the very
same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from impact.i18n import Translator
from impact.vocab import label

# Okabe & Ito (2008), colour-blind-safe qualitative palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
PRIMARY = PALETTE[0]
# Sequential scale for maps: light to the palette's blue.
SEQUENTIAL = ["#eef5fb", "#9ecae1", "#4292c6", "#0072B2", "#08306b"]
FONT = "Source Sans Pro, DejaVu Sans, Arial, sans-serif"
# Plotly `separators`: decimal mark then thousands separator.
SEPARATORS = {"fr": ",\u202f", "nl": ",.", "en": ".,"}


@dataclass(frozen=True)
class ChartText:
    """What a chart is about, for its title and its exports."""

    title: str
    subtitle: str = ""
    source: str = ""


def years_label(years: pd.Series) -> str:
    """« 2014–2024 », « 2024 » or an empty string."""
    values = sorted({int(y) for y in years.dropna()})
    if not values:
        return ""
    return str(values[0]) if values[0] == values[-1] else f"{values[0]}–{values[-1]}"


def style(fig: go.Figure, tr: Translator, text: ChartText, height: int = 420) -> go.Figure:
    """Apply the house style, title and subtitle to ``fig``."""
    title = text.title
    if text.subtitle:
        title += f"<br><sup>{text.subtitle}</sup>"
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        font={"family": FONT, "size": 13, "color": "#1f2933"},
        colorway=PALETTE,
        separators=SEPARATORS[tr.lang],
        plot_bgcolor="white",
        paper_bgcolor="white",
        height=height,
        margin={"l": 10, "r": 10, "t": 80 if text.subtitle else 60, "b": 10},
        hoverlabel={"font": {"family": FONT}},
        showlegend=False,
    )
    fig.update_xaxes(showgrid=False, linecolor="#9aa5b1", automargin=True)
    fig.update_yaxes(gridcolor="#e4e7eb", zerolinecolor="#9aa5b1", automargin=True)
    return fig


def bar_by_year(df: pd.DataFrame, tr: Translator, text: ChartText, value_label: str) -> go.Figure:
    """Vertical bars of ``total`` per ``year``; years are categories."""
    fig = go.Figure(
        go.Bar(
            x=df["year"].astype(int).astype(str),
            y=df["total"],
            marker_color=PRIMARY,
            hovertemplate=f"%{{x}}<br>{value_label}: %{{y:,.0f}}<extra></extra>",
            texttemplate="%{y:,.0f}",
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.update_xaxes(type="category", title_text=tr._("Year"))
    top = float(df["total"].max()) if len(df) else 0.0
    fig.update_yaxes(
        title_text=value_label, tickformat=",.0f", range=[0, top * 1.15 if top > 0 else 1]
    )
    return style(fig, tr, text)


def bar_horizontal(
    df: pd.DataFrame, tr: Translator, text: ChartText, category: str, value_label: str
) -> go.Figure:
    """Horizontal bars of ``total`` per ``category`` (already translated), largest on top."""
    ordered = df.sort_values("total", ascending=True)
    fig = go.Figure(
        go.Bar(
            x=ordered["total"],
            y=ordered[category],
            orientation="h",
            marker_color=PRIMARY,
            hovertemplate=f"%{{y}}<br>{value_label}: %{{x:,.0f}}<extra></extra>",
            texttemplate="%{x:,.0f}",
            textposition="outside",
            cliponaxis=False,
        )
    )
    # Room on the right for the value printed after the longest bar.
    top = float(ordered["total"].max()) if len(ordered) else 0.0
    fig.update_xaxes(
        title_text=value_label, tickformat=",.0f", range=[0, top * 1.3 if top > 0 else 1]
    )
    fig.update_yaxes(title_text="", type="category")
    height = max(320, 90 + 34 * len(ordered))
    return style(fig, tr, text, height=height)


def theme_labels(df: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Add a translated ``theme_label`` column."""
    out = df.copy()
    out["theme_label"] = [label(tr, "theme", t) for t in out["theme"]]
    return out


def country_names(df: pd.DataFrame, tr: Translator) -> pd.Series:
    """Country names of ``df`` (with name_fr/name_nl/name_en columns) in the reader's language."""
    return df[f"name_{tr.lang}"]


# --- Maps (offline: plotly.js fetches « world_50m.json » from the app's static folder) ---

GEO_RESOLUTION = 50  # 1:50m outlines: the 1:110m file lacks small countries (Comoros, Bahrain…)
NO_FIGURE_COLOUR = "#9aa5b1"
PLACE_COLOUR = PALETTE[5]
OUTLINE_FILL = "#cfe3f3"


def hover_safe(text: object) -> str:
    """Escape text from a data file for Plotly hover labels, which render some HTML tags."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _geo_style(fig: go.Figure) -> None:
    fig.update_geos(
        resolution=GEO_RESOLUTION,
        fitbounds="locations",
        projection_type="natural earth",
        showframe=False,
        showcoastlines=False,
        showcountries=True,
        countrycolor="#c3cad3",
        countrywidth=0.5,
        showland=True,
        landcolor="#f4f5f7",
        showocean=True,
        oceancolor="#ffffff",
        showlakes=False,
        bgcolor="white",
    )


def reach_map(
    countries: pd.DataFrame,
    places: pd.DataFrame,
    tr: Translator,
    text: ChartText,
    value_label: str,
    height: int = 540,
) -> go.Figure:
    """Countries shaded by ``total`` and places as points sized by their ``total``.

    ``countries`` has ``country_iso3``, ``country`` (translated name), ``total`` and
    ``hover`` (extra lines, already escaped); ``places`` has ``name``, ``lat``, ``lon``,
    ``total`` and ``hover``. Places without a figure of this kind are small grey
    points. The view fits the locations drawn, so a Belgian selection shows Belgium.
    """
    fig = go.Figure()
    shaded = countries
    if not shaded.empty:
        # One country, or countries without a figure of this kind: an outline in a light
        # fill, no colour scale (a scale of one value says nothing).
        graded = len(shaded) > 1 and float(shaded["total"].max()) > 0
        fig.add_trace(
            go.Choropleth(
                locations=shaded["country_iso3"],
                z=shaded["total"],
                locationmode="ISO-3",
                colorscale=SEQUENTIAL if graded else [[0, OUTLINE_FILL], [1, OUTLINE_FILL]],
                zmin=0,
                zmax=max(float(shaded["total"].max()), 1.0),
                showscale=graded,
                marker_line_color="white",
                marker_line_width=0.6,
                customdata=list(
                    zip(shaded["country"].map(hover_safe), shaded["hover"], strict=True)
                ),
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
                colorbar={
                    "title": {"text": value_label, "side": "right"},
                    "tickformat": ",.0f",
                    "thickness": 12,
                    "len": 0.7,
                },
                name=value_label,
            )
        )
    if not places.empty:
        biggest = float(places["total"].max() or 0)
        reached = places[places["total"] > 0]
        others = places[places["total"] <= 0]
        if not reached.empty:
            sizes = [10 + 30 * (float(v) / biggest) ** 0.5 for v in reached["total"]]
            fig.add_trace(
                go.Scattergeo(
                    lat=reached["lat"],
                    lon=reached["lon"],
                    mode="markers",
                    marker={
                        "size": sizes,
                        "color": PLACE_COLOUR,
                        "opacity": 0.85,
                        "line": {"color": "white", "width": 1},
                    },
                    customdata=list(
                        zip(reached["name"].map(hover_safe), reached["hover"], strict=True)
                    ),
                    hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
                    name=tr._("Places (size: {what})", what=value_label),
                )
            )
        if not others.empty:
            fig.add_trace(
                go.Scattergeo(
                    lat=others["lat"],
                    lon=others["lon"],
                    mode="markers",
                    marker={
                        "size": 7,
                        "color": NO_FIGURE_COLOUR,
                        "line": {"color": "white", "width": 1},
                    },
                    customdata=list(
                        zip(others["name"].map(hover_safe), others["hover"], strict=True)
                    ),
                    hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
                    name=tr._("Other places named in the sources"),
                )
            )
    _geo_style(fig)
    style(fig, tr, text, height=height)
    fig.update_layout(
        showlegend=not places.empty,
        legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0},
        margin={"l": 0, "r": 0, "t": 80 if text.subtitle else 60, "b": 30},
    )
    return fig


def bar_by_year_stacked(
    df: pd.DataFrame, tr: Translator, text: ChartText, category: str, value_label: str
) -> go.Figure:
    """Stacked bars of ``total`` per ``year``, one colour per ``category`` (already translated)."""
    years = sorted({int(y) for y in df["year"]})
    fig = go.Figure()
    order = df.groupby(category)["total"].sum().sort_values(ascending=False).index
    for index, name in enumerate(order):
        rows = df[df[category] == name]
        fig.add_trace(
            go.Bar(
                x=rows["year"].astype(int).astype(str),
                y=rows["total"],
                name=str(name),
                marker_color=PALETTE[index % len(PALETTE)],
                customdata=[hover_safe(name)] * len(rows),
                hovertemplate=(
                    f"%{{customdata}} · %{{x}}<br>{value_label}: %{{y:,.0f}}<extra></extra>"
                ),
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=[str(y) for y in years],
        title_text=tr._("Year"),
    )
    fig.update_yaxes(title_text=value_label, tickformat=",.0f", rangemode="tozero")
    style(fig, tr, text)
    fig.update_layout(
        showlegend=True,
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "traceorder": "normal"},
    )
    fig.update_layout(margin={"b": 40})
    return fig
