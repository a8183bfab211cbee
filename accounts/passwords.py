"""Password hashing through django.contrib.auth.hashers (bcrypt_sha256, accounts.hashers);
strength rules from Django's password validators.

Hashes are stored as ASCII bytes, prefixed with their algorithm (``bcrypt_sha256$...``). Raw
bcrypt hashes (``$2b$...``, no prefix) stored by earlier versions still verify, and a successful
check re-hashes the password whenever the stored hash is not the preferred hasher at the current
BCRYPT_ROUNDS. Every hash and check runs through accounts.hashing_pool, at a lower CPU priority
than request handling.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts import hashing_pool
from kernel.errors import InvalidInput

# bcrypt_sha256 hashes a SHA-256 digest, so length no longer matters to bcrypt; the bound only
# keeps absurd inputs out.
MAX_BYTES = 4096
_LEGACY_PREFIX = b"$2"  # raw bcrypt output: $2a$, $2b$, $2y$
_DUMMY_HASH: dict[int, str] = {}


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
    """The stored form of ``password``: the preferred hasher's encoding, as bytes."""
    return hashing_pool.run(make_password, password).encode("ascii")


def _encoded(password_hash: bytes) -> str:
    text = bytes(password_hash).decode("ascii")
    return f"bcrypt${text}" if password_hash.startswith(_LEGACY_PREFIX) else text


def _check(password: str, encoded: str) -> tuple[bool, str | None]:
    """(matches, the new encoding when the hash must be upgraded); runs on a pool thread."""
    upgraded: list[str] = []

    def setter(raw: str) -> None:
        upgraded.append(make_password(raw))

    try:
        ok = check_password(password, encoded, setter=setter)
    except ValueError:  # raw bcrypt refuses more than 72 bytes or a NUL: no such password matches
        check_password("", _dummy_hash())
        return False, None
    return ok, upgraded[0] if upgraded else None


def verify(
    password: object,
    password_hash: bytes | None,
    *,
    on_upgrade: Callable[[bytes], None] | None = None,
) -> bool:
    """Check a password. With no hash (unknown account) a dummy hash of the preferred hasher is
    checked, so that the answer takes the same time either way. When the password matches a hash
    of an older algorithm or cost, ``on_upgrade`` receives the new hash to store."""
    candidate = password if isinstance(password, str) else ""
    if len(candidate.encode()) > MAX_BYTES:
        candidate = ""
    if password_hash is None:
        hashing_pool.run(check_password, candidate, _dummy_hash())
        return False
    ok, upgraded = hashing_pool.run(_check, candidate, _encoded(password_hash))
    ok = ok and bool(candidate)
    if ok and upgraded is not None and on_upgrade is not None:
        on_upgrade(upgraded.encode("ascii"))
    return ok


def _dummy_hash() -> str:
    rounds = settings.BCRYPT_ROUNDS
    if rounds not in _DUMMY_HASH:
        _DUMMY_HASH[rounds] = make_password("dummy-password")
    return _DUMMY_HASH[rounds]
