"""Each function of tenancy.stores.internals does what tenancy relies on, on the pinned versions.

An upgrade of litemongo or mongomock that renames or changes a private part fails here, by name.
"""

from __future__ import annotations

import threading
from datetime import datetime
from importlib import metadata
from pathlib import Path

import litemongo
import mongomock
import pytest
from bson import ObjectId

from tenancy.stores import embedded, embedded_changes, internals, write_lock
from tenancy.stores.client import get_client, master_db


def test_the_installed_embedded_backends_are_the_pinned_versions():
    installed = {name: metadata.version(name) for name in internals.PINNED}
    assert installed == internals.PINNED


def test_the_classes_and_their_private_entries_exist():
    classes = internals.litemongo_classes()
    assert set(classes) == {"Collection", "Cursor", "Database", "MongoClient", "DatabaseStore"}
    missing = [
        f"{cls}.{name}"
        for cls, names in internals.PRIVATE_ENTRIES.items()
        for name in names
        if not callable(getattr(classes[cls], name, None))
    ]
    assert missing == []


def test_litemongo_opens_its_connections_through_the_module_given():
    from litemongo import sqlite_store

    original = sqlite_store.sqlite3
    try:
        internals.use_sqlite_module("stand-in")
        assert sqlite_store.sqlite3 == "stand-in"
    finally:
        internals.use_sqlite_module(original)


@pytest.mark.parametrize("kind", ["mongomock", "litemongo"])
def test_linear_cursors_keep_skip_and_limit(kind, tmp_path):
    internals.make_cursors_linear(kind)
    if kind == "mongomock":
        client = mongomock.MongoClient()
    else:
        client = litemongo.connect(str(tmp_path / "store"))
    try:
        things = client["probe"]["things"]
        things.insert_many([{"n": n} for n in range(5)])
        cursor = things.find({}).sort("n", 1).skip(1).limit(2)
        assert type(cursor).__next__ is internals._linear_next
        assert [d["n"] for d in cursor] == [1, 2]
        assert [d["n"] for d in things.find({}).skip(3)] == [3, 4]
        assert [d["n"] for d in things.find({}).limit(-2)] == [0, 1]
    finally:
        client.close()


def _rows(collection) -> list[tuple]:
    sql = "SELECT _id, doc FROM documents ORDER BY ROWID"
    return internals.collection_connection(collection).execute(sql).fetchall()


def test_a_collection_file_is_read_as_tenancy_expects(disk):
    things = master_db()["things"]
    ids = things.insert_many([{"n": n} for n in range(3)]).inserted_ids
    assert internals.is_litemongo_collection(things)
    assert not internals.is_litemongo_collection(mongomock.MongoClient()["p"]["c"])
    root = internals.client_root(get_client())
    assert root == Path(disk / "mongo").absolute()
    assert internals.collection_file(things) == root / things.database.name / "things"
    rows = _rows(things)
    decode = internals.row_decoder(things)
    assert [decode(raw)["_id"] for _, raw in rows] == ids
    assert internals.has_typed_keys(things)
    low, high = internals.object_id_key_range(None)
    assert all(low < key < high for key, _ in rows)
    _, below_last = internals.object_id_key_range(ids[2])
    assert [decode(raw)["n"] for key, raw in rows if low < key < below_last] == [0, 1]
    assert internals.matches({"n": {"$gt": 1}}, {"n": 2})
    assert not internals.matches({"n": {"$gt": 1}}, {"n": 1})
    assert internals.tz_aware({"at": datetime(2026, 1, 1)})["at"].tzinfo is not None  # noqa: DTZ001


def test_the_store_sees_another_connections_drop_once_refreshed(disk):
    db = master_db()
    internals.store_create(db, "kept")
    internals.store_create(db, "dropped")
    assert internals.store_has(db, "kept") and internals.store_has(db, "dropped")
    assert "dropped" in db.list_collection_names()
    other = litemongo.connect(str(disk / "mongo"))
    try:
        other[db.name]["dropped"].drop()
    finally:
        other.close()
    assert not internals.store_has(db, "dropped")
    internals.refresh_opened(db)
    assert "dropped" not in db.list_collection_names()
    internals.refresh_all_opened(get_client())
    assert internals.store_has(db, "kept")


def test_opened_collections_are_capped_and_new_files_opened_under_the_lock(disk, settings):
    roots: list[Path] = []

    def exclusive(root: Path):
        roots.append(root)
        return write_lock.exclusive(root)

    db = master_db()
    try:
        internals.cap_open_collections(8, exclusive)
        for i in range(20):
            db[f"many_{i}"].insert_one({"i": i})
        assert set(roots) == {internals.client_root(get_client())}
        assert internals.database_store_root(db._store) == internals.client_root(get_client())
        assert len(db._store._collections) <= 8
        assert [db[f"many_{i}"].find_one({})["i"] for i in range(20)] == list(range(20))
    finally:
        embedded.cap_open_collections(settings.LITEMONGO_OPEN_COLLECTIONS)


def test_a_collection_files_query_index_is_answered_through_the_hook(disk):
    things = master_db()["indexed"]
    things.create_index("n")
    things.insert_many([{"n": n} for n in range(3)])
    store = things._store  # the CollectionStore behind the collection (test only)
    connection = internals.store_connection(store)
    assert embedded_changes._has_log(connection)  # after_open ran for this file
    assert internals.store_root(store) == internals.client_root(get_client())
    key, raw = connection.execute("SELECT _id, doc FROM documents WHERE ROWID = 2").fetchone()
    assert internals.store_decode(store, raw)["n"] == 1
    assert internals.new_query_index(store).candidates({"n": 1}) == {key}
    things.find_one({"n": 2})
    index, version = internals.query_index_state(store)
    assert index is not None and isinstance(version, int)
    internals.refresh_index_paths(store, index)
    assert index.candidates({"n": 1}) == {key}
    internals.set_query_index_state(store, None, None)
    assert things.find_one({"n": 2})["n"] == 2  # rebuilt through the hook
    assert internals.query_index_state(store)[0] is not None
    internals.set_seen_change(store, 7)
    assert internals.seen_change(store) == 7


def test_a_shared_connection_is_usable_from_another_thread(disk):
    things = master_db()["threads"]
    things.insert_one({"_id": ObjectId(), "n": 1})
    found = []
    worker = threading.Thread(target=lambda: found.append(things.count_documents({})))
    worker.start()
    worker.join()
    assert found == [1]


def test_litemongo_leaves_ttl_expiry_to_the_sweep_once_deferred(tmp_path):
    internals.defer_ttl_expiry()
    client = litemongo.connect(str(tmp_path / "store"), tz_aware=True)
    try:
        windows = client["probe"]["windows"]
        windows.create_index("expires_at", expireAfterSeconds=0)
        windows.insert_one({"_id": "ended", "expires_at": datetime(2000, 1, 1)})
        assert [doc["_id"] for doc in windows.find({})] == ["ended"]
    finally:
        client.close()
