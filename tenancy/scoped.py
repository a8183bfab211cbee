"""Row-level scoping: one org's view of the shared records collection, filtered in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bson import ObjectId

from tenancy.stores.scan import BATCH, scan

SCOPE_FIELD = "org_id"


class ScopedCollection:
    """One org's slice of a shared collection, and the only way the records handle reaches it.

    Every filter gets ``{"org_id": <org>}`` (replacing any ``org_id`` the caller gave, so a
    query cannot widen its scope: top-level conditions are ANDed), every written document is
    stamped with it, and an update may not touch it."""

    def __init__(self, collection: Any, org_id: ObjectId):
        self._collection = collection
        self._org_id = org_id

    @property
    def name(self) -> str:
        return self._collection.name

    def _scope(self, query: Mapping[str, Any] | None) -> dict[str, Any]:
        return {**(query or {}), SCOPE_FIELD: self._org_id}

    def _stamp(self, doc: Mapping[str, Any]) -> dict[str, Any]:
        return {**doc, SCOPE_FIELD: self._org_id}

    @staticmethod
    def _update(update: Mapping[str, Any]) -> Mapping[str, Any]:
        if any(SCOPE_FIELD in fields for fields in update.values()):
            raise ValueError("An update may not change a document's org_id.")
        return update

    def find(self, query: Mapping[str, Any] | None = None, *args: Any, **kwargs: Any):
        return self._collection.find(self._scope(query), *args, **kwargs)

    def find_one(self, query: Mapping[str, Any] | None = None, *args: Any, **kwargs: Any):
        return self._collection.find_one(self._scope(query), *args, **kwargs)

    def count_documents(self, query: Mapping[str, Any], **kwargs: Any) -> int:
        return self._collection.count_documents(self._scope(query), **kwargs)

    def insert_one(self, doc: Mapping[str, Any], **kwargs: Any):
        return self._collection.insert_one(self._stamp(doc), **kwargs)

    def insert_many(self, docs: list[Mapping[str, Any]], **kwargs: Any):
        return self._collection.insert_many([self._stamp(d) for d in docs], **kwargs)

    def replace_one(self, query: Mapping[str, Any], doc: Mapping[str, Any], **kwargs: Any):
        return self._collection.replace_one(self._scope(query), self._stamp(doc), **kwargs)

    def find_one_and_update(self, query: Mapping[str, Any], update: Mapping, **kwargs: Any):
        return self._collection.find_one_and_update(
            self._scope(query), self._update(update), **kwargs
        )

    def delete_one(self, query: Mapping[str, Any], **kwargs: Any):
        return self._collection.delete_one(self._scope(query), **kwargs)

    def delete_many(self, query: Mapping[str, Any], **kwargs: Any):
        return self._collection.delete_many(self._scope(query), **kwargs)

    def scan(self, *, batch: int = BATCH):
        """Every document of this org, oldest first, in constant memory (tenancy.stores.scan)."""
        return scan(self._collection, self._scope(None), batch=batch)
