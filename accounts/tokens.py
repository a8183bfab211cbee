"""JWTs for org members (SimpleJWT does the signing); claims carry the admin id, org, role and
token version. The ``role`` claim informs clients; the server authorizes with the role stored now
(a role change bumps the token version, so a token with an old role is refused anyway).

Key rotation, by ``kid``: every token is signed with settings.JWT_SIGNING_KEY and names that key
in its header (``kid`` = a SHA-256 fingerprint of the key, never the key). A token is verified
with the key its ``kid`` names, looked up among the current key and JWT_PREVIOUS_SIGNING_KEYS;
an unknown or missing ``kid`` is refused. To rotate: set the new key as JWT_SIGNING_KEY and move
the old one into JWT_PREVIOUS_SIGNING_KEYS; nobody is logged out. Once REFRESH_TOKEN_LIFETIME
has passed every token under the old key has expired, and the old key can be dropped.

Only the configured algorithm (SIMPLE_JWT ALGORITHM, HS256) is accepted: ``alg: none`` and
every other algorithm fail verification. Keys and lifetimes are read from settings when a token
is made or checked, not at import (SimpleJWT reads its own at import, which breaks
override_settings).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from django.conf import settings
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from kernel.errors import AuthenticationFailed
from tenancy.documents import Admin


def key_id(key: str) -> str:
    """The ``kid`` naming a signing key: a fingerprint from which the key cannot be recovered."""
    return hashlib.sha256(b"orgservice-jwt-kid\x00" + key.encode()).hexdigest()[:16]


def verification_keys() -> dict[str, str]:
    """Every key a token may be signed with, by ``kid``: the current one and the previous ones."""
    keys = [settings.JWT_SIGNING_KEY, *settings.JWT_PREVIOUS_SIGNING_KEYS]
    return {key_id(key): key for key in keys if key}


class RotatingTokenBackend(TokenBackend):
    """Signs with the current key and a ``kid`` header; verifies with the key the ``kid`` names."""

    def __init__(self) -> None:
        super().__init__(api_settings.ALGORITHM, settings.JWT_SIGNING_KEY)

    def encode(self, payload: dict[str, Any]) -> str:
        return jwt.encode(
            payload,
            self.prepared_signing_key,
            algorithm=self.algorithm,
            headers={"kid": key_id(settings.JWT_SIGNING_KEY)},
        )

    def get_verifying_key(self, token) -> Any:
        kid = jwt.get_unverified_header(token).get("kid")
        key = verification_keys().get(kid) if isinstance(kid, str) else None
        if key is None:
            raise TokenBackendError("Token is signed with an unknown key.")
        return self._prepare_key(key)


class _RotatingKeys:
    def get_token_backend(self) -> TokenBackend:
        return RotatingTokenBackend()


class AccessToken(_RotatingKeys, Token):
    """An access token; ``token_type`` keeps refresh tokens from being used as one."""

    token_type = "access"
    lifetime = timedelta(0)  # the real lifetime is set from settings when issued


class RefreshToken(_RotatingKeys, Token):
    """A refresh token; never accepted where an access token is expected (``token_type``)."""

    token_type = "refresh"
    lifetime = timedelta(0)  # the real lifetime is set from settings when issued


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"


def _claims(token: Token, admin: Admin) -> None:
    token["admin_id"] = admin.id
    token["org_id"] = admin.org_id
    token["tv"] = admin.token_version
    token["role"] = admin.role


def issue_pair(admin: Admin) -> TokenPair:
    """A fresh access + refresh token for the admin."""
    access = AccessToken()
    access.set_exp(lifetime=settings.ACCESS_TOKEN_LIFETIME)
    _claims(access, admin)
    refresh = RefreshToken()
    refresh.set_exp(lifetime=settings.REFRESH_TOKEN_LIFETIME)
    _claims(refresh, admin)
    return TokenPair(
        access_token=str(access),
        refresh_token=str(refresh),
        expires_in=int(settings.ACCESS_TOKEN_LIFETIME.total_seconds()),
    )


def expires_at(token: Token) -> datetime:
    """When the token stops being valid (its ``exp`` claim)."""
    return datetime.fromtimestamp(token["exp"], UTC)


MAX_TOKEN_CHARS = 4096


def _text(raw: object) -> str:
    """The token as text; a JWT is ASCII, so anything else (non-UTF-8 bytes from a hostile
    header, an over-long value, a non-string) is a TokenError, never a UnicodeDecodeError."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("ascii")
        except UnicodeDecodeError as exc:
            raise TokenError("Token is not ASCII.") from exc
    if not isinstance(raw, str) or not raw or len(raw) > MAX_TOKEN_CHARS or not raw.isascii():
        raise TokenError("Token is malformed.")
    return raw


def decode_access(raw: str | bytes) -> AccessToken:
    """A verified access token; raises SimpleJWT's TokenError for anything else."""
    return AccessToken(_text(raw))


def decode_refresh(raw: object) -> RefreshToken:
    """A verified refresh token; raises AuthenticationFailed for anything else."""
    try:
        return RefreshToken(_text(raw))
    except TokenError as exc:
        raise AuthenticationFailed("Invalid refresh token.", code="invalid_token") from exc
