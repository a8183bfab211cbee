"""Copy an org's records between two locations in batches, and fingerprint them to verify a copy.

Used by a placement move. Documents are compared without the shared collection's ``org_id``
stamp, so a record is the same wherever it lives.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import suppress

from tenancy.driver_errors import DuplicateKeyError, translate
from tenancy.placement import Location, open_records, stream
from tenancy.scoped import SCOPE_FIELD
from tenancy.stores.scan import chunks


def unstamped(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != SCOPE_FIELD}


def batches(where: Location, size: int) -> Iterator[list[dict]]:
    """Every document of ``where``, oldest first, ``size`` at a time (tenancy.stores.scan)."""
    return chunks((unstamped(d) for d in stream(where, batch=size)), size)


def put_if_newer(where: Location, doc: dict) -> None:
    """Store ``doc`` at ``where`` unless a version at least as new (by ``rev``) is there."""
    records = open_records(where)
    doc = unstamped(doc)
    with translate():
        if records.replace_one({"_id": doc["_id"], "rev": {"$lt": doc["rev"]}}, doc).matched_count:
            return
        with suppress(DuplicateKeyError):  # the same or a newer version is already there
            records.insert_one(doc)


def copy(
    source: Location, target: Location, *, batch: int, on_batch: Callable[[int], None] | None
) -> int:
    """Copy every record of ``source`` into ``target`` (missing ones inserted, older versions
    replaced: safe to repeat); returns how many were copied. ``on_batch`` hears each batch's
    count and may raise to stop the copy."""
    records, copied = open_records(target), 0
    for docs in batches(source, batch):
        ids = [d["_id"] for d in docs]
        with translate():
            present = {d["_id"] for d in records.find({"_id": {"$in": ids}}, {"_id": 1})}
            fresh = [d for d in docs if d["_id"] not in present]
            if fresh:
                records.insert_many(fresh, ordered=True)
            for doc in docs:
                if doc["_id"] in present:
                    # Never over a newer version (a write made after a concurrent switch).
                    records.replace_one({"_id": doc["_id"], "rev": {"$lt": doc["rev"]}}, doc)
        copied += len(docs)
        if on_batch is not None:
            on_batch(len(docs))
    return copied


def fingerprint(where: Location, *, batch: int) -> tuple[int, str]:
    """(count, SHA-256 over every document in ``_id`` order) of ``where``'s records."""
    digest, count = hashlib.sha256(), 0
    for docs in batches(where, batch):
        for doc in docs:
            digest.update(json.dumps(doc, sort_keys=True, default=str).encode() + b"\n")
        count += len(docs)
    return count, digest.hexdigest()


def prune(source: Location, target: Location, *, batch: int) -> int:
    """Remove from ``target`` every record ``source`` does not have; returns how many."""
    records, kept, removed = open_records(source), open_records(target), 0
    for docs in batches(target, batch):
        ids = [d["_id"] for d in docs]
        with translate():
            present = {d["_id"] for d in records.find({"_id": {"$in": ids}}, {"_id": 1})}
            extra = [i for i in ids if i not in present]
            if extra:
                kept.delete_many({"_id": {"$in": extra}})
        removed += len(extra)
    return removed
