"""Pause matrix: every operation is held right after each of its steps (a step hook waiting on
an event the test holds), for every placement, on litemongo and mongomock. Meanwhile the org's
admin lists, gets and exports its records, writes one, another operation is tried and reconcile
runs; then the operation is released. Standing changes (suspend, resume, soft_delete, restore)
start from their own state (organizations.tests.steps.prepare), and purge_orgs is held after
each step of the delete it runs. No read may answer a wrong set (only the whole set, or
409 ``org_busy`` with Retry-After, or 404 for an org being created or deleted), no record is
lost or duplicated, the org ends wholly old or new, and reconcile drops nothing live.
"""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from kernel.errors import AlreadyExists, AppError
from organizations.orgs import retention, services
from organizations.orgs.reconcile import reconcile
from organizations.records import services as record_services
from organizations.tests.invariants import assert_consistent
from organizations.tests.steps import (
    MOVE_TO,
    STAFF,
    STANDING_ENDS,
    Paused,
    Principal,
    answer,
    assert_reads_whole,
    cells,
    expire,
    operation,
    prepare,
    read_everything,
    refused,
    seed,
    stored_ids,
)
from tenancy import orgs
from tenancy.documents import Org
from tenancy.record_store import Record

NAMES = {"acme-corp": "Acme Corp", "acme-two": "Acme Two", "third-name": "Third Name"}


def _org_now(op: str, org: Org | None) -> Org | None:
    return orgs.get_by_slug("acme-corp") if op == "create" else orgs.get(org.id)


def _write(org: Org, expected: set[str]) -> None:
    def create() -> Record:
        records = record_services.records_for(Principal(org.id), org.slug)
        return record_services.record_create(records, data={"written": "meanwhile"})

    written = answer(create)
    if isinstance(written, Record):
        expected.add(written.id)
    else:
        assert refused(written), written


def _another_operation(op: str, org: Org | None) -> bool:
    """Try a second operation on the same org; True when it ran (the org was at rest)."""
    if op == "create":
        other = answer(
            lambda: services.organization_create(
                name="Acme Corp", admin_email="other@acme.example", admin_password=PASSWORD
            )
        )
        assert isinstance(other, AlreadyExists) and other.code == "org_name_taken", other
        return False
    other = answer(lambda: services.organization_rename(org_id=org.id, new_name="Third Name"))
    frozen = isinstance(other, AppError) and other.code == "org_suspended"  # resume first
    assert isinstance(other, Org) or refused(other) or frozen, other
    return isinstance(other, Org)


def _reads_and_reconcile(op: str, org: Org | None, expected: set[str]) -> None:
    now = _org_now(op, org)
    if now is None:
        return
    record_id = min(expected) if expected else None
    assert_reads_whole(read_everything(now.id, now.slug, record_id), expected, record_id)
    report = reconcile()  # the default grace: the paused operation is live
    assert report.operations == {}
    assert report.dropped_collections == report.dropped_databases == []
    assert report.removed_shared_of == []
    assert_reads_whole(read_everything(now.id, now.slug, record_id), expected, record_id)


def _assert_ends_whole(
    op: str, org: Org | None, where: str, result, expected: set[str], ran: bool
) -> None:
    final = _org_now(op, org)
    if op == "delete":
        assert final is None and result is None
        return
    if op in STANDING_ENDS:  # never moves a record; the rename runs once the intent is cleared
        assert isinstance(result, Org) and result.status == STANDING_ENDS[op]
        slug = "third-name" if ran else "acme-corp"
        assert (final.status, final.pending, final.slug) == (STANDING_ENDS[op], None, slug)
        assert sorted(stored_ids(final)) == sorted(expected)
        return
    assert final is not None and final.is_active and final.pending is None
    assert NAMES[final.slug] == final.name
    ids = stored_ids(final)
    assert len(ids) == len(set(ids)) and set(ids) == expected
    if isinstance(result, AppError):
        assert ran and refused(result), result  # only the second operation may have beaten it
    if ran:
        assert final.slug == "third-name"
    elif op == "move":
        assert final.placement == MOVE_TO[where]
    elif op == "rename":
        assert final.slug == "acme-two"


@pytest.mark.parametrize(("step", "where"), cells())
def test_an_operation_paused_after_any_step_never_shows_a_wrong_set_and_ends_whole(
    backend, settings, step, where
):
    settings.ORG_BATCH_SIZE = 5  # several batches: the batch steps fire mid-way
    op = step.split(".")[0]
    bystander = seed(where, name="Bystander", email="b@bystander.example", count=4)
    org = None if op == "create" else seed(where)
    expected = set() if org is None else set(stored_ids(org))
    prepare(op, org, settings)

    paused = Paused(step, operation(step, org, where)).start()
    _reads_and_reconcile(op, org, expected)
    now = _org_now(op, org)
    if now is not None:
        _write(now, expected)
    ran = _another_operation(op, org)
    result = paused.finish()

    _assert_ends_whole(op, org, where, result, expected, ran)
    assert sorted(stored_ids(orgs.get(bystander.id))) == sorted(stored_ids(bystander))
    assert_consistent()


@pytest.mark.parametrize(("step", "where"), cells("delete"))
def test_a_purge_paused_after_any_step_shows_nothing_and_ends_gone(backend, settings, step, where):
    settings.ORG_BATCH_SIZE = 5
    settings.ORG_DELETE_RETENTION = 3600
    bystander = seed(where, name="Bystander", email="b@bystander.example", count=4)
    org = seed(where)
    record_id = min(stored_ids(org))
    services.organization_delete(org_id=org.id)
    expire(orgs.get(org.id))

    paused = Paused(step, lambda: retention.purge_expired(actor=STAFF)).start()
    reads = read_everything(org.id, "acme-corp", record_id)
    assert all(refused(value) and value.status == 404 for value in reads.values()), reads
    restored = answer(lambda: retention.organization_restore(org_id=org.id, actor=STAFF))
    assert isinstance(restored, AppError) and restored.status in (404, 409), restored
    assert reconcile().operations == {}  # the default grace: the paused purge is live
    assert paused.finish() == {"acme-corp": "purged"}

    assert orgs.get(org.id) is None and orgs.slug_claim("acme-corp") is None
    assert sorted(stored_ids(orgs.get(bystander.id))) == sorted(stored_ids(bystander))
    assert retention.purge_expired(actor=STAFF) == {}
    assert_consistent()
