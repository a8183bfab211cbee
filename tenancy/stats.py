"""Size of an org's records: their count and data size, from the server or estimated.

On MongoDB the data size is the server's own figure: ``storageStats.size`` of the ``$collStats``
aggregation stage, summed over shards (the uncompressed BSON size of the documents), with the
``collStats`` command as a fallback for servers that refuse the stage. The embedded backends have
neither, so there the size is estimated: the average BSON size of the first ``SAMPLE`` documents
times the document count (exact when the collection holds no more than ``SAMPLE`` documents).

``records_stats`` measures one org wherever its records live (tenancy.placement): its own
collection, its own database's collection, or only its documents in the shared collection,
counted and sampled through the org-scoped handle. The server has no per-org figure for a shared
collection, so there the size is always the sample estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import bson
from pymongo.errors import OperationFailure

from tenancy import placement
from tenancy.driver_errors import translate
from tenancy.placement import Location
from tenancy.stores.client import engine, master_db

SAMPLE = 100


@dataclass(frozen=True)
class CollectionStats:
    documents: int
    data_bytes: int
    estimated: bool


def server_data_size(db, name: str) -> int | None:
    """The server's data size of collection ``name`` in ``db``; None when it cannot say."""
    try:
        shards = list(db[name].aggregate([{"$collStats": {"storageStats": {}}}]))
        return sum(int(s["storageStats"]["size"]) for s in shards)
    except OperationFailure:
        pass
    try:
        return int(db.command("collStats", name)["size"])
    except OperationFailure:
        return None


def _estimate(collection, documents: int) -> int:
    sample = [len(bson.encode(doc)) for doc in collection.find({}).limit(SAMPLE)]
    if not sample:
        return 0
    return round(sum(sample) / len(sample) * documents)


def _measure(collection, server_size: int | None) -> CollectionStats:
    documents = collection.count_documents({})
    if server_size is not None:
        return CollectionStats(documents=documents, data_bytes=server_size, estimated=False)
    return CollectionStats(
        documents=documents, data_bytes=_estimate(collection, documents), estimated=True
    )


def collection_stats(name: str, db=None) -> CollectionStats:
    """Document count and data size of collection ``name`` of ``db`` (the master database by
    default); 0 and 0 when it does not exist."""
    db = master_db() if db is None else db
    with translate():
        size = server_data_size(db, name) if engine() == "mongodb" else None
        return _measure(db[name], size)


def records_stats(where: Location) -> CollectionStats:
    """Count and data size of one org's records at ``where``, and of nothing else."""
    if where.placement != placement.SHARED:
        return collection_stats(where.collection, placement.database(where.database))
    with translate():
        return _measure(placement.open_records(where), None)
