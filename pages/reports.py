"""Reports & exports: choose a scope and a language, preview, download PDF, PPTX or a pack."""

from __future__ import annotations

from typing import cast

import streamlit as st

from impact import explore, ui
from impact.exports.tables import source_table
from impact.exports.view import SENTENCES_IN_FILES
from impact.filters import Filters
from impact.i18n import LANGS, LANGUAGE_NAMES, N_, Translator

SOURCES_PAGE = 100  # sources drawn at once under the preview, « Show 100 more » for the next
# the preview's tab of each chart of the report (``exports.view.ChartSpec.key``)
CHART_TABS = {
    "reach-by-year": N_("By year"),
    "reach-by-theme": N_("By theme"),
    "reach-by-country": N_("By country"),
    "map": N_("Map"),
}

ctx = ui.context()
_ = ctx._
tr = ctx.tr

st.title(_("Reports & exports"))
st.caption(
    _(
        "A report for a funder, slides for a presentation or a figures pack for communications: "
        "choose the scope and the language, check the preview, then download. Every file states "
        "its selection, its sources and the date."
    )
)

options = ui.query("filter_options")
kinds = {str(kind): rows for kind, rows in options.groupby("kind")}
programmes = ui.query("report_programmes")
years = sorted(int(y) for y in kinds["years"]["value"]) if "years" in kinds else []
org_names = (
    dict(zip(kinds["orgs"]["value"], kinds["orgs"]["name_fr"], strict=True))
    if "orgs" in kinds
    else {}
)
country_names = (
    dict(zip(kinds["countries"]["value"], kinds["countries"][f"name_{tr.lang}"], strict=True))
    if "countries" in kinds
    else {}
)

# The scope starts from the sidebar's selection, then lives on its own.
if "r_orgs" not in st.session_state:
    st.session_state["r_orgs"] = [o for o in ctx.filters.orgs if o in org_names]
    st.session_state["r_countries"] = [c for c in ctx.filters.countries if c in country_names]
    st.session_state["r_lang"] = tr.lang
    if len(years) > 1:
        low = ctx.filters.year_from or years[0]
        high = ctx.filters.year_to or years[-1]
        st.session_state["r_years"] = (max(low, years[0]), min(high, years[-1]))

with st.container(border=True):
    st.header(_("Scope"))
    left, right = st.columns(2)
    year_from = year_to = None
    with left:
        if len(years) > 1:
            low, high = cast(
                tuple[int, int],
                st.slider(
                    _("Years"), min_value=years[0], max_value=years[-1], key="r_years", step=1
                ),
            )
            if (low, high) != (years[0], years[-1]):
                year_from, year_to = int(low), int(high)
        orgs = ui.multiselect(
            st,
            _("Organisations"),
            sorted(org_names, key=lambda o: explore.filing_key(org_names[o])),
            format_func=lambda o: str(org_names.get(o, o)),
            key="r_orgs",
            tr=tr,
            placeholder=N_("All organisations"),
        )
    with right:
        offered = programmes[programmes["org_id"].isin(orgs)] if orgs else programmes
        programme_names = dict(zip(offered["programme_id"], offered["name"], strict=True))
        # Keep only programmes of the organisations still chosen.
        st.session_state["r_programmes"] = [
            p for p in st.session_state.get("r_programmes", []) if p in programme_names
        ]
        chosen_programmes = ui.multiselect(
            st,
            _("Programmes"),
            list(programme_names),
            format_func=lambda p: str(programme_names.get(p, p)),
            key="r_programmes",
            tr=tr,
            placeholder=N_("All programmes"),
        )
        countries = ui.multiselect(
            st,
            _("Countries"),
            sorted(country_names, key=lambda c: explore.filing_key(country_names[c])),
            format_func=lambda c: str(country_names.get(c, c)),
            key="r_countries",
            tr=tr,
            placeholder=N_("All countries"),
        )
    lang = str(
        st.radio(
            _("Language of the report"),
            list(LANGS),
            format_func=lambda code: LANGUAGE_NAMES[code],
            key="r_lang",
            horizontal=True,
        )
    )
    if ctx.filters.themes or ctx.filters.groups:
        st.caption(_("The themes and groups chosen in the sidebar apply to the report too."))

scope = Filters(
    year_from=year_from,
    year_to=year_to,
    orgs=tuple(orgs),
    themes=ctx.filters.themes,
    countries=tuple(countries),
    groups=ctx.filters.groups,
    programmes=tuple(p for p in chosen_programmes if p in programme_names),
)
view = ui.export_view(scope, lang)

st.header(_("Download"))
st.caption(ui.plain(_("Selection: {scope}", scope=view.scope)))
files = [
    ("pdf", _("Report (PDF, A4)"), "application/pdf", ":material/picture_as_pdf:"),
    (
        "pptx",
        _("Slides (PowerPoint)"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ":material/slideshow:",
    ),
    ("zip", _("Figures pack (ZIP)"), "application/zip", ":material/folder_zip:"),
]
for column, (kind, label, mime, icon) in zip(st.columns(len(files)), files, strict=True):
    column.download_button(
        label,
        data=ui.export_file(scope, lang, kind),
        file_name=f"impact-{lang}-{view.day.isoformat()}.{kind}",
        mime=mime,
        icon=icon,
        on_click="ignore",
        key=f"r_download_{kind}",
        type="primary" if kind == "pdf" else "secondary",
        width="stretch",
    )
st.caption(
    _(
        "The files are made when you click (a few seconds). The pack holds every chart as PNG "
        "and SVG, the tables as XLSX and CSV, the sentences in three languages and the sources."
    )
)

st.header(_("Preview"))
vtr = view.tr
for start in range(0, len(view.figures), 3):
    for column, figure in zip(st.columns(3), view.figures[start : start + 3], strict=False):
        explained = figure.explanation(vtr)
        column.metric(
            vtr._(figure.title), figure.display(vtr), border=True, help=figure.help(vtr) or None
        )
        if explained:
            column.caption(explained)
ui.marks_legend(ctx, [f.amount for f in view.figures])
ui.method_link(ctx)

st.markdown("**" + _("Key figures in words, ready to paste") + "**")
st.caption(_("Use the copy button at the right of each sentence."))
sentences = ([view.headline] if view.headline else []) + view.first_sentences
count = len(sentences) - len(view.first_sentences) + view.sentence_count
for sentence in sentences[:6]:
    st.code(sentence.text, language=None, wrap_lines=True)
# The two expanders below are made when opened (ui.opened_expander): up to 44 sentences
# with their copy buttons and a page of sources, drawn unseen, were a third of the page.
more = (
    ui.opened_expander(
        tr.ngettext("{n} more sentence", "{n} more sentences", count - 6), "r_more_sentences"
    )
    if count > 6
    else None
)
if more is not None:
    with more:
        for sentence in sentences[6:50]:
            st.code(sentence.text, language=None, wrap_lines=True)
        if count > SENTENCES_IN_FILES:
            st.caption(
                _(
                    "The figures pack holds the {n} largest sentences.",
                    n=tr.number(SENTENCES_IN_FILES),
                )
            )
        elif count > 50:
            st.caption(_("The figures pack holds every sentence."))
if not sentences:
    st.info(_("No figure of persons reached in this selection."))

if view.charts:
    st.markdown("**" + _("Charts of the report") + "**")
    # One chart drawn at a time, the open tab's: the others' code does not run. Four Plotly
    # charts drawn at once were half of the page's switch in a browser at 10 million figures.
    labels = [_(CHART_TABS.get(spec.key, spec.title)) for spec in view.charts]
    opened = st.session_state.get("r_chart")
    if opened is not None and opened not in labels:
        # the reader changed language: the same chart stays open, its tab named anew
        for label, spec in zip(labels, view.charts, strict=True):
            msgid = CHART_TABS.get(spec.key)
            if msgid and opened in {Translator(code)._(msgid) for code in LANGS}:
                st.session_state["r_chart"] = label
    tabs = st.tabs(labels, key="r_chart", on_change="rerun")
    for tab, spec in zip(tabs, view.charts, strict=True):
        if tab.open:
            with tab:
                ui.chart(
                    spec.figure,
                    spec.data,
                    ctx,
                    f"report-{spec.key}",
                    filters=scope,
                    name=spec.key,
                    lang=lang,
                )

sources_box = ui.opened_expander(_("Sources ({n})", n=tr.number(len(view.sources))), "r_sources")
if sources_box is not None:
    with sources_box:
        # one sortable table, not a line per source, a page at a time: a federation's selection
        # has thousands (4 000 at 10 million figures): only the rows drawn are formatted
        title, publisher, link = _("Title"), _("Publisher"), _("Link")
        signature = (scope, lang)
        page = source_table(
            tr, view.sources.head(ui.shown("report_sources", signature, SOURCES_PAGE))
        )
        if len(view.sources) > SOURCES_PAGE:
            st.caption(_("Column titles sort the rows shown; the figures pack lists every source."))
        ui.table(
            page[[title, publisher, _("Published"), _("Figures in the selection"), link]],
            ctx,
            numbers=(_("Figures in the selection"),),
            key="report_sources",
            downloads=False,
            columns={
                title: st.column_config.TextColumn(width="large"),
                publisher: st.column_config.TextColumn(width="medium"),
                link: st.column_config.LinkColumn(width="small"),
            },
        )
        ui.show_more(ctx, "report_sources", signature, len(page), len(view.sources), SOURCES_PAGE)
