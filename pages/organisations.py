"""Organisations: the directory (who, themes, cities, website) and one organisation's page."""

from __future__ import annotations

import functools

import streamlit as st

from impact import charts, explore, figures, maps, ui
from impact.amounts import Amount, explanation
from impact.charts import ChartText

ctx = ui.context()
_ = ctx._
tr = ctx.tr
KEY = ui.DETAIL_KEYS["organisations"]
persons = _("Persons reached")
THEMES, CITIES = _("Themes"), _("Cities")
options = ui.query("filter_options")
scope = figures.describe_filters(tr, ctx.filters, options)
org_id = ui.detail(KEY)
known = set(options.loc[options["kind"] == "orgs", "value"])


def close() -> None:
    """Back to the directory."""
    ui.set_detail(KEY, None)


def website_button(url: object) -> None:
    """A button to the public website, for web addresses only."""
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        st.link_button(_("Website"), url, icon=":material/open_in_new:")


if org_id in known:
    params = ctx.params(orgs=[org_id], unit="persons", measure="reached")
    ui.prefetch(
        [
            ("organisations_list", params),
            ("programmes_list", params),
            ("countries_list", params),
            ("map_places", params),
            ("place_figures", params),
            # the sources under its map (ui.source_line): started once its places are known
        ]
    )
    rows = ui.query("organisations_list", params)
    st.button(_("All organisations"), icon=":material/arrow_back:", on_click=close)
    if rows.empty:
        st.title(ui.plain(options.loc[options["value"] == org_id, "name_fr"].iloc[0]))
        st.info(_("This organisation has nothing in the selection (see the filters)."))
        st.stop()
    org = rows.iloc[0]
    st.title(ui.plain(explore.organisation_name(org["name"], org["acronym"])))
    st.caption(ui.plain(explore.kind_and_country(tr, next(rows.itertuples(index=False)))))
    if ctx.filters.orgs and org_id not in ctx.filters.orgs:
        st.caption(_("The organisation filter of the sidebar does not apply to this page."))
    if isinstance(org["summary"], str):
        st.markdown(ui.plain(org["summary"]))
    website_button(org["website"])
    cells = st.columns(3)
    amount = Amount.from_row(org.to_dict(), "reach_facts")
    explained = explanation(tr, amount)
    cells[0].metric(persons, amount.reach_text(tr), border=True, help=explained or None)
    if explained:
        cells[0].caption(explained)
    cells[1].metric(_("Programmes"), tr.number(int(org["programmes"])), border=True)
    themes = explore.theme_list(tr, org["themes"])
    cities = str(org["cities"] or "")
    if themes:
        st.markdown(explore.labelled(tr, THEMES, ui.plain(themes)))
    if cities:
        st.markdown(explore.labelled(tr, CITIES, ui.plain(cities)))

    ui.marks_legend(ctx, [amount])
    ui.method_link(ctx)
    ui.programmes_section(ctx, params, key="org_programmes")

    # Where it works: the countries of its programmes (shaded by persons reached) and its
    # places (named by its figures, or where it has an office or an activity).
    countries = ui.query("countries_list", params)
    places = ui.query("map_places", params)
    cells[2].metric(
        _("Places"), tr.number(len(places)), border=True, help=_(figures.PLACES_DEFINITION)
    )
    if not countries.empty or not places.empty:
        st.header(_("Where it works"))
        outlines = ui.derived(
            explore.country_map_frame,
            [("countries_list", params)],
            value_label=persons,
            facts_column="reach_facts",
        )
        frame, hovers = ui.map_places(tr, params, persons)
        ui.start_publishers(ctx.filters.only(orgs=org_id), frame)  # while the map is built
        text = ChartText(
            charts.hover_safe(_("Where {name} works", name=org["name"])), charts.hover_safe(scope)
        )
        fig = maps.reach_map(outlines, frame, tr, text, persons, 420, hovers=hovers)
        ui.chart(
            fig,
            functools.partial(explore.places_table, tr, frame),
            ctx,
            "org-places",
            filters=ctx.filters.only(orgs=org_id),
        )
else:
    st.title(_("Organisations"))
    if org_id:
        st.warning(_("This organisation is not in the data. Here is the directory."))
    st.caption(_("Who runs the programmes. Selection: {scope}", scope=scope))
    everyone = ui.query("organisations_list", ctx.params(unit="persons", measure="reached"))
    search = st.text_input(
        _("Search an organisation, a theme or a city"),
        key="organisations_search",
        icon=":material/search:",
    )
    shown = everyone
    if search:
        needle = search.casefold()
        text_of = (
            everyone["name"].fillna("")
            + " "
            + everyone["acronym"].fillna("")
            + " "
            + everyone["cities"].fillna("")
            + " "
            + [explore.theme_list(tr, t) for t in everyone["themes"]]
        )
        shown = everyone[text_of.str.casefold().str.contains(needle, regex=False)]
    st.caption(tr.ngettext("{n} organisation", "{n} organisations", len(shown)))
    # a page of cards at a time: a federation has hundreds of organisations
    listed = (search.casefold(), ctx.filters)
    limit = ui.shown("organisations", listed, explore.ORGANISATIONS_PAGE)
    columns = st.columns(2)
    for index, row in enumerate(shown.head(limit).itertuples(index=False)):
        with columns[index % 2].container(border=True):
            st.markdown(explore.organisation_card(tr, row))
            with st.container(
                horizontal=True, horizontal_alignment="distribute", vertical_alignment="center"
            ):
                ui.page_link(
                    ctx,
                    "organisations",
                    _("Open"),
                    icon=":material/arrow_forward:",
                    org_id=str(row.org_id),
                )
                website_button(row.website)
    ui.show_more(
        ctx, "organisations", listed, min(limit, len(shown)), len(shown), explore.ORGANISATIONS_PAGE
    )
