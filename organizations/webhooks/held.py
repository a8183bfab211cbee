"""Settling held events: an event written held (``events.announcing``) whose writer did not
release it within WEBHOOK_HELD_GRACE_SECONDS is released if its change happened, else dropped.

Each event type has a check that reads the state the change leaves behind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings

from kernel.errors import Busy, NotFound
from organizations.orgs import orgstate
from organizations.webhooks import events
from tenancy import admins, record_store, webhook_outbox

BATCH = 100


def _role_changed(event: dict) -> dict | None:
    """The member has the new role (a change refused by an exception drops its event at once,
    so only a crash before the change, then another change to that role, could mislead)."""
    data = event["data"]
    admin = admins.get(data["member_id"])
    if admin is None or admin.org_id != event["org_id"] or admin.role != data["role"]:
        return None
    return data


def _removed(event: dict) -> dict | None:
    """The member is gone."""
    admin = admins.get(event["data"]["member_id"])
    return event["data"] if admin is None or admin.org_id != event["org_id"] else None


def _accepted(event: dict) -> dict | None:
    """The invited member exists (an email belongs to one member at most; its id completes the
    data). An invitation is claimed before its events are written, so none is used twice."""
    data = event["data"]
    admin = admins.get_by_email(data["email"])
    if admin is None or admin.org_id != event["org_id"]:
        return None
    return data | {"member_id": admin.id}


class _Org:
    def __init__(self, org_id: str):
        self.org_id = org_id


def _record(event: dict) -> tuple[bool, int | None]:
    """(exists, rev) of the event's record, read where the org's records are whole; raises
    Busy while an operation moves them (the event waits for the next pass)."""
    records = record_store.for_principal(_Org(event["org_id"]))
    if records is None:
        return False, None
    try:
        found = orgstate.read(
            event["org_id"], lambda at: records.get(event["data"]["record_id"], at=at)
        )
    except NotFound:
        return False, None
    return found is not None, found.rev if found is not None else None


def _record_written(event: dict) -> dict | None:
    """The record exists at (at least) the revision announced: an event keyed by (record,
    revision) is true whoever wrote that revision. A record deleted since is not told apart
    from one never written: its event is dropped (its record.deleted follows)."""
    exists, rev = _record(event)
    wanted_rev = event["data"]["rev"]
    return event["data"] if exists and rev is not None and rev >= wanted_rev else None


def _record_deleted(event: dict) -> dict | None:
    exists, _ = _record(event)
    return None if exists else event["data"]


CHECKS: dict[str, Callable[[dict], dict | None]] = {
    events.MEMBER_ROLE_CHANGED: _role_changed,
    events.MEMBER_REMOVED: _removed,
    events.MEMBER_ADDED: _accepted,
    events.INVITATION_ACCEPTED: _accepted,
    events.RECORD_CREATED: _record_written,
    events.RECORD_UPDATED: _record_written,
    events.RECORD_DELETED: _record_deleted,
}


def settle(now: datetime) -> int:
    """Release or drop the events held longer than the grace; how many were settled."""
    cutoff = now - timedelta(seconds=settings.WEBHOOK_HELD_GRACE_SECONDS)
    overdue = webhook_outbox.held_since(cutoff, limit=BATCH)
    for event in overdue:
        check = CHECKS.get(event["type"])
        try:
            data = check(event) if check is not None else None
        except Busy:
            continue  # the org's records are moving: settled on a later pass
        if data is None:
            webhook_outbox.drop(event["_id"])
        else:
            webhook_outbox.release(event["_id"], data=data)
    return len(overdue)
