"""The purge journal: one entry per org whose purge has started and not ended, so a purge killed
at any step (even after the org's document is gone) is found and finished by the next run."""

from __future__ import annotations

from tenancy.documents import utcnow
from tenancy.driver_errors import translate
from tenancy.indexes import PURGE_JOURNAL
from tenancy.stores.client import master_db


def _journal():
    return master_db()[PURGE_JOURNAL]


def begin(org_id: str, slug: str) -> None:
    """Note that the org's purge starts (idempotent)."""
    with translate():
        _journal().update_one(
            {"_id": org_id},
            {"$setOnInsert": {"slug": slug, "started_at": utcnow()}},
            upsert=True,
        )


def entries() -> list[dict]:
    """Every purge started and not ended, oldest first."""
    with translate():
        return list(_journal().find({}).sort("started_at", 1))


def end(org_id: str) -> None:
    with translate():
        _journal().delete_one({"_id": org_id})
