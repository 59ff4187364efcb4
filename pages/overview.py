"""Overview: key figures with the rows behind them, reach by year, theme and country, context."""

from __future__ import annotations

import streamlit as st

from impact import charts, figures, privacy, ui
from impact.charts import ChartText
from impact.exports.view import facts_export_table

ctx = ui.context()
_ = ctx._
tr = ctx.tr
params = ctx.params(unit="persons", measure="reached")
ui.prefetch(
    [
        *figures.key_figure_calls(ctx.filters),
        ("reach_by_year", params),
        ("reach_by_theme", params),
        ("reach_by_country", params),
        ("context_figures", {}),
    ]
)
scope = figures.describe_filters(tr, ctx.filters, ui.query("filter_options"))

st.title(_("Overview"))
st.caption(
    _("Reach of the programmes, counted without double counting. Selection: {scope}", scope=scope)
)

key_figures = figures.key_figures(ui.query, ctx.filters)
for start in range(0, len(key_figures), 3):
    for column, figure in zip(st.columns(3), key_figures[start : start + 3], strict=True):
        column.metric(_(figure.title), figure.display(tr), border=True)
if any(f.approximate for f in key_figures):
    st.caption(_("≥: the total includes figures reported as « more than »; it is a lower bound."))
if any(f.hidden_facts for f in key_figures):
    st.caption(
        _(
            "Figures about children at risk below {n} are hidden and left out of the totals.",
            n=privacy.threshold(),
        )
    )

# A toggle, not an expander: an expander's content runs on every view, and at
# federation scale these lists cost more than the rest of the page.
if st.toggle(
    _("See the figures behind each total, with their quotes and sources"), key="overview_rows"
):
    summed = {f.key: f for f in key_figures if f.filters is not None}
    # one list at a time: each is up to 500 rows with quotes, read on demand
    chosen = st.segmented_control(
        _("Figure"),
        list(summed),
        format_func=lambda key: _(summed[key].title),
        default=next(iter(summed)),
        key="overview_rows_figure",
        label_visibility="collapsed",
    )
    figure = summed[chosen or next(iter(summed))]
    facts = figures.rows_behind(ui.query, figure)
    table = figures.facts_table(tr, facts)
    if table.empty:
        st.info(_("No figure in this selection."))
    else:
        ui.largest_caption(ctx, len(facts), figure.facts)
        st.dataframe(table, hide_index=True, width="stretch")
        ui.table_downloads(
            facts_export_table(tr, facts),
            ctx,
            f"overview-rows-{figure.key}",
            filters=figure.filters,
            name=f"figures-{figure.key}",
        )

persons = _("Persons reached")
by_year = ui.query("reach_by_year", params)
by_theme = charts.theme_labels(ui.query("reach_by_theme", params), tr)
by_country = ui.query("reach_by_country", params)
by_country["country"] = charts.country_names(by_country, tr)

left, right = st.columns(2)
with left:
    if by_year.empty:
        st.info(_("No persons reached in this selection."))
    else:
        text = ChartText(
            _("Persons reached by year, {years}", years=charts.years_label(by_year["year"])), scope
        )
        ui.chart(charts.bar_by_year(by_year, tr, text, persons), by_year, ctx, "overview-year")
with right:
    if not by_theme.empty:
        text = ChartText(_("Persons reached by theme"), scope)
        fig = charts.bar_horizontal(by_theme, tr, text, "theme_label", persons)
        ui.chart(fig, by_theme[["theme_label", "total", "facts"]], ctx, "overview-theme")
if not by_country.empty:
    text = ChartText(_("Persons reached by country"), scope)
    fig = charts.bar_horizontal(by_country, tr, text, "country", persons)
    ui.chart(fig, by_country[["country", "total", "facts", "programmes"]], ctx, "overview-country")

st.header(_("World context"))
st.caption(_("These figures describe the world the programmes work in. They are not our reach."))
context_rows = ui.query("context_figures")
for start in range(0, len(context_rows), 3):
    for column, row in zip(
        st.columns(3), context_rows.iloc[start : start + 3].itertuples(), strict=False
    ):
        with column.container(border=True):
            number = float(row.value)  # type: ignore[arg-type]
            value = tr.percent(number) if row.unit == "percent" else tr.number(number)
            st.metric(ui.plain(row.label), value)
            st.caption(ui.plain(f"{tr.quote(row.quote)} — {row.source_title}"))
