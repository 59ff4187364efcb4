"""Tables and hover texts of the browsing pages (map, programmes, countries, organisations).

Query results come in with codes (themes, units, ISO-3) and raw numbers; these
functions turn them into what a reader sees in their language: translated
labels, locale numbers, escaped names for Plotly hover labels. Nothing here
knows about Streamlit, so tests check the very text a page shows.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any, cast

import pandas as pd

from impact import figures
from impact.amounts import PEOPLE_UNITS, Amount, explanation, numbers, years_note
from impact.charts import hover_safe
from impact.i18n import N_, Translator
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


def amounts(frame: pd.DataFrame, facts_column: str = "reach_facts") -> list[Amount]:
    """The amount of each row of a query with the columns of queries/model/45_amounts.sql."""
    return Amount.from_frame(frame, facts_column)


def reach_text(tr: Translator, row: object, facts_column: str = "reach_facts") -> str:
    """Persons reached of one query row: « 10 378 à 20 437 », « ≥ 2 300 », « – »."""
    return Amount.from_row(row, facts_column).reach_text(tr)


def figure_text(tr: Translator, count: object, qualifier: str, hidden_reason: object = None) -> str:
    """One reported figure with its mark: « 10 378 », « ≈ 30 », « < 10 » if hidden."""
    return figures.figure_text(tr, count, qualifier, hidden_reason)


def distinct_label(tr: Translator, unit: str = "persons") -> str:
    """The column of the distinct lower bound: « Personnes différentes (au moins) »."""
    if unit == "families":
        return tr._("Different families (at least)")
    if unit == "households":
        return tr._("Different households (at least)")
    return tr._("Different people (at least)")


def sum_label(tr: Translator, unit: str = "persons") -> str:
    """The column of the sum: « Personnes atteintes (somme des chiffres) »."""
    if unit == "families":
        return tr._("Families reached (sum of the figures)")
    if unit == "households":
        return tr._("Households reached (sum of the figures)")
    return tr._("Persons reached (sum of the figures)")


def reach_columns(
    tr: Translator, frame: pd.DataFrame, unit: str = "persons", facts_column: str = "reach_facts"
) -> dict[str, object]:
    """A reach as table columns: distinct people at least, the sum, the qualifier.

    Numbers stay numbers (sortable; NaN where there is no figure, shown « – »
    and left empty in files); the qualifier column says « au moins »,
    « environ » or that figures are hidden, so no mark is lost.
    """
    rows = amounts(frame, facts_column)
    return {
        distinct_label(tr, unit): numbers([a.distinct for a in rows], frame.index),
        sum_label(tr, unit): numbers([a.value for a in rows], frame.index),
        tr._("Qualifier"): [a.qualifier_text(tr) for a in rows],
    }


def reach_number_columns(tr: Translator, unit: str = "persons") -> tuple[str, str]:
    """The names of the two number columns of ``reach_columns`` (for number formats)."""
    return distinct_label(tr, unit), sum_label(tr, unit)


def reach_hover(tr: Translator, amount: Amount, value_label: str) -> str:
    """Hover lines of a reach, escaped: the range and what each end counts."""
    if amount.is_range:
        assert amount.lower is not None
        lines = [
            tr._("{label}: {value}", label=hover_safe(value_label), value=amount.reach_text(tr)),
            hover_safe(explanation(tr, amount)),
        ]
    else:
        lines = [tr._("{label}: {value}", label=hover_safe(value_label), value=amount.text(tr))]
    note = years_note(tr, amount)
    if note:
        lines.append(hover_safe(note))
    return "<br>".join(lines)


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


_MARKDOWN_SPECIALS = set("\\`*_{}[]()#+-.!|<>~$:=")


def plain(text: object) -> str:
    """Escape Markdown so text from a data file is shown as written, never interpreted."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in str(text))


def theme_list(tr: Translator, codes: str) -> str:
    """Comma-separated theme codes as translated labels."""
    return ", ".join(label(tr, "theme", c) for c in str(codes or "").split(",") if c)


def kind_and_country(tr: Translator, row: object) -> str:
    """« NGO · Belgium »: an organisation's kind and country (``organisations_list``'s row)."""
    parts = [label(tr, "kind", str(getattr(row, "kind", "")))]
    country = getattr(row, f"country_{tr.lang}", None)
    if isinstance(country, str):
        parts.append(country)
    return " · ".join(parts)


def organisation_name(name: object, acronym: object) -> str:
    """« SOS Test (SOS) »: a name with its acronym, when it has one that is not the name."""
    text = str(name)
    if isinstance(acronym, str) and acronym and acronym != text:
        text += f" ({acronym})"
    return text


# The directory's cards drawn at a time (two columns of ten): a federation has hundreds.
ORGANISATIONS_PAGE = 20


def organisation_card(tr: Translator, row: Any) -> str:
    """A directory card's text as one Markdown block: its name, kind and country (small,
    grey), summary, themes, cities, programmes and persons reached (an ``itertuples`` row
    of ``organisations_list``). One block, because four texts and two columns a card made
    the directory's twenty cards 636 elements for the browser to draw (376 so)."""
    name = organisation_name(row.name, getattr(row, "acronym", None))
    blocks = [f"**{plain(name)}**  \n:small[:gray[{plain(kind_and_country(tr, row))}]]"]
    summary = getattr(row, "summary", None)
    if isinstance(summary, str):
        blocks.append(plain(summary))
    facts = []
    codes = getattr(row, "themes", None)
    themes = theme_list(tr, codes) if isinstance(codes, str) else ""
    if themes:
        facts.append(labelled(tr, tr._("Themes"), plain(themes)))
    cities = getattr(row, "cities", None)
    if isinstance(cities, str) and cities:
        facts.append(labelled(tr, tr._("Cities"), plain(cities)))
    work = labelled(tr, tr._("Programmes"), tr.number(int(as_float(row.programmes))))
    amount = Amount.from_row(row, "reach_facts")
    if amount.has_figure:
        work += " · " + labelled(tr, tr._("Persons reached"), plain(amount.reach_text(tr)))
    facts.append(work)
    blocks.append("  \n".join(facts))
    return "\n\n".join(blocks)


def labelled(tr: Translator, label: str, value: str) -> str:
    """« **Thèmes** : Intégration »: a bold label and its value, with the colon of the
    reader's language (French puts a no-break space before it)."""
    return tr._("{label}: {value}", label=f"**{label}**", value=value)


def figures_line(tr: Translator, amount: Amount, unit: str, measure: str) -> str:
    """« 4 000 consultations — reach »: a total with its unit and what kind of figure it is."""
    return tr._(
        "{number} {unit} — {measure}",
        number=amount.reach_text(tr) if unit in PEOPLE_UNITS else amount.text(tr),
        unit=label(tr, "unit", unit),
        measure=label(tr, "measure_kind", measure),
    )


def country_hover(
    tr: Translator, countries: pd.DataFrame, value_label: str, facts_column: str = "facts"
) -> list[str]:
    """Hover lines of each country (``reach_by_country`` rows): the reach and its programmes."""
    lines = []
    rows = amounts(countries, facts_column)
    for row, amount in zip(countries.itertuples(index=False), rows, strict=True):
        # the programmes whose figures the reach adds up (the list of countries counts all)
        programmes = tr.ngettext(
            "{n} programme counted", "{n} programmes counted", int(as_float(row.programmes))
        )
        lines.append(f"{reach_hover(tr, amount, value_label)}<br>{programmes}")
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
    """Hover lines of each place of ``places_reach``: where, figures, programmes, organisations.

    Only the figures of ``places`` are written: a map asks for the hovers of the few
    places it draws alone (``place_hovers``), not for the thousands of lines of a
    federation's every place.
    """
    by_place: dict[str, list[str]] = {}
    figures = figures[figures["place_id"].isin(places["place_id"])]
    keys = zip(*(figures[c].tolist() for c in ("place_id", "unit", "measure")), strict=True)
    for (place_id, unit, measure), amount in zip(keys, amounts(figures, "facts"), strict=True):
        line = figures_line(tr, amount, str(unit), str(measure))
        by_place.setdefault(str(place_id), []).append(line)
    lines = []
    for row, amount in zip(places.itertuples(index=False), amounts(places), strict=True):
        country = getattr(row, f"name_{tr.lang}")
        admin1 = row.admin1 if isinstance(row.admin1, str) else ""
        parts = [hover_safe(f"{admin1}, {country}" if admin1 else country)]
        if amount.has_figure:
            parts.append(reach_hover(tr, amount, value_label))
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


# The orders of the programme list. A long list is drawn a page at a time and a
# click on a column title sorts only the rows drawn, so the whole list is put in
# order first: « the first 100 by name » then means what it says.
PROGRAMME_ORDERS = {
    "reach": N_("Largest reach first"),
    "name": N_("Programme, A to Z"),
    "organisation": N_("Organisation, A to Z"),
    "recent": N_("Latest figures first"),
}


def filing_key(text: object) -> str:
    """A name's sort key as a reader files it: « Écoles » with the E's, not after Z
    (``casefold`` alone leaves « É » after « z »: « Égypte » after « Zambie »), and
    « Programme 2 » before « Programme 10 »."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[0-9]+", lambda m: m.group().zfill(12), letters)


def _alphabetical(column: pd.Series) -> pd.Series:
    """Sort keys of names as a reader files them (``filing_key``)."""
    return column.map(filing_key)


def order_programmes(programmes: pd.DataFrame, order: str) -> pd.DataFrame:
    """The whole programme list in one of :data:`PROGRAMME_ORDERS` (ties by name).

    Programmes with no figure of the kind shown (reach) or no year (latest) come
    last, never first as if they were 0.
    """
    if order not in PROGRAMME_ORDERS:
        raise ValueError(f"unknown order {order!r}")
    frame = programmes.assign(_name=_alphabetical(programmes["name"]))
    if order == "reach":
        frame = frame.sort_values(
            ["total", "_name"], ascending=[False, True], na_position="last", kind="stable"
        )
    elif order == "name":
        frame = frame.sort_values("_name", kind="stable")
    elif order == "organisation":
        frame = frame.assign(_org=_alphabetical(programmes["organisation"]))
        frame = frame.sort_values(["_org", "_name"], kind="stable").drop(columns="_org")
    else:
        frame = frame.sort_values(
            ["last_year", "total", "_name"],
            ascending=[False, False, True],
            na_position="last",
            kind="stable",
        )
    return frame.drop(columns="_name").reset_index(drop=True)


# Rows of the Programmes page's list drawn at a time (in the order chosen, largest reach
# first); the benchmark's floor draws as many (scripts/bench_browser.py).
PROGRAMMES_PAGE = 100


def programmes_table(tr: Translator, programmes: pd.DataFrame) -> pd.DataFrame:
    """The programme list as readers see it (numbers stay numbers, for sorting)."""
    return pd.DataFrame(
        {
            tr._("Programme"): programmes["name"],
            # No figure of this kind: « – », sorted last (not a misleading 0).
            **reach_columns(tr, programmes),
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
    rows = [
        Amount.figure(c, str(q), h)
        for c, q, h in zip(
            facts["count"], facts["qualifier"], figures.hidden_reasons(facts), strict=True
        )
    ]
    return pd.DataFrame(
        {
            tr._("Figure"): numbers([a.value for a in rows], facts.index),
            tr._("Qualifier"): [a.qualifier_text(tr) for a in rows],
            tr._("Unit"): [label(tr, "unit", u) for u in facts["unit"]],
            tr._("Measure"): [label(tr, "measure", m) for m in facts["measure"]],
            tr._("Group"): [label(tr, "group", g) for g in facts["group"]],
            tr._("Year"): figures.fact_years(tr, facts),
            tr._("Quote"): [figures.quote_text(tr, q) for q in facts["quote"]],
            tr._("Source"): facts["source_title"],
            tr._("Added to totals"): counted,
            tr._("Place"): facts["place"].fillna(""),
            tr._("Country"): facts[f"country_{tr.lang}"],
        }
    )


def countries_table(tr: Translator, countries: pd.DataFrame) -> pd.DataFrame:
    """The countries of the selection with their reach and how much work is there.

    The reach and its qualifier come right after the name: on a laptop the grid shows
    about five columns, and the qualifier (« au moins environ ») must be among them.
    """
    return pd.DataFrame(
        {
            tr._("Country"): countries[f"name_{tr.lang}"],
            **reach_columns(tr, countries),
            tr._("Region"): [label(tr, "region", r) for r in countries["region"]],
            tr._("Programmes"): countries["programmes"].astype(int),
            tr._("Organisations"): countries["organisations"].astype(int),
            tr._("Figures"): countries["facts"].astype(int),
        }
    )


def figures_by_unit_table(tr: Translator, figures: pd.DataFrame) -> pd.DataFrame:
    """Totals of every unit and measure (never added to each other).

    Percentages and « items » are never added up: each such figure is its own
    row, with its programme and its quote (``country_profile_figures``), which
    tells two such figures of one programme apart (« 3 brochures », « 3 affiches »).
    """
    rows = amounts(figures, "facts")
    programmes = figures["programme"] if "programme" in figures else [None] * len(figures)
    what = []
    for unit, measure, programme in zip(
        figures["unit"], figures["measure"], programmes, strict=True
    ):
        text = f"{label(tr, 'unit', unit)} — {label(tr, 'measure_kind', measure)}"
        what.append(f"{text} ({programme})" if isinstance(programme, str) else text)
    return pd.DataFrame(
        {
            tr._("What is counted"): what,
            # the reach as the sources allow it (« ≥ 5 829 »): not « Total », which read as
            # the sum of the rows (5 846), a number the sources do not allow for people
            tr._("As the sources allow it"): [
                a.reach_text(tr) if u in PEOPLE_UNITS else a.text(tr, percent=u == "percent")
                for a, u in zip(rows, figures["unit"], strict=True)
            ],
            tr._("Figures"): figures["facts"].astype(int),
            **(
                {tr._("Quote"): [q if isinstance(q, str) else None for q in figures["quote"]]}
                if "quote" in figures and figures["quote"].notna().any()
                else {}
            ),
        }
    )


def country_map_frame(
    tr: Translator, countries: pd.DataFrame, value_label: str, facts_column: str = "facts"
) -> pd.DataFrame:
    """``reach_by_country`` rows ready for ``maps.reach_map`` (name and hover in the language)."""
    out = countries.copy()
    out["country"] = out[f"name_{tr.lang}"]
    out["total"] = out["total"].astype(float).fillna(0.0)  # shading only: hovers say « – »
    out["hover"] = country_hover(tr, countries, value_label, facts_column) if len(countries) else []
    # the reach as the reader sees it, for the map's classes in words (maps.class_lines)
    out["reach"] = [a.reach_text(tr) for a in amounts(countries, facts_column)]
    return out


def places_reach(
    tr: Translator,
    places: pd.DataFrame,
    figures: pd.DataFrame,
    unit: str = "persons",
    measure: str = "reached",
) -> pd.DataFrame:
    """The places of ``map_places`` with their reach of one unit and measure, largest first.

    The reach is the place's row of that unit and measure in ``place_figures`` (the
    same selection), whose amounts the hover lists beside it: the map's points and
    their hovers read one result. A place with no such figure keeps every amount
    column missing (``reach_facts`` too: « – », never 0) and comes last. ``tr`` is
    unused (``ui.derived`` gives it to every builder).
    """
    del tr
    chosen = figures[(figures["unit"] == unit) & (figures["measure"] == measure)]
    # every amount column of the row (queries/model/45_amounts.sql), as the query's own
    reach = chosen.drop(columns=["unit", "measure"]).rename(columns={"facts": "reach_facts"})
    out = places.merge(reach, on="place_id", how="left", validate="one_to_one")
    # stable: ties keep the query's order, by the place's name as the data writes it
    return out.sort_values("total", ascending=False, na_position="last", kind="stable").reset_index(
        drop=True
    )


def place_map_frame(tr: Translator, places: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """``map_places`` rows with their reach (``places_reach``) ready for ``maps.reach_map``.

    Without hovers: the map writes those of the points it draws (``place_hovers``).
    """
    out = places_reach(tr, places, figures)  # a frame of its own: filled in here
    # the reach as the reader sees it, for the map's text alternative and its groups' hovers
    out["reach"] = [a.reach_text(tr) for a in amounts(out)]
    out["total"] = out["total"].astype(float).fillna(0.0)  # sizes only: hovers say « – »
    return out


def place_hovers(
    tr: Translator, figures: pd.DataFrame, value_label: str
) -> Callable[[pd.DataFrame], list[str]]:
    """The hovers of rows of ``place_map_frame``, for ``maps.reach_map``, which asks for
    those of the places it draws alone.

    At 10 million figures a world map draws 205 points for 791 places, 52 of them a
    single place (the others' hovers list their members' reach): writing every
    place's hover, one line per unit and measure there, was a fifth of the Map's run.
    ``figures`` is the selection's ``place_figures``.
    """
    return functools.partial(place_hover, tr, figures=figures, value_label=value_label)


def places_table(tr: Translator, places: pd.DataFrame) -> pd.DataFrame:
    """The places of a map, as its « show the data » table."""
    return pd.DataFrame(
        {
            tr._("Place"): places["name"],
            tr._("Region"): places["admin1"].fillna(""),
            tr._("Country"): places[f"name_{tr.lang}"],
            **reach_columns(tr, places),
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
    A place of its organisation where no figure is named is a grey point.
    """
    rows = []
    for place_id, group in places.groupby("place_id", sort=False):
        first = group.iloc[0]
        country = str(first[f"name_{tr.lang}"])
        admin1 = first["admin1"] if isinstance(first["admin1"], str) else ""
        lines = [hover_safe(f"{admin1}, {country}" if admin1 else country)]
        reach = Amount(None)
        for row, amount in zip(group.itertuples(index=False), amounts(group, "facts"), strict=True):
            if not isinstance(row.unit, str):  # a place of the organisation, no figure here
                lines.append(tr._("The organisation works here; no figure names this place"))
                continue
            if (row.unit, row.measure) == ("persons", "reached"):
                reach = amount
            lines.append(hover_safe(figures_line(tr, amount, str(row.unit), str(row.measure))))
        rows.append(
            {
                "place_id": place_id,
                "name": first["name"],
                "lat": float(first["lat"]),
                "lon": float(first["lon"]),
                "total": reach.value if reach.value is not None else 0.0,
                "value": reach.value,
                "hover": "<br>".join(lines),
                "reach": reach.reach_text(tr),
            }
        )
    frame = pd.DataFrame(
        rows, columns=["place_id", "name", "lat", "lon", "total", "value", "hover", "reach"]
    )
    frame["value"] = numbers(list(frame["value"]), frame.index)
    return frame


def programme_countries(
    tr: Translator, countries: pd.DataFrame, own_country: tuple[str, str] | None, value_label: str
) -> pd.DataFrame:
    """The countries of a programme (``programme_countries`` rows and its own), for a map.

    A country without a figure of persons reached keeps « – » in its hover and
    no colour (never 0).
    """
    by_code: dict[str, tuple[str, Amount]] = {
        str(code): (str(name), amount)
        for code, name, amount in zip(
            countries["country_iso3"],
            countries[f"name_{tr.lang}"],
            amounts(countries, "facts"),
            strict=True,
        )
    }
    if own_country is not None:
        by_code.setdefault(own_country[0], (own_country[1], Amount(None)))
    codes = sorted(by_code)
    return pd.DataFrame(
        {
            "country_iso3": codes,
            "country": [by_code[c][0] for c in codes],
            "total": [
                by_code[c][1].value if by_code[c][1].value is not None else 0.0 for c in codes
            ],
            "value": numbers([by_code[c][1].value for c in codes]),
            "hover": [reach_hover(tr, by_code[c][1], value_label) for c in codes],
            "reach": [by_code[c][1].reach_text(tr) for c in codes],
        }
    )
