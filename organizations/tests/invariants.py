"""DESIGN.md's storage invariants, checked against whatever backend tenancy points at."""

from __future__ import annotations

import hashlib
import json

from tenancy import admins, lifecycle, orgs
from tenancy.client import master_db


def assert_consistent() -> None:
    """No pending operation, every org with exactly its collection, no orphan of any kind."""
    all_orgs = list(orgs.all_orgs())
    assert [o.slug for o in all_orgs if o.pending] == []
    assert {o.status for o in all_orgs} <= {"active"}
    assert lifecycle.tenant_collections() == {o.collection for o in all_orgs}
    assert {c["_id"] for c in orgs.claims()} == {o.slug for o in all_orgs}
    assert admins.org_ids() <= {o.id for o in all_orgs}
    for org in all_orgs:
        assert len(admins.for_org(org.id)) == 1


def checksum(collection: str) -> tuple[int, str]:
    """(count, digest) of a collection's documents, independent of order."""
    docs = sorted(
        json.dumps(doc, sort_keys=True, default=str) for doc in master_db()[collection].find({})
    )
    return len(docs), hashlib.sha256("\n".join(docs).encode()).hexdigest()
