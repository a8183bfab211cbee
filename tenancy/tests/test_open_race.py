"""Threads opening the same new litemongo collection at once do not collide."""

import threading

from tenancy.stores.client import master_db

THREADS = 6
COLLECTIONS = 60


def test_threads_first_touching_one_new_collection_all_succeed(disk):
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def touch(i: int) -> None:
        for n in range(COLLECTIONS):
            try:
                barrier.wait()
                master_db()[f"brand_new_{n}"].find_one({"i": i})
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=touch, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
