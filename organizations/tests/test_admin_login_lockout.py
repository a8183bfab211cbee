"""Staff logins at /admin/login/ are limited by django-axes: a username is locked out from one
client address after STAFF_LOGIN_FAILURE_LIMIT failures, even with the right password then; staff
see the lockout in the panel and remove it there."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from organizations.tests.conftest import STAFF_PASSWORD

LOGIN = "/admin/login/"
ATTEMPTS = reverse("admin:axes_accessattempt_changelist")


@pytest.fixture(autouse=True)
def fast_staff_hashes(settings):
    """Staff passwords with a cheap hasher: these tests check many of them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client: Client, password: str, username: str = "root", **meta: str) -> int:
    body = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN, body, **meta).status_code


def _fail_until_locked(client: Client, **meta: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "wrong-guess-1", **meta) == 200  # the form again, with an error
    assert _login(client, "wrong-guess-1", **meta) == 429


def test_brute_force_on_a_staff_login_is_locked_out_even_with_the_right_password(superuser):
    client = Client(REMOTE_ADDR="203.0.113.7")
    _fail_until_locked(client)
    response = client.post(LOGIN, {"username": "root", "password": STAFF_PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert "_auth_user_id" not in client.session


def test_a_lockout_binds_the_username_and_the_address_together(superuser, django_user_model):
    django_user_model.objects.create_superuser("other", "o@staff.example", STAFF_PASSWORD)
    _fail_until_locked(Client(REMOTE_ADDR="203.0.113.7"))
    assert _login(Client(REMOTE_ADDR="198.51.100.2"), STAFF_PASSWORD) == 302  # root elsewhere
    same_address = Client(REMOTE_ADDR="203.0.113.7")
    assert _login(same_address, STAFF_PASSWORD, username="other") == 302  # another user


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(superuser):
    _fail_until_locked(Client(REMOTE_ADDR="203.0.113.7"))
    forged = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert _login(forged, STAFF_PASSWORD) == 429


def test_behind_a_trusted_proxy_the_lockout_follows_the_forwarded_client(superuser, settings):
    settings.TRUSTED_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    _fail_until_locked(Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.7"))
    assert _login(Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.7"), STAFF_PASSWORD) == 429
    assert _login(Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.2"), STAFF_PASSWORD) == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


def test_staff_see_the_lockout_in_the_panel_and_removing_it_lets_the_user_in(
    superuser, staff_client
):
    client = Client(REMOTE_ADDR="203.0.113.7")
    _fail_until_locked(client)
    listing = staff_client.get(ATTEMPTS)
    assert listing.status_code == 200
    assert b"203.0.113.7" in listing.content and b"Locked Out" in listing.content
    assert b"wrong-guess-1" not in listing.content  # the password tried is never shown
    attempt = AccessAttempt.objects.get(username="root")
    removed = staff_client.post(
        ATTEMPTS, {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
    )
    assert removed.status_code == 302
    assert _login(client, STAFF_PASSWORD) == 302


def test_the_stored_attempt_masks_the_password_and_the_csrf_token(superuser):
    _fail_until_locked(Client(REMOTE_ADDR="203.0.113.7"))
    stored = AccessAttempt.objects.get().post_data
    assert "wrong-guess-1" not in stored and "password=****" in stored


@pytest.mark.parametrize("route", ["/admin/login", "/api/v1/auth/login/"])
def test_org_admin_logins_are_not_counted_against_staff(route, superuser, api, make_org):
    """Org admins are not Django users: their logins have the login throttle, not axes."""
    make_org("Acme Corp", email="boss@acme.example")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post(route, {"email": "boss@acme.example", "password": "nope-nope-1"}, format="json")
    assert not AccessAttempt.objects.exists()
