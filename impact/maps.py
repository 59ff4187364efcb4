"""Maps: countries in classes a reader can tell apart, places clustered and labelled.

Outlines are our own files (``static/outlines/``, built by
``scripts/build_outlines.mjs`` from Natural Earth through world-atlas 2.0.2),
drawn with ``geojson=`` traces: Western Sahara is apart from Morocco, its
boundary dashed, as on the UN's maps, and Plotly's built-in outlines (which
draw it inside Morocco) are not used. The world view reads a light 1:110m file
(1:50m for the countries too small for it); maps of a few countries read the
1:50m file. The browser fetches them from the app; exported images get them
inline (``inline_outlines``).

A linear colour scale made one country dark and every other one almost the
colour of « no figure »: countries fall in classes by order of magnitude
(10–99, 100–999…), each a colour and a legend entry in the reader's number
format, and ``class_lines`` says the same in words. Countries with no figure
are grey, never a pale blue. Places closer than the map can separate are
drawn as one point that lists them.
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from impact import alt_text, queries
from impact.charts import FONT, PALETTE, ChartText, hover_safe, style_layout
from impact.i18n import Translator
from impact.paths import STATIC_DIR

OUTLINES_DIR = STATIC_DIR / "outlines"
OUTLINES_URL = "/app/static/outlines/"
WORLD = "world.json"  # 1:110m, and 1:50m for small countries: the world view
DETAIL = "world-50m.json"  # 1:50m: maps of one or a few countries
DISPUTED = "disputed.json"  # boundaries drawn dashed (Western Sahara)

# Colours, light to dark, of up to five classes; all clearly apart from the greys.
CLASS_COLOURS = ["#b9d6ee", "#7fb3dd", "#3f88c5", "#1d5f9e", "#0b3768"]
LAND = "#eceff3"  # countries the selection has nothing about
NO_FIGURE = "#9aa3ad"  # countries of the selection with no figure of this kind
FOCUS = "#cfe1f2"  # the one country of a map of one country: light, under named points
BORDER = "#ffffff"
PLACE_COLOUR = PALETTE[5]
OTHER_PLACE = "#7b8794"
DISPUTED_LINE = "#52606d"
TEXT = "#1f2933"
# On a phone a map of Belgium is 350 px wide, not the 820 px its place names are laid out
# for (``label_positions``, on the server, which does not know the screen): the names ran
# into each other, and Brussels' was cut by the map's edge. A phone's maps show the points
# alone; a tap on a point gives its name, and « Show the data » lists them (the app's pages,
# ``impact.ui.frame``; an embed draws the world view, which writes no names).
PHONE_CSS = """@media (max-width: 640px) {
  .js-plotly-plot .geo g.trace.scattergeo text { display: none; }
}"""
# Hover labels: dark text on white, whatever the colour of the point or country.
HOVER = {"bgcolor": "white", "bordercolor": "#9aa5b1", "font": {"family": FONT, "color": TEXT}}


@cache
def outline(name: str) -> dict[str, Any]:
    """One GeoJSON file of ``static/outlines/``, read once."""
    data: dict[str, Any] = json.loads((OUTLINES_DIR / name).read_text(encoding="utf-8"))
    return data


@cache
def outline_ids(name: str) -> tuple[str, ...]:
    """The ISO-3 codes a file draws."""
    return tuple(str(f["id"]) for f in outline(name)["features"])


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """The outer ring of each polygon of a (Multi)Polygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


@cache
def _bounds(name: str) -> dict[str, tuple[float, float, float, float]]:
    """Per country, the box (west, south, east, north) of its largest polygon.

    The largest one only: France's box would otherwise reach French Guiana, and
    the United States' the Aleutians across the antimeridian.
    """
    boxes = {}
    for feature in outline(name)["features"]:
        ring = max(_rings(feature["geometry"]), key=len)
        lons = [p[0] for p in ring]
        lats = [p[1] for p in ring]
        boxes[str(feature["id"])] = (min(lons), min(lats), max(lons), max(lats))
    return boxes


@cache
def _extents(name: str) -> dict[str, list[tuple[float, float, float, float]]]:
    """Per country, the box of each of its polygons (what may show in a view)."""
    boxes = {}
    for feature in outline(name)["features"]:
        boxes[str(feature["id"])] = [
            (
                min(p[0] for p in ring),
                min(p[1] for p in ring),
                max(p[0] for p in ring),
                max(p[1] for p in ring),
            )
            for ring in _rings(feature["geometry"])
        ]
    return boxes


def in_view(name: str, lon_range: Sequence[float], lat_range: Sequence[float]) -> list[str]:
    """The countries of a file with some land in the view (the others are not drawn)."""
    return [
        code
        for code, boxes in _extents(name).items()
        if code != "ATA"
        and any(
            west <= lon_range[1]
            and east >= lon_range[0]
            and south <= lat_range[1]
            and north >= lat_range[0]
            for west, south, east, north in boxes
        )
    ]


def country_box(iso3: str, name: str = DETAIL) -> tuple[float, float, float, float] | None:
    """The box of a country's main outline, None if the file does not draw it."""
    return _bounds(name).get(iso3)


# --- Classes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MapClass:
    """Countries whose total is in ``[low, high]``, drawn in ``colour``."""

    low: int
    high: int
    colour: str

    def label(self, tr: Translator) -> str:
        """« 1 000–9 999 » in the reader's number format."""
        return f"{tr.number(self.low)}–{tr.number(self.high)}"

    def holds(self, value: float) -> bool:
        """True when ``value`` falls in this class."""
        return self.low <= value <= self.high


def classes(totals: Iterable[float], most: int = 5) -> list[MapClass]:
    """Classes by order of magnitude covering every positive total (at most ``most``).

    One class per power of ten from the smallest total's to the largest's
    (1–9, 10–99, 100–999…); beyond ``most`` the smallest ones are merged, so a
    federation's range of 1 to 10 million still reads in five colours.
    """
    values = [float(v) for v in totals if float(v) > 0]
    if not values:
        return []
    first = math.floor(math.log10(max(1.0, min(values))))
    last = math.floor(math.log10(max(1.0, max(values))))
    edges = list(range(first, last + 1))
    if len(edges) > most:
        edges = [edges[0], *edges[len(edges) - most + 1 :]]
    picks = {1: [3], 2: [1, 4], 3: [0, 2, 4], 4: [0, 2, 3, 4], 5: [0, 1, 2, 3, 4]}[len(edges)]
    found = []
    for index, power in enumerate(edges):
        following = edges[index + 1] if index + 1 < len(edges) else power + 1
        found.append(MapClass(10**power, 10**following - 1, CLASS_COLOURS[picks[index]]))
    return found


def class_of(value: float, found: Sequence[MapClass]) -> MapClass | None:
    """The class of a total (None for no figure)."""
    return next((c for c in found if c.holds(value)), None)


def class_lines(
    tr: Translator, countries: pd.DataFrame, value_label: str, shown: int = 6
) -> list[str]:
    """The classes in words, largest first: « 1 000–9 999: Colombia (2 480), … ».

    ``countries`` has ``country``, ``total`` and ``reach`` (the total as the
    reader sees it, qualifier included). The map is readable without its
    colours: each class names its countries, the ``shown`` largest, and how
    many others.
    """
    found = classes(countries["total"]) if len(countries) else []
    lines = []
    ordered = countries.sort_values("total", ascending=False)
    for klass in reversed(found):
        members = ordered[[klass.holds(float(t)) for t in ordered["total"]]]
        if members.empty:
            continue
        names = [f"{c} ({r})" for c, r in zip(members["country"], members["reach"], strict=True)]
        text = ", ".join(names[:shown])
        if len(names) > shown:
            text = tr.ngettext(
                "{names} and {n} other", "{names} and {n} others", len(names) - shown, names=text
            )
        lines.append(tr._("{range}: {countries}", range=klass.label(tr), countries=text))
    if lines:
        lines.insert(0, tr._("{what}, by country:", what=value_label))
    return lines


# --- Places ----------------------------------------------------------------------------


# The most points a map draws, whatever the data: beyond it, places are grouped more
# widely (each point says how many places it holds). A reader cannot tell more apart,
# and the browser draws and hovers a few hundred points without waiting.
MAX_POINTS = 300


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in kilometres (equirectangular: fine at the scale of a city)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


def cluster_places(places: pd.DataFrame, km: float) -> list[list[int]]:
    """Groups of places (row positions) closer than ``km`` to the group's largest place.

    Greedy, largest total first: each place joins the first group whose
    leading place is within ``km``, so the six places of Brussels become one
    point in the Belgium view, and Kinshasa's two in the world view. Leading
    places are kept in a grid of cells about ``km`` wide, so a federation's
    thousand places are grouped in milliseconds.
    """
    lats = [float(v) for v in places["lat"]]
    lons = [float(v) for v in places["lon"]]
    totals = [float(v) for v in places["total"]]
    names = [str(v) for v in places["name"]]
    cell = max(km / 111.0, 1e-6)  # degrees of latitude; longitude cells are as wide or wider
    grid: dict[tuple[int, int], list[int]] = {}
    groups: list[list[int]] = []
    for index in sorted(range(len(lats)), key=lambda i: (-totals[i], names[i])):
        lat, lon = lats[index], lons[index]
        row, column = math.floor(lat / cell), math.floor(lon / cell)
        reach = max(1, math.ceil(1 / max(math.cos(math.radians(lat)), 0.05)))
        found = None
        for near_row in (row - 1, row, row + 1):
            for near_column in range(column - reach, column + reach + 1):
                for group in grid.get((near_row, near_column), []):
                    head = groups[group][0]
                    if _km(lat, lon, lats[head], lons[head]) < km and (
                        found is None or group < found
                    ):
                        found = group
        if found is None:
            grid.setdefault((row, column), []).append(len(groups))
            groups.append([index])
        else:
            groups[found].append(index)
    return groups


# Places named in the hover of a group of close places, largest first: a longer list
# runs off the screen (a federation's capital groups dozens) and the map's data holds
# every place.
GROUP_HOVER_PLACES = 8


def _group_hover(tr: Translator, members: list[dict[str, Any]]) -> str:
    """« 23 places — zoom in to tell them apart », then one short line per place (its name
    and reach as on its own point), the largest ``GROUP_HOVER_PLACES``, and how many more."""
    parts = [
        hover_safe(tr.ngettext("{n} place", "{n} places", len(members)))
        + " — "
        + hover_safe(tr._("zoom in to tell them apart"))
    ]
    for member in members[:GROUP_HOVER_PLACES]:
        reach = str(member["reach"])
        said = reach if reach != "–" else tr._("No figure of this kind here")
        parts.append(f"<b>{hover_safe(member['name'])}</b>: {hover_safe(said)}")
    rest = len(members) - GROUP_HOVER_PLACES
    if rest > 0:
        parts.append(hover_safe(tr.ngettext("… and {n} more place", "… and {n} more places", rest)))
    return "<br>".join(parts)


# Writes the hovers of rows of a map's places (``explore.place_hovers``); a frame that
# carries its own (a programme's places) reads its ``hover`` column.
Hovers = Callable[[pd.DataFrame], list[str]]


def _hover_column(rows: pd.DataFrame) -> list[str]:
    return [str(hover) for hover in rows["hover"]]


def _place_points(
    tr: Translator, places: pd.DataFrame, groups: list[list[int]], hovers: Hovers
) -> pd.DataFrame:
    """One row per group: a place with its hover, or close places with their reach listed."""
    records = queries.records(places)
    alone = [group[0] for group in groups if len(group) == 1]
    written = dict(zip(alone, hovers(places.iloc[alone]) if alone else [], strict=True))
    rows = []
    for group in groups:
        members = [records[i] for i in group]
        head = members[0]
        if len(members) == 1:
            name, hover = str(head["name"]), written[group[0]]
        else:
            regions = {m.get("admin1") for m in members}
            # six places of Brussels: « Bruxelles-Capitale (6 places) »
            name = (
                tr.ngettext(
                    "{name} ({n} place)", "{name} ({n} places)", len(members), name=regions.pop()
                )
                if len(regions) == 1 and isinstance(head.get("admin1"), str)
                else tr._("{name} (+{n})", name=head["name"], n=len(members) - 1)
            )
            hover = _group_hover(tr, members)
        rows.append(
            {
                "name": name,
                "lat": sum(float(m["lat"]) for m in members) / len(members),
                "lon": sum(float(m["lon"]) for m in members) / len(members),
                "total": sum(float(m["total"]) for m in members),
                "hover": hover,
                "places": len(members),
            }
        )
    return pd.DataFrame(rows, columns=["name", "lat", "lon", "total", "hover", "places"])


def bounded_points(
    tr: Translator, places: pd.DataFrame, km: float, hovers: Hovers = _hover_column
) -> pd.DataFrame:
    """The points of ``places`` grouped within ``km``, widened until at most ``MAX_POINTS``.

    ``hovers`` writes the hovers of the places drawn alone (by default their ``hover``).
    """
    groups = cluster_places(places, km)
    while len(groups) > MAX_POINTS:  # a federation's places: wider groups, never more points
        km *= 1.5
        groups = cluster_places(places, km)
    return _place_points(tr, places, groups, hovers)


# --- The map ---------------------------------------------------------------------------


def _view(
    countries: Sequence[str], places: pd.DataFrame, world: bool
) -> tuple[list[float], list[float]]:
    """Longitude and latitude ranges showing the countries and places, with a margin."""
    boxes = [b for b in (country_box(c) for c in countries) if b is not None]
    west = [b[0] for b in boxes] + [float(v) for v in places["lon"]]
    south = [b[1] for b in boxes] + [float(v) for v in places["lat"]]
    east = [b[2] for b in boxes] + [float(v) for v in places["lon"]]
    north = [b[3] for b in boxes] + [float(v) for v in places["lat"]]
    if not west:
        return [-180.0, 180.0], [-58.0, 84.0]
    low_lon, high_lon, low_lat, high_lat = min(west), max(east), min(south), max(north)
    pad = max(0.3 if not world else 6.0, 0.1 * max(high_lon - low_lon, high_lat - low_lat))
    low_lon, high_lon, low_lat, high_lat = (
        low_lon - pad,
        high_lon + pad,
        low_lat - pad,
        high_lat + pad,
    )
    if not world:
        # as wide as a page's chart (about 1.5 times its height), not a square in its middle
        shrink = math.cos(math.radians((low_lat + high_lat) / 2))
        missing = 1.5 * (high_lat - low_lat) / max(shrink, 0.2) - (high_lon - low_lon)
        if missing > 0:
            low_lon, high_lon = low_lon - missing / 2, high_lon + missing / 2
    return (
        [max(-180.0, low_lon), min(180.0, high_lon)],
        [max(-58.0, low_lat), min(84.0, high_lat)],
    )


def _base(name: str, ids: list[str]) -> go.Choropleth:
    """The countries in view in the land colour, under the data (no hover)."""
    return go.Choropleth(
        geojson=OUTLINES_URL + name,
        featureidkey="id",
        locations=ids,
        z=[0] * len(ids),
        colorscale=[[0, LAND], [1, LAND]],
        showscale=False,
        marker={"line": {"color": BORDER, "width": 0.6}},
        hoverinfo="skip",
        showlegend=False,
        name="",
    )


def _countries_trace(
    name: str, rows: pd.DataFrame, colour: str, legend: str | None
) -> go.Choropleth:
    return go.Choropleth(
        geojson=OUTLINES_URL + name,
        featureidkey="id",
        locations=rows["country_iso3"],
        z=rows["total"],  # one colour per trace: z keeps the value (hover, tests, data)
        colorscale=[[0, colour], [1, colour]],
        showscale=False,
        marker={"line": {"color": BORDER, "width": 0.8}},
        customdata=list(zip(rows["country"].map(hover_safe), rows["hover"], strict=True)),
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
        showlegend=legend is not None,
        name=legend or "",
    )


def _disputed() -> go.Scattergeo:
    """Western Sahara's boundary with Morocco, dotted."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for feature in outline(DISPUTED)["features"]:
        geometry = feature["geometry"]
        lines = geometry["coordinates"] if geometry["type"] == "MultiLineString" else []
        for line in lines:
            lons += [p[0] for p in line] + [None]
            lats += [p[1] for p in line] + [None]
    return go.Scattergeo(
        lon=lons,
        lat=lats,
        mode="lines",
        line={"color": DISPUTED_LINE, "width": 1.5, "dash": "dot"},
        hoverinfo="skip",
        showlegend=False,
        name="",
    )


def reach_map(
    countries: pd.DataFrame,
    places: pd.DataFrame,
    tr: Translator,
    text: ChartText,
    value_label: str,
    height: int = 540,
    *,
    world: bool = False,
    hovers: Hovers = _hover_column,
) -> go.Figure:
    """Countries shaded by class of ``total``, and places as points sized by their ``total``.

    ``countries`` has ``country_iso3``, ``country`` (translated name), ``total`` and
    ``hover`` (extra lines, already escaped); ``places`` has ``name``, ``lat``, ``lon``,
    ``total`` and ``reach`` (as ``Amount.reach_text`` writes it: a group of close places
    lists its members by it). ``hovers`` writes the hovers of the places drawn alone
    (``explore.place_hovers``: a federation's world map draws a few dozen places alone and
    groups the rest); by default they are ``places``' ``hover`` column. ``world`` is the
    light world view; other maps show a few countries in detail, with the places' names
    written beside their points. The view fits the countries and places drawn.
    """
    name = WORLD if world else DETAIL
    lon_range, lat_range = _view(list(countries.get("country_iso3", [])), places, world)
    # only what shows: a map of Belgium draws a dozen outlines, not every country at 1:50m
    traces: list[go.Choropleth | go.Scattergeo] = [_base(name, in_view(name, lon_range, lat_range))]
    reached = countries[countries["total"] > 0] if not countries.empty else countries
    without = countries[countries["total"] <= 0] if not countries.empty else countries
    if not without.empty:
        legend = tr._("No figure of this kind") if not reached.empty else None
        traces.append(_countries_trace(name, without, NO_FIGURE if legend else FOCUS, legend))
    found = classes(reached["total"]) if len(reached) > 1 else []
    said: str | None = None  # a single country's legend
    if found:
        for klass in reversed(found):
            rows = reached[[klass.holds(float(t)) for t in reached["total"]]]
            if not rows.empty:
                traces.append(_countries_trace(name, rows, klass.colour, klass.label(tr)))
    elif not reached.empty:
        # one country on the world: no class to tell, so the legend says its reach (an
        # exported map of Belgium was a pale shape without a word or a number)
        if world and len(reached) == 1 and "reach" in reached:
            only = reached.iloc[0]
            said = tr._("{name}: {reach}", name=only["country"], reach=only["reach"])
        traces.append(_countries_trace(name, reached, FOCUS, said))
    traces.append(_disputed())
    points = pd.DataFrame(columns=["name", "lat", "lon", "total", "hover", "places"])
    if not places.empty:
        span = _km(lat_range[0], lon_range[0], lat_range[1], lon_range[1])
        points = bounded_points(tr, places, km=max(1.0, span / 90), hovers=hovers)
        view = None if world else (lon_range, lat_range, height)
        traces += _points(tr, points, value_label, view)
    legend_shown = bool(found) or said is not None or not points.empty
    fig = go.Figure(traces, _layout(tr, text, height, lon_range, lat_range, legend_shown))
    selection = alt_text.plain_title(text.subtitle)
    title = alt_text.plain_title(text.title)
    alt_text.attach(
        fig, alt_text.map_text(tr, title, selection, _items(countries, "country"), _items(places))
    )
    return fig


def _items(frame: pd.DataFrame, name: str = "name") -> list[alt_text.Item]:
    """The countries or places of a map for its text alternative, with the pages' texts.

    ``reach`` is the text the map's frames carry (``Amount.reach_text``); a row
    shaded only to frame the view (no ``reach``, no figure) says « – ».
    """
    if frame.empty or name not in frame:
        return []
    texts = frame["reach"] if "reach" in frame else ["–"] * len(frame)
    return [
        alt_text.Item(str(n), float(t) if "reach" in frame and float(t) > 0 else None, str(r))
        for n, t, r in zip(frame[name], frame["total"], texts, strict=True)
    ]


# Where a label may sit around its point, in order of preference, and where its box starts
# left of the point, in label widths (0: right of the point, -1: left of it, -0.5: centred).
# Beside a point before above or below it: plotly.js writes « top right » off the corner,
# 23.5 px right of and above a large point's centre, and the name floats away from it.
_POSITIONS = {
    "middle right": 0.0,
    "middle left": -1.0,
    "top right": 0.0,
    "bottom right": 0.0,
    "top left": -1.0,
    "bottom left": -1.0,
    "top center": -0.5,
    "bottom center": -0.5,
}


class Label(NamedTuple):
    """Where a place's name is written beside its point, and its lines."""

    position: str  # a ``textposition``
    # one, or two for a group's long name: « Brussels … Gewest » / « (6 plaatsen) »
    lines: tuple[str, ...]

    def text(self, escape: Callable[[str], str] = hover_safe) -> str:
        """The name as Plotly writes it (``escape``: for text that is not escaped yet)."""
        return "<br>".join(escape(line) for line in self.lines)


def _forms(name: str) -> list[tuple[str, ...]]:
    """A name on one line, then, when it ends with « (…) », on two lines before it."""
    head, cut, tail = name.rpartition(" (")
    return [(name,), (head, cut.strip() + tail)] if cut and head else [(name,)]


_CHAR_PX = 6.4  # average width of a character of the 11–12 px labels (5.6–7.2 drawn)
_LINE_PX = 14
# A name's gap to its own point is 2 px (an 8 px point) to 5.5 px (the largest); to
# another point no larger it is at least 4 px: 1 px of the name's margin and these 3.
_CLEAR = 3
# The plot area of a page's map with names (``reach_map`` with ``height``): the main column
# of a 1280 px laptop screen with the sidebar open, and the figure less its title, margins
# and legend (441 of 560 px, measured in Chromium). Exports lay the names out again for
# their own size (``relabel``).
PAGE_MAP_WIDTH = 820
PAGE_MAP_CHROME = 120


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """d3's Natural Earth projection, which plotly.js draws « natural earth » maps with
    (unscaled, north up). Its east–west scale falls off slower than the cosine of the
    latitude: at Belgium's 50.5°N a degree of longitude is 0.78 of one on the equator's
    map, not 0.64 — names laid out with the cosine were 22% closer than drawn."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return x, y


@dataclass(frozen=True)
class MapFrame:
    """Where a view (longitude and latitude ranges) is drawn in a plot area of ``size``
    pixels, as plotly.js fits it: the view's projected box scaled to fit the area, centred,
    and the map clipped to that box (``box``, pixels from the area's bottom left)."""

    lon_range: tuple[float, float]
    lat_range: tuple[float, float]
    size: tuple[float, float]

    @cached_property
    def _fit(self) -> tuple[float, float, float, float, float]:
        """The scale, the projected box's west and south, and the drawn box's offsets."""
        centre = (self.lon_range[0] + self.lon_range[1]) / 2  # plotly.js rotates to it
        lats = [
            self.lat_range[0] + (self.lat_range[1] - self.lat_range[0]) * i / 20 for i in range(21)
        ]
        west = min(natural_earth(self.lon_range[0] - centre, lat)[0] for lat in lats)
        east = max(natural_earth(self.lon_range[1] - centre, lat)[0] for lat in lats)
        south = natural_earth(0, self.lat_range[0])[1]
        north = natural_earth(0, self.lat_range[1])[1]
        width, height = self.size
        scale = min(width / max(1e-9, east - west), height / max(1e-9, north - south))
        return (
            scale,
            west,
            south,
            (width - scale * (east - west)) / 2,
            (height - scale * (north - south)) / 2,
        )

    def pixel(self, lat: float, lon: float) -> tuple[float, float]:
        """A point's pixel, from the plot area's bottom left."""
        scale, west, south, left, bottom = self._fit
        x, y = natural_earth(lon - (self.lon_range[0] + self.lon_range[1]) / 2, lat)
        return left + (x - west) * scale, bottom + (y - south) * scale

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The drawn map: left, bottom, right, top in pixels."""
        _scale, _west, _south, left, bottom = self._fit
        return left, bottom, self.size[0] - left, self.size[1] - bottom


def label_positions(
    points: pd.DataFrame,
    sizes: list[float],
    lon_range: Sequence[float],
    lat_range: Sequence[float],
    size: tuple[float, float],
) -> list[Label | None]:
    """Where to write each point's name so that names overlap neither each other nor
    points, and stay inside the map.

    Greedy, largest point first: each label takes the first place around its
    point (right, left, then above and below) whose box is inside the map and touches
    no label placed and no other point — on one line, else a group's name on two
    (« Brussels Hoofdstedelijk Gewest » over « (6 plaatsen) »: half as wide); failing
    that, of the places touching no label nor a point as large as its own, the one
    covering least of the smaller points (Brussels' name over the edge of a suburb's
    point). Boxes are estimated in pixels: the points where plotly.js draws them
    (``MapFrame``: the map's plot area is ``size``, width and height), where it writes
    a name beside them, and the label's length. A label that fits nowhere is not
    written (``None``): written anyway, it ran over its neighbour's (« Steenokkerzeel »
    over « Brussels Hoofdstedelijk Gewest (6 plaatsen) »), or was cut by the map's edge
    (Brussels' name in a square image); its point keeps its hover and its row in the
    map's data.
    """
    frame = MapFrame(
        (float(lon_range[0]), float(lon_range[1])),
        (float(lat_range[0]), float(lat_range[1])),
        size,
    )
    inside = frame.box
    centres = [
        frame.pixel(float(a), float(o)) for a, o in zip(points["lat"], points["lon"], strict=True)
    ]
    dots = [(x, y, r / 2) for (x, y), r in zip(centres, sizes, strict=True)]
    labels: list[tuple[float, float, float, float]] = []
    chosen: list[Label | None] = [None] * len(points)
    order = sorted(range(len(points)), key=lambda i: -sizes[i])
    for index in order:
        x, y = centres[index]
        # where plotly.js writes a name: its point's radius / 0.8 + 1 px from the centre,
        # beside it or above it, and 2 px closer below it (measured on exported SVGs: 6 px
        # for an 8 px point, 23.5 px for a 36 px one)
        offset = sizes[index] / 2 / 0.8 + 1
        boxes: dict[Label, tuple[float, float, float, float]] = {}
        for lines in _forms(str(points["name"].iloc[index])):
            width = _CHAR_PX * max(len(html.unescape(line)) for line in lines)
            high = _LINE_PX * len(lines)
            for position, dx in _POSITIONS.items():
                left = x + (offset if dx == 0 else -offset if dx == -1 else 0) + dx * width
                # the box's bottom: centred on the point, above it or below it
                bottom = {
                    "middle": y - high / 2,
                    "top": y + offset,
                    "bottom": y - offset + 2 - high,
                }[position.split()[0]]
                box = (left - 1, bottom - 1, left + width + 1, bottom + high + 1)
                if _within(box, inside):
                    boxes[Label(position, lines)] = box
        # A name keeps _CLEAR px from the other points as small as its own (its own is
        # where plotly.js measures from): closer, such a point beside a name's first
        # letter reads as its bullet (« • Bruxelles-Capitale (6 lieux) » from
        # Steenokkerzeel's point, 1 px away); a larger point does not.
        own = sizes[index] / 2
        others = [dot for i, dot in enumerate(dots) if i != index]
        # a name may go over the edge of smaller points only: over a point of its own
        # size it reads as that point's (Louvain-la-Neuve's over Braine-le-Comte's)
        larger = [dot for dot in others if dot[2] >= own]
        for avoid in (others, larger):
            free = [
                k
                for k, box in boxes.items()
                if not any(_overlap(box, label) for label in labels)
                and not any(_near(box, dot, _CLEAR if dot[2] <= own else 0) for dot in avoid)
            ]
            if free:
                # one line before two; over smaller points, the place covering least of them
                best = min(
                    free, key=lambda k: sum(_shared(boxes[k], _square(dot)) for dot in others)
                )
                chosen[index] = best
                # kept as written, without its margin: names 1 px apart, not 2 (Thuin's
                # under its point missed Charleroi's by 0.1 px, and went over its point)
                x0, y0, x1, y1 = boxes[best]
                labels.append((x0 + 1, y0 + 1, x1 - 1, y1 - 1))
                break
    return chosen


def relabel(fig: go.Figure, width: float, height: float) -> None:
    """Lay a map's place names out again for a plot area of ``width`` × ``height`` pixels.

    A page's names are laid out for its 820 px column (``label_positions``); an image
    draws the same map at its preset's size — a square image's map is 490 px wide, and
    Brussels' name, written left of its point as on the page, was cut by the map's edge.
    The names are the points' own (their hover's first field), so a name left out on the
    page may be written here, and the other way round.
    """
    traces = [t for t in fig.data if t.type == "scattergeo" and t.mode == "markers+text"]
    lon_range, lat_range = fig.layout.geo.lonaxis.range, fig.layout.geo.lataxis.range
    if not traces or lon_range is None or lat_range is None:
        return
    lats = [_numbers(t.lat) for t in traces]
    points = pd.DataFrame(
        {
            "name": [str(c[0]) for t in traces for c in t.customdata],
            "lat": [v for values in lats for v in values],
            "lon": [v for t in traces for v in _numbers(t.lon)],
        }
    )
    sizes = [v for t in traces for v in _numbers(t.marker.size)]
    positions = label_positions(points, sizes, lon_range, lat_range, (width, height))
    start = 0
    for trace, values in zip(traces, lats, strict=True):
        end = start + len(values)
        chosen = positions[start:end]
        trace.text = [p.text(str) if p else "" for p in chosen]  # names escaped already
        trace.textposition = [p.position if p else "middle right" for p in chosen]
        start = end


def _numbers(array: Any) -> list[float]:
    """A figure's array as numbers: a figure read back from JSON (the download menu's,
    ``pio.from_json``) holds its arrays as Plotly wrote them, typed in base64."""
    if isinstance(array, dict) and "bdata" in array:
        raw = base64.b64decode(array["bdata"])
        return [float(v) for v in np.frombuffer(raw, dtype=array["dtype"])]
    return [float(v) for v in array]


def _near(
    box: tuple[float, float, float, float], dot: tuple[float, float, float], by: float
) -> bool:
    """Whether a box comes within ``by`` px of a round point (centre x, y; radius)."""
    x, y, radius = dot
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return dx * dx + dy * dy < (radius + by) ** 2


def _square(dot: tuple[float, float, float]) -> tuple[float, float, float, float]:
    x, y, radius = dot
    return x - radius, y - radius, x + radius, y + radius


def _within(
    box: tuple[float, float, float, float], area: tuple[float, float, float, float]
) -> bool:
    return area[0] <= box[0] and box[2] <= area[2] and area[1] <= box[1] and box[3] <= area[3]


def _shared(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """The area two boxes share."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _points(
    tr: Translator,
    points: pd.DataFrame,
    value_label: str,
    view: tuple[Sequence[float], Sequence[float], int] | None,
) -> list[go.Scattergeo]:
    """Points sized by their total (grey when it has none); labelled when ``view`` is given."""
    biggest = float(points["total"].max() or 0)
    sizes = [
        10 + 26 * (float(v) / biggest) ** 0.5 if float(v) > 0 and biggest > 0 else 8.0
        for v in points["total"]
    ]
    placed = (
        label_positions(
            points, sizes, view[0], view[1], (PAGE_MAP_WIDTH, view[2] - PAGE_MAP_CHROME)
        )
        if view
        else [None] * len(points)
    )
    frame = points.assign(
        size=sizes,
        position=[p.position if p else "middle right" for p in placed],
        label=[p.text() if p else "" for p in placed],
    )
    mode = "markers+text" if view else "markers"
    traces = []
    for rows, colour, text_colour, name in (
        (
            frame[frame["total"] > 0],
            PLACE_COLOUR,
            TEXT,
            tr._("Places (size: {what})", what=value_label),
        ),
        (frame[frame["total"] <= 0], OTHER_PLACE, TEXT, tr._("Other places named in the sources")),
    ):
        if rows.empty:
            continue
        traces.append(
            go.Scattergeo(
                lat=rows["lat"],
                lon=rows["lon"],
                mode=mode,
                text=list(rows["label"]),
                textposition=list(rows["position"]),
                textfont={"size": 12 if colour == PLACE_COLOUR else 11, "color": text_colour},
                marker={
                    "size": list(rows["size"]),
                    "color": colour,
                    "opacity": 0.85 if colour == PLACE_COLOUR else 1,
                    "line": {"color": "white", "width": 1},
                },
                customdata=list(zip(rows["name"].map(hover_safe), rows["hover"], strict=True)),
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
                name=name,
            )
        )
    return traces


def _layout(
    tr: Translator,
    text: ChartText,
    height: int,
    lon_range: list[float],
    lat_range: list[float],
    legend: bool,
) -> dict[str, Any]:
    """The house style (``charts.style_layout``) with a map's geography and legend."""
    layout = style_layout(tr, text, height)
    layout.update(
        geo={
            "projection": {"type": "natural earth"},
            "lonaxis": {"range": lon_range},
            "lataxis": {"range": lat_range},
            "visible": False,  # no built-in outline: ours are traces (see the module's doc)
            "showframe": False,
            "bgcolor": "white",
        },
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0},
        margin={"l": 0, "r": 0, "t": 80 if text.subtitle else 60, "b": 30},
        hoverlabel=HOVER,
    )
    return layout


def inline_outlines(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` carrying its outlines (for images made with no web server)."""
    out = go.Figure(fig)
    for trace in out.data:
        geojson = getattr(trace, "geojson", None)
        if isinstance(geojson, str) and geojson.startswith(OUTLINES_URL):
            trace.geojson = outline(geojson.removeprefix(OUTLINES_URL))
    return out
