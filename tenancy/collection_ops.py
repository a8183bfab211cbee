"""Tenant collection lifecycle: create, rename, drop and list ``org_*`` collections.

Every operation is idempotent so that a journaled org operation can be replayed after a crash.
Renames use the server's renameCollection (a metadata change on MongoDB). The one place that
moves documents is ``_merge``: it folds a source collection into an existing target, needed
when both exist — after litemongo died between its copy and its drop, or when a record write
raced the rename and re-created the old collection. Merging never loses a document.
"""

from __future__ import annotations

from pymongo.errors import CollectionInvalid, OperationFailure

from tenancy.driver_errors import translate
from tenancy.names import is_tenant_collection
from tenancy.stores import embedded
from tenancy.stores.client import engine, master_db

_ATTEMPTS = 3


def exists(name: str, db=None) -> bool:
    """Whether collection ``name`` exists in ``db`` (the master database by default)."""
    db = master_db() if db is None else db
    with translate():
        if engine() == "mongodb":
            return bool(db.list_collection_names(filter={"name": name}))
        return embedded.has_collection(db, name)


def create(name: str, db=None) -> None:
    """Create the tenant collection in ``db`` (the master database by default); no error if it
    exists."""
    db = master_db() if db is None else db
    with translate():
        if engine() != "mongodb":
            embedded.create_collection(db, name)
            return
        try:
            db.create_collection(name)
        except (CollectionInvalid, OperationFailure):
            if not exists(name, db):
                raise


def _merge(source: str, target: str) -> None:
    # One replace per document: this runs only in recovery, and mongomock's bulk_write does not
    # accept what pymongo 4.20's ReplaceOne sends it.
    db = master_db()
    for doc in db[source].find({}):
        db[target].replace_one({"_id": doc["_id"]}, doc, upsert=True)
    db.drop_collection(source)


def _rename_once(source: str, target: str) -> None:
    if not exists(source):
        create(target)
        return
    if exists(target):
        _merge(source, target)
        return
    master_db()[source].rename(target)


def rename(source: str, target: str) -> None:
    """Move ``source`` to ``target``; safe to repeat after any interruption, and when another
    process (reconcile) runs the same rename at the same moment: the loser of the server's
    rename sees the target exist or the source gone, and looks again."""
    with translate():
        for _ in range(_ATTEMPTS - 1):
            try:
                _rename_once(source, target)
                return
            except OperationFailure:
                continue
        _rename_once(source, target)


def drop(name: str) -> None:
    """Drop the collection and every document in it (idempotent)."""
    with translate():
        master_db().drop_collection(name)


def tenant_collections() -> set[str]:
    """Every ``org_<slug>`` collection in the master database."""
    with translate():
        db = master_db()
        mongodb = engine() == "mongodb"
        names = db.list_collection_names() if mongodb else embedded.collection_names(db)
        return {n for n in names if is_tenant_collection(n)}
