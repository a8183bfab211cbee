"""Webhook deliveries (one per event and endpoint, claimed by workers under a lease) and the
endpoints' delivery log (one document per attempt)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument

from tenancy.documents import new_id
from tenancy.driver_errors import DuplicateKeyError, translate
from tenancy.indexes import WEBHOOK_ATTEMPTS, WEBHOOK_DELIVERIES
from tenancy.stores.client import master_db

PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"  # gave up: too many attempts, or the endpoint is disabled or gone


def _deliveries():
    return master_db()[WEBHOOK_DELIVERIES]


def _attempts():
    return master_db()[WEBHOOK_ATTEMPTS]


def add(*, delivery_id: str, event: dict, endpoint_id: str, now: datetime) -> bool:
    """Queue the event for the endpoint unless that delivery exists; True when queued now."""
    doc = {
        "_id": delivery_id,
        "event_id": event["_id"],
        "org_id": event["org_id"],
        "endpoint_id": endpoint_id,
        "status": PENDING,
        "attempts": 0,
        "next_at": now,
        "lease_until": None,
        "lease_owner": None,
        "last_error": None,
        "created_at": now,
        "updated_at": now,
    }
    with translate():
        try:
            _deliveries().insert_one(doc)
        except DuplicateKeyError:
            return False
    return True


def new_replay_id(event_id: str, endpoint_id: str) -> str:
    return f"{event_id}.{endpoint_id}.replay-{new_id()}"


def claim(*, now: datetime, lease: timedelta, owner: str) -> dict | None:
    """Take the most overdue pending delivery whose lease (if any) has expired, leased to
    ``owner`` until ``now + lease``; None when nothing is due. One atomic update, so two
    workers never hold one delivery at once."""
    with translate():
        return _deliveries().find_one_and_update(
            {
                "status": PENDING,
                "next_at": {"$lte": now},
                "$or": [{"lease_until": None}, {"lease_until": {"$lte": now}}],
            },
            {"$set": {"lease_until": now + lease, "lease_owner": owner, "updated_at": now}},
            sort=[("next_at", ASCENDING)],
            return_document=ReturnDocument.AFTER,
        )


def settle(delivery_id: str, *, owner: str, changes: dict[str, Any]) -> bool:
    """Record the outcome of an attempt and drop the lease, if ``owner`` still holds it."""
    update = {**changes, "lease_until": None, "lease_owner": None}
    with translate():
        result = _deliveries().update_one(
            {"_id": delivery_id, "lease_owner": owner}, {"$set": update, "$inc": {"attempts": 1}}
        )
    return result.modified_count == 1


def get(delivery_id: str) -> dict | None:
    with translate():
        return _deliveries().find_one({"_id": delivery_id})


def for_event(event_id: str) -> list[dict]:
    with translate():
        return list(_deliveries().find({"event_id": event_id}).sort("created_at", ASCENDING))


def log_attempt(doc: dict[str, Any]) -> None:
    with translate():
        _attempts().insert_one({"_id": new_id(), **doc})


def attempts_for(endpoint_id: str, *, limit: int) -> list[dict]:
    """The endpoint's delivery log, newest first."""
    with translate():
        cursor = _attempts().find({"endpoint_id": endpoint_id}).sort("at", DESCENDING)
        return list(cursor.limit(limit))


def delete_for_endpoint(endpoint_id: str) -> None:
    with translate():
        _deliveries().delete_many({"endpoint_id": endpoint_id, "status": PENDING})
