"""Repository of webhook endpoints: an org's registered URLs, their event filters, secrets and
failure streaks (organizations.webhooks holds the rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument

from tenancy.documents import aware, new_id, object_id, utcnow
from tenancy.driver_errors import translate
from tenancy.indexes import WEBHOOK_ENDPOINTS
from tenancy.stores.client import master_db


@dataclass(frozen=True)
class Endpoint:
    """One endpoint. ``secret`` signs deliveries; ``previous_secret`` signs too until
    ``previous_expires_at`` (rotation overlap). Never shown to a client after creation."""

    id: str
    org_id: str
    url: str
    events: tuple[str, ...]
    description: str
    enabled: bool
    disabled_reason: str | None
    disabled_at: datetime | None
    consecutive_failures: int
    failing_since: datetime | None
    secret: str
    previous_secret: str | None
    previous_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_doc(cls, doc: dict) -> Endpoint:
        return cls(
            id=str(doc["_id"]),
            org_id=doc["org_id"],
            url=doc["url"],
            events=tuple(doc["events"]),
            description=doc.get("description", ""),
            enabled=doc["enabled"],
            disabled_reason=doc.get("disabled_reason"),
            disabled_at=aware(doc.get("disabled_at")),
            consecutive_failures=doc.get("consecutive_failures", 0),
            failing_since=aware(doc.get("failing_since")),
            secret=doc["secret"],
            previous_secret=doc.get("previous_secret"),
            previous_expires_at=aware(doc.get("previous_expires_at")),
            created_at=aware(doc["created_at"]),
            updated_at=aware(doc["updated_at"]),
        )


def _endpoints():
    return master_db()[WEBHOOK_ENDPOINTS]


def insert(*, org_id: str, url: str, events: list[str], description: str, secret: str) -> Endpoint:
    now = utcnow()
    doc = {
        "_id": new_id(),
        "org_id": org_id,
        "url": url,
        "events": events,
        "description": description,
        "enabled": True,
        "disabled_reason": None,
        "disabled_at": None,
        "consecutive_failures": 0,
        "failing_since": None,
        "secret": secret,
        "previous_secret": None,
        "previous_expires_at": None,
        "created_at": now,
        "updated_at": now,
    }
    with translate():
        _endpoints().insert_one(doc)
    return Endpoint.from_doc(doc)


def get(endpoint_id: str, *, org_id: str) -> Endpoint | None:
    oid = object_id(endpoint_id)
    if oid is None:
        return None
    with translate():
        doc = _endpoints().find_one({"_id": oid, "org_id": org_id})
    return Endpoint.from_doc(doc) if doc else None


def for_org(org_id: str) -> list[Endpoint]:
    with translate():
        cursor = _endpoints().find({"org_id": org_id}).sort("created_at", ASCENDING)
        return [Endpoint.from_doc(d) for d in cursor]


def subscribed(org_id: str, event_type: str) -> list[Endpoint]:
    """The org's enabled endpoints whose filter names ``event_type``."""
    with translate():
        found = _endpoints().find({"org_id": org_id, "enabled": True, "events": event_type})
        return [Endpoint.from_doc(d) for d in found]


def wants(org_id: str, event_type: str) -> bool:
    """Whether any enabled endpoint of the org subscribes to ``event_type`` (opt-in events)."""
    with translate():
        query = {"org_id": org_id, "enabled": True, "events": event_type}
        return _endpoints().find_one(query, {"_id": 1}) is not None


def update(endpoint_id: str, *, org_id: str, changes: dict[str, Any]) -> Endpoint | None:
    """Apply ``changes``; the endpoint after, or None when it does not exist."""
    with translate():
        doc = _endpoints().find_one_and_update(
            {"_id": object_id(endpoint_id), "org_id": org_id},
            {"$set": {**changes, "updated_at": utcnow()}},
            return_document=ReturnDocument.AFTER,
        )
    return Endpoint.from_doc(doc) if doc else None


def delete(endpoint_id: str, *, org_id: str) -> bool:
    oid = object_id(endpoint_id)
    if oid is None:
        return False
    with translate():
        return _endpoints().delete_one({"_id": oid, "org_id": org_id}).deleted_count == 1


def record_success(endpoint_id: str) -> None:
    """A delivery succeeded: the failure streak ends."""
    with translate():
        _endpoints().update_one(
            {"_id": object_id(endpoint_id)},
            {"$set": {"consecutive_failures": 0, "failing_since": None}},
        )


def record_failure(endpoint_id: str, *, now: datetime) -> Endpoint | None:
    """A delivery failed: one more in the streak (started now if none); the endpoint after."""
    with translate():
        _endpoints().update_one(
            {"_id": object_id(endpoint_id), "failing_since": None}, {"$set": {"failing_since": now}}
        )
        doc = _endpoints().find_one_and_update(
            {"_id": object_id(endpoint_id)},
            {"$inc": {"consecutive_failures": 1}},
            return_document=ReturnDocument.AFTER,
        )
    return Endpoint.from_doc(doc) if doc else None


def disable(endpoint_id: str, *, reason: str, now: datetime) -> bool:
    """Disable the endpoint if it is enabled; True when this call disabled it."""
    with translate():
        result = _endpoints().update_one(
            {"_id": object_id(endpoint_id), "enabled": True},
            {"$set": {"enabled": False, "disabled_reason": reason, "disabled_at": now}},
        )
    return result.modified_count == 1


def delete_all_but_subscribed(org_id: str, event_type: str) -> int:
    """Delete the org's endpoints except the enabled ones subscribed to ``event_type``."""
    query = {"org_id": org_id, "$or": [{"enabled": False}, {"events": {"$ne": event_type}}]}
    with translate():
        return _endpoints().delete_many(query).deleted_count
