"""The audit log in the master database: who did what, when, from where; never a secret."""

from __future__ import annotations

from typing import Any

from pymongo import DESCENDING

from tenancy.client import master_db
from tenancy.documents import utcnow
from tenancy.errors import translate
from tenancy.indexes import AUDIT


def record(event: str, *, org_id: str | None = None, **details: Any) -> None:
    """Append one event. ``details`` must never hold a password, hash or token."""
    with translate():
        master_db()[AUDIT].insert_one({"event": event, "org_id": org_id, "at": utcnow(), **details})


def recent(*, org_id: str | None = None, limit: int = 20) -> list[dict]:
    query = {} if org_id is None else {"org_id": org_id}
    with translate():
        cursor = master_db()[AUDIT].find(query, {"_id": 0}).sort("at", DESCENDING).limit(limit)
        return list(cursor)
