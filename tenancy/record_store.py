"""The per-tenant records handle: every query scoped to one org's records, wherever they live.

A handle is obtained only through ``for_principal``, from the org id of the authenticated
principal (never from a client-supplied id), and reads the org's placement and collection from
its document (never recomputed). The placement is hidden here: ``tenancy.placement.open_records``
gives the org's own collection, its database's collection, or its slice of the shared collection
(every filter and document scoped by ``org_id`` in tenancy.scoped). A record is stored as
``{_id: ObjectId, rev, created_at, updated_at, data: {...}}``: the ObjectId is time-ordered, so
newest first is ``_id`` descending; ids leave this module as strings.

Writes refuse an org that is not active (``OrgNotActive``): renaming, deleting or moving between
placements. A write can still race an operation that starts after that check: afterwards the org
is re-read and ``tenancy.record_moves.follow`` carries the write to wherever the org's data now
lives, so no write is lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pymongo import DESCENDING, ReturnDocument

from tenancy import orgs, placement, record_moves
from tenancy.documents import Org, aware, new_id, object_id, utcnow
from tenancy.driver_errors import translate
from tenancy.placement import Location, open_records
from tenancy.record_copy import put_if_newer
from tenancy.signals import BadCursor, OrgNotActive
from tenancy.stores import embedded
from tenancy.stores.client import engine

EXPORT_BATCH = 500


class HasOrgId(Protocol):
    org_id: str


@dataclass(frozen=True)
class Record:
    id: str
    data: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    rev: int

    @classmethod
    def from_doc(cls, doc: dict) -> Record:
        return cls(
            id=str(doc["_id"]),
            data=doc["data"],
            created_at=aware(doc["created_at"]),
            updated_at=aware(doc["updated_at"]),
            rev=doc["rev"],
        )


def _now() -> datetime:
    # BSON keeps milliseconds: answer the same timestamps a later read returns.
    now = utcnow()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def for_principal(principal: HasOrgId) -> TenantRecords | None:
    """The records of the principal's own org, or None when that org no longer exists."""
    org = orgs.get(principal.org_id)
    return TenantRecords(org) if org is not None else None


def for_org(org: Org) -> TenantRecords:
    """The records of an org the caller read already, on this request, for its principal."""
    return TenantRecords(org)


def new_record_ids(count: int) -> list[str]:
    """Ids for records about to be inserted (``TenantRecords.insert_many(ids=...)``)."""
    return [str(new_id()) for _ in range(count)]


def _equals(filters: dict[str, list[Any]]) -> dict[str, Any]:
    # Field names were validated upstream (no '$', '.', NUL); arrays never match a scalar filter.
    return {f"data.{k}": {"$in": v, "$not": {"$type": "array"}} for k, v in filters.items()}


class TenantRecords:
    """Records of one org. Construct only through ``for_principal`` or ``for_org``."""

    def __init__(self, org: Org):
        self._org = org

    @property
    def org(self) -> Org:
        return self._org

    def _collection(self, where: Location | None = None):
        return open_records(where or placement.of(self._org))

    def _writable(self) -> Location:
        """Where to write, checked right before a write."""
        if not self._org.is_active:
            raise OrgNotActive(self._org.id)
        return placement.of(self._org)

    def get(self, record_id: str, *, at: Location | None = None) -> Record | None:
        """The record, read at ``at`` (the org's placement by default)."""
        oid = object_id(record_id)
        if oid is None:
            return None
        with translate():
            doc = self._collection(at).find_one({"_id": oid})
        return Record.from_doc(doc) if doc else None

    def page(
        self,
        *,
        before: str | None,
        limit: int,
        filters: dict[str, list[Any]],
        at: Location | None = None,
    ) -> list[Record]:
        """Up to ``limit`` records, newest first, older than the record ``before``."""
        query = _equals(filters)
        oid = None
        if before is not None:
            oid = object_id(before)
            if oid is None:
                raise BadCursor(before)
        with translate():
            collection = self._collection(at)
            docs = None
            if engine() == "litemongo":  # an index range scan, not a sort of every record
                docs = embedded.newest_first(collection, query, below=oid, limit=limit)
            if docs is None:
                if oid is not None:
                    query["_id"] = {"$lt": oid}
                docs = collection.find(query).sort("_id", DESCENDING).limit(limit)
            return [Record.from_doc(d) for d in docs]

    def count(self, *, at: Location | None = None) -> int:
        with translate():
            return self._collection(at).count_documents({})

    def insert_many(
        self, items: list[dict[str, Any]], *, ids: list[str] | None = None
    ) -> list[Record]:
        """Store new records (already validated); timestamps are assigned here, and ids too
        unless given (``new_record_ids``: a caller announcing them before the write)."""
        now = _now()
        oids = [new_id() for _ in items] if ids is None else [object_id(i) for i in ids]
        docs = [
            {"_id": oid, "rev": 1, "created_at": now, "updated_at": now, "data": data}
            for oid, data in zip(oids, items, strict=True)
        ]
        where = self._writable()
        with translate():
            self._collection(where).insert_many(docs, ordered=True)

        def carry(home: Location, done: None) -> None:
            for doc in docs:
                put_if_newer(home, doc)

        ids = [d["_id"] for d in docs]
        record_moves.follow(self._org.id, where, ids=ids, carry=carry)
        return [Record.from_doc(d) for d in docs]

    def replace(
        self, record_id: str, data: dict[str, Any], *, rev: int | None = None
    ) -> Record | None:
        """Set the record's data (only if it is still at ``rev``, when given); None if no such
        record (or it changed meanwhile)."""
        oid = object_id(record_id)
        if oid is None:
            return None
        query: dict[str, Any] = {"_id": oid} if rev is None else {"_id": oid, "rev": rev}
        update = {"$set": {"data": data, "updated_at": _now()}, "$inc": {"rev": 1}}

        def write(where: Location) -> dict | None:
            return self._collection(where).find_one_and_update(
                query, update, return_document=ReturnDocument.AFTER
            )

        def carry(home: Location, done: dict | None) -> dict | None:
            # The document as written travels (idempotent); a write that found nothing (its
            # collection was renamed away) is made where the record is now.
            if done is None:
                with translate():
                    return write(home)
            put_if_newer(home, done)
            return done

        where = self._writable()
        with translate():
            doc = write(where)
        doc = record_moves.follow(self._org.id, where, ids=[oid], carry=carry, done=doc)
        return Record.from_doc(doc) if doc else None

    def delete(self, record_id: str) -> bool:
        """Remove the record; False when there was none."""
        oid = object_id(record_id)
        if oid is None:
            return False

        def write(where: Location) -> bool:
            return self._collection(where).delete_one({"_id": oid}).deleted_count > 0

        def carry(home: Location, done: bool) -> bool:
            with translate():
                return write(home) or done

        where = self._writable()
        with translate():
            deleted = write(where)
        return bool(record_moves.follow(self._org.id, where, ids=[], carry=carry, done=deleted))

    def iter_all(self, batch: int | None = None, *, at: Location | None = None) -> Iterator[Record]:
        """Every record at ``at`` (the org's placement by default), oldest first, in constant
        memory (one scan: tenancy.stores.scan). Where to read, and whether the org changed
        meanwhile, is the caller's concern (organizations.orgs.orgstate.export)."""
        where = at or placement.of(self._org)
        for doc in placement.stream(where, batch=batch or EXPORT_BATCH):
            yield Record.from_doc(doc)
