"""The webhook outbox in the master database: one document per event, keyed by its
deterministic id, so a step that runs again (recovery) writes the same event once. An event
written ``held`` (before the change it reports) is not fanned out until it is released."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING

from tenancy.driver_errors import DuplicateKeyError, translate
from tenancy.indexes import WEBHOOK_EVENTS
from tenancy.stores.client import master_db


def _events():
    return master_db()[WEBHOOK_EVENTS]


def add(
    *,
    event_id: str,
    org_id: str,
    type: str,
    data: dict[str, Any],
    at: datetime,
    purge_at: datetime,
    held: bool = False,
) -> bool:
    """Write the event unless it is there already; True when this call wrote it. A ``held``
    event waits for ``release`` (or ``drop``) before it is fanned out."""
    doc = {
        "_id": event_id,
        "org_id": org_id,
        "type": type,
        "data": data,
        "created_at": at,
        "fanned_out": False,
        "purge_at": purge_at,
    }
    if held:
        doc |= {"held": True, "held_at": at}
    with translate():
        try:
            _events().insert_one(doc)
        except DuplicateKeyError:
            return False
    return True


def get(event_id: str, *, org_id: str) -> dict | None:
    """The released event (a held one is not told, replayed or delivered yet)."""
    if not isinstance(event_id, str):
        return None
    with translate():
        return _events().find_one({"_id": event_id, "org_id": org_id, "held": {"$ne": True}})


def count(org_id: str, *, type: str | None = None) -> int:
    query = {"org_id": org_id} if type is None else {"org_id": org_id, "type": type}
    with translate():
        return _events().count_documents(query)


def recent(org_id: str, *, limit: int) -> list[dict]:
    with translate():
        query = {"org_id": org_id, "held": {"$ne": True}}
        cursor = _events().find(query).sort("created_at", DESCENDING).limit(limit)
        return list(cursor)


def not_fanned_out(*, limit: int) -> list[dict]:
    """Events whose deliveries are not all written yet, oldest first."""
    with translate():
        query = {"fanned_out": False, "held": {"$ne": True}}
        cursor = _events().find(query).sort("created_at", ASCENDING).limit(limit)
        return list(cursor)


def held_since(cutoff: datetime, *, limit: int) -> list[dict]:
    """Events held since before ``cutoff`` (their writer may have died), oldest first."""
    with translate():
        query = {"held": True, "held_at": {"$lt": cutoff}}
        return list(_events().find(query).sort("held_at", ASCENDING).limit(limit))


def release(event_id: str, *, data: dict[str, Any] | None = None) -> bool:
    """Let a held event be fanned out (with ``data`` in place of what it was written with);
    False when it is not held (released already, or dropped)."""
    update: dict[str, Any] = {"$unset": {"held": "", "held_at": ""}}
    if data is not None:
        update["$set"] = {"data": data}
    with translate():
        result = _events().update_one({"_id": event_id, "held": True}, update)
    return result.modified_count == 1


def drop(event_id: str) -> bool:
    """Delete a held event whose change did not happen; False when it is not held."""
    with translate():
        return _events().delete_one({"_id": event_id, "held": True}).deleted_count == 1


def mark_fanned_out(event_id: str) -> None:
    with translate():
        _events().update_one({"_id": event_id}, {"$set": {"fanned_out": True}})


def release_many(event_ids: list[str]) -> int:
    """``release`` for many events at once; how many were held."""
    with translate():
        query = {"_id": {"$in": event_ids}, "held": True}
        return _events().update_many(query, {"$unset": {"held": "", "held_at": ""}}).modified_count


def drop_many(event_ids: list[str]) -> None:
    with translate():
        _events().delete_many({"_id": {"$in": event_ids}, "held": True})
