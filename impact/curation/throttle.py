"""Failed sign-ins counted across sessions and restarts: growing delays, then a lockout.

Counting failures in a browser session is no defence: a reload starts a new
session. Failures are therefore stored in a small SQLite database next to the
data's versions (``<data folder>/.store/signin.sqlite3``), which every session
and every server process sharing the folder reads, and which survives a restart.

For one client address, the *k*-th failure within :data:`WINDOW` makes the next
attempt wait ``BASE_DELAY * 2**(k-1)`` seconds (1, 2, 4, 8 s); after
:data:`CLIENT_LOCKOUT` failures that address is locked out for :data:`WINDOW`
after its last failure. Failures from all addresses together lock everyone out
the same way after :data:`TOTAL_LOCKOUT` within the window, so guessing from many addresses is
bounded too (at the price of locking the administrator out for a while during
such an attack). An attempt refused by a delay or a lockout is not checked at
all. A success clears its address's failures.

Every failure is logged (logger ``impact.signin``) with the client address and
the counts — never the password or anything derived from it.
Behind a reverse proxy every client has the proxy's address: the per-address
limits then act on everyone, like the total.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

WINDOW = 15 * 60  # seconds a failure counts
BASE_DELAY = 1.0  # seconds to wait after a first failure, doubled by each next one
CLIENT_LOCKOUT = 5  # failures of one address within the window that lock it out
TOTAL_LOCKOUT = 30  # failures of all addresses within the window that lock everyone out

log = logging.getLogger("impact.signin")


@dataclass(frozen=True)
class Decision:
    """Whether an attempt may be checked now, and if not, for how long to wait and why.

    ``reason`` is ``""`` (allowed), ``"delay"`` (too soon after a failure),
    ``"locked"`` (this address failed too often) or ``"locked_all"`` (too many
    failures from everywhere).
    """

    allowed: bool
    wait: float = 0.0
    reason: str = ""


class Throttle:
    """The failure log of one data folder (``path`` is the SQLite file)."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock

    @classmethod
    def for_root(cls, root: Path) -> Throttle:
        """The throttle of the data folder ``root``."""
        return cls(root / ".store" / "signin.sqlite3")

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10)
        con.execute("CREATE TABLE IF NOT EXISTS failures (client TEXT NOT NULL, at REAL NOT NULL)")
        return con

    def _times(self, con: sqlite3.Connection, client: str, now: float) -> tuple[list[float], int]:
        """This address's failure times in the window (newest first) and the total count."""
        since = now - WINDOW
        mine = [
            row[0]
            for row in con.execute(
                "SELECT at FROM failures WHERE client = ? AND at > ? ORDER BY at DESC",
                (client, since),
            )
        ]
        (total,) = con.execute("SELECT count(*) FROM failures WHERE at > ?", (since,)).fetchone()
        return mine, int(total)

    def _decide(self, con: sqlite3.Connection, client: str, now: float) -> Decision:
        mine, total = self._times(con, client, now)
        if total >= TOTAL_LOCKOUT:
            (newest,) = con.execute("SELECT max(at) FROM failures").fetchone()
            return Decision(False, max(0.0, newest + WINDOW - now), "locked_all")
        if len(mine) >= CLIENT_LOCKOUT:
            return Decision(False, max(0.0, mine[0] + WINDOW - now), "locked")
        if mine:
            ready = mine[0] + BASE_DELAY * 2 ** (len(mine) - 1)
            if ready > now:
                return Decision(False, ready - now, "delay")
        return Decision(True)

    def check(self, client: str) -> Decision:
        """May ``client`` try a password now?"""
        with closing(self._connect()) as con:
            return self._decide(con, client, self.clock())

    def failure(self, client: str) -> Decision:
        """Record a failed attempt of ``client``; what its next attempt must wait."""
        now = self.clock()
        with closing(self._connect()) as con, con:
            con.execute("DELETE FROM failures WHERE at <= ?", (now - WINDOW,))
            con.execute("INSERT INTO failures (client, at) VALUES (?, ?)", (client, now))
            mine, total = self._times(con, client, now)
            decision = self._decide(con, client, now)
        log.warning(
            "sign-in failed from %s: %d failure(s) from this address and %d in all in the last "
            "%d minutes; next attempt %s",
            client,
            len(mine),
            total,
            WINDOW // 60,
            f"refused for {decision.wait:.0f} s ({decision.reason})"
            if not decision.allowed
            else "allowed",
        )
        return decision

    def success(self, client: str) -> None:
        """Forget the failures of ``client`` (the administrator signed in)."""
        with closing(self._connect()) as con, con:
            con.execute("DELETE FROM failures WHERE client = ?", (client,))


@dataclass(frozen=True)
class Attempt:
    """The outcome of one sign-in attempt.

    ``checked`` is false when the attempt was refused before the password was
    looked at (a delay or a lockout); ``decision`` then says why, and otherwise
    what the next attempt of this address must wait.
    """

    ok: bool
    checked: bool
    decision: Decision


def attempt(
    throttle: Throttle, client: str, password: str, verify: Callable[[str], bool]
) -> Attempt:
    """Check ``password`` for ``client`` if the throttle allows it, and record the outcome."""
    decision = throttle.check(client)
    if not decision.allowed:
        return Attempt(False, False, decision)
    if verify(password):
        throttle.success(client)
        return Attempt(True, True, Decision(True))
    return Attempt(False, True, throttle.failure(client))
