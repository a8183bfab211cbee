"""Repository for org API keys: a key's id, name, scopes and expiry; only a hash of its secret.

A key is found by its public ``key_id`` (unique index); it is ``revoked`` by one conditional update.
``last_used_at`` is written at most once per ``interval`` per key, by a conditional update, so a
busy key costs one write a minute, not one per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pymongo import DESCENDING, ReturnDocument

from tenancy.documents import aware, new_id, utcnow
from tenancy.driver_errors import DuplicateKeyError, translate
from tenancy.indexes import API_KEYS
from tenancy.stores.client import master_db


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    org_id: str
    name: str
    scopes: tuple[str, ...]
    secret_hash: str
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_doc(cls, doc: dict) -> ApiKey:
        return cls(
            key_id=doc["key_id"],
            org_id=doc["org_id"],
            name=doc["name"],
            scopes=tuple(doc["scopes"]),
            secret_hash=doc["secret_hash"],
            created_by=doc["created_by"],
            created_at=aware(doc["created_at"]),
            expires_at=aware(doc.get("expires_at")),
            last_used_at=aware(doc.get("last_used_at")),
            revoked_at=aware(doc.get("revoked_at")),
        )

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


def _millis(moment: datetime) -> datetime:
    # BSON keeps milliseconds: answer at creation the times every later read returns.
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _keys():
    return master_db()[API_KEYS]


def insert(
    *,
    key_id: str,
    org_id: str,
    name: str,
    scopes: list[str],
    secret_hash: str,
    created_by: str,
    expires_at: datetime | None,
) -> ApiKey | None:
    """Store a new key; None when ``key_id`` is taken already (the unique index decides)."""
    doc = {
        "_id": new_id(),
        "key_id": key_id,
        "org_id": org_id,
        "name": name,
        "scopes": list(scopes),
        "secret_hash": secret_hash,
        "created_by": created_by,
        "created_at": _millis(utcnow()),
        "expires_at": _millis(expires_at) if expires_at else None,
        "last_used_at": None,
        "revoked_at": None,
    }
    try:
        with translate():
            _keys().insert_one(doc)
    except DuplicateKeyError:
        return None
    return ApiKey.from_doc(doc)


def get(key_id: str) -> ApiKey | None:
    with translate():
        doc = _keys().find_one({"key_id": key_id})
    return ApiKey.from_doc(doc) if doc else None


def for_org(org_id: str) -> list[ApiKey]:
    """The org's keys, revoked and expired ones included, newest first."""
    with translate():
        cursor = _keys().find({"org_id": org_id}).sort("_id", DESCENDING)
        return [ApiKey.from_doc(d) for d in cursor]


def revoke(key_id: str, *, org_id: str, by: str) -> ApiKey | None:
    """Revoke the org's key; None when it has no such key or it was revoked already."""
    with translate():
        doc = _keys().find_one_and_update(
            {"key_id": key_id, "org_id": org_id, "revoked_at": None},
            {"$set": {"revoked_at": utcnow(), "revoked_by": by}},
            return_document=ReturnDocument.AFTER,
        )
    return ApiKey.from_doc(doc) if doc else None


def touch(key_id: str, *, now: datetime, interval: timedelta) -> bool:
    """Record a use at ``now`` unless one was recorded less than ``interval`` ago; whether it
    wrote."""
    stale = {"$or": [{"last_used_at": None}, {"last_used_at": {"$lte": now - interval}}]}
    with translate():
        result = _keys().update_one({"key_id": key_id, **stale}, {"$set": {"last_used_at": now}})
    return result.modified_count == 1
