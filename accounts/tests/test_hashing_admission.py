"""Admission control for password hashing: a bounded, first-come queue; beyond it 503 at once."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from accounts import hashing_pool


@contextmanager
def _busy_pool(settings, *, queue: int, wait: float = 10.0) -> Iterator[None]:
    """One hashing thread, held by a task until the block exits."""
    settings.PASSWORD_HASH_THREADS = 1
    settings.PASSWORD_HASH_QUEUE = queue
    settings.PASSWORD_HASH_WAIT_SECONDS = wait
    running, release = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=hashing_pool.run, args=(lambda: (running.set(), release.wait(10)),)
    )
    holder.start()
    assert running.wait(10)
    try:
        yield
    finally:
        release.set()
        holder.join(10)


def test_a_full_queue_refuses_at_once_and_the_hash_never_runs(settings):
    ran: list[str] = []
    with _busy_pool(settings, queue=0, wait=60), pytest.raises(hashing_pool.ServerBusy) as refused:
        started = time.monotonic()
        hashing_pool.run(ran.append, "refused")
    assert time.monotonic() - started < 30  # at once, not after the 60 s wait bound
    assert refused.value.status == 503 and refused.value.retry_after == 1
    assert hashing_pool.run(ran.append, "later") is None
    assert ran == ["later"]


def test_a_hash_that_waits_too_long_is_refused_and_never_runs(settings):
    ran: list[str] = []
    with _busy_pool(settings, queue=4, wait=0.05), pytest.raises(hashing_pool.ServerBusy):
        hashing_pool.run(ran.append, "timed out")
    hashing_pool.run(ran.append, "later")  # first come, first served: after any earlier task
    assert ran == ["later"]


def test_waiting_hashes_run_in_arrival_order_within_the_queue_bound(settings):
    ran: list[int] = []
    with _busy_pool(settings, queue=3):
        waiters = [
            threading.Thread(target=hashing_pool.run, args=(ran.append, i)) for i in range(3)
        ]
        for i, waiter in enumerate(waiters):
            waiter.start()
            deadline = time.monotonic() + 10
            while hashing_pool._in_flight[0] < 2 + i and time.monotonic() < deadline:
                time.sleep(0.001)  # until this waiter is queued, so that arrival order is known
    for waiter in waiters:
        waiter.join(10)
    assert ran == [0, 1, 2]


def test_a_login_refused_by_admission_control_answers_503_with_retry_after(settings, api, make_org):
    _, email, password = make_org()
    with _busy_pool(settings, queue=0):
        refused = api.post("/admin/login", {"email": email, "password": password}, format="json")
    assert refused.status_code == 503
    assert refused["Retry-After"] == "1"
    assert refused.json()["code"] == "server_busy"
    accepted = api.post("/admin/login", {"email": email, "password": password}, format="json")
    assert accepted.status_code == 200
