"""Chart images rendered on the server (kaleido + Chromium): PNG and SVG with their context.

An exported chart must stand alone once pasted in a report or a post: it
carries its title, a subtitle stating the selection, a source line and the
date. The browser is started once per process (``kaleido.start_sync_server``)
so every image after the first costs a fraction of a second; maps read their
world outline from the bundled topojson files, never from the internet.
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass
from datetime import date

import kaleido
import plotly.graph_objects as go
import plotly.io as pio

from impact.i18n import N_, Translator
from impact.maps import inline_outlines, relabel
from impact.paths import TOPOJSON_DIR


@dataclass(frozen=True)
class Preset:
    """An image size: CSS pixels times ``scale`` gives the PNG's pixels."""

    key: str
    label: str  # English msgid
    width: int
    height: int
    scale: int = 2

    @property
    def pixels(self) -> tuple[int, int]:
        """Width and height of the PNG, in pixels."""
        return self.width * self.scale, self.height * self.scale


PRESETS: dict[str, Preset] = {
    # 16 cm of an A4 page at 300 dpi is about 1 890 pixels.
    "report": Preset("report", N_("Report (A4 width)"), 945, 560),
    "slide": Preset("slide", N_("Slide (16:9)"), 960, 540),
    "social": Preset("social", N_("Social media (square)"), 540, 540),
}
FORMATS = ("png", "svg")

_lock = threading.Lock()
_started = False


def start() -> None:
    """Start the shared headless browser once, with the offline world maps."""
    global _started
    with _lock:
        if _started:
            return
        pio.defaults.topojson = TOPOJSON_DIR.resolve().as_uri() + "/"
        kaleido.start_sync_server(silence_warnings=True)
        _started = True


def stop() -> None:
    """Close the shared browser (scripts call it before exiting; the app keeps it)."""
    global _started
    with _lock:
        if _started:
            kaleido.stop_sync_server(silence_warnings=True)
            _started = False


@dataclass(frozen=True)
class Caption:
    """What an exported chart states besides its data."""

    subtitle: str  # the selection (describe_filters)
    source: str  # who published the figures
    day: date

    def footer(self, tr: Translator) -> str:
        """« Sources : … · 23 novembre 2026 », as under the charts of the pages."""
        # the date on one line: a wrapped footer left « 1 » at a line's end, « décembre » below
        day = tr.date(self.day).replace(" ", "\u00a0")
        return tr._("Sources: {source} · {date}", source=self.source, date=day)


def _wrap(text: str, width: int) -> str:
    """Break a long line for Plotly (which does not wrap), on spaces."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return "<br>".join(lines)


def _legend_rows(fig: go.Figure, preset: Preset) -> int:
    """Rows a horizontal legend takes at this width (0 when no legend is shown)."""
    if fig.layout.showlegend is False:
        return 0
    names = [str(t.name or "") for t in fig.data if t.showlegend is not False and t.name]
    if not names or (fig.layout.showlegend is None and len(names) < 2):
        return 0
    width = sum(40 + 7 * len(name) for name in names)
    return -(-width // max(1, preset.width - 40))


LINE_HEIGHT = 1.3  # plotly.js's line spacing in a multi-line text, in ems
SMALLEST_FONT = 8  # a label's size when many bars share a small image


def _fit_categories(fig: go.Figure, plot_height: float) -> None:
    """Bar labels that fit the image's height, at most one line per bar when needed.

    The pages draw horizontal bars at a height that grows with their count, their
    names wrapped on two or three lines for a phone (``charts.wrap_category``) and a
    range's bounds one above the other (``charts.bar_label``). An image has the
    preset's height: the 20 themes of a federation left a bar 16 px in a square image,
    and the wrapped names ran into each other. When a bar has less room than its
    lines take, names and values are written on one line, and smaller when one line
    does not fit either.
    """
    axis = fig.layout.yaxis
    if axis.type != "category" or axis.ticktext is None or not len(axis.ticktext):
        return
    names = [str(t) for t in axis.ticktext]
    values = [
        trace
        for trace in fig.data
        if trace.type == "scatter" and trace.mode == "text" and trace.text is not None
    ]
    size = float(fig.layout.font.size or 12)
    room = plot_height / len(names)
    lines = max(
        [n.count("<br>") + 1 for n in names]
        + [str(t).count("<br>") + 1 for trace in values for t in trace.text]
    )
    if lines * size * LINE_HEIGHT <= room:
        return
    fig.update_yaxes(ticktext=[n.replace("<br>", " ") for n in names])
    for trace in values:
        trace.text = [str(t).replace("<br>", "") for t in trace.text]  # « 10 378–20 437 »
    if size * LINE_HEIGHT > room:
        smaller = max(SMALLEST_FONT, int(room / LINE_HEIGHT))
        fig.update_yaxes(tickfont_size=smaller)
        for trace in values:
            trace.textfont.size = smaller


def _category_labels_width(fig: go.Figure) -> float:
    """About how wide the bars' names are (0 without names on the side), in CSS pixels."""
    axis = fig.layout.yaxis
    if axis.type != "category" or axis.ticktext is None:
        return 0.0
    size = float(axis.tickfont.size or fig.layout.font.size or 12)
    lines = [line for name in axis.ticktext for line in str(name).split("<br>")]
    return max((len(line) for line in lines), default=0) * size * 0.6


def decorate(fig: go.Figure, tr: Translator, caption: Caption, preset: Preset) -> go.Figure:
    """A copy of ``fig`` sized for ``preset`` with title, selection, source and date."""
    out = go.Figure(fig)
    title = str(out.layout.title.text or "").split("<br>")[0]
    chars = max(40, preset.width // 8)
    subtitle = _wrap(caption.subtitle, chars)
    sub_lines = subtitle.count("<br>") + 1
    # Room between the plot and the footer: tick labels and the axis title, if any.
    is_map = any(trace.type in {"choropleth", "scattergeo"} for trace in out.data)
    below = 8 if is_map else (66 if out.layout.xaxis.title.text else 36)
    legend_rows = _legend_rows(out, preset)
    title = _wrap(title, int(chars * 0.8))
    top = 76 + 16 * (sub_lines + title.count("<br>")) + 26 * legend_rows
    # The footer starts at the plot's left edge, after the axis labels: wrap it short. The
    # bars' names are fitted to the plot's height that the footer leaves, and set where
    # the plot starts: twice, as one-line names may take more width and the footer a line.
    text = caption.footer(tr)
    footer = _wrap(text, max(40, int(preset.width * 0.6 / 6.2)))
    for _ in range(2):
        foot_lines = footer.count("<br>") + 1
        _fit_categories(out, preset.height - top - (below + 20 + 15 * foot_lines))
        room = preset.width - 50 - _category_labels_width(out)
        footer = _wrap(text, max(30, int(min(preset.width * 0.6, room) / 6.2)))
    foot_lines = footer.count("<br>") + 1
    title_lines = title.count("<br>") + 1 + sub_lines
    margin = {"t": top, "b": below + 20 + 15 * foot_lines, "l": 20, "r": 30}
    out.update_layout(
        title={
            "text": f"{title}<br><sup>{subtitle}</sup>",
            "x": 0.015,
            "xanchor": "left",
            "xref": "container",
            # plotly.js lifts a multi-line title by its extra lines: lower it as much.
            "y": 1 - (14 + 21 * (title_lines - 1)) / preset.height,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 18},
        },
        width=preset.width,
        height=preset.height,
        margin=margin,
        autosize=False,
    )
    if is_map:
        # the page's place names were laid out for its column: again for this plot area
        relabel(
            out,
            preset.width - margin["l"] - margin["r"],
            preset.height - margin["t"] - margin["b"],
        )
    if legend_rows:
        # A legend under the plot would collide with the source line: put it above the plot.
        out.update_layout(
            legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.01, "yanchor": "bottom"}
        )
    out.add_annotation(
        text=footer,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-below,
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font={"size": 11, "color": "#52606d"},
    )
    return out


def render(fig: go.Figure, fmt: str, preset: Preset) -> bytes:
    """PNG or SVG bytes of a figure already decorated for ``preset``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown image format {fmt!r}")
    start()
    with _lock, warnings.catch_warnings():
        # plotly passes options that the shared server ignores, and says so.
        warnings.simplefilter("ignore", UserWarning)
        data = pio.to_image(
            fig,
            format=fmt,
            width=preset.width,
            height=preset.height,
            scale=preset.scale if fmt == "png" else 1,
        )
    return bytes(data)


def export(
    fig: go.Figure, tr: Translator, caption: Caption, preset_key: str, fmt: str = "png"
) -> bytes:
    """Decorate and render in one step."""
    preset = PRESETS[preset_key]
    return render(decorate(inline_outlines(fig), tr, caption, preset), fmt, preset)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height written in a PNG header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
