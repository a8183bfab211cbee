"""Size of a tenant collection: its document count and data size, from the server or estimated.

On MongoDB the data size is the server's own figure: ``storageStats.size`` of the ``$collStats``
aggregation stage, summed over shards (the uncompressed BSON size of the documents), with the
``collStats`` command as a fallback for servers that refuse the stage. The embedded backends have
neither, so there the size is estimated: the average BSON size of the first ``SAMPLE`` documents
times the document count (exact when the collection holds no more than ``SAMPLE`` documents).
"""

from __future__ import annotations

from dataclasses import dataclass

import bson
from pymongo.errors import OperationFailure

from tenancy.client import engine, master_db
from tenancy.errors import translate

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


def collection_stats(name: str) -> CollectionStats:
    """Document count and data size of the collection (0 and 0 when it does not exist)."""
    db = master_db()
    with translate():
        documents = db[name].count_documents({})
        size = server_data_size(db, name) if engine() == "mongodb" else None
        if size is not None:
            return CollectionStats(documents=documents, data_bytes=size, estimated=False)
        return CollectionStats(
            documents=documents, data_bytes=_estimate(db[name], documents), estimated=True
        )
