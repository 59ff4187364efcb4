"""Sign-in: failures counted across sessions, growing delays, lockouts, weak hashes refused.

Issue 13, item 10: the delay used to live in the browser session (a reload reset
it), there was no lockout, and a hash made with scrypt n=2 was accepted.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from impact.curation import auth
from impact.curation.throttle import (
    BASE_DELAY,
    CLIENT_LOCKOUT,
    TOTAL_LOCKOUT,
    WINDOW,
    Throttle,
    attempt,
)

PASSWORD = "correct horse battery staple"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def stored() -> str:
    return auth.hash_password(PASSWORD)


def test_weak_or_malformed_hashes_are_refused(stored: str, monkeypatch: pytest.MonkeyPatch) -> None:
    weak = [
        auth.hash_password(PASSWORD, n=2),
        auth.hash_password(PASSWORD, n=2**10),
        auth.hash_password(PASSWORD, r=1),
    ]
    short_salt = "scrypt$16384$8$1$AAAA$" + stored.rsplit("$", 1)[1]
    for bad in [*weak, short_salt]:
        assert auth.hash_problem(bad) == "weak"
        assert not auth.verify(PASSWORD, bad)  # even the right password
        monkeypatch.setenv(auth.ENV, bad)
        assert auth.configured_hash(None) is None
        assert auth.configured_value(None) == bad
    assert auth.hash_problem("scrypt$3$8$1$AAAA$BBBB") == "format"
    assert auth.hash_problem("bcrypt$x") == "format"
    assert auth.hash_problem(f"scrypt${2**20}$16$1$" + stored.split("$", 4)[4]) == "costly"
    assert auth.hash_problem(stored) is None
    assert auth.verify(PASSWORD, stored) and not auth.verify(PASSWORD + "!", stored)
    monkeypatch.setenv(auth.ENV, stored)
    assert auth.configured_hash(None) == stored


def test_delays_grow_then_the_address_is_locked_out(tmp_path: Path, stored: str) -> None:
    clock = Clock()
    checked: list[str] = []

    def verify(password: str) -> bool:
        checked.append(password)
        return auth.verify(password, stored)

    throttle = Throttle(tmp_path / "signin.sqlite3", clock)
    waits = []
    for guess in range(CLIENT_LOCKOUT):
        result = attempt(throttle, "203.0.113.7", f"guess {guess}", verify)
        assert result.checked and not result.ok
        waits.append((round(result.decision.wait), result.decision.reason))
        if result.decision.reason == "delay":
            # too soon: refused without looking at the password
            early = attempt(throttle, "203.0.113.7", PASSWORD, verify)
            assert (early.checked, early.ok, early.decision.reason) == (False, False, "delay")
            clock.now += result.decision.wait
    assert waits == [
        (BASE_DELAY * 1, "delay"),
        (BASE_DELAY * 2, "delay"),
        (BASE_DELAY * 4, "delay"),
        (BASE_DELAY * 8, "delay"),
        (WINDOW, "locked"),
    ]
    assert PASSWORD not in checked  # the right password never reached the hash check
    clock.now += 60
    locked = attempt(throttle, "203.0.113.7", PASSWORD, verify)
    assert (locked.ok, locked.decision.reason) == (False, "locked")
    assert attempt(throttle, "198.51.100.2", PASSWORD, verify).ok  # another address is free
    clock.now += WINDOW
    assert attempt(throttle, "203.0.113.7", PASSWORD, verify).ok  # the window has passed


def test_failures_survive_a_new_session_and_a_restart(tmp_path: Path, stored: str) -> None:
    clock = Clock()
    path = tmp_path / ".store" / "signin.sqlite3"
    first = Throttle(path, clock)
    for _ in range(CLIENT_LOCKOUT):
        first.failure("local")
        clock.now += 60
    # a reload, another tab, or a restarted server: a new Throttle on the same folder
    again = Throttle.for_root(tmp_path)
    again.clock = clock
    assert again.path == path
    assert again.check("local").reason == "locked"


def test_many_addresses_together_lock_everyone_out(tmp_path: Path, stored: str) -> None:
    clock = Clock()
    throttle = Throttle(tmp_path / "signin.sqlite3", clock)
    for i in range(TOTAL_LOCKOUT):
        throttle.failure(f"192.0.2.{i}")
        clock.now += 1
    decision = throttle.check("198.51.100.99")
    assert (decision.allowed, decision.reason) == (False, "locked_all")
    assert 0 < decision.wait <= WINDOW
    clock.now += WINDOW
    assert throttle.check("198.51.100.99").allowed


def test_a_success_clears_its_address(tmp_path: Path, stored: str) -> None:
    clock = Clock()
    throttle = Throttle(tmp_path / "signin.sqlite3", clock)
    throttle.failure("local")
    clock.now += BASE_DELAY
    assert attempt(throttle, "local", PASSWORD, lambda p: auth.verify(p, stored)).ok
    assert throttle.check("local").allowed


def test_failures_are_logged_without_the_password(
    tmp_path: Path, stored: str, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "hunter2-not-the-password"
    with caplog.at_level(logging.WARNING, logger="impact.signin"):
        attempt(Throttle(tmp_path / "s.sqlite3"), "203.0.113.7", secret, lambda p: False)
    [record] = caplog.records
    assert "sign-in failed from 203.0.113.7" in record.getMessage()
    assert secret not in record.getMessage() and secret not in str(record.args)
    assert secret.encode() not in (tmp_path / "s.sqlite3").read_bytes()
