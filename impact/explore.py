"""Tables and hover texts of the browsing pages (map, programmes, countries, organisations).

Query results come in with codes (themes, units, ISO-3) and raw numbers; these
functions turn them into what a reader sees in their language: translated
labels, locale numbers, escaped names for Plotly hover labels. Nothing here
knows about Streamlit, so tests check the very text a page shows.
"""

from __future__ import annotations

import math
from typing import cast

import pandas as pd

from impact import figures
from impact.charts import hover_safe
from impact.i18n import Translator
from impact.vocab import label


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _int(value: object) -> int | None:
    if _missing(value):
        return None
    number = as_float(value)
    return None if math.isnan(number) else int(number)


def as_float(value: object) -> float:
    """A number from a query row (itertuples gives untyped values); NULL is 0."""
    if _missing(value):
        return 0.0
    return float(cast(float, value))


def total_text(tr: Translator, total: float, approximate: bool) -> str:
    """« 2 300 », or « ≥ 2 300 » when a figure of the total is « more than »."""
    number = tr.number(total)
    return f"≥ {number}" if approximate else number


def figure_text(tr: Translator, count: object, qualifier: str) -> str:
    """One reported figure with its qualifier: « 10 378 », « about 30 », « < 10 » if hidden."""
    return figures.figure_text(tr, count, qualifier)


def years_text(start: object, end: object, first: object = None, last: object = None) -> str:
    """A programme's years: its own start and end, else the years of its figures."""
    low, high = _int(start), _int(end)
    if low is None and high is None:
        low, high = _int(first), _int(last)
    if low is None and high is None:
        return ""
    if low is None or high is None or low == high:
        return str(low if low is not None else high) + ("–" if high is None else "")
    return f"{low}–{high}"


def theme_list(tr: Translator, codes: str) -> str:
    """Comma-separated theme codes as translated labels."""
    return ", ".join(label(tr, "theme", c) for c in str(codes or "").split(",") if c)


def figures_line(tr: Translator, total: float, approximate: bool, unit: str, measure: str) -> str:
    """« 4 000 consultations (reached) »."""
    return tr._(
        "{number} {unit} ({measure})",
        number=total_text(tr, total, approximate),
        unit=label(tr, "unit", unit),
        measure=label(tr, "measure", measure),
    )


def country_hover(tr: Translator, countries: pd.DataFrame, value_label: str) -> list[str]:
    """Hover lines of each country of ``reach_by_country``: the total and its programmes."""
    lines = []
    for row in countries.itertuples(index=False):
        total = total_text(tr, as_float(row.total), bool(row.approximate))
        programmes = tr.ngettext("{n} programme", "{n} programmes", int(as_float(row.programmes)))
        lines.append(f"{hover_safe(value_label)}: {total}<br>{programmes}")
    return lines


def programme_names(tr: Translator, names: str, count: int) -> str:
    """The programmes ``places_reach`` names at a place (five at most), and how many others."""
    others = count - len([n for n in names.split(" · ") if n])
    if not names or others <= 0:
        return names
    return tr.ngettext("{names} and {n} other", "{names} and {n} others", others, names=names)


def place_hover(
    tr: Translator, places: pd.DataFrame, figures: pd.DataFrame, value_label: str
) -> list[str]:
    """Hover lines of each place of ``places_reach``: where, figures, programmes, organisations."""
    by_place: dict[str, list[str]] = {}
    for row in figures.itertuples(index=False):
        line = figures_line(
            tr, as_float(row.total), bool(row.approximate), str(row.unit), str(row.measure)
        )
        by_place.setdefault(str(row.place_id), []).append(line)
    lines = []
    for row in places.itertuples(index=False):
        country = getattr(row, f"name_{tr.lang}")
        admin1 = row.admin1 if isinstance(row.admin1, str) else ""
        parts = [hover_safe(f"{admin1}, {country}" if admin1 else country)]
        if as_float(row.total) > 0:
            total = total_text(tr, as_float(row.total), bool(row.approximate))
            parts.append(f"{hover_safe(value_label)}: {total}")
        else:
            parts.append(tr._("No figure of this kind here"))
        others = by_place.get(str(row.place_id), [])
        if others:
            parts.append(hover_safe(" · ".join(others)))
        if row.programmes:
            names = programme_names(tr, str(row.programmes), int(as_float(row.programme_count)))
            parts.append(hover_safe(tr._("Programmes: {names}", names=names)))
        if row.organisations:
            parts.append(hover_safe(tr._("Organisations: {names}", names=row.organisations)))
        lines.append("<br>".join(parts))
    return lines


def programmes_table(tr: Translator, programmes: pd.DataFrame, value_label: str) -> pd.DataFrame:
    """The programme list as readers see it (numbers stay numbers, for sorting)."""
    return pd.DataFrame(
        {
            tr._("Programme"): programmes["name"],
            # No figure of this kind: « – », sorted last (not a misleading 0).
            value_label: programmes["total"].astype(float).where(programmes["total"] > 0),
            tr._("Organisation"): programmes["organisation"],
            tr._("Theme"): [label(tr, "theme", t) for t in programmes["theme"]],
            tr._("Country"): programmes[f"countries_{tr.lang}"],
            tr._("Years"): [
                years_text(s, e, f, la)
                for s, e, f, la in zip(
                    programmes["start_year"],
                    programmes["end_year"],
                    programmes["first_year"],
                    programmes["last_year"],
                    strict=True,
                )
            ],
            tr._("Figures"): programmes["facts"].astype(int),
        }
    )


def programme_facts_table(tr: Translator, facts: pd.DataFrame) -> pd.DataFrame:
    """Every figure of a programme with what it counts, its quote and its source."""
    counted = []
    for row in facts.itertuples(index=False):
        if row.counted:
            counted.append(tr._("yes"))
        elif isinstance(row.part_of, str) and row.part_of:
            counted.append(tr._("no: part of a larger figure"))
        else:
            counted.append(tr._("no"))
    return pd.DataFrame(
        {
            tr._("Figure"): [
                figure_text(tr, c, str(q))
                for c, q in zip(facts["count"], facts["qualifier"], strict=True)
            ],
            tr._("Unit"): [label(tr, "unit", u) for u in facts["unit"]],
            tr._("Measure"): [label(tr, "measure", m) for m in facts["measure"]],
            tr._("Group"): [label(tr, "group", g) for g in facts["group"]],
            tr._("Year"): facts["year"].astype(int).astype(str),
            tr._("Quote"): [figures.quote_text(tr, q) for q in facts["quote"]],
            tr._("Source"): facts["source_title"],
            tr._("Added to totals"): counted,
            tr._("Place"): facts["place"].fillna(""),
            tr._("Country"): facts[f"country_{tr.lang}"],
        }
    )


def countries_table(tr: Translator, countries: pd.DataFrame, value_label: str) -> pd.DataFrame:
    """The countries of the selection with their reach and how much work is there."""
    return pd.DataFrame(
        {
            tr._("Country"): countries[f"name_{tr.lang}"],
            tr._("Region"): [label(tr, "region", r) for r in countries["region"]],
            value_label: countries["total"].astype(float),
            tr._("Programmes"): countries["programmes"].astype(int),
            tr._("Organisations"): countries["organisations"].astype(int),
            tr._("Figures"): countries["facts"].astype(int),
        }
    )


def figures_by_unit_table(tr: Translator, figures: pd.DataFrame) -> pd.DataFrame:
    """Totals of every unit and measure (never added to each other)."""
    return pd.DataFrame(
        {
            tr._("What is counted"): [
                f"{label(tr, 'unit', u)} ({label(tr, 'measure', m)})"
                for u, m in zip(figures["unit"], figures["measure"], strict=True)
            ],
            tr._("Total"): [
                total_text(tr, float(t), bool(a))
                for t, a in zip(figures["total"], figures["approximate"], strict=True)
            ],
            tr._("Figures"): figures["facts"].astype(int),
        }
    )


def country_map_frame(tr: Translator, countries: pd.DataFrame, value_label: str) -> pd.DataFrame:
    """``reach_by_country`` rows ready for ``maps.reach_map`` (name and hover in the language)."""
    out = countries.copy()
    out["country"] = out[f"name_{tr.lang}"]
    out["hover"] = country_hover(tr, countries, value_label) if len(countries) else []
    # the total as the reader sees it, for the map's classes in words (maps.class_lines)
    out["reach"] = [
        total_text(tr, as_float(t), bool(a))
        for t, a in zip(countries["total"], countries["approximate"], strict=True)
    ]
    return out


def place_map_frame(
    tr: Translator, places: pd.DataFrame, figures: pd.DataFrame, value_label: str
) -> pd.DataFrame:
    """``places_reach`` rows ready for ``maps.reach_map``."""
    out = places.copy()
    out["hover"] = place_hover(tr, places, figures, value_label) if len(places) else []
    return out


def places_table(tr: Translator, places: pd.DataFrame, value_label: str) -> pd.DataFrame:
    """The places of a map, as its « show the data » table."""
    return pd.DataFrame(
        {
            tr._("Place"): places["name"],
            tr._("Region"): places["admin1"].fillna(""),
            tr._("Country"): places[f"name_{tr.lang}"],
            value_label: places["total"].astype(float),
            tr._("Programmes"): [
                programme_names(tr, str(names), int(as_float(n)))
                for names, n in zip(places["programmes"], places["programme_count"], strict=True)
            ],
            tr._("Organisations"): places["organisations"],
        }
    )


def programme_places(tr: Translator, places: pd.DataFrame, value_label: str) -> pd.DataFrame:
    """The places of a programme (``programme_places`` rows), ready for a map.

    One point per place, sized by persons reached; its hover gives the totals of
    every unit and measure there (never one line per figure: thousands at scale).
    """
    rows = []
    for place_id, group in places.groupby("place_id", sort=False):
        reach = group[(group["unit"] == "persons") & (group["measure"] == "reached")]
        first = group.iloc[0]
        country = str(first[f"name_{tr.lang}"])
        admin1 = first["admin1"] if isinstance(first["admin1"], str) else ""
        lines = [hover_safe(f"{admin1}, {country}" if admin1 else country)]
        lines += [
            hover_safe(
                figures_line(
                    tr, as_float(r.total), bool(r.approximate), str(r.unit), str(r.measure)
                )
            )
            for r in group.itertuples(index=False)
            if str(r.unit) != "percent"
        ]
        rows.append(
            {
                "place_id": place_id,
                "name": first["name"],
                "lat": float(first["lat"]),
                "lon": float(first["lon"]),
                "total": float(reach["total"].sum()),
                "hover": "<br>".join(lines),
            }
        )
    return pd.DataFrame(rows, columns=["place_id", "name", "lat", "lon", "total", "hover"])


def programme_countries(
    tr: Translator, countries: pd.DataFrame, own_country: tuple[str, str] | None, value_label: str
) -> pd.DataFrame:
    """The countries of a programme (``programme_countries`` rows and its own), for a map."""
    codes_in = [str(c) for c in countries["country_iso3"]]
    totals = dict(zip(codes_in, (as_float(t) for t in countries["total"]), strict=True))
    names = dict(zip(codes_in, (str(n) for n in countries[f"name_{tr.lang}"]), strict=True))
    if own_country is not None:
        totals.setdefault(own_country[0], 0.0)
        names.setdefault(own_country[0], own_country[1])
    codes = sorted(totals)
    return pd.DataFrame(
        {
            "country_iso3": codes,
            "country": [names[c] for c in codes],
            "total": [totals[c] for c in codes],
            "hover": [f"{hover_safe(value_label)}: {tr.number(totals[c])}" for c in codes],
        }
    )
