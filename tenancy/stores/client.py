"""The MongoDB client factory: one client per process, from MONGO_URL.

| MONGO_URL                      | engine                                      |
| ------------------------------ | ------------------------------------------- |
| ``mongodb://``, ``mongodb+srv://`` | pymongo (production)                    |
| unset / empty                  | litemongo on disk under LITEMONGO_PATH      |
| ``mongomock://``               | mongomock, in memory (tests)                |

Settings are read when a client is first needed, never at import time. A pymongo client is
created lazily in each process (so gunicorn's pre-fork never shares one across a fork). A
litemongo client's SQLite connections are opened shareable and its threads take turns under one
lock per process (tenancy.stores.embedded_threads).

``get_client`` answers from what it found last while nothing it depends on changed: the
process, ``reset_clients`` and the settings naming the store (``generation`` counts both).
Reading three settings on every store call was a tenth of GET /org/get's own work ([perf-2]).
"""

from __future__ import annotations

import os
import threading
from typing import Any

import pymongo
from django.conf import settings
from django.core.signals import setting_changed
from pymongo.write_concern import WriteConcern

_lock = threading.Lock()
_shared: dict[str, Any] = {}
_STORE_SETTINGS = frozenset({"MONGO_URL", "LITEMONGO_PATH", "MASTER_DB_NAME"})
_generation = 0
_last: tuple = (-1, -1, None)  # generation, process id, client


def generation() -> int:
    """A number that changes whenever the clients are reset or a store setting changes."""
    return _generation


def _store_setting_changed(*, setting: str, **_) -> None:
    global _generation
    if setting in _STORE_SETTINGS:
        _generation += 1


setting_changed.connect(_store_setting_changed)


def engine() -> str:
    """Which backend MONGO_URL selects: ``mongodb``, ``litemongo`` or ``mongomock``."""
    url = settings.MONGO_URL
    if not url:
        return "litemongo"
    if url.startswith("mongomock://"):
        return "mongomock"
    if url.startswith(("mongodb://", "mongodb+srv://")):
        return "mongodb"
    raise ValueError(f"MONGO_URL has an unknown scheme: {url.split(':', 1)[0]!r}")


def _make_pymongo() -> pymongo.MongoClient:
    return pymongo.MongoClient(
        settings.MONGO_URL,
        w="majority",
        retryWrites=True,
        serverSelectionTimeoutMS=settings.MONGO_TIMEOUT_MS,
        connectTimeoutMS=settings.MONGO_TIMEOUT_MS,
        socketTimeoutMS=settings.MONGO_TIMEOUT_MS * 2,
        maxPoolSize=settings.MONGO_MAX_POOL_SIZE,
        tz_aware=True,
        connect=False,
    )


def _make_litemongo():
    import litemongo

    from tenancy.stores import embedded, embedded_changes, embedded_threads, internals, write_lock

    embedded.patch_cursor("litemongo")
    embedded.cap_open_collections(settings.LITEMONGO_OPEN_COLLECTIONS)
    internals.defer_ttl_expiry()
    write_lock.install()
    embedded_threads.install()
    embedded_changes.install()
    return litemongo.connect(str(settings.LITEMONGO_PATH), tz_aware=True)


def _shared_client(kind: str):
    key = f"{kind}:{os.getpid()}"
    client = _shared.get(key)
    if client is None:
        with _lock:
            client = _shared.get(key)
            if client is None:
                if kind == "mongodb":
                    client = _make_pymongo()
                else:
                    import mongomock  # only when MONGO_URL says mongomock://

                    from tenancy.stores import embedded

                    embedded.patch_cursor("mongomock")
                    client = mongomock.MongoClient(tz_aware=True)
                _shared.clear()
                _shared[key] = client
    return client


def _process_client():
    """litemongo: one client per process and store folder, shared by the process's threads
    (tenancy.stores.embedded_threads makes its connections shareable and serialises its use)."""
    key = f"litemongo:{os.getpid()}:{settings.LITEMONGO_PATH}"
    client = _shared.get(key)
    if client is None:
        with _lock:
            client = _shared.get(key)
            if client is None:
                client = _make_litemongo()
                for old, stale in _shared.items():
                    if old.startswith(f"litemongo:{os.getpid()}:"):
                        stale.close()  # another folder (tests); never a parent's across fork
                _shared.clear()
                _shared[key] = client
    return client


def get_client():
    """The client for this process."""
    global _last
    known, pid = _generation, os.getpid()
    last = _last
    if last[0] == known and last[1] == pid:
        return last[2]
    kind = engine()
    client = _process_client() if kind == "litemongo" else _shared_client(kind)
    _last = (known, pid, client)  # read before: a reset meanwhile leaves it out of date
    return client


def master_db():
    """The master database, holding organizations, admins, audit and auth state."""
    db = get_client()[settings.MASTER_DB_NAME]
    if engine() == "mongodb":
        return db.with_options(write_concern=WriteConcern(w="majority"))
    return db


def reset_clients() -> None:
    """Forget every client (tests switch backends; a forked child starts clean)."""
    from tenancy.stores import write_epochs
    from tenancy.stores.embedded_threads import LOCK

    global _generation
    with LOCK, _lock:  # never under another thread's store call (store lock first, always)
        _generation += 1
        for client in _shared.values():
            client.close()
        _shared.clear()
        write_epochs.forget()


def ping() -> None:
    """Round-trip to the server; raises tenancy's Unavailable when it does not answer."""
    from tenancy.driver_errors import translate

    with translate():
        get_client().admin.command("ping")
