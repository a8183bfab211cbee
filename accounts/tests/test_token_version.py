"""A password change, an email change and org deletion invalidate every earlier token at once."""

from __future__ import annotations

import pytest

from accounts.tests.conftest import EMAIL, authenticated_call, bearer, refresh
from conftest import PASSWORD
from organizations.orgs.services import organization_delete

NEW_PASSWORD = "Another-Long-Pass-77"


def _both_refused(tokens: dict) -> None:
    assert authenticated_call(tokens["access_token"]).status_code == 401
    assert refresh(tokens["refresh_token"]).status_code == 401


@pytest.mark.parametrize(
    "change",
    [
        {"password": NEW_PASSWORD, "current_password": PASSWORD},
        {"email": "new-boss@acme.example", "current_password": PASSWORD},
    ],
    ids=["password", "email"],
)
def test_a_credential_change_invalidates_earlier_access_and_refresh_tokens(tokens, login, change):
    earlier = login(EMAIL)
    response = bearer(tokens["access_token"]).put("/org/update", change, format="json")
    assert response.status_code == 200, response.content
    _both_refused(tokens)
    _both_refused(earlier)


def test_tokens_issued_after_a_password_change_work(tokens, login):
    bearer(tokens["access_token"]).put(
        "/org/update", {"password": NEW_PASSWORD, "current_password": PASSWORD}, format="json"
    )
    fresh = login(EMAIL, NEW_PASSWORD)
    assert authenticated_call(fresh["access_token"]).status_code == 200
    assert refresh(fresh["refresh_token"]).status_code == 200


def test_the_old_password_no_longer_logs_in(tokens, api):
    bearer(tokens["access_token"]).put(
        "/org/update", {"password": NEW_PASSWORD, "current_password": PASSWORD}, format="json"
    )
    response = api.post("/admin/login", {"email": EMAIL, "password": PASSWORD}, format="json")
    assert response.status_code == 401


def test_a_rename_alone_keeps_tokens_working(tokens):
    response = bearer(tokens["access_token"]).put(
        "/org/update", {"organization_name": "Acme Two"}, format="json"
    )
    assert response.status_code == 200
    assert authenticated_call(tokens["access_token"], slug="acme-two").status_code == 200


def test_org_deletion_invalidates_earlier_access_and_refresh_tokens(tokens, admin_org, login):
    earlier = login(EMAIL)
    organization_delete(org_id=admin_org.id)
    _both_refused(tokens)
    _both_refused(earlier)


def test_org_deletion_through_the_api_invalidates_the_token_that_asked(tokens):
    response = bearer(tokens["access_token"]).delete("/api/v1/orgs/acme-corp/")
    assert response.status_code == 204
    _both_refused(tokens)
