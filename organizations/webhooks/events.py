"""The events an org's webhooks can hear, and ``emit``: the one way to put an event in the outbox.

An event's id is derived from the operation that caused it (``event_id``), so a step that runs
again, e.g. when recovery finishes an interrupted rename, writes the same event once. Record
events are opt-in: they are written only while an endpoint of the org subscribes to them.

A change made outside the state machine is announced with ``announcing``: its event is written
held before the change and released after it, so a process dying in between leaves a held event
that the worker settles (organizations.webhooks.held) rather than no event at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings

from tenancy import webhook_endpoints, webhook_outbox
from tenancy.documents import utcnow

ORG_RENAMED = "org.renamed"
ORG_DELETED = "org.deleted"
ORG_SUSPENDED = "org.suspended"
MEMBER_ADDED = "member.added"
MEMBER_REMOVED = "member.removed"
MEMBER_ROLE_CHANGED = "member.role_changed"
INVITATION_ACCEPTED = "invitation.accepted"
RECORD_CREATED = "record.created"
RECORD_UPDATED = "record.updated"
RECORD_DELETED = "record.deleted"

# What an endpoint hears when it names no filter: everything but the opt-in record events.
DEFAULT_EVENTS: tuple[str, ...] = (
    ORG_RENAMED,
    ORG_DELETED,
    ORG_SUSPENDED,
    MEMBER_ADDED,
    MEMBER_REMOVED,
    MEMBER_ROLE_CHANGED,
    INVITATION_ACCEPTED,
)
RECORD_EVENTS: tuple[str, ...] = (RECORD_CREATED, RECORD_UPDATED, RECORD_DELETED)
EVENT_TYPES: tuple[str, ...] = DEFAULT_EVENTS + RECORD_EVENTS


def event_id(*parts: object) -> str:
    """A deterministic id (``msg_`` + 32 hex) for the operation named by ``parts``."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return f"msg_{digest[:32]}"


def emit(
    org_id: str, type: str, data: dict[str, Any], *, event_id: str, held: bool = False
) -> bool:
    """Write the event to the outbox (the delivery worker fans it out to the endpoints whose
    filter names ``type``, once released if ``held``); True when written now, False when it was
    there already."""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {type!r}")
    now = utcnow()
    purge_at = now + timedelta(days=settings.WEBHOOK_RETENTION_DAYS)
    return webhook_outbox.add(
        event_id=event_id,
        org_id=org_id,
        type=type,
        data=data,
        at=now,
        purge_at=purge_at,
        held=held,
    )


@contextmanager
def announcing(org_id: str, type: str, data: dict[str, Any], *, event_id: str) -> Iterator[dict]:
    """Write the event held, run the change (the ``with`` body, which may complete ``data``),
    then release it. A body that raises made no change: the event is dropped (if this call
    wrote it; a concurrent writer of the same id keeps its own). A process dying after the
    change leaves the event held: the worker settles it after WEBHOOK_HELD_GRACE_SECONDS."""
    with announcing_all(org_id, {event_id: (type, data)}, completed=True):
        yield data


@contextmanager
def announcing_all(
    org_id: str, announced: dict[str, tuple[str, dict[str, Any]]], *, completed: bool = False
) -> Iterator[None]:
    """``announcing`` for several events (event id -> (type, data)) of one change; with
    ``completed`` each is released with its data as the body left it (else in one update)."""
    wrote = [
        i
        for i, (type, data) in announced.items()
        if emit(org_id, type, data, event_id=i, held=True)
    ]
    try:
        yield
    except BaseException:
        if wrote:
            webhook_outbox.drop_many(wrote)
        raise
    if completed:
        released = sum(webhook_outbox.release(i, data=data) for i, (_, data) in announced.items())
    else:
        released = webhook_outbox.release_many(list(announced))
    if released < len(announced):
        # Some were dropped meanwhile (by a concurrent writer whose change failed, or settled as
        # never made while this request was slower than the grace): the change did happen.
        for i, (type, data) in announced.items():
            emit(org_id, type, data, event_id=i)


def wanted(org_id: str, type: str) -> bool:
    """Whether some endpoint of the org opted in to the record event ``type``."""
    return webhook_endpoints.wants(org_id, type)


@contextmanager
def announcing_records(
    org_id: str, type: str, changed: list[tuple[str, int | None]], *, wants: bool | None = None
) -> Iterator[None]:
    """``announcing`` for one record event per (record id, revision the change gives it), if
    some endpoint of the org opted in to ``type`` (asked once, unless ``wants`` says)."""
    if not changed or not (wanted(org_id, type) if wants is None else wants):
        yield
        return
    announced = {
        event_id(org_id, type, record_id, rev): (type, {"record_id": record_id, "rev": rev})
        for record_id, rev in changed
    }
    with announcing_all(org_id, announced):
        yield
