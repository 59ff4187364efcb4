"""The maps read at a glance: classes, no-data apart, Western Sahara apart, places apart.

Outlines are the app's files (static/outlines/); the figures are checked as
the pages send them (AppTest on the bundled data) and as functions.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pandas as pd
import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest

from impact import explore, maps
from impact.amounts import Amount
from impact.charts import ChartText, hover_safe
from impact.db import Database
from impact.exports import images
from impact.filters import Filters
from impact.i18n import Translator
from impact.paths import BUNDLED_DATA_DIR, ROOT
from tests.conftest import APPTEST_TIMEOUT
from tests.test_pages import values

FR = Translator("fr")


# --- Colours a reader can tell apart --------------------------------------------------------


def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* of an sRGB hex colour (D65)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(one: str, other: str) -> float:
    """CIE76 colour difference (about 2.3 is « just noticeable »)."""
    return math.dist(_lab(one), _lab(other))


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(colour: str) -> float:
        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_class_colours_no_figure_and_land_are_all_apart() -> None:
    greys = [maps.LAND, maps.NO_FIGURE]
    colours = [*maps.CLASS_COLOURS, *greys]
    for index, one in enumerate(colours):
        for other in colours[index + 1 :]:
            assert delta_e(one, other) > 15, (one, other)


# --- Classes ----------------------------------------------------------------------------------


def test_classes_by_order_of_magnitude() -> None:
    found = maps.classes([12, 2480, 2330, 1675, 1200, 20437])
    assert [(c.low, c.high) for c in found] == [(10, 99), (100, 999), (1000, 9999), (10000, 99999)]
    assert [c.colour for c in found] == [maps.CLASS_COLOURS[i] for i in (0, 2, 3, 4)]
    assert [(c.low, c.high) for c in maps.classes([3, 7])] == [(1, 9)]
    # a federation's 1 to 10 million: five classes, the smallest merged
    wide = maps.classes([1, 10**7])
    assert len(wide) == 5 and (wide[0].low, wide[0].high) == (1, 9999)
    assert maps.classes([0, 0]) == []


@pytest.mark.parametrize(
    ("lang", "label"),
    [("fr", "1\u202f000–9\u202f999"), ("nl", "1.000–9.999"), ("en", "1,000–9,999")],
)
def test_class_labels_follow_the_language(lang: str, label: str) -> None:
    assert maps.MapClass(1000, 9999, "#000000").label(Translator(lang)) == label


def frame(totals: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "country_iso3": list(totals),
            "country": list(totals),
            "total": list(totals.values()),
            "hover": [""] * len(totals),
            "reach": [FR.number(v) for v in totals.values()],
        }
    )


NO_PLACES = pd.DataFrame(columns=["name", "lat", "lon", "total", "hover", "reach"])


def colours_of(fig: Any) -> dict[str, str]:
    """Country -> the colour it is filled with (each data trace has one colour)."""
    found = {}
    for trace in fig.data:
        if trace.type == "choropleth" and trace.hoverinfo != "skip":
            for code in trace.locations:
                found[code] = trace.colorscale[0][1]
    return found


def test_a_country_that_dominates_leaves_the_others_readable() -> None:
    fig = maps.reach_map(
        frame({"MAR": 20437, "COL": 2480, "FRA": 12}), NO_PLACES, FR, ChartText("t"), "p"
    )
    colours = colours_of(fig)
    assert len(set(colours.values())) == 3
    assert delta_e(colours["FRA"], maps.LAND) > 15  # France's 12 is not the colour of nothing
    legend = [t.name for t in fig.data if t.showlegend]
    assert legend == ["10\u202f000–99\u202f999", "1\u202f000–9\u202f999", "10–99"]


def test_no_figure_is_apart_from_small_values() -> None:
    fig = maps.reach_map(
        frame({"MAR": 500, "SEN": 3, "BEL": 0}), NO_PLACES, FR, ChartText("t"), "p"
    )
    colours = colours_of(fig)
    assert colours["BEL"] == maps.NO_FIGURE
    assert colours["SEN"] in maps.CLASS_COLOURS and colours["MAR"] in maps.CLASS_COLOURS
    no_figure = next(t for t in fig.data if t.name == FR._("No figure of this kind"))
    assert list(no_figure.locations) == ["BEL"] and no_figure.showlegend


def test_class_lines_say_the_map_in_words() -> None:
    lines = maps.class_lines(FR, frame({"MAR": 20437, "COL": 2480, "FRA": 12}), "Personnes")
    assert lines == [
        "Personnes, par pays\u00a0:",
        "10\u202f000–99\u202f999\u00a0: MAR (20\u202f437)",
        "1\u202f000–9\u202f999\u00a0: COL (2\u202f480)",
        "10–99\u00a0: FRA (12)",
    ]
    many = frame({f"C{i:02}": 1000 + i for i in range(9)})
    assert maps.class_lines(FR, many, "P", shown=6)[1].endswith("et 3 autres")


# --- Western Sahara, as the UN draws it -------------------------------------------------------


def _inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(name: str, iso3: str, lon: float, lat: float) -> bool:
    feature = next(f for f in maps.outline(name)["features"] if f["id"] == iso3)
    geometry = feature["geometry"]
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    return any(
        _inside(lon, lat, p[0]) and not any(_inside(lon, lat, h) for h in p[1:]) for p in polygons
    )


WESTERN_SAHARA = {
    "Laayoune": (-13.20, 27.15),
    "Smara": (-11.67, 26.74),
    "Aousserd": (-14.33, 22.56),
    "Tifariti": (-10.57, 26.16),  # east of the berm
}
MOROCCO = {"Rabat": (-6.84, 34.02), "Marrakech": (-8.01, 31.63), "Tan-Tan": (-11.10, 28.44)}


@pytest.mark.parametrize("name", [maps.WORLD, maps.DETAIL])
def test_western_sahara_is_not_in_moroccos_outline(name: str) -> None:
    for lon, lat in WESTERN_SAHARA.values():
        assert not contains(name, "MAR", lon, lat)
        assert contains(name, "ESH", lon, lat)
    for lon, lat in MOROCCO.values():
        assert contains(name, "MAR", lon, lat)


def test_every_map_draws_the_disputed_boundary_dotted() -> None:
    fig = maps.reach_map(frame({"MAR": 10, "SEN": 2000}), NO_PLACES, FR, ChartText("t"), "p")
    line = next(t for t in fig.data if t.type == "scattergeo" and t.mode == "lines")
    assert line.line.dash == "dot"
    points = [(lon, lat) for lon, lat in zip(line.lon, line.lat, strict=True) if lon is not None]
    # the parallel 27°40' N, from the coast to Algeria
    assert [round(lat, 3) for _, lat in points] == [27.667, 27.667]
    assert [round(lon) for lon, _ in points] == [-13, -9]


# --- Places -------------------------------------------------------------------------------------


def _km_to_ring(lon: float, lat: float, ring: list[list[float]]) -> float:
    """Shortest distance from a point to a ring's edges, in km (flat near the point)."""
    scale = math.cos(math.radians(lat))
    best = math.inf
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        ax, ay, bx, by = (x1 - lon) * scale, y1 - lat, (x2 - lon) * scale, y2 - lat
        length = (bx - ax) ** 2 + (by - ay) ** 2
        t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * (bx - ax) + ay * (by - ay)) / length))
        best = min(best, math.hypot(ax + t * (bx - ax), ay + t * (by - ay)) * 111.2)
    return best


def test_every_place_is_in_its_country() -> None:
    """At 1:50m a coastal city may fall a little off the simplified coast: 3 km at most."""
    with (BUNDLED_DATA_DIR / "places.csv").open(encoding="utf-8") as handle:
        places = list(csv.DictReader(handle))
    for place in places:
        lon, lat, iso3 = float(place["lon"]), float(place["lat"]), place["country_iso3"]
        if contains(maps.DETAIL, iso3, lon, lat):
            continue
        feature = next(f for f in maps.outline(maps.DETAIL)["features"] if f["id"] == iso3)
        rings = [p[0] for p in feature["geometry"]["coordinates"]]
        assert min(_km_to_ring(lon, lat, r) for r in rings) < 3, place["place_id"]


def bundled_map() -> tuple[dict[str, Any], dict[str, Any]]:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=APPTEST_TIMEOUT)
    at.query_params["lang"] = "fr"
    at.switch_page("pages/map.py")
    at.run()
    assert not at.exception
    world, belgium = (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
    return world, belgium


def points_of(fig: dict[str, Any]) -> list[tuple[str, float, float, str]]:
    """(label, lat, lon, hover) of every point of a map."""
    found = []
    for trace in fig["data"]:
        if trace["type"] == "scattergeo" and "markers" in trace["mode"]:
            lats = values(trace["lat"])
            for name, lat, lon, data in zip(
                trace.get("text") or [""] * len(lats),
                lats,
                values(trace["lon"]),
                trace["customdata"],
                strict=True,
            ):
                found.append((name, lat, lon, data[1]))
    return found


def test_the_belgium_view_names_its_places_and_keeps_brussels_apart(
    use_data: Callable[[Path], Path],
) -> None:
    use_data(BUNDLED_DATA_DIR)
    world, belgium = bundled_map()
    points = points_of(belgium)
    labels = [p[0] for p in points]
    assert "Bruxelles-Capitale (6 lieux)" in labels
    assert {"Zeebrugge", "Liège", "Namur", "Anvers"} <= set(labels)
    brussels = next(p for p in points if p[0] == "Bruxelles-Capitale (6 lieux)")
    for place in ("Petit-Château", "Parc Maximilien", "WTC III", "Jette"):
        assert place in brussels[3]
    # no two points of the view on top of each other
    for index, one in enumerate(points):
        for other in points[index + 1 :]:
            assert maps._km(one[1], one[2], other[1], other[2]) > 3, (one[0], other[0])
    assert all(
        t["mode"] == "markers"
        for t in world["data"]
        if t["type"] == "scattergeo" and "markers" in t["mode"]
    )  # the world view has no labels
    zeebrugge = next(p for p in points if p[0] == "Zeebrugge")
    assert contains(maps.DETAIL, "BEL", zeebrugge[2], zeebrugge[1])


def test_a_place_name_that_fits_nowhere_is_not_written_over_another() -> None:
    """The largest place's name is written first, even over the edge of a small point
    beside it; a name with no free place around its point is left out (its point and
    hover stay): it was written over its neighbour's (« Steenokkerzeel » over « Brussels
    Hoofdstedelijk Gewest (6 plaatsen) »)."""
    # eight places around one city (0.21° of longitude is about as far as 0.15° of latitude)
    ring = [
        (50.85 + 0.15 * math.sin(math.pi * k / 4), 4.35 + 0.21 * math.cos(math.pi * k / 4))
        for k in range(8)
    ]
    places = pd.DataFrame(
        [("Brussels Hoofdstedelijk Gewest (6 plaatsen)", 50.85, 4.35, 900.0)]
        + [(f"Gemeente nummer {i}", lat, lon, 0.0) for i, (lat, lon) in enumerate(ring)]
        + [("Zeebrugge", 51.33, 3.2, 0.0)],
        columns=["name", "lat", "lon", "total"],
    )
    sizes = [36.0] + [8.0] * 9
    positions = maps.label_positions(places, sizes, [1.2, 7.7], [49.1, 51.9], (820, 440))
    assert positions[0] is not None and positions[-1] is not None
    assert None in positions[1:-1]  # eight names around one city: not all can be written
    fig = maps.reach_map(
        frame({"BEL": 900}),
        places.assign(hover="h", admin1=None, reach=places["total"].map(FR.number)),
        FR,
        ChartText("t"),
        "p",
        560,
    )
    written = [
        (name, text)
        for trace in fig.data
        if trace.type == "scattergeo" and "markers" in trace.mode
        for name, text in zip((c[0] for c in trace.customdata), trace.text, strict=True)
    ]
    assert ("Zeebrugge", "Zeebrugge") in written
    assert written[0] == (places["name"][0], places["name"][0])
    assert any(text == "" for _name, text in written)  # its point is drawn, its name not


# Every written place name and the map's frame, in CSS pixels, as Chromium lays out an SVG.
NAMES_IN_SVG = """() => {
    const frame = document.querySelector('.geo .bg rect, .geolayer .bg rect')
        || document.querySelector('.geo rect');
    const box = e => { const r = e.getBoundingClientRect();
        return [r.left, r.top, r.right, r.bottom]; };
    const names = Array.from(document.querySelectorAll('.scattergeo text'))
        .filter(t => t.textContent.trim())
        .map(t => [t.textContent, ...box(t)]);
    const points = Array.from(document.querySelectorAll('.scattergeo path.point')).map(box);
    return {frame: box(frame), names, points};
}"""


def _gap(box: list[float], point: list[float]) -> float:
    """How far a name's box (left, top, right, bottom) keeps from a round point (its box)."""
    x, y, radius = (point[0] + point[2]) / 2, (point[1] + point[3]) / 2, (point[2] - point[0]) / 2
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return math.hypot(dx, dy) - radius


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_an_image_of_belgium_writes_its_place_names_whole_and_apart(
    use_data: Callable[[Path], Path], browser: Any, lang: str
) -> None:
    """A page lays its map's names out for its 820 px column; a square image draws the map
    490 px wide, and Brussels' name, written left of its point as on the page, was cut by
    the map's edge (« Hoofdstedelijk Gewest (6 plaatsen) »). Each preset's SVG, opened in
    Chromium: every name written inside the map, none over another, Brussels' written."""
    use_data(BUNDLED_DATA_DIR)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=APPTEST_TIMEOUT)
    at.query_params["lang"] = lang
    at.switch_page("pages/map.py")
    at.run()
    spec = json.loads(at.get("plotly_chart")[1].proto.spec)
    spec["layout"].pop("template", None)  # Streamlit's, sent beside the figure
    # as the download menu makes it: from the figure's JSON (its arrays typed, in base64)
    belgium = pio.from_json(json.dumps(spec))
    tr = Translator(lang)
    # « (6 lieux) », « (6 plaatsen) »: the group of Brussels' places
    brussels = tr.ngettext("{name} ({n} place)", "{name} ({n} places)", 6, name="").strip()
    caption = images.Caption(tr._("All data"), "ONG Test", date(2026, 12, 1))
    page = browser.new_page()
    try:
        for preset in images.PRESETS:
            svg = images.export(belgium, tr, caption, preset, "svg").decode()
            page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
            found = page.evaluate(NAMES_IN_SVG)
            left, top, right, bottom = found["frame"]
            names = [(n, box) for n, *box in found["names"]]
            assert any(brussels in n for n, _ in names), (preset, names)
            for name, (x0, y0, x1, y1) in names:
                assert left - 1 <= x0 and x1 <= right + 1, (preset, name, x0, x1, left, right)
                assert top - 1 <= y0 and y1 <= bottom + 1, (preset, name, y0, y1, top, bottom)
            for index, (one, a) in enumerate(names):
                for other, b in names[index + 1 :]:
                    apart = (
                        a[2] <= b[0] + 1 or b[2] <= a[0] + 1 or a[3] <= b[1] + 1 or b[3] <= a[1] + 1
                    )
                    assert apart, (preset, one, other)
            # no name's box over or touching a point (Louvain-la-Neuve's name was over
            # Braine-le-Comte's point, Thuin's over Charleroi's); the text's box is taller
            # than its letters, so 1 px of it keeps the letters further off
            for name, box in names:
                for point in found["points"]:
                    assert _gap(box, point) >= 1, (preset, name, point)
    finally:
        page.close()


def test_hover_labels_are_dark_text_on_white() -> None:
    fig = maps.reach_map(frame({"MAR": 10, "SEN": 2000}), NO_PLACES, FR, ChartText("t"), "p")
    label = fig.layout.hoverlabel
    assert label.bgcolor == "white"
    assert contrast(label.font.color, "#ffffff") >= 7


# --- Exported images ------------------------------------------------------------------------


def test_an_exported_map_carries_its_outlines() -> None:
    fig = maps.reach_map(
        frame({"MAR": 20437, "BEL": 2330}), NO_PLACES, FR, ChartText("Carte"), "p", world=True
    )
    svg = images.export(fig, FR, images.Caption("Tout", "ONG", date(2026, 1, 1)), "report", "svg")
    shapes = [
        e
        for e in ElementTree.fromstring(svg).iter()
        if e.tag.endswith("path") and "choroplethlocation" in (e.get("class") or "")
    ]
    drawn = sum(len(t.locations) for t in fig.data if t.type == "choropleth")
    # every country in view, from the app's own files, with no server
    assert len(shapes) == drawn > 20
    assert isinstance(fig.data[0].geojson, str)  # the page's figure still points at the file


def test_grouping_places_through_the_grid_equals_comparing_every_pair() -> None:
    """The grid only finds the candidates faster: same groups as the plain greedy way."""
    import random

    rng = random.Random(12)
    centres = [(50.85, 4.35), (-4.33, 15.31), (64.1, -21.9), (0.1, 179.9)]
    points: list[tuple[str, float, float, float]] = []
    for index in range(400):
        lat, lon = centres[index % len(centres)]
        points.append(
            (
                f"p{index}",
                lat + rng.uniform(-0.3, 0.3),
                lon + rng.uniform(-0.3, 0.3),
                float(rng.randint(0, 500)),
            )
        )
    places = pd.DataFrame(points, columns=["name", "lat", "lon", "total"])
    for km in (2.0, 10.0, 60.0):
        order = sorted(range(len(points)), key=lambda i: (-points[i][3], points[i][0]))
        plain: list[list[int]] = []
        for index in order:
            for group in plain:
                head = points[group[0]]
                here = points[index]
                if maps._km(here[1], here[2], head[1], head[2]) < km:
                    group.append(index)
                    break
            else:
                plain.append([index])
        assert maps.cluster_places(places, km) == plain, km


@pytest.mark.parametrize("count", [50, 5_000])
@pytest.mark.parametrize("world", [True, False])
def test_a_map_draws_at_most_max_points_whatever_the_places(count: int, world: bool) -> None:
    """Thousands of places become at most ``MAX_POINTS`` points, every place in one of them."""
    import random

    rng = random.Random(count)
    places = pd.DataFrame(
        [
            (f"place {i}", rng.uniform(-50, 60), rng.uniform(-120, 150), float(rng.randint(1, 900)))
            for i in range(count)
        ],
        columns=["name", "lat", "lon", "total"],
    ).assign(hover=lambda f: f["name"], admin1=None, reach=lambda f: f["total"].map(FR.number))
    fig = maps.reach_map(
        frame({"MAR": 10, "SEN": 2000}), places, FR, ChartText("t"), "p", world=world
    )
    markers = [t for t in fig.data if t.type == "scattergeo" and "markers" in t.mode]
    drawn = sum(len(t.lat) for t in markers)
    assert 0 < drawn <= maps.MAX_POINTS
    if count < maps.MAX_POINTS and world:
        assert drawn > 1  # few places are not squeezed into one point
    # grouped, never dropped: the points hold every place and every person
    points = maps.bounded_points(FR, places, km=1.0)
    assert len(points) <= maps.MAX_POINTS
    assert points["places"].sum() == count
    assert points["total"].sum() == pytest.approx(places["total"].sum())


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_a_group_of_close_places_names_the_largest_in_short_lines(lang: str) -> None:
    """A federation's capital groups dozens of places into one point: its hover names the
    largest eight with their reach as each point says it (a range stays a range, no
    figure stays « no figure », never 0), then how many more; the point counts them all."""
    tr = Translator(lang)
    count = 20
    places = pd.DataFrame(
        {
            "name": [f"District <{i}>" for i in range(count)],
            "lat": [50.85 + i * 0.001 for i in range(count)],
            "lon": [4.35] * count,
            "total": [float(1000 + i) for i in range(count)],
            "admin1": [None] * count,
            "hover": ["long hover<br>with its explanation sentence"] * count,
            "reach": ["–"] + [f"{i} to {i + 5}" for i in range(1, count)],
        }
    )
    places.loc[0, "total"] = 0.0  # the place without a figure: smallest, listed last
    points = maps.bounded_points(tr, places, km=5.0)
    assert len(points) == 1 and points["places"].iloc[0] == count
    lines = str(points["hover"].iloc[0]).split("<br>")
    assert lines[0].startswith(tr.ngettext("{n} place", "{n} places", count))
    listed = lines[1 : 1 + maps.GROUP_HOVER_PLACES]
    largest = [f"<b>District &lt;{i}&gt;</b>: {i} to {i + 5}" for i in range(19, 11, -1)]
    assert listed == largest
    rest = count - maps.GROUP_HOVER_PLACES
    assert lines[-1] == tr.ngettext("… and {n} more place", "… and {n} more places", rest)
    assert len(lines) == 2 + maps.GROUP_HOVER_PLACES
    assert "explanation" not in points["hover"].iloc[0]
    few = maps.bounded_points(tr, places.iloc[[0, 5]], km=5.0)
    said = str(few["hover"].iloc[0]).split("<br>")
    assert said[1:] == [
        "<b>District &lt;5&gt;</b>: 5 to 10",
        f"<b>District &lt;0&gt;</b>: {tr._('No figure of this kind here')}",
    ]


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_a_map_writes_the_hovers_of_the_places_it_draws_alone(lang: str) -> None:
    """Close places are grouped; a map asks for the hovers of the places it draws alone
    (a federation's world map: 52 of 791 places), each the same as when every place's
    hover was written, and the groups list their members' reach (bundled data)."""
    tr = Translator(lang)
    db = Database.open(BUNDLED_DATA_DIR)
    try:
        check_place_hovers(tr, db)
    finally:
        db.close()


def check_place_hovers(tr: Translator, db: Database) -> None:
    figures = db.query("place_figures", Filters().params())
    places = explore.place_map_frame(tr, db.query("map_places", Filters().params()), figures)
    every = dict(zip(places["name"], explore.place_hover(tr, places, figures, "P"), strict=True))
    # each place's figures, written here from its rows: a hover asked alone still lists them
    for place_id, name in zip(places["place_id"], places["name"], strict=True):
        rows = figures[figures["place_id"] == place_id]
        lines = [
            explore.figures_line(tr, Amount.from_row(row, "facts"), str(row.unit), row.measure)
            for row in rows.itertuples(index=False)
        ]
        assert hover_safe(" · ".join(lines)) in every[name]
    asked: list[str] = []

    def hovers(rows: pd.DataFrame) -> list[str]:
        asked.extend(rows["name"])
        return explore.place_hovers(tr, figures, "P")(rows)

    points = maps.bounded_points(tr, places, km=30.0, hovers=hovers)
    alone, grouped = points[points["places"] == 1], points[points["places"] > 1]
    assert len(alone) and len(grouped)  # the bundled data's Brussels places are grouped
    assert sorted(asked) == sorted(alone["name"])
    assert [every[name] for name in alone["name"]] == list(alone["hover"])
    for hover, count in zip(grouped["hover"], grouped["places"], strict=True):
        assert hover.startswith(tr.ngettext("{n} place", "{n} places", count) + " — ")

    asked.clear()
    fig = maps.reach_map(
        frame({"BEL": 10}), places, tr, ChartText("t"), "P", world=True, hovers=hovers
    )
    drawn = {
        str(data[1])
        for trace in fig.data
        if trace.type == "scattergeo" and "markers" in trace.mode
        for data in trace.customdata
    }
    assert asked and len(asked) < len(places)
    assert {every[name] for name in asked} <= drawn
