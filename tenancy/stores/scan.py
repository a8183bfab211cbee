"""Full scans of a collection in constant memory, on every backend.

MongoDB and mongomock: one ``find`` cursor sorted by ``_id`` (the server streams it in batches;
mongomock is in memory anyway). litemongo: the rows of the collection's file in insertion order
(tenancy.stores.embedded.stream), which for records is creation order too, because their
ObjectIds are assigned at insertion. Used for exports, moves and merges.
"""

from __future__ import annotations

from collections.abc import Iterator

from pymongo import ASCENDING

from tenancy.stores import embedded
from tenancy.stores.client import engine

BATCH = 1000


def scan(collection, query: dict | None = None) -> Iterator[dict]:
    """Every document of ``collection`` matching ``query`` (oldest first)."""
    if engine() == "litemongo":
        yield from embedded.stream(collection, query)
        return
    yield from collection.find(query or {}).sort("_id", ASCENDING).batch_size(BATCH)
