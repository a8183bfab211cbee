"""One litemongo client per process, shared by its threads under one re-entrant lock.

litemongo keeps, per client, an in-memory query index of every collection it reads, and SQLite
refuses a connection's use from another thread, so the store used to keep one client per
request thread: with gunicorn's 4 threads a worker held four copies of every index (175 MB at
10,000 orgs), and a write on one thread made the other threads' copies stale, each rebuilt from
every document on its next read. Here the connections are opened shareable and every entry into
the store (client, database, collection and cursor methods) holds one lock per process, so a
worker keeps one copy, kept current by its own writes. The store's Python work holds the GIL
anyway, so serialising it within a process costs little; processes still run in parallel.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
import types

from tenancy.stores import internals

LOCK = threading.RLock()
# Writes this process made, per collection (``db.collection``): with SQLite's data_version
# (writes by other connections) it tells whether anything read from a collection is still
# current (tenancy.stores.embedded.stamp).
GENERATIONS: dict[str, int] = {}
_CURSOR_ENTRIES = ("distinct", "count")
_installed = False


def _locked(method):
    @functools.wraps(method)
    def call(*args, **kwargs):
        with LOCK:
            return method(*args, **kwargs)

    return call


def _counted(method):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        # a collection's own writes count under its name; a database's (drop, rename) under "*"
        key = getattr(self, "full_name", "*")
        with LOCK:
            try:
                return method(self, *args, **kwargs)
            finally:
                GENERATIONS[key] = GENERATIONS.get(key, 0) + 1

    return call


def _wrap_public(cls: type, extra: tuple[str, ...] = (), writes: tuple[str, ...] = ()) -> None:
    for name, member in list(vars(cls).items()):
        if isinstance(member, (staticmethod, classmethod)) or not callable(member):
            continue
        if name in writes:
            setattr(cls, name, _counted(member))
        elif not name.startswith("_") or name in extra:
            setattr(cls, name, _locked(member))


def _shareable_sqlite() -> types.SimpleNamespace:
    """sqlite3 as litemongo sees it, with connections usable from any thread (SQLite is built
    serialized; the lock above keeps one thread in the store at a time)."""
    names = {k: getattr(sqlite3, k) for k in dir(sqlite3) if not k.startswith("__")}
    names["connect"] = functools.partial(sqlite3.connect, check_same_thread=False)
    return types.SimpleNamespace(**names)


def install() -> None:
    """Share litemongo connections across threads and lock every entry (idempotent)."""
    from tenancy.stores.write_lock import COLLECTION_WRITES

    global _installed
    if _installed:
        return
    classes, private = internals.litemongo_classes(), internals.PRIVATE_ENTRIES
    internals.use_sqlite_module(_shareable_sqlite())
    _wrap_public(classes["Collection"], private["Collection"], writes=COLLECTION_WRITES)
    _wrap_public(classes["Cursor"], private["Cursor"] + _CURSOR_ENTRIES)
    _wrap_public(
        classes["Database"],
        private["Database"],
        writes=("create_collection", "drop_collection", "rename_collection"),
    )
    _wrap_public(classes["MongoClient"], private["MongoClient"])
    _installed = True
