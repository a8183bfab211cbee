"""Rename carries every record unchanged; delete removes them all for good; under every
placement (a `collection` org's collection is renamed, other placements change metadata only)."""

import pytest

from accounts.principal import MemberPrincipal
from organizations.orgs.services import organization_delete, organization_rename
from organizations.tests.invariants import stored
from tenancy import collection_ops, placement
from tenancy.record_store import for_principal

pytestmark = pytest.mark.usefixtures("placement")


def _records(org):
    return for_principal(MemberPrincipal(member_id="", org_id=org.id, email=""))


def _docs(org) -> dict:
    return {str(d["_id"]): repr(d) for d in stored(org)}


def test_rename_carries_all_10000_records_unchanged_and_leaves_nothing_behind(backend, make_org):
    org, _, _ = make_org("Acme Corp")
    _records(org).insert_many(
        [{"i": i, "tags": ["t", i], "nested": {"s": str(i)}} for i in range(10_000)]
    )
    before = _docs(org)
    renamed = organization_rename(org_id=org.id, new_name="Acme Two")
    assert len(before) == 10_000
    assert _docs(renamed) == before
    assert _records(renamed).count() == 10_000
    assert not collection_ops.exists("org_acme-corp")
    if org.placement == "collection":
        assert renamed.collection == "org_acme-two"
    else:
        assert placement.of(renamed) == placement.of(org)
        assert not collection_ops.exists("org_acme-two")


def test_records_answered_under_the_new_slug_after_a_rename(make_org, authed):
    org, email, _ = make_org("Acme Corp")
    client = authed(email)
    created = client.post("/api/v1/orgs/acme-corp/records/", {"a": 1}, format="json").json()
    organization_rename(org_id=org.id, new_name="Acme Two")
    assert client.get(f"/api/v1/orgs/acme-two/records/{created['id']}/").json() == created
    assert client.get(f"/api/v1/orgs/acme-corp/records/{created['id']}/").status_code == 404


def test_delete_removes_every_record_and_a_new_org_of_that_name_starts_empty(
    backend, make_org, authed
):
    org, email, _ = make_org("Acme Corp")
    client = authed(email)
    old_ids = [r.id for r in _records(org).insert_many([{"i": i} for i in range(100)])]
    organization_delete(org_id=org.id)
    assert stored(org) == []
    assert not collection_ops.exists("org_acme-corp")
    assert placement.tenant_databases() == set()
    assert client.get("/api/v1/orgs/acme-corp/records/").status_code == 401

    reborn, email, _ = make_org("Acme Corp", email="new-admin@acme.example")
    fresh = authed(email)
    assert _records(reborn).count() == 0
    assert fresh.get("/api/v1/orgs/acme-corp/records/").json() == {"results": [], "next": None}
    assert b"".join(fresh.get("/api/v1/orgs/acme-corp/export/").streaming_content) == b""
    for record_id in old_ids[:5]:
        assert fresh.get(f"/api/v1/orgs/acme-corp/records/{record_id}/").status_code == 404
