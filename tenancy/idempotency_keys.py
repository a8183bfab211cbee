"""Repository of Idempotency-Key records: a lock while the first request runs, then its response.

A key is taken by one insert: the unique index on (scope, key) decides races, so of two requests
with one key exactly one holds it. Every change after that is conditional on the holder's random
``token``, so a request whose lock was taken over (it ran past the lock's lifetime) cannot
overwrite the result of the one that took it. A TTL index on ``expires_at`` removes a record once
its window ends; until MongoDB's TTL monitor (about once a minute) gets to it, an expired record is
treated as absent and replaced.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ReturnDocument

from tenancy.documents import aware
from tenancy.driver_errors import DuplicateKeyError, translate
from tenancy.indexes import IDEMPOTENCY_KEYS
from tenancy.stores.client import master_db

LOCKED = "locked"
DONE = "done"


def _keys():
    return master_db()[IDEMPOTENCY_KEYS]


def _fresh(doc: dict[str, Any]) -> dict[str, Any]:
    for field in ("locked_at", "created_at", "expires_at"):
        doc[field] = aware(doc.get(field))
    return doc


def claim(
    *, scope: str, key: str, fingerprint: str, token: str, now: datetime, expires_at: datetime
) -> dict[str, Any]:
    """Take the key for this request, or find who has it: the record as stored now. It carries
    ``token`` when this call took the key (the caller runs the request); else it is the live
    record another request left (locked or done). An expired record is replaced."""
    fields = {
        "fingerprint": fingerprint,
        "state": LOCKED,
        "token": token,
        "locked_at": now,
        "created_at": now,
        "expires_at": expires_at,
        "response": None,
    }
    with translate():
        while True:
            doc = {"scope": scope, "key": key, **fields}
            try:
                _keys().insert_one(doc)
                return doc
            except DuplicateKeyError:
                pass
            found = _keys().find_one({"scope": scope, "key": key})
            if found is None:
                continue  # released or expired meanwhile: insert again
            found = _fresh(found)
            if found["expires_at"] > now:
                return found
            taken = _keys().find_one_and_update(
                {"_id": found["_id"], "token": found["token"]},
                {"$set": fields},
                return_document=ReturnDocument.AFTER,
            )
            if taken is not None:
                return _fresh(taken)


def take_over(doc_id: Any, *, old_token: str, token: str, stale_before: datetime, now) -> bool:
    """Take an abandoned lock (``locked_at`` at or before ``stale_before``); True if this call
    took it."""
    with translate():
        doc = _keys().find_one_and_update(
            {
                "_id": doc_id,
                "state": LOCKED,
                "token": old_token,
                "locked_at": {"$lte": stale_before},
            },
            {"$set": {"token": token, "locked_at": now}},
        )
    return doc is not None


def complete(doc_id: Any, *, token: str, response: dict[str, Any], now: datetime) -> bool:
    """Store the response of the request holding the lock; False if it no longer holds it."""
    with translate():
        result = _keys().update_one(
            {"_id": doc_id, "state": LOCKED, "token": token},
            {"$set": {"state": DONE, "response": response, "completed_at": now}},
        )
    return result.modified_count == 1


def release(doc_id: Any, *, token: str) -> None:
    """Give the key up (nothing stored): the next request with it runs afresh."""
    with translate():
        _keys().delete_one({"_id": doc_id, "state": LOCKED, "token": token})
