"""The private names of litemongo/mongomock that tenancy.stores adapts still exist and behave."""

from __future__ import annotations

import litemongo
import mongomock

from tenancy.stores import internals


def test_the_installed_embedded_backends_are_the_pinned_versions():
    assert internals.version_drift() == []


def test_every_private_class_attribute_tenancy_reaches_still_exists():
    assert internals.missing_class_attributes() == []


def _resolve(objects: dict, path: str):
    head, *rest = path.split(".")
    value = objects[head]
    for name in rest:
        value = getattr(value, name)
    return value


def test_every_private_instance_attribute_exists_on_a_live_litemongo_store(tmp_path):
    client = litemongo.connect(str(tmp_path / "store"), tz_aware=True)
    try:
        database = client["probe"]
        collection = database["things"]
        collection.insert_many([{"n": 1}, {"n": 2}, {"n": 3}])
        cursor = collection.find({}).skip(1).limit(1)
        objects = {"client": client, "database": database, "collection": collection}
        objects["cursor"] = cursor
        missing = [
            f"{path}.{name}"
            for path, names in internals.INSTANCE_REACH.items()
            for name in names
            if not hasattr(_resolve(objects, path), name)
        ]
        assert missing == []
        # _compute_results ignores skip/limit when asked to: the linear cursor relies on it.
        everything = cursor._compute_results(with_limit_and_skip=False)
        assert [doc["n"] for doc in everything] == [1, 2, 3]
        assert [doc["n"] for doc in cursor] == [2]
        raw = next(iter(collection._store._iter_items()))
        assert isinstance(raw, tuple)
    finally:
        client.close()


def test_mongomock_cursor_computes_all_results_without_skip_and_limit():
    collection = mongomock.MongoClient()["probe"]["things"]
    collection.insert_many([{"n": 1}, {"n": 2}, {"n": 3}])
    cursor = collection.find({}).skip(1).limit(1)
    assert [doc["n"] for doc in cursor._compute_results(with_limit_and_skip=False)] == [1, 2, 3]
    assert (cursor._skip, cursor._limit, cursor._emitted) == (1, 1, 0)
