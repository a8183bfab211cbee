"""Settling held events: an event written held (``events.announcing``) whose writer did not
release it within WEBHOOK_HELD_GRACE_SECONDS is released if its change happened, else dropped.

Each event type has a check that reads the state the change leaves behind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings

from organizations.webhooks import events
from tenancy import admins, webhook_outbox

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


CHECKS: dict[str, Callable[[dict], dict | None]] = {
    events.MEMBER_ROLE_CHANGED: _role_changed,
    events.MEMBER_REMOVED: _removed,
    events.MEMBER_ADDED: _accepted,
    events.INVITATION_ACCEPTED: _accepted,
}


def settle(now: datetime) -> int:
    """Release or drop the events held longer than the grace; how many were settled."""
    cutoff = now - timedelta(seconds=settings.WEBHOOK_HELD_GRACE_SECONDS)
    overdue = webhook_outbox.held_since(cutoff, limit=BATCH)
    for event in overdue:
        check = CHECKS.get(event["type"])
        data = check(event) if check is not None else None
        if data is None:
            webhook_outbox.drop(event["_id"])
        else:
            webhook_outbox.release(event["_id"], data=data)
    return len(overdue)
