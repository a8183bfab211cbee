"""Full scans stream every matching document once, oldest first, in constant memory."""

import tracemalloc

import pytest

from tenancy.stores.client import master_db
from tenancy.stores.scan import scan

PAYLOAD = "x" * 1000


def _fill(n: int) -> None:
    for start in range(0, n, 1000):
        master_db()["org_scan"].insert_many(
            [
                {"n": i, "even": i % 2 == 0, "pad": PAYLOAD}
                for i in range(start, min(n, start + 1000))
            ]
        )


def test_a_scan_returns_every_document_once_in_insertion_order(backend):
    _fill(2500)
    assert [d["n"] for d in scan(master_db()["org_scan"])] == list(range(2500))


def test_a_scan_applies_the_query(backend):
    _fill(100)
    assert [d["n"] for d in scan(master_db()["org_scan"], {"even": False})] == list(
        range(1, 100, 2)
    )


def test_a_litemongo_scan_holds_one_document_at_a_time_not_the_collection(disk):
    _fill(20_000)  # about 20 MB of documents
    tracemalloc.start()
    count = sum(1 for _ in scan(master_db()["org_scan"]))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 20_000
    assert peak < 2_000_000


def test_a_batched_scan_crosses_every_batch_boundary_once(backend):
    _fill(10)
    for batch in (1, 3, 5, 10, 11):
        found = [d["n"] for d in scan(master_db()["org_scan"], {"even": True}, batch=batch)]
        assert found == [0, 2, 4, 6, 8], batch


def test_a_batch_of_nothing_is_refused(backend):
    with pytest.raises(ValueError):
        next(scan(master_db()["org_scan"], batch=0))
