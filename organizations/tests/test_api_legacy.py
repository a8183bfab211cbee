"""The assignment's five routes, exactly: status codes, field names, error bodies."""

import jwt
import pytest

from conftest import PASSWORD
from tenancy import admins, collection_ops, orgs

BODY = {"organization_name": "Acme Corp", "email": "boss@acme.example", "password": PASSWORD}


def _create(api, **overrides):
    return api.post("/org/create", {**BODY, **overrides}, format="json")


def test_create_answers_201_with_org_metadata(api):
    response = _create(api)
    assert response.status_code == 201
    body = response.json()
    assert {"id", "name", "slug", "collection", "created_at"} <= set(body)
    assert (body["name"], body["slug"], body["collection"]) == (
        "Acme Corp",
        "acme-corp",
        "org_acme-corp",
    )
    assert "password" not in response.content.decode()
    assert "$2b$" not in response.content.decode()


def test_create_duplicate_name_or_email_is_409(api):
    assert _create(api).status_code == 201
    dup_name = _create(api, email="x@example.com")
    assert (dup_name.status_code, dup_name.json()["code"]) == (409, "org_name_taken")
    dup_email = _create(api, organization_name="Other Org")
    assert (dup_email.status_code, dup_email.json()["code"]) == (409, "email_taken")


@pytest.mark.parametrize(
    "overrides",
    [
        {"organization_name": {"$ne": None}},
        {"email": {"$ne": None}},
        {"password": {"$gt": ""}},
        {"organization_name": 12345},
        {"organization_name": ["Acme"]},
        {"organization_name": "a$b Corp"},
        {"organization_name": "x" * 201},
        {"organization_name": "Acme\x00Corp"},
        {"email": "not-an-email"},
        {"password": "short"},
        {"extra": "field"},
    ],
)
def test_create_bad_input_is_400_json_and_writes_nothing(api, overrides):
    response = _create(api, **overrides)
    assert response.status_code == 400
    assert response.json()["code"]
    assert orgs.count() == 0


def test_malformed_json_is_400(api):
    response = api.generic("POST", "/org/create", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_body"


def test_body_over_the_limit_is_413_json(api, settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = _create(api, organization_name="x" * 2000)
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_json_array_body_is_400(api):
    response = api.post("/org/create", [BODY], format="json")
    assert response.status_code == 400


def test_get_by_name_is_case_insensitive_and_404_for_unknown(api):
    _create(api)
    found = api.get("/org/get", {"organization_name": "ACME corp"})
    assert (found.status_code, found.json()["slug"]) == (200, "acme-corp")
    assert api.get("/org/get", {"organization_name": "Nope Inc"}).status_code == 404
    assert api.get("/org/get").status_code == 400


def test_login_answers_tokens_with_admin_and_org_ids(api):
    org = _create(api).json()
    response = api.post(
        "/admin/login", {"email": BODY["email"], "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 15 * 60
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["org_id"] == org["id"]
    assert claims["admin_id"] == admins.get_by_email(BODY["email"]).id
    assert body["refresh_token"]


def test_unknown_email_and_wrong_password_get_the_same_401(api):
    _create(api)
    wrong = api.post(
        "/admin/login", {"email": BODY["email"], "password": "nope-nope-1"}, format="json"
    )
    unknown = api.post(
        "/admin/login", {"email": "who@x.example", "password": PASSWORD}, format="json"
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_login_with_operator_object_is_400(api):
    _create(api)
    response = api.post(
        "/admin/login", {"email": {"$ne": None}, "password": {"$ne": None}}, format="json"
    )
    assert response.status_code == 400


def test_update_without_token_is_401(api):
    _create(api)
    assert api.put("/org/update", {"organization_name": "New"}, format="json").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")
    assert api.put("/org/update", {"organization_name": "New"}, format="json").status_code == 401


def test_update_renames_the_tokens_org_and_old_name_is_gone(api, authed):
    _create(api)
    client = authed(BODY["email"])
    response = client.put("/org/update", {"organization_name": "Acme Renamed"}, format="json")
    assert response.status_code == 200
    assert (response.json()["slug"], response.json()["collection"]) == (
        "acme-renamed",
        "org_acme-renamed",
    )
    assert api.get("/org/get", {"organization_name": "Acme Corp"}).status_code == 404
    assert api.get("/org/get", {"organization_name": "Acme Renamed"}).status_code == 200
    assert collection_ops.exists("org_acme-renamed") and not collection_ops.exists("org_acme-corp")


def test_update_to_a_taken_name_is_409_and_changes_nothing(api, authed):
    _create(api)
    _create(api, organization_name="Other Org", email="o@example.com")
    client = authed(BODY["email"])
    response = client.put("/org/update", {"organization_name": "other org"}, format="json")
    assert response.status_code == 409
    assert orgs.get_by_slug("acme-corp").name == "Acme Corp"


def test_update_password_and_email_then_old_credentials_and_tokens_fail(api, authed):
    _create(api)
    client = authed(BODY["email"])
    response = client.put(
        "/org/update",
        {
            "email": "new@acme.example",
            "password": "Another-Strong-Pass-7",
            "current_password": PASSWORD,
        },
        format="json",
    )
    assert response.status_code == 200
    old = api.post("/admin/login", {"email": BODY["email"], "password": PASSWORD}, format="json")
    assert old.status_code == 401
    new = api.post(
        "/admin/login",
        {"email": "new@acme.example", "password": "Another-Strong-Pass-7"},
        format="json",
    )
    assert new.status_code == 200
    assert (
        client.put("/org/update", {"organization_name": "X Corp"}, format="json").status_code == 401
    )


def test_update_with_invalid_fields_is_400_and_changes_nothing(api, authed):
    _create(api)
    client = authed(BODY["email"])
    for body in ({}, {"organization_name": "Fine Name", "password": "weak"}, {"email": {"$ne": 1}}):
        assert client.put("/org/update", body, format="json").status_code == 400
    assert orgs.get_by_slug("acme-corp") is not None
    assert orgs.get_by_slug("fine-name") is None


def test_delete_own_org_removes_everything(api, authed):
    _create(api)
    client = authed(BODY["email"])
    response = client.delete("/org/delete", {"organization_name": "Acme Corp"}, format="json")
    assert response.status_code == 200
    assert api.get("/org/get", {"organization_name": "Acme Corp"}).status_code == 404
    assert not collection_ops.exists("org_acme-corp")
    assert admins.get_by_email(BODY["email"]) is None
    assert (
        client.put("/org/update", {"organization_name": "Zed Corp"}, format="json").status_code
        == 401
    )


def test_delete_another_orgs_is_403_and_unknown_is_404(api, authed):
    _create(api)
    _create(api, organization_name="Other Org", email="o@example.com")
    client = authed(BODY["email"])
    forbidden = client.delete("/org/delete", {"organization_name": "Other Org"}, format="json")
    assert forbidden.status_code == 403
    assert orgs.get_by_slug("other-org") is not None
    assert (
        client.delete("/org/delete", {"organization_name": "Ghost Org"}, format="json").status_code
        == 404
    )


def test_json_nested_past_the_decoders_limit_is_400_on_the_assignment_routes(api):
    body = "[" * 100_000 + "]" * 100_000
    response = api.generic("POST", "/org/create", body, content_type="application/json")
    assert response.status_code == 400
    assert orgs.count() == 0
