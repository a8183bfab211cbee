"""Org API keys over real HTTP (gunicorn, litemongo on disk): shown once, scoped, checked at
every use (revocation, expiry, the org's deletion), last use recorded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests

from organizations.tests.http_org import HttpOrg, bearer
from orgservice.testing import GENEROUS_RATES, gunicorn
from tenancy.documents import utcnow
from tenancy.indexes import API_KEYS
from tenancy.stores.client import master_db, reset_clients

ALL = ["records:read", "records:write", "members:read"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="module")
def base(data_dir) -> Iterator[str]:
    with gunicorn(data_dir, workers=2, **GENEROUS_RATES) as url:
        yield url


@pytest.fixture
def org(base) -> HttpOrg:
    return HttpOrg.create(base)


@pytest.fixture
def store(settings, data_dir):
    """This process on the server's litemongo folder (to change what only time would)."""
    settings.MONGO_URL = ""
    settings.LITEMONGO_PATH = data_dir / "mongo"
    reset_clients()
    yield master_db()
    reset_clients()


def test_the_secret_is_shown_on_creation_only_and_never_listed(org):
    created = org.new_key(["records:read"], expires_at=None)
    key = created["key"]
    assert key.startswith(f"osk_{created['id']}_") and len(key) >= 4 + 16 + 1 + 43
    assert created["prefix"] == f"osk_{created['id']}" and created["status"] == "active"
    listed = org.get("owner", "api-keys/")
    assert listed.status_code == 200
    (entry,) = listed.json()
    assert entry["id"] == created["id"] and entry["scopes"] == ["records:read"]
    assert entry["created_at"] == created["created_at"]
    secret = key.split("_", 2)[2]
    assert "key" not in entry and secret not in listed.text and "hash" not in listed.text


def test_two_keys_never_share_a_secret(org):
    first, second = org.new_key(["records:read"]), org.new_key(["records:read"])
    assert first["id"] != second["id"] and first["key"] != second["key"]


def test_a_key_reads_and_writes_records_as_bearer(org):
    key = org.new_key(["records:read", "records:write"])["key"]
    created = org.post(key, "records/", {"sku": "A-1"})
    assert created.status_code == 201, created.text
    listed = org.get(key, "records/")
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [created.json()["id"]]
    owner_view = org.get("owner", f"records/{created.json()['id']}/")
    assert owner_view.json()["sku"] == "A-1"


def test_a_read_only_key_cannot_write_and_a_write_only_key_cannot_read(org):
    reader = org.new_key(["records:read"])["key"]
    writer = org.new_key(["records:write"])["key"]
    refused = org.post(reader, "records/", {"x": 1})
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")
    assert org.get("owner", "records/").json()["results"] == []
    refused = org.get(writer, "records/")
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")
    assert org.post(writer, "records/", {"x": 1}).status_code == 201


def test_members_read_scope_lists_members_but_never_changes_them(org):
    member_token = org.add_member("member")
    records_only = org.new_key(["records:read"])["key"]
    members = org.new_key(["members:read"])["key"]
    assert org.get(records_only, "members/").json()["code"] == "insufficient_scope"
    listed = org.get(members, "members/")
    assert listed.status_code == 200 and len(listed.json()) == 2
    member_id = org.member_ids["member"]
    patched = requests.patch(
        org.url(f"members/{member_id}/"),
        json={"role": "admin"},
        headers=bearer(members),
        timeout=30,
    )
    assert (patched.status_code, patched.json()["code"]) == (403, "insufficient_scope")
    assert org.get("owner", f"members/{member_id}/").json()["role"] == "member"
    assert member_token


def test_a_key_cannot_manage_keys_members_invitations_or_the_org(org):
    key = org.new_key(ALL)["key"]
    refusals = [
        org.get(key, "api-keys/"),
        org.post(key, "api-keys/", {"name": "child", "scopes": ALL}),
        org.post(key, "invitations/", {"email": "x@keys.example", "role": "admin"}),
        org.get(key, "audit/"),
        requests.delete(f"{org.base}/api/v1/orgs/{org.slug}/", headers=bearer(key), timeout=30),
    ]
    assert [(r.status_code, r.json()["code"]) for r in refusals] == [
        (403, "insufficient_scope")
    ] * len(refusals)
    assert len(org.get("owner", "api-keys/").json()) == 1
    assert requests.get(f"{org.base}/api/v1/orgs/{org.slug}/", timeout=30).status_code == 200


def test_only_owners_and_admins_manage_keys(org):
    org.add_member("admin")
    org.add_member("member")
    made_by_admin = org.new_key(["records:read"], who="admin")
    refused = org.post("member", "api-keys/", {"name": "m", "scopes": ["records:read"]})
    assert (refused.status_code, refused.json()["code"]) == (403, "role_forbidden")
    assert org.get("member", "api-keys/").status_code == 403
    assert [k["id"] for k in org.get("admin", "api-keys/").json()] == [made_by_admin["id"]]


def test_bad_key_input_is_refused_and_creates_nothing(org):
    past = (utcnow() - timedelta(minutes=1)).isoformat()
    cases = [
        ({"name": "k", "scopes": ["records:delete"]}, "invalid_scope"),
        ({"name": "k", "scopes": []}, "invalid_scope"),
        ({"name": "k", "scopes": "records:read"}, "invalid"),
        ({"name": {"$ne": None}, "scopes": ["records:read"]}, "invalid"),
        ({"name": "k", "scopes": ["records:read"], "expires_at": past}, "invalid_expiry"),
        ({"name": "k", "scopes": ["records:read"], "expires_at": "soon"}, "invalid"),
        ({"name": "k", "scopes": ["records:read"], "admin": True}, "invalid"),
    ]
    for body, code in cases:
        response = org.post("owner", "api-keys/", body)
        assert (response.status_code, response.json()["code"]) == (400, code), body
    assert org.get("owner", "api-keys/").json() == []


def test_revocation_takes_effect_on_the_very_next_request(org):
    key = org.new_key(["records:read"])
    assert org.get(key["key"], "records/").status_code == 200
    assert org.delete("owner", f"api-keys/{key['id']}/").status_code == 204
    # Two workers: whichever answers, the key is re-read on every request.
    answers = [org.get(key["key"], "records/") for _ in range(4)]
    assert {(r.status_code, r.json()["code"]) for r in answers} == {(401, "api_key_revoked")}
    (listed,) = org.get("owner", "api-keys/").json()
    assert listed["status"] == "revoked" and listed["revoked_at"] is not None
    again = org.delete("owner", f"api-keys/{key['id']}/")
    assert (again.status_code, again.json()["code"]) == (404, "api_key_not_found")


def test_another_orgs_key_cannot_be_revoked_or_used_here(org, base):
    other = HttpOrg.create(base)
    theirs = other.new_key(["records:read"])
    refused = org.delete("owner", f"api-keys/{theirs['id']}/")
    assert (refused.status_code, refused.json()["code"]) == (404, "api_key_not_found")
    assert org.get(theirs["key"], "records/").json()["code"] == "org_not_found"
    assert other.get(theirs["key"], "records/").status_code == 200


def test_a_wrong_unknown_or_malformed_key_is_refused_with_401(org):
    key = org.new_key(["records:read"])["key"]
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    for presented in (forged, "osk_0123456789abcdef_" + "x" * 43, "osk_short"):
        response = org.get(presented, "records/")
        assert (response.status_code, response.json()["code"]) == (401, "api_key_invalid")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_key_is_refused(org, store):
    key = org.new_key(["records:read"], expires_at=(utcnow() + timedelta(days=1)).isoformat())
    assert org.get(key["key"], "records/").status_code == 200
    # Let the day pass: move the expiry into the past in the store the server reads.
    past = utcnow() - timedelta(seconds=1)
    store[API_KEYS].update_one({"key_id": key["id"]}, {"$set": {"expires_at": past}})
    refused = org.get(key["key"], "records/")
    assert (refused.status_code, refused.json()["code"]) == (401, "api_key_expired")
    assert org.get("owner", "api-keys/").json()[0]["status"] == "expired"


def test_deleting_the_org_kills_its_keys(org):
    key = org.new_key(["records:read", "members:read"])["key"]
    assert org.get(key, "records/").status_code == 200
    deleted = requests.delete(
        f"{org.base}/api/v1/orgs/{org.slug}/", headers=org.auth("owner"), timeout=30
    )
    assert deleted.status_code in (200, 204), deleted.text
    for path in ("records/", "members/"):
        refused = org.get(key, path)
        assert (refused.status_code, refused.json()["code"]) == (401, "api_key_org_gone")


def test_last_use_is_recorded_at_most_once_a_minute(org):
    key = org.new_key(["records:read"])
    assert org.get("owner", "api-keys/").json()[0]["last_used_at"] is None
    assert org.get(key["key"], "records/").status_code == 200
    first = org.get("owner", "api-keys/").json()[0]["last_used_at"]
    assert first is not None and first >= key["created_at"][:19]
    assert org.get(key["key"], "records/").status_code == 200
    assert org.get("owner", "api-keys/").json()[0]["last_used_at"] == first


def test_a_key_acts_only_while_its_creator_may_manage_keys(org):
    org.add_member("admin")
    key = org.new_key(["records:read"], who="admin")["key"]
    assert org.get(key, "records/").status_code == 200
    admin_id = org.member_ids["admin"]
    demote = requests.patch(
        org.url(f"members/{admin_id}/"),
        json={"role": "member"},
        headers=org.auth("owner"),
        timeout=30,
    )
    assert demote.status_code == 200, demote.text
    refused = org.get(key, "records/")
    assert (refused.status_code, refused.json()["code"]) == (401, "api_key_lacks_authority")
    assert org.delete("owner", f"members/{admin_id}/").status_code == 204
    assert org.get(key, "records/").json()["code"] == "api_key_lacks_authority"
