"""Brute-force limits on login, sign-up, invitations and email changes, counted in the master
database (tenancy.throttle) so that every server process shares them. Rates are settings like
``"5/min"``, read by DRF's own ``SimpleRateThrottle.parse_rate``.

Per-client limits are DRF throttle classes (``throttle_classes`` on the views), keyed by
kernel.client_ip (TRUSTED_IP_HEADER), not by DRF's NUM_PROXIES ident. Per-account limits stay
service-level checks: their key (the normalized email, the acting member) exists only once the
body is validated or the member re-authenticated, and they must count on every path (the browser
login form, re-authentication) and only after the per-client check passed.

Every attempt counts, successful or not, and it is counted before the password is checked:
counting only failures would let a burst of parallel guesses all pass the check before any
failure is recorded. A throttled answer is 429 with Retry-After and costs no bcrypt check."""

from __future__ import annotations

import contextlib

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from kernel.client_ip import client_ip
from kernel.errors import RateLimited
from kernel.metrics import THROTTLED
from tenancy import throttle

_MESSAGE = "Too many attempts; retry later."
_UNITS = {"s", "sec", "second", "min", "minute", "h", "hour", "d", "day"}


def parse_rate(rate: object) -> tuple[int, int]:
    """``"5/min"`` → (5, 60): the number of hits allowed per period of seconds, as DRF reads it
    (the period is its first letter: s, m, h or d).

    Raises ValueError for anything else (the system check reports it at start-up)."""
    text = "".join(rate.lower().split()) if isinstance(rate, str) else ""
    limit = period = None
    # DRF reads only the unit's first letter ("5/month" would be 5 a minute): name it in full.
    if text.partition("/")[2] in _UNITS:
        with contextlib.suppress(KeyError, ValueError):
            limit, period = SimpleRateThrottle.parse_rate(None, text)  # type: ignore[arg-type]
    if not isinstance(limit, int) or limit < 0 or period is None:
        raise ValueError(f"{rate!r} is not a rate like '5/min', '30/minute', '100/hour'.")
    return limit, period


class SharedRateThrottle(SimpleRateThrottle):
    """A SimpleRateThrottle whose counters live in the master database (tenancy.throttle)
    instead of Django's cache. Subclasses name the counter ``scope`` and the ``rate_setting``."""

    rate_setting = ""

    def __init__(self) -> None:  # DRF builds one per request: a changed setting applies at once
        self.rate = self.get_rate()
        self.num_requests, self.duration = parse_rate(self.rate)
        self.retry_after: int | None = None

    def get_rate(self) -> str:
        return getattr(settings, self.rate_setting)

    def get_ident(self, request) -> str:
        return client_ip(request) or "unknown"

    def get_cache_key(self, request, view) -> str:
        return self.get_ident(request)

    def allow_request(self, request, view) -> bool:
        self.retry_after = throttle.hit(
            self.scope,
            self.get_cache_key(request, view),
            limit=self.num_requests,
            period=self.duration,
        )
        if self.retry_after is not None:
            THROTTLED.labels(self.scope).inc()
        return self.retry_after is None

    def wait(self) -> int | None:
        return self.retry_after

    def check(self, request) -> None:
        """For a view outside DRF (the browser login form): raise RateLimited when throttled."""
        if not self.allow_request(request, None):
            raise RateLimited(_MESSAGE, retry_after=self.retry_after or 1, code="rate_limited")


class LoginRateThrottle(SharedRateThrottle):
    """LOGIN_RATE_PER_IP: login attempts per client."""

    scope = "login-ip"
    rate_setting = "LOGIN_RATE_PER_IP"


class SignupRateThrottle(SharedRateThrottle):
    """SIGNUP_RATE_PER_IP: org creations and invitation acceptances per client."""

    scope = "signup-ip"
    rate_setting = "SIGNUP_RATE_PER_IP"


def _check(scope: str, key: str, rate: str) -> None:
    limit, period = parse_rate(rate)
    retry_after = throttle.hit(scope, key, limit=limit, period=period)
    if retry_after is not None:
        THROTTLED.labels(scope).inc()
        raise RateLimited(_MESSAGE, retry_after=retry_after, code="rate_limited")


def check_login_account(email_key: str) -> None:
    """Count a login attempt for the account; raises RateLimited over LOGIN_RATE_PER_EMAIL.
    ``email_key`` is the normalized email (or the trimmed, lower-cased input when it is not a
    valid one), known account or not. The client was counted first (LoginRateThrottle)."""
    _check("login-email", email_key, settings.LOGIN_RATE_PER_EMAIL)


def check_login(*, email_key: str, ip: str | None) -> None:
    """Count a re-authentication as a login, for the client and the account; raises RateLimited
    over either LOGIN_RATE_PER_IP or LOGIN_RATE_PER_EMAIL."""
    _check("login-ip", ip or "unknown", settings.LOGIN_RATE_PER_IP)
    check_login_account(email_key)


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
