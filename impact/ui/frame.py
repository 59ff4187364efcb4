"""The frame every run draws (language, filters), or the page explaining invalid data."""

from __future__ import annotations

import streamlit as st

from impact import data_table, maps
from impact.i18n import Translator, normalise_lang
from impact.ui import building, caching
from impact.ui.sidebar import language_picker, sidebar_filters
from impact.ui.state import CONTEXT_KEY, Context, language, leave_legacy_pages_mode
from impact.validation import DataError, Report, problems_table

# A figure and its label wrap instead of ending in « … »: on a phone a card is narrow, and
# a cut label hides what the figure counts (« Enfants dans le monde couverts par une
# protec… »); in a profile's row of four cards a range lost its upper end (« 10 378 à … »),
# and a link to a country's profile its figure (« Democratische Republiek Congo · 1.20… »).
# A figure wraps at its spaces only, never inside a number (« ≳ 6.483.7 » over « 44 »), and
# its size follows its card's width so that a federation's « ≳ 6.483.744 » fits one of four.
# Streamlit draws an HTML element of style tags alone out of the page's flow.
STYLE = """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *,
[data-testid="stMainBlockContainer"] [data-testid="stPageLink"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important;
}
[data-testid="stMetric"] { container-type: inline-size; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  word-break: normal !important; overflow-wrap: normal !important;
}
[data-testid="stMetricValue"] { font-size: min(2.25rem, 13cqi) !important; }
</style>"""
# A multiselect's text box is 8 px wide without the focus and 48 px with it: with its row
# of chips full, focusing a box added a line that leaving it took back. Below the sidebar's
# end, that height change scrolled the sidebar, and the list of the box clicked next (the
# groups', under six countries) closed as soon as it opened. One width, one height.
MULTISELECT_STYLE = """<style>
[data-testid="stMultiSelect"] .react-aria-ComboBox input { min-width: 48px !important; }
</style>"""
# Streamlit draws no focus ring on links (the sidebar's pages, ``st.page_link``) nor on
# its main area, which takes the focus: a keyboard user would not see where they are.
FOCUS_STYLE = """<style>
a:focus-visible, [data-testid="stMain"]:focus-visible, summary:focus-visible {
  outline: 2px solid #0072B2 !important; outline-offset: 2px !important;
}
</style>"""


def frame() -> Context | Report:
    """Draw the language switch and filters; returns the context, or the data's report."""
    leave_legacy_pages_mode()
    st.html(
        STYLE
        + f"<style>{maps.PHONE_CSS}</style>"
        + FOCUS_STYLE
        + MULTISELECT_STYLE
        + f"<style>{data_table.CSS}</style>"
    )
    tr = language()
    job = building.pending()
    if job is not None:
        if job.error is None:  # under way: its progress, then this run ends
            building.page(tr, job)
            st.stop()
        if isinstance(job.error, DataError):
            return job.error.report
        raise job.error
    db = caching.database()
    if isinstance(db, Report):
        return db
    language_picker(tr)
    tr = Translator(normalise_lang(st.session_state.get("lang")))
    page_language(tr.lang)
    filters = sidebar_filters(tr)
    context = Context(tr, filters)
    st.session_state[CONTEXT_KEY] = context
    return context


def error_page(report: Report) -> None:
    """Explain what is wrong with the data and what to fix, instead of a traceback."""
    from impact.exports import tables

    tr = language()
    title = tr._("The data cannot be shown")
    building.one_page_at_every_address(title)
    st.title(title)
    st.error(
        tr.ngettext(
            "The data folder has {n} problem to fix before the dashboard can show it.",
            "The data folder has {n} problems to fix before the dashboard can show it.",
            report.error_count,
        )
    )
    st.caption(tr._("Data folder: {folder}", folder=str(report.folder)))
    table = problems_table(tr, report.errors)
    st.dataframe(table, hide_index=True, width="stretch", placeholder="")  # no « None »
    st.download_button(
        tr._("Download this report (CSV)"),
        tables.to_csv(table),  # the values are the data's own: formulas made inert
        file_name="validation-report.csv",
        mime="text/csv",
    )
    st.markdown(tr._("Correct the files listed above, then reload this page."))


def page_language(lang: str) -> None:
    """Set the page's ``<html lang>`` to the reader's language (Streamlit writes « en »).

    Screen readers choose their voice and pronunciation from it. ``lang`` is one
    of ``i18n.LANGS`` (``normalise_lang``), never text from the URL as such.
    """
    code = normalise_lang(lang)
    st.html(
        f"<script>document.documentElement.lang = {code!r};</script>",
        unsafe_allow_javascript=True,
    )
