"""URL and session state: the reader's context, the URL a link reopens, detail views.

The frame (``impact.ui.frame``) draws the language and the filters on every run
and stores the resulting ``Context`` in the session; pages read it. Language,
filters and the open detail live in the URL so a copied link reopens the view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from impact.filters import Filters
from impact.i18n import Translator, normalise_lang

CONTEXT_KEY = "_impact_context"


@dataclass(frozen=True)
class Context:
    """What every page needs: the reader's language and the shared filters."""

    tr: Translator
    filters: Filters

    def _(self, message: str, **values: Any) -> str:
        """Translate a UI string."""
        return self.tr._(message, **values)

    def params(self, **extra: Any) -> dict[str, Any]:
        """Query parameters: the filters plus ``extra``."""
        return {**self.filters.params(), **extra}


def language() -> Translator:
    """The reader's language: the ``lang`` URL parameter, French by default."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = normalise_lang(st.query_params.get("lang"))
    return Translator(normalise_lang(st.session_state["lang"]))


def sync_url(tr: Translator, filters: Filters, extra: dict[str, str] | None = None) -> None:
    """Write language, filters and the open detail to the URL so a copied link reopens this view.

    Written on every run, even when ``st.query_params`` already holds them: after a
    link to the same page (an organisation's « Open » on the directory) the
    browser's address kept the old query while the server had the new one, so
    the copied link lost ``org_id``. The browser changes its address (and its
    history) only when the query differs.
    """
    st.query_params.from_dict({"lang": tr.lang, **filters.to_query(), **(extra or {})})


def leave_legacy_pages_mode() -> None:
    """Make sure this run is driven by ``dashboard.py`` and ``st.navigation``.

    Right after a server start Streamlit runs the first request in its legacy
    « pages folder » mode, because a ``pages/`` folder exists: for a deep link
    (``/map``) it runs ``pages/map.py`` alone, skipping the entry script, and even
    for ``/`` it gives widgets other identities than later runs (the first click
    would be lost). Switching the mode off and rerunning at once makes every run,
    the first included, the normal one, for the same URL.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def context() -> Context:
    """The context drawn by the frame for this run (see ``leave_legacy_pages_mode``)."""
    leave_legacy_pages_mode()
    if CONTEXT_KEY not in st.session_state:
        raise RuntimeError("Pages run inside dashboard.py: start the app with that file.")
    ctx: Context = st.session_state[CONTEXT_KEY]
    return ctx


# --- Detail views and links between pages (map, programmes, countries, organisations) ---

# URL key of the detail view of each page. Distinct from the filter keys
# (``country``, ``org``…): a filter narrows every page, a detail opens one item.
DETAIL_KEYS = {"programmes": "programme_id", "countries": "iso3", "organisations": "org_id"}
_DETAIL_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def detail(key: str) -> str | None:
    """The item a detail view shows (``?programme_id=…``), if the URL names a well-formed one."""
    value = st.query_params.get(key)
    return value if value and _DETAIL_TOKEN.fullmatch(value) else None


def detail_params(url_path: str) -> dict[str, str]:
    """The detail key of the page being opened, kept when the frame rewrites the URL."""
    key = DETAIL_KEYS.get(url_path)
    value = detail(key) if key else None
    return {key: value} if key and value else {}


def set_detail(key: str, value: str | None) -> None:
    """Open (or close, with None) a detail view by writing its key to the URL."""
    if value:
        st.query_params[key] = value
    elif key in st.query_params:
        del st.query_params[key]


def link_params(ctx: Context, **detail_values: str) -> dict[str, str]:
    """URL parameters of a link: language, filters and a detail view."""
    return {"lang": ctx.tr.lang, **ctx.filters.to_query(), **detail_values}
