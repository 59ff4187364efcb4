"""Who may write: one administrator password, stored only as a salted scrypt hash.

Browsing is open to everyone. Importing, editing and undo are offered only when
a hash is configured — ``IMPACT_ADMIN_PASSWORD_HASH`` in Streamlit secrets
(``.streamlit/secrets.toml``, never committed) or in the environment — and the
password typed on the Data page matches it. The comparison runs in constant
time (:func:`hmac.compare_digest`) on the derived keys. Make a hash with::

    uv run python -m impact.curation.auth            # asks for the password twice

and paste the printed line into the secrets file or the environment.
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
# scrypt cost: 2**14 iterations, 8 MB of memory — about 50 ms per check here.
N, R, P = 2**14, 8, 1
MIN_LENGTH = 10


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """``scrypt$n$r$p$salt$key`` for ``password`` with a fresh random salt."""
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"{SCHEME}${n}${r}${p}${_b64(salt)}${_b64(key)}"


def verify(password: str, stored: str) -> bool:
    """True when ``password`` matches the stored hash (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, key = stored.strip().split("$")
        if scheme != SCHEME:
            return False
        expected = _unb64(key)
        derived = hashlib.scrypt(
            password.encode("utf-8"),
            salt=_unb64(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=128 * 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(derived, expected)


def configured_hash(secret: object = None) -> str | None:
    """The configured hash: the Streamlit secret if given, else the environment variable."""
    for value in (secret, os.environ.get(ENV)):
        if isinstance(value, str) and value.strip().startswith(SCHEME + "$"):
            return value.strip()
    return None


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
