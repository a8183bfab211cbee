"""What the embedded backends (litemongo, mongomock) need beyond their public API, made fast.

Their private parts are reached only through tenancy.stores.internals; this module says why each
adaptation exists and keeps the process's store lock around it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from tenancy.stores import embedded_threads, internals, write_lock


def patch_cursor(kind: str) -> None:
    """Make the cursors of ``kind`` (litemongo or mongomock) iterate in linear time: their
    ``__next__`` slices the whole result list for every document, so a large scan (reconcile,
    listings) took seconds at 30,000 documents (idempotent)."""
    internals.make_cursors_linear(kind)


# Collection existence and creation. On the embedded backends ``list_collection_names`` (which
# ``create_collection`` calls first) opens and queries every collection's file: O(number of
# orgs) per org created. Their store answers one name directly. A collection file remembers
# "created" from when it was opened: the flag is re-read, so another connection's drop (a
# rename moving it away, in another thread or process) shows here too.


def has_collection(db, name: str) -> bool:
    """Whether ``name`` exists, asking the embedded store for that one name."""
    with embedded_threads.LOCK:
        return internals.store_has(db, name)


def database_names(client) -> list[str]:
    """Every existing database of the client, as the store is now (other connections' drops
    included)."""
    with embedded_threads.LOCK:
        internals.refresh_all_opened(client)
        return client.list_database_names()


def collection_names(db) -> list[str]:
    """Every existing collection of ``db``, as the store is now (other connections' drops
    included)."""
    with embedded_threads.LOCK:
        internals.refresh_opened(db)
        return db.list_collection_names()


def create_collection(db, name: str) -> None:
    """Create ``name`` if missing (idempotent, like the store's own create)."""
    with embedded_threads.LOCK:
        internals.store_create(db, name)


# Streaming scans. litemongo answers every find() by reading, filtering and sorting the whole
# collection in memory, so a batched export (``_id > last`` ... ``limit 500``) re-reads the
# collection once per batch: 30,000 records took 40 s. The collection's SQLite file can instead
# be streamed in insertion order through one cursor, in constant memory; a reader's cursor sees
# one snapshot (SQLite WAL), so a rename that empties the file meanwhile does not disturb it.


def stream(collection, query: dict | None = None) -> Iterator[dict]:
    """Every document of a litemongo collection matching ``query``, in insertion order. Read
    through a connection of its own: the client's connection is shared by the process's threads
    (tenancy.stores.embedded_threads), and this scan must see one snapshot while they write."""
    with embedded_threads.LOCK:
        path, decode = internals.collection_file(collection), internals.row_decoder(collection)
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT doc FROM documents ORDER BY ROWID")
        for (raw,) in rows:
            doc = decode(raw)
            if not query or internals.matches(query, doc):
                yield doc
    finally:
        connection.close()


# Open files. litemongo keeps every collection file a client has touched open (the file, its
# WAL and shared-memory files): with collection-per-tenant (or a database per org) a worker that
# touched a few thousand orgs, or a reconcile that lists them all, ran out of file descriptors
# ("unable to open database file" at 6,658 orgs under a 20,000 limit). The collections a process
# has open (its client is shared by its threads, always under embedded_threads.LOCK) are tracked
# least-recently-used across all its databases; the oldest beyond LITEMONGO_OPEN_COLLECTIONS
# are closed. Opening initialises a new file (its info table): two threads or processes doing
# it at once collided on that table ("UNIQUE constraint failed: info.key"), hence the write lock.


def cap_open_collections(limit: int) -> None:
    """Keep at most ``limit`` collection files open per process (idempotent)."""
    # a rename holds two collections at once, a write a few more
    internals.cap_open_collections(max(limit, 8), write_lock.exclusive)


# Newest-first pages. litemongo answers ``find().sort("_id", -1).limit(50)`` by reading,
# decoding and sorting every document in Python: 2.5 s for a page of a 100,000-record org. An
# ObjectId's key in the store's file is ``o:<hex>`` (typed key format) and the key column has
# SQLite's primary-key index, where hex order is ObjectId order, so the same page is an index
# range scan that stops after ``limit`` matches.


def newest_first(collection, query: dict, *, below, limit: int) -> list[dict] | None:
    """Up to ``limit`` documents matching ``query`` whose ``_id`` is an ObjectId below
    ``below`` (or any), newest ``_id`` first; None when this collection cannot be read so
    (not a plain litemongo collection, or a file in litemongo's legacy key format)."""
    if not internals.is_litemongo_collection(collection):
        return None
    low, high = internals.object_id_key_range(below)
    with embedded_threads.LOCK:
        if not internals.has_typed_keys(collection):
            return None
        found, decode = [], internals.row_decoder(collection)
        rows = internals.collection_connection(collection).execute(
            "SELECT doc FROM documents WHERE _id > ? AND _id < ? ORDER BY _id DESC", (low, high)
        )
        for (raw,) in rows:
            doc = internals.tz_aware(decode(raw))
            if not query or internals.matches(query, doc):
                found.append(doc)
                if len(found) >= limit:
                    break
        rows.close()
    return found


def stamp(collection) -> tuple:
    """What a collection's content is at: equal stamps mean nothing was written to it since, by
    this process (tenancy.stores.embedded_threads.GENERATIONS) or by any other connection (SQLite's
    data_version). Call with tenancy.stores.embedded_threads.LOCK held, and read after taking it."""
    connection = internals.collection_connection(collection)
    version = connection.execute("PRAGMA data_version").fetchone()[0]
    generations = embedded_threads.GENERATIONS
    return (
        connection,
        version,
        generations.get(collection.full_name, 0),
        generations.get("*", 0),
    )
