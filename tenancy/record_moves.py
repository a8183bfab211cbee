"""After a record write, carry the written documents to wherever the org's data lives now.

A write checks that the org is active, then writes to the org's collection. A rename can finish
between the two: on MongoDB the write then re-creates the old collection, and the document would
be left behind. ``follow`` re-reads the org after the write and, while its data lives elsewhere
(the renamed collection, or the target of a rename whose collection step is done), moves the
written documents there (upsert by ``_id``, then delete from the old collection) or repeats an
idempotent update there. A write whose org was deleted meanwhile is removed again. An old
collection emptied this way is an orphan that ``reconcile`` drops.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bson import ObjectId

from orgservice.errors import NotFound
from tenancy import lifecycle, orgs
from tenancy.client import master_db
from tenancy.documents import DELETING, Org
from tenancy.errors import translate


def _home(org: Org) -> str:
    step = org.pending or {}
    if step.get("op") == "rename" and lifecycle.exists(step["to_collection"]):
        return step["to_collection"]
    return org.collection


def current_home(org_id: str) -> str | None:
    """The collection the org's records live in now; None when the org is gone or going."""
    org = orgs.get(org_id)
    if org is None or org.status == DELETING:
        return None
    return _home(org)


def _move(ids: Sequence[ObjectId], source: str, target: str) -> None:
    # One upsert per document: this runs only when a write raced a rename, and mongomock's
    # bulk_write does not accept what pymongo 4.20's ReplaceOne sends it.
    db = master_db()
    for doc in db[source].find({"_id": {"$in": list(ids)}}):
        db[target].replace_one({"_id": doc["_id"]}, doc, upsert=True)
    db[source].delete_many({"_id": {"$in": list(ids)}})


def follow(
    org_id: str,
    where: str,
    *,
    moved: Sequence[ObjectId] = (),
    redo: Callable[[str], Any] | None = None,
    done: Any = None,
) -> Any:
    """Make a write to ``where`` land where the org's data lives; returns the write's result.

    ``moved`` are ids of inserted documents to carry over; ``redo`` repeats an idempotent write
    against another collection (its truthy result replaces ``done``). Raises NotFound when the
    org was deleted meanwhile (the inserted documents are removed again)."""
    while True:
        home = current_home(org_id)
        if home == where:
            return done
        with translate():
            if home is None:
                master_db()[where].delete_many({"_id": {"$in": list(moved)}})
                raise NotFound("Organization not found.", code="org_not_found")
            if moved:
                _move(moved, where, home)
            if redo is not None:
                done = redo(home) or done
        where = home
