"""Full scans of a collection in ``_id`` order, in constant memory, on every backend.

The one place that reads a whole collection (exports, moves, merges, copy fingerprints).
MongoDB and mongomock: batches of ``find(query, _id > last).sort(_id).limit(batch)``, resumed
from the last ``_id`` seen, so no server cursor lives while a slow consumer (an HTTP export)
holds the scan. litemongo: the rows of the collection's file in insertion order
(tenancy.stores.embedded.stream), because its ``find`` reads the whole collection for every
batch; for records that is ``_id`` order too (their ObjectIds are assigned at insertion).
Scanned collections hold ObjectId ``_id``s only: ``$gt`` compares within one BSON type.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pymongo import ASCENDING

from tenancy.driver_errors import translate
from tenancy.stores import embedded
from tenancy.stores.client import engine

BATCH = 1000


def scan(collection, query: dict | None = None, *, batch: int = BATCH) -> Iterator[dict]:
    """Every document of ``collection`` matching ``query``, oldest ``_id`` first, read
    ``batch`` at a time."""
    if batch < 1:
        raise ValueError("A scan batch holds at least one document.")
    if engine() == "litemongo":
        yield from embedded.stream(collection, query)
        return
    last = None
    while True:
        with translate():
            docs = list(collection.find(_after(query, last)).sort("_id", ASCENDING).limit(batch))
        yield from docs
        if len(docs) < batch:
            return
        if last is not None and not docs[-1]["_id"] > last:
            # Loud, never a silent endless loop re-reading one batch.
            raise RuntimeError(f"The scan of {collection.name} did not advance past {last!r}.")
        last = docs[-1]["_id"]


def chunks(docs: Iterable[dict], size: int) -> Iterator[list[dict]]:
    """``docs`` (a scan) ``size`` at a time."""
    chunk: list[dict] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _after(query: dict | None, last) -> dict:
    if last is None:
        return dict(query or {})
    after = {"_id": {"$gt": last}}
    if query and "_id" in query:
        return {"$and": [query, after]}
    return {**(query or {}), **after}
