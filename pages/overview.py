"""Overview: key figures with the rows behind them, reach by year, theme and country, context."""

from __future__ import annotations

import streamlit as st

from impact import charts, figures, privacy, ui
from impact.charts import ChartText
from impact.exports.view import facts_export_table, reach_table

ctx = ui.context()
_ = ctx._
tr = ctx.tr
params = ctx.params(unit="persons", measure="reached")
ui.prefetch(
    [
        *figures.key_figure_calls(ctx.filters),
        ("reach_by_year", params),
        # the sources under each chart, from the first one on: in the order the page
        # reads them (the pool's two threads take them in turn; last, the first chart's
        # source line waited for the queries of the charts after it)
        ui.sources_call(ctx.filters),
        ("reach_by_theme", params),
        ("reach_by_country", params),
        ("context_figures", {}),
    ]
)
scope = figures.describe_filters(tr, ctx.filters, ui.query("filter_options"))

st.title(_("Overview"))
st.caption(_("Reach of the programmes, as their sources give it. Selection: {scope}", scope=scope))

key_figures = figures.key_figures(ui.query, ctx.filters)
for start in range(0, len(key_figures), 3):
    for column, figure in zip(st.columns(3), key_figures[start : start + 3], strict=True):
        explained = figure.explanation(tr)
        column.metric(
            _(figure.title), figure.display(tr), border=True, help=figure.help(tr) or None
        )
        if explained:
            column.caption(explained)
ui.marks_legend(ctx, [f.amount for f in key_figures])
if any(f.amount.hidden for f in key_figures):
    st.caption(
        _(
            "Figures about children at risk below {n} are hidden and left out of the totals.",
            n=privacy.threshold(),
        )
    )
ui.method_link(ctx)

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
        ui.figures_grid(
            table,
            ctx,
            ui.table_key("overview_rows_table", figure.key, figure.filters),
            numbers=(_("Figure"),),
        )
        ui.table_downloads(
            facts_export_table(tr, facts),
            ctx,
            f"overview-rows-{figure.key}",
            filters=figure.filters,
            name=f"figures-{figure.key}",
            largest_of=figure.facts,
        )

persons = _("Persons reached")
by_year = ui.query("reach_by_year", params)
by_theme = charts.theme_labels(ui.query("reach_by_theme", params), tr)
by_country = ui.query("reach_by_country", params)
by_country["country"] = charts.country_names(by_country, tr)

left, right = st.columns(2)
with left:
    if by_year.empty:
        st.info(_("No figure of persons reached in this selection."))
    else:
        years = charts.years_label(by_year["period_start"], by_year["period_end"])
        text = ChartText(_("Persons reached by year, {years}", years=years), scope)
        fig = charts.bar_by_year(by_year, tr, text, persons)
        ui.chart(fig, reach_table(tr, by_year, "year"), ctx, "overview-year")
with right:
    if not by_theme.empty:
        text = ChartText(_("Persons reached by theme"), scope)
        fig = charts.bar_horizontal(by_theme, tr, text, "theme_label", persons)
        ui.chart(fig, reach_table(tr, by_theme, "theme"), ctx, "overview-theme")
if not by_country.empty:
    fig = charts.country_bars(by_country, tr, scope, persons)[1]
    ui.chart(fig, reach_table(tr, by_country, "country"), ctx, "overview-country")

context_rows = ui.query("context_figures")
for kind, title, caption in (
    (
        "context",
        _("World context"),
        _("These figures describe the world the programmes work in. They are not our reach."),
    ),
    (
        "campaign_result",
        _("Worldwide results of campaigns and networks"),
        _(
            "Results of campaigns and networks the organisations take part in, all countries "
            "together: never added to a country's reach."
        ),
    ),
):
    rows = context_rows[context_rows["kind"] == kind]
    if rows.empty:
        continue
    st.header(title)
    st.caption(caption)
    ui.context_cards(ctx, rows)
