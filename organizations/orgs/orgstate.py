"""The org state machine: each operation's declared steps, what reads and writes do in each state,
and the one place that starts, settles and finishes operations (organizations.orgs.lifecycle and
organizations.orgs.moves hold the steps' code).

An org is at rest (``active``, ``suspended`` or ``deleted``; ``pending`` null) or in one
operation: ``pending.op`` is ``create``, ``rename``, ``delete``, ``move`` or a standing change
(``suspend``, ``resume``, ``soft_delete``, ``restore``: organizations.orgs.standing). Services
start operations here; request-time recovery (``settled``, ``settle_overdue``), ``reconcile_orgs``
and the panel finish them through ``finish``. Reads of an org's records go through ``read`` and
``export``, which serve them from wherever the records are whole or refuse with 409 ``org_busy``
(``Retry-After``), per ``ACCESS``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TypeVar

from kernel import failpoints
from kernel.errors import AppError, Busy, Conflict, NotFound
from organizations.orgs import lifecycle, moves, standing
from organizations.orgs.step import Step
from tenancy import admins, orgs, placement
from tenancy.documents import CREATING, DELETED, DELETING, SUSPENDED, Org, aware, utcnow
from tenancy.placement import Location
from tenancy.signals import Taken

T = TypeVar("T")
READ_ATTEMPTS = 3
RETRY_AFTER_SECONDS = 1


OPERATIONS: dict[str, tuple[Step, ...]] = {
    "create": (
        Step("slug_claimed", "claim the slug", "rolled back: the stale claim is released"),
        Step("org_inserted", "insert the org, creating", "rolled back: org and claim removed"),
        Step("admin_inserted", "insert the first admin", "finished"),
        Step("collection_created", "create the records' location", "finished"),
        Step("org_activated", "active, pending cleared", "done"),
    ),
    "rename": (
        Step("slug_claimed", "claim the new slug", "old name kept; the stale claim released"),
        Step("intent_recorded", "renaming, pending {from, to}", "finished forward"),
        Step("collection_renamed", "renameCollection (collection only)", "finished forward"),
        Step("metadata_updated", "new name, slug, collection; active", "finished forward"),
        Step("old_slug_released", "release the old slug", "done"),
    ),
    "delete": (
        Step("intent_recorded", "deleting", "finished forward"),
        Step("admins_removed", "remove the admins (tokens stop)", "finished forward"),
        Step("batch_removed", "remove one batch (shared only)", "finished forward"),
        Step("collection_dropped", "remove every record", "finished forward"),
        Step("org_removed", "remove the org document", "finished forward"),
        Step("slugs_released", "release its slug claims", "done"),
    ),
    "move": (
        Step("intent_recorded", "moving, pending {from, to}", "copy restarted, finished forward"),
        Step("batch_copied", "copy one batch to the target", "copy restarted, finished forward"),
        Step("copied", "every record copied", "copy restarted, finished forward"),
        Step("verified", "count and checksum equal", "copy restarted, finished forward"),
        Step("switched", "placement switched; active", "source removed, finished"),
        Step("source_removed", "remove the source", "pending cleared"),
    ),
    **standing.OPERATIONS,  # suspend, resume, soft_delete, restore
}

# What reads (get, list, export, the panel's counts) and record writes do in each state.
ACCESS: dict[str, tuple[str, str]] = {
    "at rest": ("served from its placement", "written there"),
    "create": ("404 org_not_found (not visible yet)", "404 org_not_found"),
    "rename, collection moves": ("409 org_busy + Retry-After", "409 org_busy"),
    "rename, metadata only": ("served from its placement (records stay)", "409 org_busy"),
    "delete": ("404 org_not_found (only goes forward)", "404 org_not_found"),
    "move, copying or rolling back": ("served from the source", "409 org_busy"),
    "move, switched (cleanup)": ("served from the target", "written to the target"),
    "suspended": ("served (staff); members' tokens 401 org_suspended", "401 org_suspended"),
    "deleted": ("404 org_not_found; members' tokens 401 org_deleted", "404 org_not_found"),
    "suspend, resume, restore": ("as the status already set", "as the status already set"),
    "soft_delete": ("404 org_not_found (status deleted already)", "404 org_not_found"),
}
_STANDING = {"suspend": "suspend, resume, restore", "resume": "suspend, resume, restore"}
_STANDING |= {"restore": "suspend, resume, restore", "soft_delete": "soft_delete"}


def busy(detail: str = "An operation on this organization is in progress; retry shortly.") -> Busy:
    return Busy(detail, retry_after=RETRY_AFTER_SECONDS)


def _not_found() -> NotFound:
    return NotFound("Organization not found.", code="org_not_found")


def state(org: Org) -> str:
    """The org's row in ``ACCESS``."""
    step = org.pending or {}
    op = step.get("op")
    if op is None:
        return org.status if org.status in (SUSPENDED, DELETED) else "at rest"
    if op in _STANDING:
        return _STANDING[op]
    if op == "rename":
        moving = step["from_collection"] != step["to_collection"]
        return "rename, collection moves" if moving else "rename, metadata only"
    if op == "move":
        switched = step.get("phase") == "cleanup"
        return "move, switched (cleanup)" if switched else "move, copying or rolling back"
    return op


def read_location(org: Org) -> Location:
    """Where the org's records are whole right now (``ACCESS``); raises NotFound or Busy."""
    if org.status in (CREATING, DELETING, DELETED):
        raise _not_found()
    if state(org) == "rename, collection moves":
        raise busy("The organization is being renamed; retry shortly.")
    # A move serves from placement.of until the switch moves it to the target in one update.
    return placement.of(org)


def locations(org: Org) -> list[Location]:
    """Every place the org's records are or may be: its own, and its pending operation's."""
    found = [placement.of(org)]
    step = org.pending or {}
    for key in ("from_collection", "to_collection"):
        if key in step:
            found.append(placement.location({"collection": step[key]}, org.id))
    found += [Location.from_dict(step[key]) for key in ("from", "to") if key in step]
    return found


def _current(org_id: str) -> Org:
    org = orgs.get(org_id)
    if org is None:
        raise _not_found()
    return org


def read(org_id: str, reader: Callable[[Location], T], *, known: Org | None = None) -> T:
    """``reader(location)`` where the org's records are whole, kept only if the org did not
    change meanwhile (its version), so no read can straddle a step. Raises NotFound, Busy.
    ``known``: the org as this request read it already, standing for the first read (the
    version check after the reader covers the time since)."""
    before = known if known is not None and known.id == org_id else None
    for _ in range(READ_ATTEMPTS):
        before = before or _current(org_id)
        result = reader(read_location(before))
        after = orgs.get(org_id)
        if after is not None and after.version == before.version:
            return result
        before = None
    raise busy()


def export(org_id: str, stream: Callable[[Location], Iterator[T]]) -> Iterator[T]:
    """Every record from where they are whole. The state is checked now (NotFound, Busy before
    anything is sent); if the org changes while the stream runs, the stream is cut (raises
    Busy) rather than ended, so a client never receives a complete-looking partial export."""
    org = _current(org_id)
    where = read_location(org)

    def checked() -> Iterator[T]:
        yield from stream(where)
        after = orgs.get(org_id)
        if after is None or after.version != org.version:
            raise busy("The organization changed during the export; export again.")

    return checked()


def is_overdue(org: Org, grace: timedelta | None = None) -> bool:
    """Pending longer than the grace period: the operation was interrupted."""
    started = (org.pending or {}).get("started_at")
    limit = lifecycle.grace() if grace is None else grace
    return started is None or utcnow() - aware(started) >= limit


def finish(org: Org) -> str:
    """Finish or roll back the org's pending operation (recovery column of ``OPERATIONS``);
    returns what was done. Raises Conflict when another process advanced it first."""
    op = (org.pending or {}).get("op")
    if op == "create":
        if admins.for_org(org.id):
            lifecycle.finish_create(org)
            return "create finished"
        lifecycle.undo_create(org)
        return "create rolled back"
    if op == "rename":
        lifecycle.finish_rename(org)
        return "rename finished"
    if op == "delete":
        lifecycle.finish_delete(org)
        return "delete finished"
    if op == "move":
        return moves.resume(org)
    if op in standing.OPERATIONS:
        standing.finish(org)
        return f"{op} finished"
    return "nothing pending"


def finish_overdue(org: Org, grace: timedelta | None = None) -> str:
    """What reconcile and the panel do with one org: finish its operation if it is overdue."""
    if org.pending is None:
        return "nothing to do"
    if not is_overdue(org, grace):
        return "operation still in progress (within the grace period); left alone"
    try:
        return finish(org)
    except Conflict:
        return "advanced concurrently"


def settle_overdue(org: Org) -> bool:
    """Finish the org's operation if it was interrupted (pending past the grace period); True
    when something was done. Safe against a concurrent reconcile."""
    if org.pending is None or not is_overdue(org):
        return False
    with contextlib.suppress(Conflict):  # another process advanced it first
        finish(org)
    return True


def settled(org_id: str) -> Org:
    """The org at rest, an interrupted operation finished first. Raises NotFound, Busy."""
    for _ in range(READ_ATTEMPTS):
        org = _current(org_id)
        if org.pending is None:
            return org
        if not settle_overdue(org):
            raise busy()
    raise busy()


def _live(org_id: str, *, frozen_ok: bool = False) -> Org:
    """``settled``, and not deleted: a deleted org (within its restore window) only goes
    through restore or purge (organizations.orgs.retention). A suspended org is frozen: only
    a delete may change it (``frozen_ok``). Raises NotFound, Busy, Conflict (``org_suspended``)."""
    org = settled(org_id)
    if org.status == DELETED:
        raise _not_found()
    if org.status == SUSPENDED and not frozen_ok:
        raise Conflict("The organization is suspended; resume it first.", code="org_suspended")
    return org


def create_with_admin(doc: dict, add_admin: Callable[[Org], T]) -> tuple[Org, T]:
    """Create the org from ``doc`` (its fields, placement included) with its first admin
    (``add_admin``); rolled back when ``add_admin`` raises Taken, which it re-raises."""
    org = lifecycle.begin_create(doc)
    try:
        admin = add_admin(org)
    except Taken:
        lifecycle.undo_create(org)
        raise
    failpoints.hit("create.admin_inserted")
    return lifecycle.finish_create(org), admin


def rename(
    org_id: str, *, display: str, slug: str, alongside: Callable[[], object] | None = None
) -> tuple[Org, Org]:
    """Rename the org (display name and slug); returns (before, after). ``alongside`` is a
    change that must happen with the rename or not at all: it runs once the slug is claimed
    and the intent recorded, before any record moves; when it raises an application error the
    intent is undone and the error re-raised, nothing changed. Raises NotFound, AlreadyExists
    (``org_name_taken``), Busy."""
    before = _live(org_id)
    started = lifecycle.begin_rename(before, display=display, slug=slug)
    if alongside is not None:
        try:
            alongside()
        except AppError:
            lifecycle.abandon_rename(started)
            raise
    return before, lifecycle.finish_rename(started)


def delete(org_id: str) -> Org:
    """Delete the org with every record; returns the org as it was. Raises NotFound, Busy."""
    org = _live(org_id, frozen_ok=True)
    lifecycle.finish_delete(lifecycle.begin_delete(org))
    return org


def move(
    org_id: str, *, to: str, on_copied: Callable[[int], None] | None = None
) -> tuple[Org, Org]:
    """Move the org's records to placement ``to`` (organizations.orgs.moves); returns (before,
    after), the org unchanged when it is there already. Raises NotFound, Busy, Conflict
    (``move_unverified``)."""
    org = _live(org_id)
    if org.placement == to:
        return org, org
    return org, moves.finish_move(moves.begin_move(org, to=to), on_copied=on_copied)
