"""Map: persons reached by country, the places named in the sources, and a view of Belgium."""

from __future__ import annotations

import functools

import streamlit as st

from impact import charts, explore, figures, maps, ui
from impact.amounts import Amount
from impact.charts import ChartText

ctx = ui.context()
_ = ctx._
tr = ctx.tr
params = ctx.params(unit="persons", measure="reached")
ui.prefetch(
    [
        ("reach_by_country", params),
        ("map_places", ctx.filters.params()),
        ("place_figures", ctx.filters.params()),
        # the sources under each chart (ui.source_line), read after the map is drawn
        ui.sources_call(ctx.filters, every=True),
        ui.sources_call(ctx.filters.only(countries="BEL"), every=True),
    ]
)
scope = figures.describe_filters(tr, ctx.filters, ui.query("filter_options"))
persons = _("Persons reached")

st.title(_("Map"))
st.caption(
    _(
        "Countries are shaded by the persons reached there; points are the places the sources"
        " name, sized by the persons reached there. Selection: {scope}",
        scope=scope,
    )
)

countries = ui.derived(
    explore.country_map_frame, [("reach_by_country", params)], value_label=persons
)
# the hovers of the places a map draws alone are written as it draws them
places, hovers = ui.map_places(tr, ctx.filters.params(), persons)
# the years of the figures drawn, for the titles (reach_by_country has each country's span)
spans = ui.query("reach_by_country", params)[["country_iso3", "first_year", "last_year"]]
years = charts.years_label(spans["first_year"], spans["last_year"])

if countries.empty and places.empty:
    st.info(_("No figure of persons reached in this selection."))
else:
    title = _("Persons reached by country and place, {years}", years=years) if years else persons
    fig = maps.reach_map(
        countries,
        places,
        tr,
        ChartText(title, charts.hover_safe(scope)),
        persons,
        world=True,
        hovers=hovers,
    )
    data = functools.partial(explore.places_table, tr, places)  # made when « Show the data » opens
    ui.chart(fig, data, ctx, "map-world", notes=maps.class_lines(tr, countries, persons))

LINKED = 12  # countries linked by name; a federation's others are in a list (lighter page)
if not countries.empty:
    st.header(_("Country profiles"))
    columns = st.columns(3)
    for index, row in enumerate(countries.head(LINKED).itertuples(index=False)):
        with columns[index % 3]:
            reach = Amount.from_row(row, "facts").reach_text(tr)
            ui.page_link(
                ctx,
                "countries",
                f"{row.country} · {reach}",
                icon=":material/flag:",
                iso3=str(row.country_iso3),
            )
    if len(countries) > LINKED:
        names = dict(zip(countries["country_iso3"], countries["country"], strict=True))
        picked = st.selectbox(
            _("Open a country's profile"),
            sorted(names, key=lambda code: explore.filing_key(names[code])),
            index=None,
            format_func=lambda code: str(names[code]),
            placeholder=_("Choose a country"),
            key="map_open_country",
        )
        if picked:
            ui.open_page(ctx, "countries", iso3=str(picked))

st.header(_("Belgium"))
belgian_places = places[places["country_iso3"] == "BEL"]
belgium = countries[countries["country_iso3"] == "BEL"]
if belgian_places.empty and belgium.empty:
    st.info(_("No Belgian place in this selection."))
else:
    belgian = spans[spans["country_iso3"] == "BEL"]  # its own years, not the world's
    in_belgium = charts.years_label(belgian["first_year"], belgian["last_year"])
    title = (
        _("Persons reached in Belgium, by place, {years}", years=in_belgium)
        if in_belgium
        else persons
    )
    fig = maps.reach_map(
        belgium,
        belgian_places,
        tr,
        ChartText(title, charts.hover_safe(scope)),
        persons,
        560,
        hovers=hovers,
    )
    data = functools.partial(explore.places_table, tr, belgian_places)
    ui.chart(fig, data, ctx, "map-belgium", filters=ctx.filters.only(countries="BEL"))
