"""The journaled steps of moving an org's records to another placement (``move_org``).

1. intent: ``status: moving``, ``pending: {op: move, phase: copying, from, to}``
   (``move.intent_recorded``). Record writes are refused with 409 ``org_busy`` (retryable)
   until the switch; reads and exports are served from the source meanwhile. Refusing is the
   simplest correct choice: a write that passed its check just before the intent is carried to
   the target by tenancy.record_moves, and the verification below catches any other difference.
2. copy in batches (``move.batch_copied`` after each, ``move.copied`` at the end): missing
   records inserted, older versions replaced, so a copy can be repeated after any interruption.
3. verify count and a checksum of every record (``move.verified``). On a difference the target
   is pruned and copied again (up to COPY_ATTEMPTS), then the move is rolled back.
4. switch: the placement fields of the target, ``status: active``, ``phase: cleanup`` in one
   update conditional on the version (``move.switched``). Writes go to the target from here.
5. remove the source (``move.source_removed``), then clear ``pending``.

Recovery (``reconcile``) rolls an interrupted move forward: one still copying starts its copy
again (idempotent), one past the switch finishes the cleanup. Every destructive step (prune,
roll back, switch) first wins a conditional update on the version, so of two processes resuming
the same move only one acts; a copy checks the version before each batch and stops when another
process advanced the move.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from kernel import failpoints
from kernel.errors import Busy, Conflict
from tenancy import orgs, placement, record_copy
from tenancy.documents import ACTIVE, MOVING, Org, utcnow
from tenancy.placement import Location

COPY_ATTEMPTS = 3


def moved(org: Org) -> Org:
    """The org as it is now, after another process advanced it first."""
    current = orgs.get(org.id)
    if current is None:
        raise Busy("The organization changed during the operation.")
    return current


def _advanced() -> Conflict:
    return Busy("Another process advanced this move.")


def begin_move(org: Org, *, to: str) -> Org:
    """Record the intent to move the org's records to placement ``to``. Raises Busy."""
    target = placement.location(placement.fields_for(to, org_id=org.id, slug=org.slug), org.id)
    pending = {
        "op": "move",
        "phase": "copying",
        "from": placement.of(org).as_dict(),
        "to": target.as_dict(),
        "started_at": utcnow(),
    }
    started = orgs.transition(
        org.id, version=org.version, changes={"status": MOVING, "pending": pending}
    )
    if started is None:
        raise _advanced()
    failpoints.hit("move.intent_recorded")
    return started


def _claim(org: Org, **changes: object) -> Org:
    """Bump the version (with ``changes`` to ``pending``) or raise: only the winner proceeds."""
    claimed = orgs.transition(
        org.id, version=org.version, changes={"pending": {**org.pending, **changes}}
    )
    if claimed is None:
        raise _advanced()
    return claimed


def _batch_hook(org: Org, on_copied: Callable[[int], None] | None) -> Callable[[int], None]:
    def copied(count: int) -> None:
        failpoints.hit("move.batch_copied")
        if on_copied is not None:
            on_copied(count)
        current = orgs.get(org.id)
        if current is None or current.version != org.version:
            raise _advanced()

    return copied


def _copy_verified(org: Org, source: Location, target: Location, on_copied) -> Org:
    batch = settings.ORG_BATCH_SIZE
    for attempt in range(1, COPY_ATTEMPTS + 1):
        if attempt > 1:
            org = _claim(org, attempt=attempt)
            record_copy.prune(source, target, batch=batch)
        placement.create(target)
        record_copy.copy(source, target, batch=batch, on_batch=_batch_hook(org, on_copied))
        failpoints.hit("move.copied")
        if record_copy.fingerprint(source, batch=batch) == record_copy.fingerprint(
            target, batch=batch
        ):
            return org
    _roll_back(org, target)
    raise Conflict("The copy did not verify; the move was rolled back.", code="move_unverified")


def _roll_back(org: Org, target: Location) -> None:
    org = _claim(org, phase="rolling_back")
    placement.remove(target, batch=settings.ORG_BATCH_SIZE)
    orgs.transition(org.id, version=org.version, changes={"status": ACTIVE, "pending": None})


def _switch(org: Org, target: Location) -> Org:
    fields = {
        "placement": target.placement,
        "collection": target.collection,
        "database": target.database,
    }
    switched = orgs.transition(
        org.id,
        version=org.version,
        changes={**fields, "status": ACTIVE, "pending": {**org.pending, "phase": "cleanup"}},
    )
    if switched is None:
        raise _advanced()
    failpoints.hit("move.switched")
    return switched


def finish_move(org: Org, *, on_copied: Callable[[int], None] | None = None) -> Org:
    """Carry the org's move forward from wherever it stopped; returns the org when done.
    Raises Conflict (``org_busy`` when another process advanced it, ``move_unverified``)."""
    step = org.pending or {}
    source, target = Location.from_dict(step["from"]), Location.from_dict(step["to"])
    if step.get("phase") == "copying":
        org = _copy_verified(org, source, target, on_copied)
        failpoints.hit("move.verified")
        org = _switch(org, target)
    if step.get("phase") == "rolling_back":
        _roll_back(org, target)
        return moved(org)
    placement.remove(source, batch=settings.ORG_BATCH_SIZE)
    failpoints.hit("move.source_removed")
    done = orgs.transition(org.id, version=org.version, changes={"pending": None})
    return done or moved(org)


def resume(org: Org) -> str:
    """Reconcile's entry point for an interrupted move."""
    before = (org.pending or {}).get("phase")
    finish_move(org)
    return "move rolled back" if before == "rolling_back" else "move finished"
