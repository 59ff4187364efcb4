"""The sidebar's widgets: the language switch and the shared filters, with their reset.

Filters take their first values from the URL; the frame writes them back
(``state.sync_url``). Widget keys are ``lang`` and ``f_<filter>``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

import pandas as pd
import streamlit as st

from impact.explore import filing_key
from impact.filters import Filters
from impact.i18n import LANGS, LANGUAGE_NAMES, N_, Translator
from impact.ui import caching
from impact.vocab import label

FILTER_LISTS = ("orgs", "themes", "countries", "groups")
_ALL = N_("All")
# Widget key -> (language the multiselect was drawn in, the codes chosen then).
_KEPT = "_kept_choices"


def language_picker(tr: Translator) -> None:
    """Sidebar language switch (kept in the URL)."""
    st.sidebar.radio(
        tr._("Language"),
        options=list(LANGS),
        format_func=lambda code: LANGUAGE_NAMES[code],
        key="lang",
        horizontal=True,
    )


def _options() -> dict[str, pd.DataFrame]:
    frame = caching.query("filter_options")
    return {str(kind): rows for kind, rows in frame.groupby("kind")}


def _init_from_url(key: str, value: Any) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def sidebar_filters(tr: Translator) -> Filters:
    """Draw the shared filters; their first values come from the URL."""
    options = _options()
    url = Filters.from_query(dict(st.query_params))
    known = {
        attr: set(options[attr]["value"]) if attr in options else set()
        for attr in ("orgs", "themes", "countries", "groups")
    }
    known["programmes"] = set()
    url = url.restricted_to(known)
    st.sidebar.header(tr._("Filters"))
    years = sorted(int(y) for y in options["years"]["value"]) if "years" in options else []
    year_from = year_to = None
    if len(years) > 1:
        low = max(url.year_from or years[0], years[0])
        high = min(url.year_to or years[-1], years[-1])
        _init_from_url("f_years", (min(low, high), max(low, high)))
        # A range slider: its key holds a pair, set above from the URL.
        chosen = cast(
            tuple[int, int],
            st.sidebar.slider(
                tr._("Years"), min_value=years[0], max_value=years[-1], key="f_years", step=1
            ),
        )
        if tuple(chosen) != (years[0], years[-1]):
            year_from, year_to = chosen
    names = {
        "orgs": dict(zip(options["orgs"]["value"], options["orgs"]["name_fr"], strict=True))
        if "orgs" in options
        else {},
        "countries": dict(
            zip(options["countries"]["value"], options["countries"][f"name_{tr.lang}"], strict=True)
        )
        if "countries" in options
        else {},
    }

    def org_name(value: str) -> str:
        return str(names["orgs"].get(value, value))

    def country_name(value: str) -> str:
        return str(names["countries"].get(value, value))

    def theme_name(value: str) -> str:
        return label(tr, "theme", value)

    def group_name(value: str) -> str:
        return label(tr, "group", value)

    # each with its own « all » (French agrees: « Toutes les organisations », « Tous les pays »)
    widgets: list[tuple[str, str, Callable[[str], str], str]] = [
        ("orgs", tr._("Organisation"), org_name, N_("All organisations")),
        ("themes", tr._("Theme"), theme_name, N_("All themes")),
        ("countries", tr._("Country"), country_name, N_("All countries")),
        ("groups", tr._("Beneficiary group"), group_name, N_("All groups")),
    ]
    chosen_lists: dict[str, tuple[str, ...]] = {}
    for attr, title, fmt, everything in widgets:
        values = [value for _, value in sorted((filing_key(fmt(v)), v) for v in known[attr])]
        _init_from_url(f"f_{attr}", list(getattr(url, attr)))
        picked = multiselect(
            st.sidebar,
            title,
            values,
            key=f"f_{attr}",
            format_func=fmt,
            tr=tr,
            placeholder=everything,
        )
        chosen_lists[attr] = tuple(picked)
    st.sidebar.button(
        tr._("Reset filters"),
        width="stretch",
        key="f_reset",
        on_click=reset_filters,
        args=((years[0], years[-1]) if len(years) > 1 else None,),
    )
    return Filters(year_from=year_from, year_to=year_to, **chosen_lists)


def multiselect(
    container: Any,
    title: str,
    options: Sequence[str],
    *,
    key: str,
    format_func: Callable[[str], str],
    tr: Translator,
    placeholder: str = _ALL,
) -> list[str]:
    """A multiselect of codes, shown by name, whose choice survives a change of language.

    Streamlit's browser side holds a multiselect's value as the names it shows.
    After a language switch the names change, the browser's old names match no
    option, and the choice is lost (or kept under the old name) — two switches
    in a row dropped the country, theme and group filters. So the codes chosen
    are remembered with the language they were drawn in, and put back under the
    key (before the widget is drawn) when the language changed. Streamlit's own
    « Select all » is off: its label cannot be translated, and an empty filter
    already means « all ».
    """
    kept: dict[str, tuple[str, list[str]]] = st.session_state.setdefault(_KEPT, {})
    drawn = kept.get(key)
    if drawn is not None and drawn[0] != tr.lang:
        st.session_state[key] = [code for code in drawn[1] if code in options]
    picked = container.multiselect(
        title,
        options,
        format_func=format_func,
        key=key,
        placeholder=tr._(placeholder),
        select_all=False,
    )
    kept[key] = (tr.lang, list(picked))
    return list(picked)


def reset_filters(all_years: tuple[int, int] | None) -> None:
    """Empty every filter: an ``on_click`` callback, run before the next run draws them.

    A widget's key cannot be set once the widget is drawn in the same run
    (``StreamlitWidgetAlreadyInstantiatedError``), so the button does not set
    them in its own run. The year slider goes back to every year (not to the
    URL's range, which still names the old filter when the callback runs).
    """
    for attr in FILTER_LISTS:
        st.session_state[f"f_{attr}"] = []
    if all_years is None:
        st.session_state.pop("f_years", None)
    else:
        st.session_state["f_years"] = all_years
