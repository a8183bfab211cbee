"""Request counters shared by every server process: fixed windows in the master database.

A hit is one atomic ``find_one_and_update`` with ``upsert`` and ``$inc`` on the document
``<scope>:<hashed key>:<window start>``, so concurrent processes never lose a count. Keys are
hashed (no email or address is stored in clear). A TTL index on ``expires_at`` (the window's end
plus one period, so that a hit landing just before the end never sees its window expire under
it) removes finished windows. A fixed window lets through at most twice the limit across a window
boundary; that is the price of one write per hit.

MongoDB applies ``$inc`` atomically; on litemongo, tenancy.stores.write_lock makes every write
(this one included) atomic across threads and processes.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime

from pymongo import ReturnDocument

from tenancy.driver_errors import DuplicateKeyError, translate
from tenancy.indexes import THROTTLE
from tenancy.stores.client import master_db


def _window_id(scope: str, key: str, start: int) -> str:
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()[:32]
    return f"{scope}:{digest}:{start}"


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
    with translate():
        expires_at = datetime.fromtimestamp(end + period, UTC)
        count = _increment(_window_id(scope, key, start), expires_at)
    if count <= limit:
        return None
    return max(1, math.ceil(end - now))
