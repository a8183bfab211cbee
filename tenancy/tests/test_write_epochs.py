"""The embedded store's write epochs (tenancy.stores.write_epochs), and the org cache that trusts
them: a remembered org is never older than a read, whoever wrote (this thread, another thread,
another process) and even when the writer died mid-write. (MongoDB and mongomock always read.)"""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from django.conf import settings

from orgservice.testing import ROOT, service_env
from tenancy import orgs
from tenancy.indexes import ORGS
from tenancy.stores import embedded, org_cache, write_epochs
from tenancy.stores.client import master_db
from tenancy.tests.test_records_handle import _org


def _epochs(disk):
    return write_epochs.of(disk / "mongo")


def _orgs_name() -> str:
    return f"{settings.MASTER_DB_NAME}.{ORGS}"


def _in_another_process(disk, code: str) -> subprocess.CompletedProcess:
    setup = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'orgservice.settings');"
        " django.setup()\nfrom tenancy import orgs\n"
    )
    return subprocess.run(
        [sys.executable, "-c", setup + code],
        cwd=ROOT,
        env=service_env(disk, MASTER_DB_NAME=settings.MASTER_DB_NAME),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_write_moves_its_collections_epoch_and_a_database_write_moves_every_epoch(disk):
    epochs = _epochs(disk)
    db = master_db()
    names = ["alpha", "beta"]
    assert len({write_epochs.slot_of(f"{db.name}.{n}") for n in names}) == 2
    db["alpha"].insert_one({"k": 1})
    db["beta"].insert_one({"k": 1})
    alpha, beta = epochs.current(f"{db.name}.alpha"), epochs.current(f"{db.name}.beta")

    db["alpha"].update_one({"k": 1}, {"$set": {"k": 2}})
    assert epochs.current(f"{db.name}.alpha") != alpha
    assert epochs.current(f"{db.name}.beta") == beta

    alpha = epochs.current(f"{db.name}.alpha")
    db.drop_collection("gamma-never-made")  # a database-level write
    assert epochs.current(f"{db.name}.alpha") != alpha
    assert epochs.current(f"{db.name}.beta") != beta


def test_a_failed_write_still_closes_its_epoch(disk):
    epochs = _epochs(disk)
    things = master_db()["things"]
    things.create_index("k", unique=True)
    things.insert_one({"k": 1})
    before = epochs.current(things.full_name)
    with pytest.raises(Exception, match="(?i)duplicate"):
        things.insert_one({"k": 1})
    after = epochs.current(things.full_name)
    assert after is not None and after != before


def test_the_org_cache_answers_from_memory_only_while_the_epochs_say_unchanged(disk, monkeypatch):
    _org("cached")
    assert org_cache.get_by_slug("cached").version == 1
    files_checked = []
    real_stamp = embedded.stamp
    monkeypatch.setattr(embedded, "stamp", lambda c: files_checked.append(c) or real_stamp(c))
    first = org_cache.get_by_slug("cached")
    assert org_cache.get_by_slug("cached") is first  # remembered
    assert files_checked == []  # and no look at the file: the epochs sufficed

    orgs.transition(first.id, version=1, changes={"name": "Changed here"})
    assert org_cache.get_by_slug("cached").name == "Changed here"


def test_another_process_write_is_seen_at_once(disk):
    org = _org("cached")
    assert org_cache.get_by_slug("cached").name == "cached"
    done = _in_another_process(
        disk, f"orgs.transition({str(org.id)!r}, version=1, changes={{'name': 'Elsewhere'}})"
    )
    assert done.returncode == 0, done.stderr
    assert org_cache.get_by_slug("cached").name == "Elsewhere"
    assert _epochs(disk).current(_orgs_name()) is not None


def test_a_writer_killed_after_its_commit_leaves_no_stale_answer_and_the_next_write_heals(disk):
    org = _org("cached")
    assert org_cache.get_by_slug("cached").name == "cached"  # remembered at the current epoch
    # The other process commits its change, then dies where it would close its epoch.
    died = _in_another_process(
        disk,
        "import os, signal\n"
        "from tenancy.stores import write_epochs\n"
        "write_epochs.Epochs.end = lambda self, name: os.kill(os.getpid(), signal.SIGKILL)\n"
        f"orgs.transition({str(org.id)!r}, version=1, changes={{'name': 'Committed'}})\n",
    )
    assert died.returncode == -9, died.stderr
    epochs = _epochs(disk)
    assert epochs.current(_orgs_name()) is None  # the epoch is left open
    assert org_cache.get_by_slug("cached").name == "Committed"  # read, not remembered

    master_db()["elsewhere"].insert_one({"k": 1})  # any write: under the lock, it heals
    assert epochs.current(_orgs_name()) is not None
    assert org_cache.get_by_slug("cached").name == "Committed"
    orgs.transition(org.id, version=2, changes={"name": "After"})
    assert org_cache.get_by_slug("cached").name == "After"


def test_threads_reading_while_another_writes_never_see_an_older_version(disk):
    org = _org("busy")
    written = [1]  # the version the writer's last returned write made
    stale: list[tuple[int, int]] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            floor = written[0]
            seen = org_cache.get_by_slug("busy").version
            if seen < floor:
                stale.append((seen, floor))

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for version in range(1, 150):
            assert orgs.transition(org.id, version=version, changes={"name": f"v{version}"})
            written[0] = version + 1
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert stale == []
    assert org_cache.get_by_slug("busy").version == 150
