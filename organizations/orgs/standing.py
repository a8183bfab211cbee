"""The steps of the operations that change an org's standing without moving a record: suspend,
resume, soft_delete (a delete within ORG_DELETE_RETENTION) and restore.

Each is one journaled state change (organizations.orgs.orgstate declares and finishes them):

1. ``status_set``: the new status and its fields, and the intent (``pending`` with the audit
   event to write), in one conditional update on ``version``; from here the new status holds;
2. ``audited``: the audit event, and for suspend and soft_delete the webhook event
   (``org.suspended``, ``org.deleted``), each written once (their ids derive from the intent's);
3. ``settled``: ``pending`` cleared.

Recovery (``finish``) always goes forward from step 1: it writes the audit event (once) and
clears the intent. Records are never touched.
"""

from __future__ import annotations

from typing import Any

from kernel import failpoints
from organizations.orgs.lifecycle import changed_concurrently
from organizations.orgs.moves import moved
from organizations.orgs.step import Step
from organizations.webhooks import events
from tenancy import audit, orgs
from tenancy.documents import Org, new_id, utcnow


def _steps(status: str) -> tuple[Step, ...]:
    return (
        Step("status_set", f"{status}, with its intent", "finished forward"),
        Step("audited", "audit and webhook events written (once)", "finished forward"),
        Step("settled", "pending cleared", "done"),
    )


OPERATIONS: dict[str, tuple[Step, ...]] = {
    "suspend": _steps("suspended (reason, by, at)"),
    "resume": _steps("active, suspension cleared"),
    "soft_delete": _steps("deleted (deleted_at, purge_after)"),
    "restore": _steps("active (or suspended, if it was), deletion cleared"),
}

# The webhook event each operation announces (organizations.webhooks), and what it carries.
ANNOUNCED: dict[str, tuple[str, str]] = {
    "suspend": (events.ORG_SUSPENDED, "reason"),
    "soft_delete": (events.ORG_DELETED, "retained_until"),
}


def _announce(org: Org, step: dict[str, Any]) -> None:
    """The operation's webhook event, if it has one; its id derives from the intent's, so a
    step run again by recovery writes it once."""
    if step["op"] not in ANNOUNCED:
        return
    kind, field = ANNOUNCED[step["op"]]
    value = step["details"].get(field)
    data = {"slug": org.slug, "name": org.name, field: getattr(value, "isoformat", lambda: value)()}
    events.emit(org.id, kind, data, event_id=events.event_id(org.id, kind, step["event_id"]))


def begin(org: Org, *, op: str, changes: dict[str, Any], event: str, details: dict) -> Org:
    """Set the new standing and record the intent, if the org is still at ``org.version``.
    Raises Busy when it changed meanwhile; nothing is changed then."""
    pending = {
        "op": op,
        "started_at": utcnow(),
        "event": event,
        "event_id": new_id(),
        "details": details,
    }
    started = orgs.transition(org.id, version=org.version, changes={**changes, "pending": pending})
    if started is None:
        raise changed_concurrently()
    failpoints.hit(f"{op}.status_set")
    return started


def finish(org: Org) -> Org:
    """Write the intent's audit event (once) and clear the intent. Raises Busy when another
    process finished it first."""
    step = org.pending or {}
    op = step["op"]
    audit.record(step["event"], org_id=org.id, event_id=step["event_id"], **step["details"])
    _announce(org, step)
    failpoints.hit(f"{op}.audited")
    done = orgs.transition(org.id, version=org.version, changes={"pending": None})
    if done is None:
        return moved(org)
    failpoints.hit(f"{op}.settled")
    return done


def run(org: Org, *, op: str, changes: dict[str, Any], event: str, details: dict) -> Org:
    """The whole operation: begin, then finish."""
    return finish(begin(org, op=op, changes=changes, event=event, details=details))
