"""Crash matrix in-process, on litemongo and mongomock: each operation is stopped right after
every step (a step hook raises a BaseException no service code catches, as dying there would
leave it), for every placement. Before repair, reads answer the whole set or refuse; then
reconcile finishes or undoes the operation as test_crash_matrix.OUTCOMES says (that module
kills real processes on litemongo on disk; this one covers both backends quickly).
"""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from organizations.orgs import retention, services
from organizations.orgs.reconcile import reconcile
from organizations.tests.invariants import assert_consistent, checksum
from organizations.tests.steps import (
    EMAIL,
    MOVE_TO,
    STAFF,
    STANDING_ENDS,
    Killed,
    assert_reads_whole,
    cells,
    expire,
    killed_at,
    operation,
    prepare,
    read_everything,
    seed,
    stored_ids,
)
from organizations.tests.test_crash_matrix import OUTCOMES
from tenancy import audit, orgs, placement, purge_journal

NAMES = {"old": ("acme-corp", "Acme Corp"), "new": ("acme-two", "Acme Two")}
EVENTS = {"suspend": "org_suspended", "resume": "org_resumed", "soft_delete": "org_deleted"}
EVENTS["restore"] = "org_restored"


def _stop(step: str, where: str, settings):
    """Seed (except for a create), then run the operation until it is stopped after ``step``;
    the org, its records' checksum and ids from before."""
    op = step.split(".")[0]
    org = None if op == "create" else seed(where)
    before = None if org is None else (checksum(org), set(stored_ids(org)))
    prepare(op, org, settings)
    with killed_at(step), pytest.raises(Killed):
        operation(step, org, where)()
    return org, before


def _reads_before_repair(org, seeded: set[str]) -> None:
    """Within the grace nothing repairs the org yet: reads serve the whole set or refuse."""
    now = orgs.get(org.id)
    slug = now.slug if now is not None else org.slug
    record_id = min(seeded)
    assert_reads_whole(read_everything(org.id, slug, record_id), seeded, record_id)


@pytest.mark.parametrize(("step", "where"), cells())
def test_an_operation_stopped_after_any_step_is_repaired_wholly_old_or_new(
    backend, settings, step, where
):
    settings.ORG_BATCH_SIZE = 5  # several batches: the batch steps fire mid-way
    op = step.split(".")[0]
    org, before = _stop(step, where, settings)
    if org is not None:
        _reads_before_repair(org, before[1])
    reconcile(grace_seconds=0)
    assert_consistent()
    outcome = OUTCOMES[step]
    if op == "create":
        found = orgs.get_by_slug("acme-corp")
        assert (found is not None) == (outcome == "created")
        if found is not None:
            assert found.placement == where and placement.exists(placement.of(found))
    elif op in STANDING_ENDS:  # finished forward: the status, its audit event written once
        (final,) = orgs.all_orgs()
        assert final.status == outcome == STANDING_ENDS[op] and final.pending is None
        assert checksum(final) == before[0]
        assert [e["event"] for e in audit.recent(org_id=final.id)].count(EVENTS[op]) == 1
    elif op == "delete":
        assert orgs.count() == 0
        fresh = services.organization_create(
            name="Acme Corp", admin_email=EMAIL, admin_password=PASSWORD, placement=where
        )
        assert placement.count(placement.of(fresh)) == 0
    else:
        (final,) = orgs.all_orgs()
        assert (final.slug, final.name) == NAMES.get(outcome, NAMES["old"])
        assert final.placement == (MOVE_TO[where] if op == "move" else where)
        assert checksum(final) == before[0]
    assert not reconcile(grace_seconds=0).changed


@pytest.mark.parametrize(("step", "where"), cells("delete"))
def test_a_purge_stopped_after_any_step_is_finished_by_the_next_purge(
    backend, settings, step, where
):
    settings.ORG_BATCH_SIZE = 5
    settings.ORG_DELETE_RETENTION = 3600
    org = seed(where)
    record_id = min(stored_ids(org))
    services.organization_delete(org_id=org.id)
    expire(orgs.get(org.id))
    with killed_at(step), pytest.raises(Killed):
        retention.purge_expired(actor=STAFF)
    reads = read_everything(org.id, "acme-corp", record_id)
    assert all(value.status == 404 for value in reads.values()), reads

    assert retention.purge_expired(actor=STAFF) == {"acme-corp": "purged"}  # the journal's
    assert orgs.count() == 0 and purge_journal.entries() == []
    assert retention.purge_expired(actor=STAFF) == {}
    assert [e["event"] for e in audit.recent(org_id=org.id)].count("org_purged") == 1
    assert_consistent()
    fresh = services.organization_create(
        name="Acme Corp", admin_email=EMAIL, admin_password=PASSWORD, placement=where
    )
    assert placement.count(placement.of(fresh)) == 0
