"""Reconcile racing live operations: reconcile is held (a step hook) after it read the orgs, or
after it listed what exists, while a rename or a create runs to completion; released, it must
drop nothing those operations use. For every placement, on litemongo and mongomock."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from kernel import failpoints
from organizations.orgs import services
from organizations.orgs.reconcile import reconcile
from organizations.tests.invariants import assert_consistent
from organizations.tests.steps import Paused, Principal, seed, stored_ids
from tenancy import orgs
from tenancy.record_store import for_principal

RECORDS = 25


def _reconcile_held_at(point: str) -> Paused:
    return Paused(point, lambda: reconcile(grace_seconds=0)).start()


@pytest.mark.parametrize("point", failpoints.PAUSE_POINTS)
def test_reconcile_racing_a_rename_keeps_every_record(backend, placement, point):
    org = seed(placement, count=RECORDS)
    before = sorted(stored_ids(org))
    held = _reconcile_held_at(point)
    renamed = services.organization_rename(org_id=org.id, new_name="Acme Two")
    report = held.finish()
    assert sorted(stored_ids(orgs.get(org.id))) == before
    assert renamed.collection not in report.dropped_collections
    assert not report.dropped_databases and not report.removed_shared_of
    assert_consistent()


@pytest.mark.parametrize("point", failpoints.PAUSE_POINTS)
def test_reconcile_racing_a_create_keeps_every_record(backend, placement, point):
    seed(placement, name="Bystander", email="b@bystander.example", count=3)
    held = _reconcile_held_at(point)
    org = services.organization_create(
        name="Newco", admin_email="boss@newco.example", admin_password=PASSWORD
    )
    created = for_principal(Principal(org.id)).insert_many([{"n": i} for i in range(RECORDS)])
    report = held.finish()
    assert sorted(stored_ids(orgs.get(org.id))) == sorted(r.id for r in created)
    assert report.dropped_collections == report.dropped_databases == []
    assert report.removed_shared_of == []
    assert_consistent()


def test_reconcile_still_drops_an_orphan_collection_no_org_holds(backend):
    from tenancy import collection_ops

    seed("collection")
    collection_ops.create("org_ghost-corp")
    report = reconcile(grace_seconds=0)
    assert report.dropped_collections == ["org_ghost-corp"]
    assert orgs.slug_claim("ghost-corp") is None  # reconcile's own claim was given back
    assert_consistent()
