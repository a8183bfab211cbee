"""Every private part of litemongo and mongomock tenancy.stores relies on, behind small functions.

No other module touches a ``_``-prefixed name of these packages or imports their private modules
(tenancy/tests/test_boundaries.py scans for it); tenancy/tests/test_store_internals.py calls
each function here on live stores of the pinned versions, so an upgrade that renames or changes
one fails loudly there. Bump PINNED only together with requirements.txt.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

PINNED = {"litemongo": "0.2.0", "mongomock": "4.3.0"}


# Classes. litemongo's clients are made of a vendored copy of mongomock (litemongo._vendor).

# Private methods through which a call enters litemongo's store (locked like the public ones).
PRIVATE_ENTRIES = {
    "Collection": ("__getitem__", "_get_dataset", "_iter_documents"),
    "Cursor": ("_compute_results",),
    "Database": ("__getitem__",),
    "MongoClient": ("__getitem__",),
}


def litemongo_classes() -> dict[str, type]:
    """litemongo's Collection, Cursor, Database, MongoClient and its DatabaseStore."""
    from litemongo import sqlite_store
    from litemongo._vendor.mongomock import collection, database, mongo_client

    return {
        "Collection": collection.Collection,
        "Cursor": collection.Cursor,
        "Database": database.Database,
        "MongoClient": mongo_client.MongoClient,
        "DatabaseStore": sqlite_store.DatabaseStore,
    }


def use_sqlite_module(module: Any) -> None:
    """Make litemongo open its SQLite connections through ``module`` (a stand-in for sqlite3)."""
    from litemongo import sqlite_store

    sqlite_store.sqlite3 = module


# Cursors. mongomock's Cursor.__next__ slices the whole result list (results[skip:][:limit]) for
# every document it returns: O(n^2) for n documents. The replacement computes the results once,
# as before, then indexes into them; same results, skip/limit semantics and StopIteration.


def _linear_next(self):
    results = self._compute_results(with_limit_and_skip=False)
    position = self._skip + self._emitted
    if self._limit and self._emitted >= abs(self._limit):
        raise StopIteration
    if position >= len(results):
        raise StopIteration
    self._emitted += 1
    return results[position]


def make_cursors_linear(kind: str) -> None:
    """Give the cursors of ``kind`` (litemongo or mongomock) the linear ``__next__``.
    mongomock is imported only here, when MONGO_URL asks for it."""
    if kind == "mongomock":
        from mongomock.collection import Cursor
    else:
        from litemongo._vendor.mongomock.collection import Cursor
    Cursor.__next__ = Cursor.next = _linear_next


# A litemongo collection's file: its path, connection, rows and their format.

# Every typed ObjectId key (``o:<hex>``) of litemongo's file format sorts between these two.
_OBJECT_ID_KEYS = ("o:", "o;")


def is_litemongo_collection(collection: Any) -> bool:
    return isinstance(collection, litemongo_classes()["Collection"])


def collection_file(collection) -> Path:
    return collection._store._path


def collection_connection(collection):
    """The SQLite connection of the client's open collection file."""
    return collection._store._connection


def row_decoder(collection) -> Callable[[Any], dict]:
    """Turns a raw ``documents.doc`` value of the collection's file into its document."""
    return collection._store._documents._decode_doc


def has_typed_keys(collection) -> bool:
    """Whether the file keys ``_id``s in the typed format (ObjectIds sort as ``o:<hex>``)."""
    from litemongo.sqlite_store import KEY_FORMAT_TYPED

    return collection._store._documents.key_format == KEY_FORMAT_TYPED


def object_id_key_range(below) -> tuple[str, str]:
    """(low, high) keys bounding every ObjectId key, or those below ObjectId ``below``."""
    low, high = _OBJECT_ID_KEYS
    return low, high if below is None else f"{low}{below}"


def matches(query: dict, doc: dict) -> bool:
    from litemongo._vendor.mongomock.filtering import filter_applies

    return filter_applies(query, doc)


def tz_aware(doc: dict) -> dict:
    from litemongo._vendor.mongomock.helpers import make_datetime_timezone_aware_in_document

    return make_datetime_timezone_aware_in_document(doc)


# Databases and clients: which collections exist, and where the store lives.


def _refresh_created_flag(store) -> None:
    # A litemongo collection remembers "created" (even when empty) from when its file was
    # opened; another connection's drop (a rename moving it away) clears the flag on disk only.
    connection = getattr(store, "_connection", None)  # mongomock's stores have no file
    if connection is None:
        return
    row = connection.execute("SELECT value FROM info WHERE key = 'force_created'").fetchone()
    store._is_force_created = bool(row and row[0])


def refresh_opened(db) -> None:
    """Re-read the "created" flag of every collection file ``db`` has open."""
    for store in list(db._store._collections.values()):
        _refresh_created_flag(store)


def refresh_all_opened(client) -> None:
    """The same for every database of ``client``."""
    for database in list(client._store._databases.values()):
        for store in list(database._collections.values()):
            _refresh_created_flag(store)


def store_has(db, name: str) -> bool:
    """Whether collection ``name`` exists, asking the store for that one name."""
    opened = db._store._collections.get(name)
    if opened is not None:
        _refresh_created_flag(opened)
    return name in db._store


def store_create(db, name: str) -> None:
    """Create collection ``name`` in the store (idempotent), skipping the name listing."""
    db._store.create_collection(name)


def client_root(client) -> Path:
    """The folder holding the client's databases."""
    return client._store._dirpath


def database_store_root(store) -> Path:
    """The same folder, from one of its DatabaseStores."""
    return store._dirpath.parent


# Open files: collections a process has open, least recently used first, beyond a cap closed.

_open_limit = 256
_opened: OrderedDict = OrderedDict()


def cap_open_collections(limit: int, exclusive: Callable[[Path], AbstractContextManager]) -> None:
    """Keep at most ``limit`` collection files open; a closed one is reopened on next use.
    A new file is opened under ``exclusive(root)`` (its first open initialises it)."""
    from litemongo.sqlite_store import CollectionStore, DatabaseStore

    global _open_limit
    _open_limit = limit

    def open_collection(self, col_name):
        store = self._collections.get(col_name)
        if store is None:
            with exclusive(self._dirpath.parent):
                store = CollectionStore(self._dirpath / col_name, codec_options=self._codec_options)
            self._collections[col_name] = store
        key = (id(self), col_name)
        _opened.pop(key, None)
        _opened[key] = (self, col_name)  # most recently used last
        while len(_opened) > _open_limit:
            _, (owner, name) = _opened.popitem(last=False)
            victim = owner._collections.pop(name, None)
            if victim is not None:
                victim.close()
        return store

    DatabaseStore.__getitem__ = open_collection


# Query indexes. litemongo keeps one per collection file in memory and rebuilds it whenever the
# file's data_version moved (tenancy.stores.embedded_changes brings it up to date instead).


def hook_collection_files(
    after_open: Callable[[Any], None], query_index: Callable[[Any], Any]
) -> None:
    """Run ``after_open(store)`` when a collection file opens, and answer every store's query
    index through ``query_index(store)``."""
    from litemongo.sqlite_store import CollectionStore

    original_open = CollectionStore.open

    def open_file(self):
        original_open(self)
        after_open(self)

    CollectionStore.open = open_file
    CollectionStore._get_query_index = query_index


def store_connection(store):
    return store._connection


def store_root(store) -> Path:
    """The folder holding the databases, from a collection file's store."""
    return store._path.parent.parent


def store_decode(store, raw) -> dict:
    return store._documents._decode_doc(raw)


def new_query_index(store):
    """A query index of every document in the file, with the store's index paths."""
    from litemongo._vendor.mongomock import indexing

    index = indexing.CollectionIndexes()
    index.set_paths(indexing.index_paths(store.indexes.values()), ())
    for key, doc in store._iter_items():
        index.add(key, doc)
    return index


def refresh_index_paths(store, index) -> None:
    """Point ``index`` at the store's current index definitions."""
    from litemongo._vendor.mongomock import indexing

    index.set_paths(indexing.index_paths(store.indexes.values()), store._iter_items())


def query_index_state(store) -> tuple[Any, Any]:
    """(query index or None, data_version it was read at)."""
    return store._query_index, store._data_version


def set_query_index_state(store, index, data_version) -> None:
    store._query_index, store._data_version = index, data_version


def seen_change(store) -> int | None:
    """The last change-log entry this store's index includes (None: not known)."""
    return getattr(store, "_orgservice_seq", None)


def set_seen_change(store, seq: int) -> None:
    store._orgservice_seq = seq


# TTL indexes. litemongo's stores (its vendored mongomock) apply a TTL index by decoding every
# document of the collection on every read and write of it: O(n) per request, so a login, which
# writes the audit log and a throttle window, cost 80 ms at 10,000 orgs against 14 ms at 100.
# MongoDB's TTL monitor removes expired documents in the background, about once a minute, and
# every reader here already tolerates a document that outlived its expiry (tenancy.expiry).


def _expire_later(self) -> None:
    return None


def defer_ttl_expiry() -> None:
    """Make litemongo's on-disk stores leave TTL expiry to tenancy.expiry.sweep (mongomock's own
    in-memory stores keep their synchronous expiry)."""
    from litemongo import sqlite_store

    sqlite_store.CollectionStore._remove_expired_documents = _expire_later
