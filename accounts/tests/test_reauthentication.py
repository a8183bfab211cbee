"""Re-authentication: a bearer token alone cannot change the email or the password; the current
password is required, wrong ones count against the login throttle, and every change and failed
attempt is audited."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.tests.conftest import EMAIL, authenticated_call, bearer
from conftest import PASSWORD
from tenancy import admins
from tenancy.indexes import AUDIT
from tenancy.stores.client import master_db

NEW_PASSWORD = "Another-Long-Pass-77"
NEW_EMAIL = "new-boss@acme.example"


def _update(access_token: str, body: dict, ip: str = "198.51.100.7"):
    return bearer(access_token).put("/org/update", body, format="json", REMOTE_ADDR=ip)


def _events(name: str) -> list[dict]:
    return list(master_db()[AUDIT].find({"event": name}, {"_id": 0}))


def _unchanged(tokens: dict) -> None:
    """The admin still logs in with the old credentials and the stolen token still works."""
    assert admins.get_by_email(EMAIL) is not None
    assert authenticated_call(tokens["access_token"]).status_code == 200
    login = APIClient().post("/admin/login", {"email": EMAIL, "password": PASSWORD}, format="json")
    assert login.status_code == 200


@pytest.mark.parametrize(
    "change", [{"password": NEW_PASSWORD}, {"email": NEW_EMAIL}], ids=["password", "email"]
)
def test_stolen_access_token_cannot_change_credentials_without_current_password(tokens, change):
    response = _update(tokens["access_token"], change)
    assert response.status_code == 400
    assert response.json()["code"] == "current_password_required"
    assert "current_password" in response.json()["fields"]
    _unchanged(tokens)
    (failed,) = _events("reauthentication_failed")
    assert failed["reason"] == "missing" and failed["ip"] == "198.51.100.7"


@pytest.mark.parametrize(
    "change", [{"password": NEW_PASSWORD}, {"email": NEW_EMAIL}], ids=["password", "email"]
)
def test_stolen_access_token_cannot_change_credentials_with_a_wrong_current_password(
    tokens, change
):
    response = _update(tokens["access_token"], {**change, "current_password": "Guess-Pass-123"})
    assert response.status_code == 403
    assert response.json() == {
        "code": "invalid_current_password",
        "detail": "The current password is wrong.",
    }
    _unchanged(tokens)
    (failed,) = _events("reauthentication_failed")
    assert failed["reason"] == "wrong_password" and "Guess-Pass-123" not in repr(failed)
    assert _events("credentials_changed") == []


def test_a_stolen_token_guessing_the_current_password_hits_the_login_throttle(tokens, settings):
    """Wrong current passwords count per account like wrong logins: guessing through
    /org/update is no faster than through /admin/login, and the owner's next login is
    throttled too (one shared counter)."""
    settings.LOGIN_RATE_PER_EMAIL = "3/hour"
    guesses = [
        _update(tokens["access_token"], {"password": NEW_PASSWORD, "current_password": f"G-{i}"})
        for i in range(4)
    ]
    assert [g.status_code for g in guesses] == [403, 403, 403, 429]
    assert guesses[-1].json()["code"] == "rate_limited" and "Retry-After" in guesses[-1]
    login = APIClient().post("/admin/login", {"email": EMAIL, "password": PASSWORD}, format="json")
    assert login.status_code == 429


def test_the_owner_with_the_current_password_changes_both_and_it_is_audited(tokens):
    body = {"email": NEW_EMAIL, "password": NEW_PASSWORD, "current_password": PASSWORD}
    response = _update(tokens["access_token"], body)
    assert response.status_code == 200, response.content
    assert authenticated_call(tokens["access_token"]).status_code == 401  # earlier tokens revoked
    login = APIClient().post(
        "/admin/login", {"email": NEW_EMAIL, "password": NEW_PASSWORD}, format="json"
    )
    assert login.status_code == 200
    (changed,) = _events("credentials_changed")
    assert sorted(changed["changed"]) == ["email", "password"]
    assert changed["ip"] == "198.51.100.7"


def test_a_rename_alone_needs_no_current_password(tokens):
    response = _update(tokens["access_token"], {"organization_name": "Acme Two"})
    assert response.status_code == 200
    assert response.json()["slug"] == "acme-two"
    assert _events("reauthentication_failed") == []


def test_a_current_password_alone_is_not_an_update(tokens):
    response = _update(tokens["access_token"], {"current_password": PASSWORD})
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_email_change_probing_for_other_orgs_addresses_is_throttled(tokens, make_org, settings):
    """An email change to a taken address is refused (409), which tells that the address has an
    account: changes are counted per member (and per client), once re-authenticated."""
    make_org("Globex", email="boss@globex.example")
    settings.EMAIL_CHANGE_RATE_PER_MEMBER = "2/hour"
    body = {"email": "boss@globex.example", "current_password": PASSWORD}
    answers = [_update(tokens["access_token"], body) for _ in range(3)]
    assert [a.status_code for a in answers] == [409, 409, 429]
    assert answers[-1].json()["code"] == "rate_limited"
