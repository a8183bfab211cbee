"""Auth events reach the audit log with who, when and from where, and never a secret."""

from __future__ import annotations

from datetime import datetime

import pytest
from rest_framework.test import APIClient

from accounts.tests.conftest import EMAIL, bearer, refresh
from conftest import PASSWORD
from tenancy import admins
from tenancy.indexes import AUDIT
from tenancy.stores.client import master_db

NEW_PASSWORD = "Another-Long-Pass-77"
CLIENT_IP = "203.0.113.5"


def _entries() -> list[dict]:
    return list(master_db()[AUDIT].find({}, {"_id": 0}).sort("at", 1))


def _events(name: str) -> list[dict]:
    return [e for e in _entries() if e["event"] == name]


@pytest.fixture(autouse=True)
def roomy_login_rate(settings):
    """The walk makes seven login-counted attempts (re-authentication counts as a login)."""
    settings.LOGIN_RATE_PER_EMAIL = "20/min"


def _walk_every_auth_event(admin_org) -> list[str]:
    """Log in (fail twice, succeed), refresh, reuse, log in, log out, fail to re-authenticate,
    change credentials;
    returns every secret that went over the wire."""
    client = APIClient(REMOTE_ADDR=CLIENT_IP)
    client.post("/admin/login", {"email": EMAIL, "password": "Wrong-pass-1"}, format="json")
    client.post(
        "/admin/login", {"email": "nobody@acme.example", "password": PASSWORD}, format="json"
    )
    first = client.post(
        "/admin/login", {"email": EMAIL, "password": PASSWORD}, format="json"
    ).json()
    rotated = refresh(first["refresh_token"]).json()
    refresh(first["refresh_token"])  # reuse: every token of the admin is revoked
    second = client.post(
        "/api/v1/auth/login/", {"email": EMAIL, "password": PASSWORD}, format="json"
    ).json()
    third = refresh(second["refresh_token"]).json()
    bearer(third["access_token"]).post(
        "/api/v1/auth/logout/",
        {"refresh_token": third["refresh_token"]},
        format="json",
        REMOTE_ADDR=CLIENT_IP,
    )
    fourth = client.post(
        "/admin/login", {"email": EMAIL, "password": PASSWORD}, format="json"
    ).json()
    bearer(fourth["access_token"]).put(
        "/org/update",
        {"password": NEW_PASSWORD, "current_password": "Wrong-pass-1"},
        format="json",
        REMOTE_ADDR=CLIENT_IP,
    )
    bearer(fourth["access_token"]).put(
        "/org/update",
        {"password": NEW_PASSWORD, "current_password": PASSWORD},
        format="json",
        REMOTE_ADDR=CLIENT_IP,
    )
    tokens = [
        t[k]
        for t in (first, rotated, second, third, fourth)
        for k in ("access_token", "refresh_token")
    ]
    return [PASSWORD, NEW_PASSWORD, "Wrong-pass-1", *tokens]


def test_every_auth_event_is_recorded_with_who_when_and_where(admin_org):
    _walk_every_auth_event(admin_org)
    admin = admins.get_by_email(EMAIL)
    counts = {
        name: len(_events(name))
        for name in (
            "login",
            "login_failed",
            "token_refreshed",
            "refresh_token_reused",
            "logout",
            "credentials_changed",
            "reauthentication_failed",
        )
    }
    assert counts == {
        "login": 3,
        "login_failed": 2,
        "token_refreshed": 2,
        "refresh_token_reused": 1,
        "logout": 1,
        "credentials_changed": 1,
        "reauthentication_failed": 1,
    }
    for event in ("login", "refresh_token_reused", "logout", "credentials_changed"):
        entry = _events(event)[0]
        assert (entry["org_id"], entry["admin_id"]) == (admin_org.id, admin.id)
        assert isinstance(entry["at"], datetime)
    for event in (
        "login",
        "login_failed",
        "logout",
        "credentials_changed",
        "reauthentication_failed",
    ):
        assert {e["ip"] for e in _events(event)} == {CLIENT_IP}
    known, unknown = _events("login_failed")
    assert known["admin_id"] == admin.id
    assert "admin_id" not in unknown and unknown["org_id"] is None


def test_the_audit_log_holds_no_password_hash_or_token(admin_org):
    secrets = _walk_every_auth_event(admin_org)
    secrets.append(admins.get_by_email(EMAIL).password_hash.decode())
    text = repr(list(master_db()[AUDIT].find({})))
    assert len(_entries()) >= 10
    for secret in secrets:
        assert secret not in text
        if secret.startswith("eyJ"):  # a JWT: not even its signature
            assert secret.rsplit(".", 1)[1] not in text
    for marker in ("$2b$", "eyJ", "password_hash", "Bearer"):
        assert marker not in text
