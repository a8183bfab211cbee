"""Deletion with a restore window (ORG_DELETE_RETENTION > 0): a delete leaves the org
``deleted`` (hidden, name reserved, members locked out, data kept); its owner or staff restore
it within the window; after it, purge_orgs removes it for good, idempotently."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts import passwords
from conftest import PASSWORD
from organizations.orgs import retention
from organizations.orgs.services import organization_delete
from organizations.tests.steps import Principal, expire
from tenancy import admins, audit, collection_ops, orgs, purge_journal
from tenancy.documents import ADMIN, utcnow
from tenancy.record_store import for_principal

EMAIL = "admin@acmecorp.example"
RESTORE = "/api/v1/orgs/restore/"


@pytest.fixture(autouse=True)
def window(settings):
    settings.ORG_DELETE_RETENTION = 7 * 86400


@pytest.fixture
def acme(make_org):
    org, _, _ = make_org()
    for_principal(Principal(org.id)).insert_many([{"n": i} for i in range(3)])
    return org


def _owner_restore(api, **changes):
    body = {"organization_name": "Acme Corp", "email": EMAIL, "password": PASSWORD} | changes
    return api.post(RESTORE, body, format="json")


def _events(org_id: str) -> list[str]:
    return [e["event"] for e in audit.recent(org_id=org_id, limit=50)]


def test_the_retention_setting_reads_seconds_or_a_duration(settings):
    for value, seconds in ((0, 0), ("3600", 3600), ("15m", 900), ("12h", 43200), ("30d", 2592000)):
        settings.ORG_DELETE_RETENTION = value
        assert retention.window() == timedelta(seconds=seconds)
    for bad in ("-1", "1.5h", "7 days", "x", ""):
        settings.ORG_DELETE_RETENTION = bad
        with pytest.raises(ValueError):
            retention.window()


def test_a_delete_keeps_the_org_hidden_reserved_locked_and_whole(acme, authed, api):
    client = authed(EMAIL)
    deleted = client.delete("/org/delete", {"organization_name": "Acme Corp"}, format="json")
    assert deleted.status_code == 200
    body = deleted.json()
    assert body["status"] == "deleted" and body["purge_after"] > body["deleted_at"]

    assert api.get("/org/get", {"organization_name": "Acme Corp"}).json()["code"] == "org_not_found"
    assert api.get("/api/v1/orgs/acme-corp/").status_code == 404
    refused = client.get("/api/v1/orgs/acme-corp/records/")
    assert (refused.status_code, refused.json()["code"]) == (401, "org_deleted")
    login = api.post("/admin/login", {"email": EMAIL, "password": PASSWORD}, format="json")
    assert (login.status_code, login.json()["code"]) == (403, "org_deleted")
    taken = api.post(
        "/org/create",
        {"organization_name": "ACME corp", "email": "new@other.example", "password": PASSWORD},
        format="json",
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "org_name_taken")
    org = orgs.get(acme.id)
    assert collection_ops.exists(org.collection) and admins.for_org(org.id)
    assert len(for_principal(Principal(org.id)).page(before=None, limit=10, filters={})) == 3


def test_the_rest_delete_is_retained_too(acme, authed):
    assert authed(EMAIL).delete("/api/v1/orgs/acme-corp/").status_code == 204
    assert orgs.get(acme.id).status == "deleted"


def test_the_owner_restores_with_email_and_password_and_the_org_is_back(acme, authed, api):
    client = authed(EMAIL)
    client.delete("/org/delete", {"organization_name": "Acme Corp"}, format="json")
    restored = _owner_restore(api)
    assert restored.status_code == 200, restored.content
    assert restored.json()["status"] == "active" and "purge_after" not in restored.json()
    assert api.get("/org/get", {"organization_name": "Acme Corp"}).status_code == 200
    assert client.get("/api/v1/orgs/acme-corp/records/").status_code == 200  # old token too
    assert _events(acme.id)[0] == "org_restored"
    again = _owner_restore(api)
    assert (again.status_code, again.json()["code"]) == (409, "org_not_deleted")


@pytest.mark.parametrize(
    "changes",
    [
        {"password": "Wrong-Pass-99"},
        {"email": "nobody@acmecorp.example"},
        {"organization_name": "Other Org"},
        {"organization_name": "!!!"},
    ],
)
def test_wrong_credentials_or_another_orgs_name_get_the_same_401(acme, api, make_org, changes):
    make_org("Other Org")
    organization_delete(org_id=acme.id)
    refused = _owner_restore(api, **changes)
    assert refused.status_code == 401
    assert refused.json() == {"code": "invalid_credentials", "detail": "Invalid email or password."}
    assert orgs.get(acme.id).status == "deleted"


@pytest.mark.parametrize(
    "body",
    [{}, {"organization_name": "Acme Corp", "email": EMAIL}, {"email": {"$ne": None}}]
    + [{"organization_name": "Acme Corp", "email": EMAIL, "password": PASSWORD, "x": 1}],
)
def test_a_malformed_restore_is_400_and_changes_nothing(acme, api, body):
    organization_delete(org_id=acme.id)
    response = api.post(RESTORE, body, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert orgs.get(acme.id).status == "deleted"


def test_only_an_owner_may_restore(acme, api):
    admins.insert(
        org_id=acme.id,
        email="helper@acmecorp.example",
        password_hash=passwords.hash_password(PASSWORD),
        role=ADMIN,
    )
    organization_delete(org_id=acme.id)
    refused = _owner_restore(api, email="helper@acmecorp.example")
    assert (refused.status_code, refused.json()["code"]) == (403, "owner_required")
    assert orgs.get(acme.id).status == "deleted"


def test_restore_attempts_are_throttled_like_logins(acme, api, settings):
    organization_delete(org_id=acme.id)
    statuses = [_owner_restore(api, password=f"Wrong-{i}-Pass").status_code for i in range(8)]
    assert statuses[0] == 401 and statuses[-1] == 429
    assert _owner_restore(api).status_code == 429  # even the right password, for now


def test_after_the_window_restore_is_410_and_purge_removes_the_org(acme, api, staff_api):
    organization_delete(org_id=acme.id)
    expire(orgs.get(acme.id))
    late = _owner_restore(api)
    assert (late.status_code, late.json()["code"]) == (410, "restore_window_expired")
    staff = staff_api.post("/api/v1/orgs/acme-corp/restore/")
    assert (staff.status_code, staff.json()["code"]) == (410, "restore_window_expired")

    out = StringIO()
    call_command("purge_orgs", "--no-input", stdout=out)
    assert "acme-corp: purged" in out.getvalue() and "Purged 1 of 1." in out.getvalue()
    assert "purging organizations: 1/1 (100%)" in out.getvalue()  # kernel.progress, not a TTY
    assert orgs.get(acme.id) is None and not admins.for_org(acme.id)
    assert not collection_ops.exists(acme.collection) and orgs.slug_claim("acme-corp") is None
    again = StringIO()
    call_command("purge_orgs", "--no-input", stdout=again)
    assert again.getvalue().strip() == "Nothing to purge."
    assert _events(acme.id).count("org_purged") == 1


def test_purge_leaves_orgs_within_their_window_and_live_orgs_alone(acme, make_org):
    other, _, _ = make_org("Other Org")
    live, _, _ = make_org("Live Org")
    organization_delete(org_id=acme.id)
    organization_delete(org_id=other.id)
    expire(orgs.get(other.id))
    assert retention.purge_expired(actor="test") == {"other-org": "purged"}
    assert orgs.get(acme.id).status == "deleted" and orgs.get(live.id).status == "active"
    later = utcnow() + timedelta(days=8)
    assert retention.purge_expired(actor="test", now=later) == {"acme-corp": "purged"}
    assert orgs.get(live.id).status == "active"


def test_a_journaled_purge_of_an_org_restored_before_its_delete_began_purges_nothing(acme):
    organization_delete(org_id=acme.id)
    purge_journal.begin(acme.id, "acme-corp")  # a purge died right after its journal entry
    retention.organization_restore(org_id=acme.id, actor="test")
    assert retention.purge_expired(actor="test") == {}
    assert orgs.get(acme.id).status == "active" and purge_journal.entries() == []


def test_purge_orgs_asks_before_it_purges(acme, monkeypatch):
    organization_delete(org_id=acme.id)
    expire(orgs.get(acme.id))
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="nothing purged"):
        call_command("purge_orgs", stdout=StringIO())
    assert orgs.get(acme.id).status == "deleted"


def test_staff_restore_by_rest_command_and_panel(acme, staff_api, staff_client):
    organization_delete(org_id=acme.id)
    assert staff_api.post("/api/v1/orgs/acme-corp/restore/").json()["status"] == "active"
    organization_delete(org_id=acme.id)
    call_command("restore_org", "Acme Corp", stdout=StringIO())
    assert orgs.get(acme.id).status == "active"
    organization_delete(org_id=acme.id)
    detail = reverse("admin:organizations_organization_detail", args=[acme.id])
    assert "restorable until" in staff_client.get(detail).content.decode()
    url = reverse("admin:organizations_organization_restore", args=[acme.id])
    assert staff_client.post(url, {}).status_code == 302
    assert orgs.get(acme.id).status == "active"
    assert _events(acme.id).count("org_restored") == 3


def test_the_panel_purges_expired_deletions_with_the_manage_permission(
    acme, staff_client, helper_client
):
    organization_delete(org_id=acme.id)
    expire(orgs.get(acme.id))
    url = reverse("admin:organizations_organization_purge")
    assert helper_client.post(url, {}).status_code == 403
    assert orgs.get(acme.id) is not None
    listing = staff_client.get(reverse("admin:organizations_organization_changelist"))
    assert 'id="purge-orgs"' in listing.content.decode()
    done = staff_client.post(url, {}, follow=True)
    assert "Purged: acme-corp: purged." in done.content.decode()
    assert orgs.get(acme.id) is None
    assert "org_purged" in _events(acme.id)
