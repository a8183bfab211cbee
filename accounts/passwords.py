"""Password hashing with bcrypt; strength rules from Django's password validators.

bcrypt reads only the first 72 bytes of a password. Rather than truncate silently, passwords
longer than 72 bytes (UTF-8) are refused with a clear 400. Every hash and check runs through
accounts.hashing_pool, at a lower CPU priority than request handling.
"""

from __future__ import annotations

import bcrypt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts import hashing_pool
from kernel.errors import InvalidInput

MAX_BYTES = 72
_DUMMY_HASH: dict[int, bytes] = {}


def check_strength(password: object, *, email: str = "") -> str:
    """The password if it is acceptable; raises InvalidInput saying why not."""
    if not isinstance(password, str) or not password:
        raise InvalidInput("A password is required.", code="invalid_password")
    if len(password.encode()) > MAX_BYTES:
        raise InvalidInput(
            f"Passwords may be at most {MAX_BYTES} bytes long.", code="password_too_long"
        )
    if "\x00" in password:
        raise InvalidInput("Passwords may not contain NUL.", code="invalid_password")
    try:
        validate_password(password, user=_EmailUser(email))
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), code="weak_password") from exc
    return password


class _EmailUser:
    """What UserAttributeSimilarityValidator needs to compare against the email."""

    def __init__(self, email: str):
        self.email = email


def hash_password(password: str) -> bytes:
    salt = bcrypt.gensalt(rounds=settings.BCRYPT_ROUNDS)
    return hashing_pool.run(bcrypt.hashpw, password.encode(), salt)


def verify(password: object, password_hash: bytes | None) -> bool:
    """Check a password. With no hash (unknown account) a dummy hash is checked, so that the
    answer takes the same time either way."""
    candidate = password.encode() if isinstance(password, str) else b""
    if len(candidate) > MAX_BYTES:
        candidate = b""
    if password_hash is None:
        hashing_pool.run(bcrypt.checkpw, candidate, _dummy_hash())
        return False
    return hashing_pool.run(bcrypt.checkpw, candidate, password_hash) and bool(candidate)


def _dummy_hash() -> bytes:
    rounds = settings.BCRYPT_ROUNDS
    if rounds not in _DUMMY_HASH:
        _DUMMY_HASH[rounds] = bcrypt.hashpw(b"dummy-password", bcrypt.gensalt(rounds=rounds))
    return _DUMMY_HASH[rounds]
