"""Crash matrix in-process, on litemongo and mongomock: each operation is stopped right after
every step (a step hook raises a BaseException no service code catches, as dying there would
leave it), for every placement. Before repair, reads answer the whole set or refuse; then
reconcile finishes or undoes the operation as test_crash_matrix.OUTCOMES says (that module
kills real processes on litemongo on disk; this one covers both backends quickly).
"""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from organizations.orgs import services
from organizations.orgs.reconcile import reconcile
from organizations.tests.invariants import assert_consistent, checksum
from organizations.tests.steps import (
    EMAIL,
    MOVE_TO,
    Killed,
    assert_reads_whole,
    cells,
    killed_at,
    operation,
    read_everything,
    seed,
    stored_ids,
)
from organizations.tests.test_crash_matrix import OUTCOMES
from tenancy import orgs, placement

NAMES = {"old": ("acme-corp", "Acme Corp"), "new": ("acme-two", "Acme Two")}


def _stop(step: str, where: str):
    """Seed (except for a create), then run the operation until it is stopped after ``step``;
    the org, its records' checksum and ids from before."""
    op = step.split(".")[0]
    org = None if op == "create" else seed(where)
    before = None if org is None else (checksum(org), set(stored_ids(org)))
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
    org, before = _stop(step, where)
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
