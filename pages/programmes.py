"""Programmes: the list of the selection; one programme's figures, quotes, places and sources."""

from __future__ import annotations

import streamlit as st

from impact import charts, explore, figures, maps, ui
from impact.amounts import Amount, explanation
from impact.charts import ChartText
from impact.vocab import label

ctx = ui.context()
_ = ctx._
tr = ctx.tr
KEY = ui.DETAIL_KEYS["programmes"]
persons = _("Persons reached")
scope = figures.describe_filters(tr, ctx.filters, ui.query("filter_options"))
programme_id = ui.detail(KEY)
if programme_id:
    params = ctx.params(programme_id=programme_id)
    ui.prefetch(
        [
            ("programme_info", {"programme_id": programme_id}),
            ("programme_summary", params),
            ("programme_countries", params),
            ("programme_facts", {**params, "limit": figures.ROWS_ON_PAGE}),
            ("programme_places", params),
            # the sources under its map (ui.source_line): started once its places are known
        ]
    )
info = ui.query("programme_info", {"programme_id": programme_id}) if programme_id else None


def close() -> None:
    """Back to the list."""
    ui.set_detail(KEY, None)


if info is not None and not info.empty:
    programme = info.iloc[0]
    st.button(_("All programmes"), icon=":material/arrow_back:", on_click=close)
    st.title(ui.plain(programme["name"]))
    summary = ui.query("programme_summary", params).iloc[0]
    in_countries = ui.query("programme_countries", params)
    countries = sorted(
        set(in_countries[f"name_{tr.lang}"]) | {programme[f"country_{tr.lang}"]} - {None}
    )
    years = explore.years_text(
        programme["start_year"],
        programme["end_year"],
        summary["first_year"],
        summary["last_year"],
    )
    where = ", ".join(str(c) for c in countries if isinstance(c, str))
    st.caption(
        ui.plain(
            " · ".join(
                part
                for part in (
                    str(programme["organisation"]),
                    label(tr, "theme", str(programme["theme"])),
                    where,
                    years,
                )
                if part
            )
        )
    )
    if isinstance(programme["summary"], str) and programme["summary"]:
        st.markdown(ui.plain(programme["summary"]))
    count = int(summary["figures"])
    amount = Amount.from_row(
        {**summary.to_dict(), "total": summary["persons"], "lower": summary["persons_lower"]},
        "persons_facts",
    )
    first, second, third = st.columns(3)
    explained = explanation(tr, amount)
    first.metric(persons, amount.reach_text(tr), border=True, help=explained or None)
    if explained:
        first.caption(explained)
    second.metric(_("Figures"), tr.number(count), border=True)
    third.metric(
        _("Places"),
        tr.number(int(summary["places"])),
        border=True,
        help=_("Places its figures name, or where its organisation works in its countries."),
    )

    ui.marks_legend(ctx, [amount])
    ui.method_link(ctx)

    st.header(_("Figures, with their quotes and sources"))
    if not count:
        st.info(_("No figure of this programme in this selection."))
    else:
        # a federation's programme has thousands of figures: the page lists the largest
        listed = ui.query("programme_facts", {**params, "limit": figures.ROWS_ON_PAGE})
        ui.largest_caption(ctx, len(listed), count)
        ui.figures_grid(
            explore.programme_facts_table(tr, listed),
            ctx,
            ui.table_key("programme_facts", params),
            numbers=(_("Figure"),),
            columns={_("Quote"): st.column_config.TextColumn(width="large")},
        )
    hidden = int(summary["outside"])
    if hidden:
        st.caption(
            tr.ngettext(
                "{n} other figure of this programme is outside the selection (see the filters).",
                "{n} other figures of this programme are outside the selection (see the filters).",
                hidden,
            )
        )

    st.header(_("Where"))
    places = explore.programme_places(tr, ui.query("programme_places", params), persons)
    own = programme["country_iso3"]
    country_rows = explore.programme_countries(
        tr,
        in_countries,
        (own, str(programme[f"country_{tr.lang}"])) if isinstance(own, str) else None,
        persons,
    )
    if places.empty and country_rows.empty:
        st.info(_("The sources name no place for this programme."))
    else:
        chosen = ctx.filters.only(programmes=programme_id)
        ui.start_publishers(chosen, places)  # while the map is built
        text = ChartText(_("Where the programme works"), charts.hover_safe(programme["name"]))
        fig = maps.reach_map(country_rows, places, tr, text, persons, height=380)
        data = places[["name", "value"]] if not places.empty else country_rows[["country", "value"]]
        ui.chart(
            fig,
            data.rename(columns={"name": _("Place"), "country": _("Country"), "value": persons}),
            ctx,
            "programme-map",
            filters=chosen,
        )

    st.header(_("Organisation"))
    with st.container(border=True):
        st.markdown(f"**{ui.plain(programme['organisation'])}**")
        ui.page_link(
            ctx,
            "organisations",
            _("Open the organisation's page"),
            icon=":material/groups:",
            org_id=str(programme["org_id"]),
        )
        website = programme["organisation_website"]
        if isinstance(website, str) and website.startswith(("https://", "http://")):
            st.link_button(_("Website"), website, icon=":material/open_in_new:")
    st.caption(
        ui.plain(
            _(
                "Source: {title} ({publisher})",
                title=programme["source_title"],
                publisher=programme["source_publisher"],
            )
        )
    )
else:
    st.title(_("Programmes"))
    if programme_id:
        st.warning(_("This programme does not exist (any more). Here is the list."))
    st.caption(_("Programmes in the selection. Selection: {scope}", scope=scope))
    programmes = ui.query("programmes_list", ctx.params(unit="persons", measure="reached"))
    search = st.text_input(
        _("Search a programme or an organisation"),
        key="programmes_search",
        icon=":material/search:",
    )
    if search:
        needle = search.casefold()
        keep = programmes["name"].str.casefold().str.contains(needle, regex=False) | programmes[
            "organisation"
        ].str.casefold().str.contains(needle, regex=False)
        programmes = programmes[keep].reset_index(drop=True)
    total = len(programmes)
    if total > explore.PROGRAMMES_PAGE:
        # a page at a time (a federation runs thousands of programmes): the order is
        # chosen for the whole list, a column title only sorts the rows drawn
        order = st.selectbox(
            _("Order of the list"),
            list(explore.PROGRAMME_ORDERS),
            format_func=lambda key: _(explore.PROGRAMME_ORDERS[key]),
            key="programmes_order",
        )
        programmes = explore.order_programmes(programmes, str(order))
        how = _("Column titles sort the rows shown; pick a row to open the programme.")
    else:
        order = "reach"
        how = _("Click a column title to sort; pick a row to open the programme.")
    st.caption(tr.ngettext("{n} programme", "{n} programmes", total) + " · " + how)
    signature = (search.casefold(), ctx.filters, order)
    programmes, picked = ui.programme_rows(
        ctx,
        programmes,
        "programmes",
        signature,
        explore.PROGRAMMES_PAGE,
        table_key="programmes_table",
    )
    if picked is not None:
        ui.set_detail(KEY, str(programmes["programme_id"].iloc[picked]))
        st.rerun()
    names = dict(zip(programmes["programme_id"], programmes["name"], strict=True))
    st.selectbox(
        _("Open a programme"),
        list(names),
        index=None,
        format_func=lambda pid: str(names[pid]),
        placeholder=_("Choose a programme"),
        key="programmes_open",
        on_change=lambda: ui.set_detail(KEY, st.session_state.get("programmes_open")),
    )
