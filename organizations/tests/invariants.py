"""DESIGN.md's storage invariants, checked against whatever backend tenancy points at."""

from __future__ import annotations

import hashlib
import json

from tenancy import admins, collection_ops, orgs, placement
from tenancy.documents import Org
from tenancy.record_copy import unstamped
from tenancy.stores.client import master_db


def assert_consistent() -> None:
    """No pending operation, every org with exactly its records' home, no orphan of any kind."""
    all_orgs = list(orgs.all_orgs())
    by_placement = {p: [o for o in all_orgs if o.placement == p] for p in placement.PLACEMENTS}
    assert [o.slug for o in all_orgs if o.pending] == []
    assert {o.status for o in all_orgs} <= {"active", "suspended", "deleted"}  # all at rest
    assert collection_ops.tenant_collections() == {
        o.collection for o in by_placement["collection"]
    }, (
        collection_ops.tenant_collections(),
        [o.collection for o in all_orgs],
    )
    assert placement.tenant_databases() == {o.database for o in by_placement["database"]}
    assert placement.shared_org_ids() <= {o.id for o in by_placement["shared"]}
    assert {c["_id"] for c in orgs.claims()} == {o.slug for o in all_orgs}
    assert admins.org_ids() <= {o.id for o in all_orgs}
    for org in all_orgs:
        assert len(admins.for_org(org.id)) == 1


def stored(org: Org) -> list[dict]:
    """The org's stored documents as they are in the database (without the shared collection's
    org_id stamp), read from wherever its placement keeps them."""
    return [unstamped(d) for d in placement.open_records(placement.of(org)).find({})]


def checksum(where: Org | str) -> tuple[int, str]:
    """(count, digest) of an org's records (or of a master-database collection), independent of
    order and placement."""
    docs = list(master_db()[where].find({})) if isinstance(where, str) else stored(where)
    lines = sorted(json.dumps(d, sort_keys=True, default=str) for d in docs)
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()
