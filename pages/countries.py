"""Countries: the countries of the selection, and one country's profile.

A profile shows the country's reach by theme and year, its programmes, its
places and its context figures, within the sidebar filters (its own country
replaces the country filter).
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from impact import charts, explore, figures, maps, ui
from impact.amounts import Amount, explanation
from impact.charts import ChartText
from impact.exports.view import reach_table

ctx = ui.context()
_ = ctx._
tr = ctx.tr
KEY = ui.DETAIL_KEYS["countries"]
# px: the list's country column, beside the reach and its qualifier in 820 px
COUNTRY_COLUMN = 170
persons = _("Persons reached")
options = ui.query("filter_options")
names = options[options["kind"] == "countries"].set_index("value")[f"name_{tr.lang}"].to_dict()
iso3 = ui.detail(KEY)


def close() -> None:
    """Back to the list of countries."""
    ui.set_detail(KEY, None)


if iso3 in names:
    country = str(names[iso3])
    params = ctx.params(countries=[iso3], unit="persons", measure="reached")
    in_country = ctx.params(countries=[iso3])
    ui.prefetch(
        [
            ("reach_by_country", params),
            ("scope_counts", in_country),
            ("map_places", in_country),
            ("reach_by_year", params),
            ("reach_by_theme", params),
            # the sources under the bar charts (ui.source_line), in the order the page
            # reads them: last, the first chart's source line waited 0.10-0.17 s at 10M
            # for the profile's, list's and map's queries; the map's: once its places
            # are known, below
            ui.sources_call(ctx.filters.only(countries=iso3)),
            ("country_profile_figures", in_country),
            ("programmes_list", params),
            ("place_figures", in_country),
            ("country_context", {"iso3": iso3}),
        ]
    )
    scope = figures.describe_filters(tr, ctx.filters, options)
    st.button(_("All countries"), icon=":material/arrow_back:", on_click=close)
    st.title(country)
    if ctx.filters.countries and iso3 not in ctx.filters.countries:
        st.caption(_("The country filter of the sidebar does not apply to a country's profile."))
    st.caption(_("Selection: {scope}", scope=scope))

    # The country's one row of reach_by_country (none: no figure of persons reached there).
    reach = ui.query("reach_by_country", params)
    counts = ui.query("scope_counts", in_country).iloc[0]
    places = ui.query("map_places", in_country)
    amount = Amount.from_row(reach.iloc[0].to_dict()) if len(reach) else Amount(None)
    cells = st.columns(4)
    explained = explanation(tr, amount)
    cells[0].metric(persons, amount.reach_text(tr), border=True, help=explained or None)
    if explained:
        cells[0].caption(explained)
    elif not amount.has_figure:
        cells[0].caption(_("No figure of persons reached in this selection."))
    cells[1].metric(
        _("Programmes"),
        tr.number(int(counts["programmes"])),
        border=True,
        help=_(figures.PROGRAMMES_DEFINITION),
    )
    cells[2].metric(
        _("Organisations"),
        tr.number(int(counts["organisations"])),
        border=True,
        help=_(figures.ORGANISATIONS_DEFINITION),
    )
    cells[3].metric(
        _("Places"), tr.number(len(places)), border=True, help=_(figures.PLACES_DEFINITION)
    )
    ui.marks_legend(ctx, [amount])
    ui.method_link(ctx)

    by_year = ui.query("reach_by_year", params)
    by_theme = charts.theme_labels(ui.query("reach_by_theme", params), tr)
    # no figure of persons reached: the card's caption above says so, once
    if not by_year.empty:
        left, right = st.columns(2)
        with left:
            years = charts.years_label(by_year["period_start"], by_year["period_end"])
            text = ChartText(
                _("Persons reached in {country} by year, {years}", country=country, years=years),
                charts.hover_safe(scope),
            )
            fig = charts.bar_by_year(by_year, tr, text, persons)
            ui.chart(
                fig,
                reach_table(tr, by_year, "year"),
                ctx,
                "country-year",
                filters=ctx.filters.only(countries=iso3),
            )
        with right:
            text = ChartText(
                _("Persons reached in {country} by theme", country=country),
                charts.hover_safe(scope),
            )
            fig = charts.bar_horizontal(by_theme, tr, text, "theme_label", persons)
            ui.chart(
                fig,
                reach_table(tr, by_theme, "theme"),
                ctx,
                "country-theme",
                filters=ctx.filters.only(countries=iso3),
            )

    other = ui.query("country_profile_figures", in_country)
    if not other.empty:
        st.header(_("All figures, by unit"))
        st.caption(_("Figures of different units or kinds are never added together."))
        by_unit = explore.figures_by_unit_table(tr, other)
        # the unit and the programme readable; the quote takes the rest (whole under the
        # grid when its row is picked)
        widths = {
            _("What is counted"): st.column_config.Column(width=340),
            _("As the sources allow it"): st.column_config.Column(width=230),
            _("Figures"): st.column_config.Column(width=70),
            _("Quote"): st.column_config.Column(width=250),
        }
        if _("Quote") in by_unit:
            ui.figures_grid(
                by_unit, ctx, ui.table_key("country_by_unit", in_country), columns=widths
            )
        else:
            ui.table(by_unit, ctx, downloads=False, columns=widths)

    ui.programmes_section(ctx, params, key="country_programmes")

    st.header(_("Places"))
    if places.empty:
        st.info(_("The sources name no place in this country for this selection."))
    else:
        frame, hovers = ui.map_places(tr, in_country, persons)
        ui.start_publishers(ctx.filters.only(countries=iso3), frame)  # while the map is built
        shape = ui.derived(
            explore.country_map_frame, [("reach_by_country", params)], value_label=persons
        )
        if shape.empty:  # no persons reached: the country's outline still frames its places
            shape = pd.DataFrame(
                {"country_iso3": [iso3], "country": [country], "total": [0.0], "hover": [""]}
            )
        text = ChartText(_("Places in {country}", country=country), charts.hover_safe(scope))
        fig = maps.reach_map(shape, frame, tr, text, persons, height=460, hovers=hovers)
        ui.chart(
            fig,
            functools.partial(explore.places_table, tr, frame),
            ctx,
            "country-places",
            filters=ctx.filters.only(countries=iso3),
        )

    st.header(_("Context"))
    context_rows = ui.query("country_context", {"iso3": iso3})
    if context_rows.empty:
        st.caption(_("No context figure about this country in the data."))
    ui.context_cards(ctx, context_rows)
else:
    st.title(_("Countries"))
    if iso3:
        st.warning(_("This country is not in the data. Here is the list."))
    scope = figures.describe_filters(tr, ctx.filters, options)
    st.caption(_("Countries in the selection. Selection: {scope}", scope=scope))
    countries = ui.query("countries_list", ctx.params(unit="persons", measure="reached"))
    if countries.empty:
        st.info(_("No country in this selection."))
    else:
        st.caption(
            tr.ngettext("{n} country", "{n} countries", len(countries))
            + " · "
            + _("Pick a row to open the country's profile.")
        )
        table = explore.countries_table(tr, countries)
        numbers = explore.reach_number_columns(tr)
        picked = ui.table(
            table,
            ctx,
            numbers=numbers,
            key="countries_table",
            select=True,
            # « République démocratique du Congo » was « République »; the reach's
            # qualifier still in a laptop's view (explore.countries_table)
            columns={_("Country"): ui.name_column(COUNTRY_COLUMN)},
        )
        if picked is not None and picked < len(countries):
            ui.set_detail(KEY, str(countries["country_iso3"].iloc[picked]))
            st.rerun()
        labels = dict(zip(countries["country_iso3"], countries[f"name_{tr.lang}"], strict=True))
        st.selectbox(
            _("Open a country's profile"),
            list(labels),
            index=None,
            format_func=lambda code: str(labels[code]),
            placeholder=_("Choose a country"),
            key="countries_open",
            on_change=lambda: ui.set_detail(KEY, st.session_state.get("countries_open")),
        )
