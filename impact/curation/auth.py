"""Who may write: one administrator password, stored only as a salted scrypt hash.

Browsing is open to everyone. Importing, editing and undo are offered only when
a hash is configured — ``IMPACT_ADMIN_PASSWORD_HASH`` in Streamlit secrets
(``.streamlit/secrets.toml``, never committed) or in the environment — and the
password typed on the Data page matches it. The comparison runs in constant
time (:func:`hmac.compare_digest`) on the derived keys. Make a hash with::

    uv run python -m impact.curation.auth            # asks for the password twice

and paste the printed line into the secrets file or the environment.

A hash made with weak parameters (scrypt with n below 2**14, r below 8, a salt
under 16 bytes or a key under 32 bytes) is refused, and so is one so costly
that checking it would exhaust the server (:func:`hash_problem`): sign-in stays
off and the server log says why. Repeated failures are slowed down and locked
out across sessions by :mod:`impact.curation.throttle`.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import os
import secrets
import sys

ENV = "IMPACT_ADMIN_PASSWORD_HASH"
SCHEME = "scrypt"
# scrypt cost: 2**14 iterations, 16 MB of memory — about 50 ms per check here.
N, R, P = 2**14, 8, 1
MIN_LENGTH = 10
# Parameters below these are refused (OWASP's minimum for scrypt: N=2**14, r=8, p=1).
MIN_N, MIN_R, MIN_P = 2**14, 8, 1
MIN_SALT, MIN_KEY = 16, 32
# Above this memory (128 * r * n bytes) or work (n * r * p), one check would be a denial
# of service against the server itself.
MAX_MEMORY = 128 * 1024 * 1024
MAX_WORK = 2**22 * 8


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """``scrypt$n$r$p$salt$key`` for ``password`` with a fresh random salt.

    Weaker parameters can be passed (to show they are refused); :func:`verify`
    only accepts hashes that pass :func:`hash_problem`.
    """
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"{SCHEME}${n}${r}${p}${_b64(salt)}${_b64(key)}"


def hash_problem(stored: str) -> str | None:
    """Why a configured hash is refused: ``format``, ``weak`` or ``costly``; ``None`` if fine."""
    try:
        scheme, n_text, r_text, p_text, salt_text, key_text = stored.strip().split("$")
        n, r, p = int(n_text), int(r_text), int(p_text)
        salt, key = _unb64(salt_text), _unb64(key_text)
    except (ValueError, TypeError):
        return "format"
    if scheme != SCHEME or n < 2 or n & (n - 1):
        return "format"
    if n < MIN_N or r < MIN_R or p < MIN_P or len(salt) < MIN_SALT or len(key) < MIN_KEY:
        return "weak"
    if 128 * r * n > MAX_MEMORY or n * r * p > MAX_WORK:
        return "costly"
    return None


def verify(password: str, stored: str) -> bool:
    """True when ``password`` matches the stored hash (constant-time comparison).

    A hash with refused parameters (:func:`hash_problem`) matches nothing.
    """
    if hash_problem(stored) is not None:
        return False
    try:
        _scheme, n, r, p, salt, key = stored.strip().split("$")
        expected = _unb64(key)
        derived = hashlib.scrypt(
            password.encode("utf-8"),
            salt=_unb64(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=MAX_MEMORY + 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(derived, expected)


def configured_value(secret: object = None) -> str | None:
    """What is configured: the Streamlit secret if given, else the environment variable."""
    for value in (secret, os.environ.get(ENV)):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def configured_hash(secret: object = None) -> str | None:
    """The configured hash when it is one this module accepts (see :func:`hash_problem`)."""
    value = configured_value(secret)
    if value is None or hash_problem(value) is not None:
        return None
    return value


def main() -> int:
    """Ask for a password twice and print the line to configure."""
    first = getpass.getpass("Administrator password: ")
    if len(first) < MIN_LENGTH:
        print(f"Use at least {MIN_LENGTH} characters.", file=sys.stderr)
        return 1
    if getpass.getpass("Again: ") != first:
        print("The two passwords differ.", file=sys.stderr)
        return 1
    print(f'{ENV} = "{hash_password(first)}"')
    return 0


if __name__ == "__main__":  # pragma: no cover - command line
    raise SystemExit(main())
