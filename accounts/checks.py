"""Django system checks: a malformed rate or an unusable JWT setting is reported at start-up."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from accounts.rates import RATE_SETTINGS
from accounts.throttling import parse_rate

MIN_KEY_LENGTH = 32  # bytes of an HS256 key (RFC 7518 section 3.2)


def _rate_errors() -> list[Error]:
    errors = []
    for name in RATE_SETTINGS:
        try:
            parse_rate(getattr(settings, name))
        except ValueError as exc:
            errors.append(Error(f"{name}: {exc}", id="accounts.E001"))
    return errors


def _key_errors() -> list[Error]:
    algorithm = settings.SIMPLE_JWT.get("ALGORITHM", "HS256")
    errors = []
    if not algorithm.startswith("HS"):
        errors.append(
            Error(
                f"ALGORITHM {algorithm!r}: key rotation signs with shared secrets; "
                "use HS256, HS384 or HS512.",
                id="accounts.E002",
            )
        )
    # The current key's strength is orgservice.checks' business; a previous key must not be
    # weaker, or rotating would keep a guessable key alive for a refresh lifetime.
    previous = settings.JWT_PREVIOUS_SIGNING_KEYS
    if any(not isinstance(key, str) or len(key.encode()) < MIN_KEY_LENGTH for key in previous):
        errors.append(
            Error(
                f"Every JWT_PREVIOUS_SIGNING_KEYS entry must have at least {MIN_KEY_LENGTH} bytes.",
                hint="Drop short keys: tokens signed with them stop working, which is the point.",
                id="accounts.E003",
            )
        )
    return errors


@register()
def check_auth_settings(app_configs, **kwargs) -> list[Error]:
    return _rate_errors() + _key_errors()
