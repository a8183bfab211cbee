"""The audit log in the master database: who did what, when, from where; never a secret.

An event is ``{event, org_id, at, actor?, ...details}``; auth events name their member as
``admin_id`` instead of ``actor``. Events older than AUDIT_RETENTION_DAYS are removed by the TTL
index on ``at`` (tenancy.indexes, ``at_ttl``).

Every event is also written as one log line (logger ``orgservice.audit``), so lifecycle and auth
events appear in the JSON log stream next to the request that caused them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from tenancy.documents import aware, object_id, utcnow
from tenancy.driver_errors import translate
from tenancy.indexes import AUDIT
from tenancy.stores.client import master_db

_log = logging.getLogger("orgservice.audit")
EXPORT_BATCH = 500
_RESERVED = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message"}


def record(
    event: str, *, org_id: str | None = None, event_id: object = None, **details: Any
) -> None:
    """Append one event. ``details`` must never hold a password, hash or token. With
    ``event_id`` the event is written once (its ``_id``): a recovery that repeats an
    interrupted step does not record it twice."""
    doc = {"event": event, "org_id": org_id, "at": utcnow(), **details}
    if event_id is not None:
        doc["_id"] = event_id
    try:
        with translate():
            master_db()[AUDIT].insert_one(doc)
    except DuplicateKeyError:
        return  # recorded already, by the run this recovery finishes
    _log.info(event, extra={"event": event, "org_id": org_id, **_loggable(details)})


def _loggable(details: dict[str, Any]) -> dict[str, Any]:
    # LogRecord attributes (e.g. "name", "args") cannot be overridden by extras.
    return {k if k not in _RESERVED else f"detail_{k}": v for k, v in details.items()}


def recent(*, org_id: str | None = None, limit: int = 20) -> list[dict]:
    query = {} if org_id is None else {"org_id": org_id}
    with translate():
        cursor = master_db()[AUDIT].find(query, {"_id": 0}).sort("at", DESCENDING).limit(limit)
        return list(cursor)


@dataclass(frozen=True)
class AuditQuery:
    """Which events to read: all of them, or one org's; any filter may be None."""

    org_id: str | None = None
    event: str | None = None
    actor: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive


@dataclass(frozen=True)
class AuditEvent:
    id: str
    event: str
    org_id: str | None
    at: datetime
    actor: str | None
    details: dict[str, Any]

    @classmethod
    def from_doc(cls, doc: dict) -> AuditEvent:
        rest = {k: v for k, v in doc.items() if k not in ("_id", "event", "org_id", "at", "actor")}
        # Auth events (login, logout, ...) name their member as admin_id and carry no actor.
        actor = doc.get("actor", doc.get("admin_id"))
        return cls(
            id=str(doc["_id"]),
            event=doc["event"],
            org_id=doc.get("org_id"),
            at=aware(doc["at"]),
            actor=actor if isinstance(actor, str) else None,
            details=rest,
        )


def _filter(query: AuditQuery) -> list[dict]:
    parts: list[dict] = []
    if query.org_id is not None:
        parts.append({"org_id": query.org_id})
    if query.event is not None:
        parts.append({"event": query.event})
    if query.actor is not None:
        acted = [{"actor": query.actor}, {"actor": {"$exists": False}, "admin_id": query.actor}]
        parts.append({"$or": acted})
    if query.since is not None:
        parts.append({"at": {"$gte": query.since}})
    if query.until is not None:
        parts.append({"at": {"$lt": query.until}})
    return parts


def _after(position: tuple[datetime, str] | None, op: str) -> list[dict]:
    """Keyset condition: events strictly past ``position`` (at, id) in the ``op`` direction."""
    if position is None:
        return []
    at, event_id = position
    oid = object_id(event_id)
    return [{"$or": [{"at": {op: at}}, {"at": at, "_id": {op: oid}}]}]


def _find(parts: list[dict], order: int, limit: int) -> list[AuditEvent]:
    query = {"$and": parts} if parts else {}
    with translate():
        cursor = master_db()[AUDIT].find(query).sort([("at", order), ("_id", order)]).limit(limit)
        return [AuditEvent.from_doc(d) for d in cursor]


def page(query: AuditQuery, *, before: tuple[datetime, str] | None, limit: int) -> list[AuditEvent]:
    """Up to ``limit`` matching events, newest first, after the ``(at, id)`` of the last event of
    the previous page."""
    return _find(_filter(query) + _after(before, "$lt"), DESCENDING, limit)


def export(query: AuditQuery, *, batch: int = EXPORT_BATCH) -> Iterator[AuditEvent]:
    """Every matching event, oldest first, read ``batch`` at a time (no cursor held open
    between batches, so a slow client holds no database cursor)."""
    position = None
    while True:
        found = _find(_filter(query) + _after(position, "$gt"), ASCENDING, batch)
        yield from found
        if len(found) < batch:
            return
        position = (found[-1].at, found[-1].id)
