"""Org API keys as credentials: the key format, its scopes, the stored hash, the principal.

A key reads ``osk_<key id>_<secret>``: ``osk_`` tells it from a JWT at a glance (and to secret
scanners), the key id (16 hex digits) finds its record, the secret (``secrets.token_urlsafe(32)``,
256 bits) proves it. Only SHA-256 of the secret is stored: for a random secret of that entropy a
fast hash is as safe as a slow one, and checking it costs no bcrypt round per request.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field

from accounts.principal import Principal
from tenancy.documents import Org

PREFIX = "osk_"
RECORDS_READ = "records:read"
RECORDS_WRITE = "records:write"
MEMBERS_READ = "members:read"
# What a key may be granted. Nothing else: a key never manages keys, members or the org.
SCOPES = (RECORDS_READ, RECORDS_WRITE, MEMBERS_READ)
_KEY = re.compile(r"osk_(?P<key_id>[0-9a-f]{16})_(?P<secret>[A-Za-z0-9_-]{43})")


@dataclass(frozen=True)
class NewKey:
    key_id: str
    token: str  # the whole ``osk_...`` value: shown to its creator once, never stored
    secret_hash: str


@dataclass(frozen=True)
class ApiKeyPrincipal(Principal):
    """request.user of a request authenticated by an API key: its org and scopes, read from
    the key's record on this request."""

    key_id: str
    org_id: str
    name: str
    scopes: frozenset[str]
    org: Org | None = field(default=None, compare=False, repr=False)  # as MemberPrincipal.org

    @property
    def pk(self) -> str:
        return self.key_id

    def __str__(self) -> str:
        return f"api-key:{self.key_id}"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_key() -> NewKey:
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    return NewKey(
        key_id=key_id, token=f"{PREFIX}{key_id}_{secret}", secret_hash=hash_secret(secret)
    )


def looks_like_key(token: str) -> bool:
    return token.startswith(PREFIX)


def parse(token: str) -> tuple[str, str] | None:
    """``(key id, secret)`` of a well-formed key, else None."""
    match = _KEY.fullmatch(token)
    return (match["key_id"], match["secret"]) if match else None


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)
