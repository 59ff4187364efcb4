"""Who may change the data: the administrator's sign-in, throttled across sessions.

The configured hash comes from the Streamlit secrets or the environment
(``impact.curation.auth``); a visitor without one reads « read-only, ask your
administrator » and nothing about how it is set up (that is in the README). A
refused hash (weak parameters) is logged once per process for whoever runs the
server. Attempts go through :func:`impact.curation.throttle.attempt`: counted per
client address and in total, across sessions and restarts.
"""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from impact.curation import auth
from impact.curation.throttle import Decision, Throttle, attempt
from impact.ui.data.desk import Desk

ADMIN = "cur_admin"
log = logging.getLogger("impact.signin")


def _secret() -> Any:
    try:
        return st.secrets.get(auth.ENV)
    except Exception:  # no secrets file: the environment variable may still be set
        return None


@st.cache_resource
def _refused_once(problem: str) -> bool:
    log.warning(
        "%s is refused (%s): sign-in is off; make a new hash with "
        "`uv run python -m impact.curation.auth`",
        auth.ENV,
        problem,
    )
    return True


def configured() -> str | None:
    """The administrator's hash, when one is configured and acceptable."""
    secret = _secret()
    given = auth.configured_value(secret)
    problem = auth.hash_problem(given) if given is not None else None
    if problem is not None:
        _refused_once(problem)
    return auth.configured_hash(secret)


def read_only(desk: Desk) -> None:
    """What a visitor reads: the data can be browsed, changes go through the administrator."""
    st.info(
        desk._(
            "Read-only: this data can be browsed but not changed here. To import or "
            "correct data, ask your administrator."
        )
    )


def _client() -> str:
    """The address failed sign-ins are counted against (``local`` on this machine)."""
    try:
        address = st.context.ip_address
    except Exception:  # outside a served session
        address = None
    return str(address or "local")


def signed_in() -> bool:
    """True once the administrator signed in, in this browser session."""
    return bool(st.session_state.get(ADMIN))


def sign_in(desk: Desk, stored: str) -> bool:
    """The sign-in form; True when the administrator is signed in."""
    _ = desk._
    if signed_in():
        return True
    st.info(_("Importing and undo are reserved to the administrator. Browsing stays open."))
    password = st.text_input(_("Administrator password"), type="password", key="cur_password")
    if st.button(_("Sign in"), key="cur_sign_in"):
        outcome = attempt(
            Throttle.for_root(desk.root), _client(), password, lambda p: auth.verify(p, stored)
        )
        if outcome.ok:
            st.session_state[ADMIN] = True
            del st.session_state["cur_password"]
            st.rerun()
        if outcome.checked:
            st.error(_("Wrong password."))
        if not outcome.decision.allowed:
            st.warning(wait_message(desk, outcome.decision))
    return False


def sign_out(desk: Desk) -> None:
    """The sign-out button."""
    if st.button(desk._("Sign out"), key="cur_sign_out"):
        st.session_state[ADMIN] = False
        st.rerun()


def wait_message(desk: Desk, decision: Decision) -> str:
    """How long the next attempt must wait, and why."""
    tr = desk.tr
    seconds = max(1, round(decision.wait))
    if decision.reason == "delay":
        return tr.ngettext(
            "Too soon after a failed attempt: try again in {n} second.",
            "Too soon after a failed attempt: try again in {n} seconds.",
            seconds,
        )
    minutes = max(1, round(decision.wait / 60))
    return tr.ngettext(
        "Too many failed attempts: sign-in is locked for {n} minute.",
        "Too many failed attempts: sign-in is locked for {n} minutes.",
        minutes,
    )
