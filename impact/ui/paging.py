"""Long lists drawn a page at a time: what a person can read, then « Show more ».

A federation's directory holds hundreds of organisations and thousands of
programmes; drawing each as blocks made the Organisations page take seconds in
the browser at 10 million figures (docs/performance.md). A list shows its first
``size`` items and a button for the next ``size``; a new search or selection
starts again from the first items. The counts above a list are those of the
whole list (paging never changes a figure), and the URL keeps the filters:
the number shown is the reader's own state, not part of a shared link.
"""

from __future__ import annotations

from collections.abc import Hashable

import streamlit as st

from impact.ui.state import Context

_STATE = "_shown_{key}"


def shown(key: str, signature: Hashable, size: int) -> int:
    """How many items of the list ``key`` to draw now (``size``, more after each click).

    ``signature`` is what the list depends on (search text, filters): when it
    changes, the list starts again at its first ``size`` items.
    """
    state = _STATE.format(key=key)
    kept = st.session_state.get(state)
    if not isinstance(kept, tuple) or kept[0] != signature:
        st.session_state[state] = (signature, size)
        return size
    return int(kept[1])


def show_more(
    ctx: Context, key: str, signature: Hashable, drawn: int, total: int, size: int
) -> None:
    """Under a list: how many of how many are shown, and the button for the next ones."""
    if total <= drawn:
        return
    st.caption(
        ctx._(
            "{shown} of {total} shown",
            shown=ctx.tr.number(drawn),
            total=ctx.tr.number(total),
        )
    )
    more = min(size, total - drawn)

    def add() -> None:
        st.session_state[_STATE.format(key=key)] = (signature, drawn + size)

    st.button(
        ctx.tr.ngettext("Show {n} more", "Show {n} more", more),
        key=f"{key}_more",
        icon=":material/expand_more:",
        on_click=add,
    )
