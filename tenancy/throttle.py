"""Request counters shared by every server process: fixed windows in the master database.

A hit is one atomic ``find_one_and_update`` with ``upsert`` and ``$inc`` on the document
``<scope>:<hashed key>:<window start>``, so concurrent processes never lose a count. Keys are
hashed (no email or address is stored in clear). A TTL index on ``expires_at`` (the window's end)
removes finished windows. A fixed window lets through at most twice the limit across a window
boundary; that is the price of one write per hit.

MongoDB applies ``$inc`` atomically. litemongo applies an update as read-modify-write in Python
over SQLite, so two processes can lose an increment; on it, increments take an exclusive lock on
a file next to the data (``fcntl.flock``), which serializes them across threads and processes.
"""

from __future__ import annotations

import fcntl
import hashlib
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from pymongo import ReturnDocument

from tenancy.client import engine, master_db
from tenancy.errors import DuplicateKeyError, translate
from tenancy.indexes import THROTTLE


def _window_id(scope: str, key: str, start: int) -> str:
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()[:32]
    return f"{scope}:{digest}:{start}"


@contextmanager
def _serialized() -> Iterator[None]:
    if engine() != "litemongo":
        yield
        return
    path = Path(settings.LITEMONGO_PATH) / "throttle.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        yield


def _increment(doc_id: str, expires_at: datetime) -> int:
    update = {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": expires_at}}
    collection = master_db()[THROTTLE]
    try:
        doc = collection.find_one_and_update(
            {"_id": doc_id}, update, upsert=True, return_document=ReturnDocument.AFTER
        )
    except DuplicateKeyError:
        # Two first hits raced to insert the window; the loser's retry finds it and increments.
        doc = collection.find_one_and_update(
            {"_id": doc_id}, update, upsert=True, return_document=ReturnDocument.AFTER
        )
    return doc["count"]


def hit(scope: str, key: str, *, limit: int, period: int) -> int | None:
    """Count one hit of ``key`` in ``scope`` (at most ``limit`` per ``period`` seconds).

    Returns None while within the limit, else the seconds until the window ends (>= 1)."""
    now = datetime.now(UTC).timestamp()
    start = int(now // period) * period
    end = start + period
    with translate(), _serialized():
        count = _increment(_window_id(scope, key, start), datetime.fromtimestamp(end, UTC))
    if count <= limit:
        return None
    return max(1, math.ceil(end - now))

