"""Brute-force limits on login, sign-up, invitations and email changes, counted in the master
database (tenancy.throttle) so that every server process shares them. Rates are settings like
``"5/min"``.

Every attempt counts, successful or not, and it is counted before the password is checked:
counting only failures would let a burst of parallel guesses all pass the check before any
failure is recorded. A throttled answer is 429 with Retry-After and costs no bcrypt check."""

from __future__ import annotations

import re

from django.conf import settings

from kernel.errors import RateLimited
from kernel.metrics import THROTTLED
from tenancy import throttle

_PERIODS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*([a-z]+)\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/min"`` → (5, 60): the number of hits allowed per period of seconds.

    Raises ValueError for anything else (the system check reports it at start-up)."""
    match = _RATE.match(rate.lower()) if isinstance(rate, str) else None
    if match is None or match.group(2) not in _PERIODS:
        raise ValueError(f"{rate!r} is not a rate like '5/min', '30/minute', '100/hour'.")
    return int(match.group(1)), _PERIODS[match.group(2)]


def _check(scope: str, key: str, rate: str) -> None:
    limit, period = parse_rate(rate)
    retry_after = throttle.hit(scope, key, limit=limit, period=period)
    if retry_after is not None:
        THROTTLED.labels(scope).inc()
        raise RateLimited(
            "Too many attempts; retry later.", retry_after=retry_after, code="rate_limited"
        )


def check_login(*, email_key: str, ip: str | None) -> None:
    """Count a login attempt for the client and the account; raises RateLimited over either
    LOGIN_RATE_PER_IP or LOGIN_RATE_PER_EMAIL. ``email_key`` is the normalized email (or the
    trimmed, lower-cased input when it is not a valid one), known account or not."""
    _check("login-ip", ip or "unknown", settings.LOGIN_RATE_PER_IP)
    _check("login-email", email_key, settings.LOGIN_RATE_PER_EMAIL)


def check_signup(ip: str | None) -> None:
    """Count an org creation attempt from the client; raises RateLimited over
    SIGNUP_RATE_PER_IP."""
    _check("signup-ip", ip or "unknown", settings.SIGNUP_RATE_PER_IP)


def check_email_change(*, actor: str, ip: str | None) -> None:
    """Count an email change by the member ``actor`` from the client; raises RateLimited over
    EMAIL_CHANGE_RATE_PER_MEMBER or EMAIL_CHANGE_RATE_PER_IP. A taken address is refused (409),
    so each change tells whether an address has an account: the limit bounds that oracle."""
    _check("email-change-ip", ip or "unknown", settings.EMAIL_CHANGE_RATE_PER_IP)
    _check("email-change-member", actor, settings.EMAIL_CHANGE_RATE_PER_MEMBER)


def check_invitation(*, actor: str, ip: str | None) -> None:
    """Count an invitation sent by the member ``actor`` from the client; raises RateLimited over
    INVITATION_RATE_PER_MEMBER or INVITATION_RATE_PER_IP."""
    _check("invitation-ip", ip or "unknown", settings.INVITATION_RATE_PER_IP)
    _check("invitation-member", actor, settings.INVITATION_RATE_PER_MEMBER)
