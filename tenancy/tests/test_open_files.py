"""litemongo keeps a bounded number of collection files open per client, reopening on use."""

import os

from tenancy import collection_ops
from tenancy.stores.client import master_db, reset_clients
from tenancy.stores.scan import scan


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_touching_many_collections_keeps_few_files_open_and_loses_nothing(disk, settings):
    settings.LITEMONGO_OPEN_COLLECTIONS = 20
    reset_clients()
    db = master_db()
    db["organizations"].find_one({})
    before = _open_fds()
    for i in range(150):
        db[f"org_tenant-{i:03d}"].insert_one({"i": i})
    assert _open_fds() - before < 3 * 20 + 10
    assert len(collection_ops.tenant_collections()) == 150
    assert [db[f"org_tenant-{i:03d}"].find_one({})["i"] for i in range(150)] == list(range(150))
    assert _open_fds() - before < 3 * 20 + 10


def test_a_stream_survives_other_collections_being_opened_after_it(disk, settings):
    settings.LITEMONGO_OPEN_COLLECTIONS = 20
    reset_clients()
    db = master_db()
    db["org_big"].insert_many([{"n": n} for n in range(50)])
    stream = scan(db["org_big"])
    head = [next(stream)["n"] for _ in range(10)]
    db["org_other"].insert_one({"n": -1})
    assert head + [d["n"] for d in stream] == list(range(50))


def test_touching_many_databases_keeps_few_files_open(disk, settings):
    settings.LITEMONGO_OPEN_COLLECTIONS = 20
    reset_clients()
    client = master_db().client
    client["master_probe"]["c"].find_one({})
    before = _open_fds()
    for i in range(100):
        client[f"orgdb_{i:03d}"]["records"].insert_one({"i": i})
    assert _open_fds() - before < 3 * 20 + 10
    assert [client[f"orgdb_{i:03d}"]["records"].find_one({})["i"] for i in range(100)] == list(
        range(100)
    )
