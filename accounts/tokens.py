"""JWTs for org admins (SimpleJWT does the signing); claims carry the admin, org and version.

Lifetimes are read from settings when a token is made, not at import (SimpleJWT's classes read
theirs at import time, which breaks override_settings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, Token

from orgservice.errors import AuthenticationFailed
from tenancy.documents import Admin


class RefreshToken(Token):
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


def decode_refresh(raw: object) -> RefreshToken:
    """A verified refresh token; raises AuthenticationFailed for anything else."""
    if not isinstance(raw, str) or not raw or len(raw) > 4096:
        raise AuthenticationFailed("Invalid refresh token.", code="invalid_token")
    try:
        return RefreshToken(raw)
    except TokenError as exc:
        raise AuthenticationFailed("Invalid refresh token.", code="invalid_token") from exc
