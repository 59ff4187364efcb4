"""« Share / Embed » under a chart: a link to the chart alone and the ``<iframe>`` to paste.

The embed page itself is served outside Streamlit (``impact.web``, built by
``impact.embed``): a page showing a chart builds only two strings here.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import streamlit as st

from impact import embed
from impact.exports.images import PRESETS
from impact.filters import Filters
from impact.i18n import normalise_lang
from impact.ui import caching
from impact.ui.state import Context


@st.cache_data(show_spinner=False, max_entries=8)
def _version(key: str, folder: str | None) -> embed.DataVersion:
    from pathlib import Path

    return embed.data_version(key, Path(folder) if folder else None)


def data_version() -> embed.DataVersion:
    """The version of the data the reader sees (its id and date), as embeds state it."""
    from impact.source import FOLDER, configured_source

    source = configured_source()
    _describe, key = caching._source()
    return _version(key, str(source.path) if source.kind == FOLDER else None)


def app_url() -> str:
    """The app's address as the reader's browser sees it (« http://host:8501 »)."""
    url = urlsplit(str(st.context.url or ""))
    return f"{url.scheme}://{url.netloc}" if url.scheme and url.netloc else ""


def share_chart(
    ctx: Context, key: str, title: str, filters: Filters | None = None, lang: str | None = None
) -> None:
    """The « Share / Embed » pop-over of a chart: its link and its ``<iframe>`` code."""
    chosen = ctx.filters if filters is None else filters
    code = normalise_lang(lang) if lang else ctx.tr.lang
    with st.popover(ctx._(embed.SHARE_LABEL), icon=":material/share:"):
        size = str(
            st.radio(
                ctx._("Size"),
                list(PRESETS),
                format_func=lambda k: ctx._(PRESETS[k].label),
                key=f"{key}-embed-size",
                horizontal=True,
            )
        )
        request = embed.request_for(key, chosen, code, size, data_version(), date.today())
        if request is None:
            st.caption(ctx._("This chart cannot be embedded."))
            return
        url = app_url() + request.path()
        st.markdown(f"**{ctx._('Link to this chart alone')}**")
        st.code(url, language=None, wrap_lines=True)
        st.markdown(f"**{ctx._('Code to paste into a web page')}**")
        # plain text: Streamlit's HTML highlighting has colours below 4.5:1 on its grey
        st.code(embed.iframe_code(url, title, size), language=None, wrap_lines=True)
        st.caption(
            ctx._(
                "The embedded chart states its selection, sources and date, with its "
                "description and its data; it says so when the data changes."
            )
        )
