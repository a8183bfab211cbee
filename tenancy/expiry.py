"""Removing TTL-expired master documents on the embedded store, as MongoDB's TTL monitor does.

MongoDB deletes a document of a TTL index in the background, about once a minute after it
expired. litemongo would instead scan every document of the collection on each read and write
(tenancy.stores.internals.defer_ttl_expiry turns that off), so on the embedded store this sweep
does the monitor's work: ``manage.py deliver_webhooks`` (the background worker ``make run``
starts) runs it every SWEEP_SECONDS, and ``manage.py expire_documents`` once. On MongoDB and
mongomock it does nothing: the server, or mongomock's own emulation, expires documents.

Readers never rely on the deletion itself, on any backend: a throttle window, an idempotency
key or an invitation carries its own expiry and is checked against it, so a document that lives
on until the next sweep changes no answer (it only takes room).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tenancy.documents import utcnow
from tenancy.driver_errors import translate
from tenancy.stores.client import engine, master_db

SWEEP_SECONDS = 60  # MongoDB's TTL monitor wakes once a minute


def ttl_fields(collection) -> list[tuple[str, int]]:
    """(field, expireAfterSeconds) of each single-field TTL index of ``collection``."""
    fields = []
    for spec in collection.index_information().values():
        seconds = spec.get("expireAfterSeconds")
        if seconds is not None and len(spec["key"]) == 1:
            fields.append((spec["key"][0][0], int(seconds)))
    return fields


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Delete every master document whose TTL has passed (embedded store only); returns the
    number removed per collection (collections with none removed are left out)."""
    if engine() != "litemongo":
        return {}
    now = now or utcnow()
    removed: dict[str, int] = {}
    with translate():
        db = master_db()
        for name in db.list_collection_names():
            collection = db[name]
            for field, seconds in ttl_fields(collection):
                cutoff = now - timedelta(seconds=seconds)
                count = collection.delete_many({field: {"$lte": cutoff}}).deleted_count
                if count:
                    removed[name] = removed.get(name, 0) + count
    return removed
