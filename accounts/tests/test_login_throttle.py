"""Login and sign-up throttling: per account and per client, on every route, 429 with
Retry-After, no difference between known and unknown emails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.tests.conftest import EMAIL
from accounts.throttling import parse_rate
from conftest import PASSWORD
from tenancy import orgs

LOGIN_ROUTES = ["/admin/login", "/api/v1/auth/login/"]
SIGNUP_ROUTES = ["/org/create", "/api/v1/orgs/"]
WINDOW_START = datetime(2030, 1, 1, 12, 0, 0, tzinfo=UTC)


def _login(email: str, password: str = "wrong-password", *, route: str = LOGIN_ROUTES[0], **extra):
    body = {"email": email, "password": password}
    return APIClient().post(route, body, format="json", **extra)


def _signup(n: int, *, route: str, **extra):
    body = {
        "organization_name": f"Org Number {n}",
        "email": f"a{n}@org.example",
        "password": PASSWORD,
    }
    return APIClient().post(route, body, format="json", **extra)


@pytest.fixture
def rates(settings):
    settings.LOGIN_RATE_PER_EMAIL = "5/min"
    settings.LOGIN_RATE_PER_IP = "30/min"
    settings.SIGNUP_RATE_PER_IP = "100/hour"
    return settings


@pytest.mark.parametrize("email", [EMAIL, "nobody@acme.example"], ids=["known", "unknown"])
def test_the_sixth_login_for_one_email_in_a_minute_is_429_with_retry_after(rates, admin_org, email):
    with time_machine.travel(WINDOW_START + timedelta(seconds=20), tick=False):
        statuses = [_login(email).status_code for _ in range(5)]
        throttled = _login(email)
    assert statuses == [401] * 5
    assert throttled.status_code == 429
    assert throttled.json() == {"code": "rate_limited", "detail": "Too many attempts; retry later."}
    assert throttled["Retry-After"] == "40"


def test_a_throttled_account_refuses_even_the_right_password_until_the_window_ends(
    rates, admin_org
):
    with time_machine.travel(WINDOW_START, tick=False):
        for _ in range(5):
            _login(EMAIL)
        assert _login(EMAIL, PASSWORD).status_code == 429
    with time_machine.travel(WINDOW_START + timedelta(seconds=61), tick=False):
        assert _login(EMAIL, PASSWORD).status_code == 200


def test_both_login_routes_and_every_spelling_of_the_email_share_one_count(rates, admin_org):
    with time_machine.travel(WINDOW_START, tick=False):
        _login(EMAIL, route=LOGIN_ROUTES[0])
        _login(EMAIL.upper(), route=LOGIN_ROUTES[1])
        _login(f"  {EMAIL}", route=LOGIN_ROUTES[0])
        _login("Boss@Acme.Example", route=LOGIN_ROUTES[1])
        assert _login(EMAIL, route=LOGIN_ROUTES[1]).status_code == 401
        assert _login(EMAIL, route=LOGIN_ROUTES[0]).status_code == 429


def test_other_accounts_are_not_throttled_by_one_accounts_attempts(rates, admin_org, make_org):
    make_org("Other Org", email="boss@other.example")
    with time_machine.travel(WINDOW_START, tick=False):
        for _ in range(6):
            _login(EMAIL)
        assert _login("boss@other.example", PASSWORD).status_code == 200


def test_one_client_is_limited_across_many_emails(rates, admin_org):
    rates.LOGIN_RATE_PER_IP = "3/min"
    with time_machine.travel(WINDOW_START, tick=False):
        statuses = [_login(f"user{n}@acme.example").status_code for n in range(4)]
        other_client = _login(EMAIL, PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert statuses == [401, 401, 401, 429]
    assert other_client.status_code == 200


def test_a_forwarded_for_header_is_ignored_unless_configured(rates, admin_org):
    rates.LOGIN_RATE_PER_IP = "2/min"
    with time_machine.travel(WINDOW_START, tick=False):
        statuses = [
            _login(f"u{n}@acme.example", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
            for n in range(3)
        ]
    assert statuses == [401, 401, 429]


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_count(rates, admin_org):
    rates.LOGIN_RATE_PER_IP = "2/min"
    rates.TRUSTED_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    with time_machine.travel(WINDOW_START, tick=False):
        for n in range(2):
            _login(f"u{n}@acme.example", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
        blocked = _login("u8@acme.example", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
        other_client = _login("u9@acme.example", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert (blocked.status_code, other_client.status_code) == (429, 401)


def test_a_throttled_attempt_costs_no_password_check(rates, admin_org, monkeypatch):
    with time_machine.travel(WINDOW_START, tick=False):
        for _ in range(5):
            _login(EMAIL)

        def _no_bcrypt(*args, **kwargs):
            raise AssertionError("bcrypt ran for a throttled attempt")

        monkeypatch.setattr("accounts.passwords.verify", _no_bcrypt)
        assert _login(EMAIL).status_code == 429


@pytest.mark.parametrize("first,second", [SIGNUP_ROUTES, SIGNUP_ROUTES[::-1]])
def test_signups_from_one_client_share_one_limit_across_both_routes(rates, first, second):
    rates.SIGNUP_RATE_PER_IP = "2/hour"
    with time_machine.travel(WINDOW_START + timedelta(minutes=10), tick=False):
        assert _signup(1, route=first).status_code == 201
        assert _signup(2, route=second).status_code == 201
        throttled = _signup(3, route=first)
        other_client = _signup(4, route=second, REMOTE_ADDR="203.0.113.9")
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == str(50 * 60)
    assert other_client.status_code == 201
    assert orgs.count() == 3


def test_rejected_signups_count_too(rates):
    rates.SIGNUP_RATE_PER_IP = "2/hour"
    with time_machine.travel(WINDOW_START, tick=False):
        statuses = [
            APIClient().post("/org/create", {"organization_name": "x"}, format="json").status_code
            for _ in range(3)
        ]
    assert statuses == [400, 400, 429]


@pytest.mark.parametrize(
    "rate,parsed",
    [
        ("5/min", (5, 60)),
        ("30/minute", (30, 60)),
        ("100/hour", (100, 3600)),
        (" 7 / Day ", (7, 86400)),
        ("2/s", (2, 1)),
    ],
)
def test_rates_are_read_from_strings(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["", "5", "five/min", "5/fortnight", "-1/min", "5/min/h"])
def test_a_malformed_rate_is_refused(rate):
    with pytest.raises(ValueError):
        parse_rate(rate)


@pytest.mark.parametrize("route", LOGIN_ROUTES)
def test_the_per_client_throttle_answers_like_every_429(rates, admin_org, route):
    rates.LOGIN_RATE_PER_IP = "2/min"
    with time_machine.travel(WINDOW_START + timedelta(seconds=45), tick=False):
        for n in range(2):
            _login(f"u{n}@acme.example", route=route)
        throttled = _login("u9@acme.example", route=route)
    assert throttled.status_code == 429
    assert throttled.json() == {"code": "rate_limited", "detail": "Too many attempts; retry later."}
    assert throttled["Retry-After"] == "15"


def test_drf_num_proxies_does_not_pick_the_client_only_trusted_ip_header_does(rates, admin_org):
    # DRF's own get_ident would trust X-Forwarded-For with NUM_PROXIES set; ours ignores it
    # unless TRUSTED_IP_HEADER names it, so a client cannot rotate forged addresses.
    rates.LOGIN_RATE_PER_IP = "2/min"
    rates.REST_FRAMEWORK = {**rates.REST_FRAMEWORK, "NUM_PROXIES": 1}
    with time_machine.travel(WINDOW_START, tick=False):
        statuses = [
            _login(f"u{n}@acme.example", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
            for n in range(3)
        ]
    assert statuses == [401, 401, 429]
