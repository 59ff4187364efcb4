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


# --- Text from data files in Plotly (maps live in impact/maps.py) ---


def hover_safe(text: object) -> str:
    """Escape text from a data file for Plotly hover labels, which render some HTML tags."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
