"""The embedded store shared by a process's threads, and its query indexes kept current from the
change log when another process (here: a second client on the same folder) writes."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import litemongo
import pytest
from django.conf import settings

from tenancy.indexes import ensure_master_indexes
from tenancy.stores.client import get_client, master_db, reset_clients
from tenancy.stores.embedded_changes import CHANGES


@pytest.fixture
def lite(settings, tmp_path):
    settings.MONGO_URL = ""
    settings.LITEMONGO_PATH = tmp_path / "lite"
    reset_clients()
    ensure_master_indexes()
    yield
    reset_clients()


def _other_process_client():
    """Another connection to the same files, as a second gunicorn worker has."""
    return litemongo.connect(str(settings.LITEMONGO_PATH), tz_aware=True)


def test_indexed_lookups_see_inserts_updates_and_deletes_made_elsewhere(lite):
    things = master_db()["things"]
    things.create_index("k", unique=True)
    things.insert_many([{"_id": i, "k": f"k{i}"} for i in range(50)])
    assert things.find_one({"k": "k7"})["_id"] == 7  # this process has built its index
    other = _other_process_client()[settings.MASTER_DB_NAME]["things"]
    other.insert_one({"_id": 100, "k": "new"})
    other.update_one({"_id": 7}, {"$set": {"k": "moved"}})
    other.delete_one({"_id": 8})
    assert things.find_one({"k": "new"})["_id"] == 100
    assert things.find_one({"k": "k7"}) is None
    assert things.find_one({"k": "moved"})["_id"] == 7
    assert things.find_one({"k": "k8"}) is None
    assert things.count_documents({}) == 50


def test_a_reader_behind_a_pruned_log_rebuilds_and_still_sees_every_change(lite):
    things = master_db()["things"]
    things.create_index("k")
    things.insert_many([{"_id": i, "k": "old"} for i in range(20)])
    assert len(list(things.find({"k": "old"}))) == 20
    other = _other_process_client()[settings.MASTER_DB_NAME]["things"]
    other.update_many({}, {"$set": {"k": "new"}})
    path = settings.LITEMONGO_PATH / settings.MASTER_DB_NAME / "things"
    with sqlite3.connect(path) as connection:  # the log no longer reaches back to this reader
        connection.execute(f"DELETE FROM {CHANGES} WHERE seq < (SELECT max(seq) FROM {CHANGES})")
    assert list(things.find({"k": "old"})) == []
    assert len(list(things.find({"k": "new"}))) == 20


def test_threads_share_one_client_and_see_each_others_writes(lite):
    things = master_db()["things"]
    things.create_index("k", unique=True)

    def work(worker: int) -> int:
        assert get_client() is get_client()
        for i in range(25):
            things.insert_one({"k": f"{worker}-{i}"})
            assert master_db()["things"].find_one({"k": f"{worker}-{i}"}) is not None
        return id(get_client())

    with ThreadPoolExecutor(max_workers=8) as pool:
        clients = set(pool.map(work, range(8)))
    assert len(clients) == 1
    assert things.count_documents({}) == 200


def test_a_remembered_org_lookup_never_outlives_a_write_here_or_elsewhere(lite):
    from tenancy import orgs
    from tenancy.indexes import ORGS
    from tenancy.stores import org_cache
    from tenancy.tests.test_records_handle import _org

    org = _org("cached")
    assert org_cache.get_by_slug("cached").version == 1
    orgs.transition(org.id, version=1, changes={"name": "Changed here"})
    assert org_cache.get_by_slug("cached").name == "Changed here"
    other = _other_process_client()[settings.MASTER_DB_NAME][ORGS]
    other.update_one({"slug": "cached"}, {"$set": {"name": "Changed elsewhere"}})
    assert org_cache.get_by_slug("cached").name == "Changed elsewhere"
    other.delete_one({"slug": "cached"})
    assert org_cache.get_by_slug("cached") is None


def test_the_client_follows_a_changed_store_setting_a_reset_and_a_fork(lite, settings, tmp_path):
    import os

    from tenancy.stores import internals

    first = get_client()
    assert get_client() is first
    settings.LITEMONGO_PATH = tmp_path / "elsewhere"
    second = get_client()
    assert second is not first
    assert internals.client_root(second) == tmp_path / "elsewhere"
    settings.MONGO_URL = "mongomock://"
    assert not internals.is_litemongo_collection(get_client()["db"]["c"])
    settings.MONGO_URL = ""
    third = get_client()
    assert internals.client_root(third) == tmp_path / "elsewhere"
    reset_clients()
    assert get_client() is not third

    parent = get_client()
    child = os.fork()
    if child == 0:  # a forked process never uses its parent's client
        os._exit(0 if get_client() is not parent else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
