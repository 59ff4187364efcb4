"""What every part of the Data page shares: the reader's language, the data folder, its store.

Also the two things done once: candidate folders an earlier server run left are
swept once per process, and caches are cleared after a write so every page
reads the new version.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from impact.curation import workflow
from impact.curation.store import Store
from impact.i18n import Translator
from impact.paths import data_root
from impact.ui.caching import _cached_query, _database
from impact.ui.state import Context, context


@dataclass(frozen=True)
class Desk:
    """The reader's context and the data folder the page works on."""

    ctx: Context
    root: Path
    store: Store

    @property
    def tr(self) -> Translator:
        """The reader's translator."""
        return self.ctx.tr

    def _(self, message: str, **values: object) -> str:
        """Translate ``message`` for the reader."""
        return self.ctx.tr._(message, **values)


@st.cache_resource
def _swept_at_start() -> int:
    """Candidate folders left by an earlier run of the server, removed once per process."""
    return len(workflow.sweep(startup=True))


def desk() -> Desk:
    """The Data page's shared state for this run."""
    _swept_at_start()
    root = data_root()
    return Desk(context(), root, Store(root))


def written() -> None:
    """After a write: every page reads the new version, and old checks are dropped."""
    _database.clear()
    _cached_query.clear()
    for key in ("cur_checked", "cur_edit_checked"):
        held = st.session_state.pop(key, None)
        checked = held[1] if isinstance(held, tuple) else held
        if isinstance(checked, workflow.Checked):
            checked.discard()
