"""A narrow fix for the embedded backends' cursors (mongomock and litemongo's vendored copy).

Their ``Cursor.__next__`` slices the whole result list (``results[skip:][:limit]``) for every
document it returns, so iterating n documents costs O(n^2): 30,000 documents take seconds. The
patched ``__next__`` computes the results once, as before, then indexes into them, so a large
scan (export, reconcile, moves) is linear. Behaviour is otherwise unchanged: same results, same
skip/limit semantics, same StopIteration.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from tenancy.stores import embedded_threads, write_lock

_PATCHED = "_orgservice_linear_next"


def _linear_next(self):
    results = self._compute_results(with_limit_and_skip=False)
    position = self._skip + self._emitted
    if self._limit and self._emitted >= abs(self._limit):
        raise StopIteration
    if position >= len(results):
        raise StopIteration
    self._emitted += 1
    return results[position]


def _patch(cursor_class) -> None:
    if getattr(cursor_class, _PATCHED, False):
        return
    cursor_class.__next__ = _linear_next
    cursor_class.next = _linear_next
    setattr(cursor_class, _PATCHED, True)


def patch_cursor(kind: str) -> None:
    """Make the cursors of ``kind`` (litemongo or mongomock) iterate in linear time (idempotent).
    mongomock is imported only here, when MONGO_URL asks for it."""
    if kind == "mongomock":
        import mongomock.collection

        _patch(mongomock.collection.Cursor)
        return
    from litemongo._vendor.mongomock import collection as lite_collection

    _patch(lite_collection.Cursor)


# Collection existence and creation. On the embedded backends ``list_collection_names`` (which
# ``create_collection`` calls first) opens and queries every collection's file: O(number of
# orgs) per org created. Their store answers one name directly.


def _refresh_created_flag(store) -> None:
    # A litemongo collection remembers "created" (even when empty) from when its file was
    # opened; another connection's drop (a rename moving it away, in another thread or process)
    # clears the flag on disk only. Re-read it, so this connection sees the drop too.
    connection = getattr(store, "_connection", None)
    if connection is None:
        return
    row = connection.execute("SELECT value FROM info WHERE key = 'force_created'").fetchone()
    store._is_force_created = bool(row and row[0])


def has_collection(db, name: str) -> bool:
    """Whether ``name`` exists, asking the embedded store for that one name."""
    with embedded_threads.LOCK:
        opened = getattr(db._store, "_collections", {}).get(name)
        if opened is not None:
            _refresh_created_flag(opened)
        return name in db._store


def database_names(client) -> list[str]:
    """Every existing database of the client, as the store is now (other connections' drops
    included)."""
    with embedded_threads.LOCK:
        server = getattr(client, "_store", None)
        for database in list(getattr(server, "_databases", {}).values()):
            for store in list(getattr(database, "_collections", {}).values()):
                _refresh_created_flag(store)
        return client.list_database_names()


def collection_names(db) -> list[str]:
    """Every existing collection of ``db``, as the store is now (other connections' drops
    included)."""
    with embedded_threads.LOCK:
        for store in list(getattr(db._store, "_collections", {}).values()):
            _refresh_created_flag(store)
        return db.list_collection_names()


def create_collection(db, name: str) -> None:
    """Create ``name`` if missing (idempotent, like the store's own create)."""
    with embedded_threads.LOCK:
        db._store.create_collection(name)


# Streaming scans. litemongo answers every find() by reading, filtering and sorting the whole
# collection in memory, so a batched export (``_id > last`` ... ``limit 500``) re-reads the
# collection once per batch: 30,000 records took 40 s. Its store can instead stream the rows of
# the collection's SQLite file in insertion order through one cursor, in constant memory; a
# reader's cursor sees one snapshot (SQLite WAL), so a rename that empties the file meanwhile
# does not disturb it.


def stream(collection, query: dict | None = None) -> Iterator[dict]:
    """Every document of a litemongo collection matching ``query``, in insertion order. Read
    through a connection of its own: the client's connection is shared by the process's threads
    (tenancy.stores.embedded_threads), and this scan must see one snapshot while they write."""
    import sqlite3

    from litemongo._vendor.mongomock.filtering import filter_applies

    with embedded_threads.LOCK:
        store = collection._store
        path, decode = store._path, store._documents._decode_doc
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT doc FROM documents ORDER BY ROWID")
        for (raw,) in rows:
            doc = decode(raw)
            if not query or filter_applies(query, doc):
                yield doc
    finally:
        connection.close()


# Open files. litemongo keeps every collection file a client has touched open (the file, its
# WAL and shared-memory files), and a client lives per thread: with collection-per-tenant (or a
# database per org) a worker thread that touched a few thousand orgs, or a reconcile that lists
# them all, ran out of file descriptors ("unable to open database file" at 6,658 orgs under a
# 20,000 limit). Here the collections a process has open (its client is shared by its threads,
# always under tenancy.stores.embedded_threads.LOCK) are tracked least-recently-used across all its
# databases, and the oldest beyond LITEMONGO_OPEN_COLLECTIONS are closed; a closed collection is
# reopened on next use.

_open_limit = 256
_opened: OrderedDict = OrderedDict()


def _lru_collection(self, col_name):
    from litemongo.sqlite_store import CollectionStore

    store = self._collections.get(col_name)
    if store is None:
        # Opening initialises a new file (its info table); two threads or processes doing it
        # at once collided on that table ("UNIQUE constraint failed: info.key").
        with write_lock.exclusive(self._dirpath.parent):
            store = CollectionStore(self._dirpath / col_name, codec_options=self._codec_options)
        self._collections[col_name] = store
    opened = _opened
    key = (id(self), col_name)
    opened.pop(key, None)
    opened[key] = (self, col_name)  # most recently used last
    while len(opened) > _open_limit:
        _, (owner, name) = opened.popitem(last=False)
        victim = owner._collections.pop(name, None)
        if victim is not None:
            victim.close()
    return store


def cap_open_collections(limit: int) -> None:
    """Keep at most ``limit`` collection files open per thread (idempotent)."""
    from litemongo import sqlite_store

    global _open_limit
    _open_limit = max(limit, 8)  # a rename holds two collections at once, a write a few more
    sqlite_store.DatabaseStore.__getitem__ = _lru_collection


# Newest-first pages. litemongo answers ``find().sort("_id", -1).limit(50)`` by reading,
# decoding and sorting every document in Python: 2.5 s for a page of a 100,000-record org. An
# ObjectId's key in the store's file is ``o:<hex>`` (typed key format) and the key column has
# SQLite's primary-key index, where hex order is ObjectId order, so the same page is an index
# range scan that stops after ``limit`` matches.

_OBJECT_ID_KEYS = ("o:", "o;")  # every typed ObjectId key sorts between these two


def newest_first(collection, query: dict, *, below, limit: int) -> list[dict] | None:
    """Up to ``limit`` documents matching ``query`` whose ``_id`` is an ObjectId below
    ``below`` (or any), newest ``_id`` first; None when this collection cannot be read so
    (not a plain litemongo collection, or a file in litemongo's legacy key format)."""
    from litemongo._vendor.mongomock.collection import Collection
    from litemongo._vendor.mongomock.filtering import filter_applies
    from litemongo._vendor.mongomock.helpers import make_datetime_timezone_aware_in_document
    from litemongo.sqlite_store import KEY_FORMAT_TYPED

    if not isinstance(collection, Collection):
        return None
    low, high = _OBJECT_ID_KEYS
    if below is not None:
        high = f"{low}{below}"
    with embedded_threads.LOCK:
        store = collection._store
        if store._documents.key_format != KEY_FORMAT_TYPED:
            return None
        found = []
        rows = store._connection.execute(
            "SELECT doc FROM documents WHERE _id > ? AND _id < ? ORDER BY _id DESC", (low, high)
        )
        for (raw,) in rows:
            doc = make_datetime_timezone_aware_in_document(store._documents._decode_doc(raw))
            if not query or filter_applies(query, doc):
                found.append(doc)
                if len(found) >= limit:
                    break
        rows.close()
    return found


def stamp(collection) -> tuple:
    """What a collection's content is at: equal stamps mean nothing was written to it since, by
    this process (tenancy.stores.embedded_threads.GENERATIONS) or by any other connection (SQLite's
    data_version). Call with tenancy.stores.embedded_threads.LOCK held, and read after taking it."""
    store = collection._store
    version = store._connection.execute("PRAGMA data_version").fetchone()[0]
    generations = embedded_threads.GENERATIONS
    return (
        store._connection,
        version,
        generations.get(collection.full_name, 0),
        generations.get("*", 0),
    )
