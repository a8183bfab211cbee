"""Repository for organization documents and the slug claims that keep slugs unique.

A slug is taken by inserting a claim whose ``_id`` is the slug: MongoDB's ``_id`` uniqueness
decides races on every backend and topology. An org holds the claim of its current slug and,
while a rename is in flight, of its target slug too, so no other org can take either.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument

from tenancy.documents import ACTIVE, DELETED, Org, object_id, utcnow
from tenancy.driver_errors import translate
from tenancy.indexes import ORGS, SLUG_CLAIMS
from tenancy.signals import Taken
from tenancy.stores.client import master_db


def _orgs():
    return master_db()[ORGS]


def _claims():
    return master_db()[SLUG_CLAIMS]


def claim_slug(slug: str, org_id: str) -> None:
    """Take ``slug`` for the org; raises Taken(ORG_NAME) when another org holds it."""
    with translate(duplicate=Taken(Taken.ORG_NAME)):
        _claims().insert_one({"_id": slug, "org_id": org_id, "claimed_at": utcnow()})


def slug_claim(slug: str) -> dict | None:
    with translate():
        return _claims().find_one({"_id": slug})


def release_slug(slug: str, org_id: str) -> None:
    """Give up the claim, only if this org holds it (idempotent)."""
    with translate():
        _claims().delete_one({"_id": slug, "org_id": org_id})


def claims() -> list[dict]:
    with translate():
        return list(_claims().find({}))


def claims_of(org_id: str) -> list[dict]:
    with translate():
        return list(_claims().find({"org_id": org_id}))


def insert(doc: dict[str, Any]) -> Org:
    with translate(duplicate=Taken(Taken.ORG_NAME)):
        _orgs().insert_one(doc)
    return Org.from_doc(doc)


def get(org_id: str) -> Org | None:
    oid = object_id(org_id)
    if oid is None:
        return None
    with translate():
        doc = _orgs().find_one({"_id": oid})
    return Org.from_doc(doc) if doc else None


def get_by_slug(slug: str) -> Org | None:
    with translate():
        doc = _orgs().find_one({"slug": slug})
    return Org.from_doc(doc) if doc else None


def transition(org_id: str, *, version: int, changes: dict[str, Any]) -> Org | None:
    """Apply ``changes`` if the org is still at ``version``; the new Org, or None if it moved."""
    with translate():
        doc = _orgs().find_one_and_update(
            {"_id": object_id(org_id), "version": version},
            {"$set": {**changes, "updated_at": utcnow()}, "$inc": {"version": 1}},
            return_document=ReturnDocument.AFTER,
        )
    return Org.from_doc(doc) if doc else None


def set_metadata(org_id: str, metadata: dict[str, Any]) -> Org | None:
    """Replace the org's metadata if it is active with no operation in flight (one conditional
    update); the new Org, or None when it is missing, busy or not active."""
    with translate():
        doc = _orgs().find_one_and_update(
            {"_id": object_id(org_id), "status": ACTIVE, "pending": None},
            {"$set": {"metadata": metadata, "updated_at": utcnow()}, "$inc": {"version": 1}},
            return_document=ReturnDocument.AFTER,
        )
    return Org.from_doc(doc) if doc else None


def delete(org_id: str) -> None:
    with translate():
        _orgs().delete_one({"_id": object_id(org_id)})


def using_collection(name: str) -> list[Org]:
    """Every org whose document names master collection ``name``: as its own, or in its
    pending operation (a rename's source or target, a move's source or target)."""
    fields = ("collection", "pending.from_collection", "pending.to_collection")
    fields += ("pending.from.collection", "pending.to.collection")
    with translate():
        return [Org.from_doc(d) for d in _orgs().find({"$or": [{f: name} for f in fields]})]


def pending() -> list[Org]:
    """Every org with an operation in flight."""
    with translate():
        return [Org.from_doc(d) for d in _orgs().find({"pending": {"$ne": None}})]


def pending_count() -> int:
    """How many orgs have an operation in flight (the metrics scrape reads it)."""
    with translate():
        return _orgs().count_documents({"pending": {"$ne": None}})


def purgeable(now: datetime) -> list[Org]:
    """Orgs to purge: deleted, at rest, with a restore window that ended by ``now``."""
    expired = {"status": DELETED, "purge_after": {"$lte": now}, "pending": None}
    with translate():
        return [Org.from_doc(d) for d in _orgs().find(expired).sort("slug", ASCENDING)]


def all_orgs() -> Iterator[Org]:
    with translate():
        for doc in _orgs().find({}).sort("slug", ASCENDING):
            yield Org.from_doc(doc)


def count() -> int:
    with translate():
        return _orgs().count_documents({})
