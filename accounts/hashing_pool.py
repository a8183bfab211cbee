"""Password hashing off the request threads, at a lower CPU priority, behind admission control.

bcrypt is deliberately expensive (about 0.3-0.5 s at cost 12 here) and releases the GIL while
it works. Run on request threads, a few concurrent logins take every core and cheap reads queue
behind them. Here each hash runs on one of a few pool threads whose Linux nice value is raised
(PASSWORD_HASH_NICE): when the CPU is contended the scheduler favours request threads, so reads
keep most of their latency while logins still get a share (at 10 they starved: an eleventh of an
unloaded login's speed under 16 reading clients).

Admission control: at most PASSWORD_HASH_THREADS hashes (default: the core count) run at once
per process; the others wait in first-come, first-served order (the pool's queue). At most
PASSWORD_HASH_QUEUE hashes may wait, each for at most PASSWORD_HASH_WAIT_SECONDS; a hash that
would wait longer, or find the queue full, is refused with 503 ``server_busy`` and Retry-After
(before it changed anything: every caller hashes before it writes). A flood of logins or
sign-ups so costs a bounded share of the CPU and answers quickly instead of timing out.
The pool is per process (a forked gunicorn worker builds its own).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.conf import settings

from kernel.errors import Unavailable

T = TypeVar("T")
RETRY_AFTER_SECONDS = 1
_lock = threading.Lock()
_pools: dict[tuple[int, int, int], ThreadPoolExecutor] = {}
_in_flight = [0]  # hashes admitted and not yet finished or refused, in this process


class ServerBusy(Unavailable):
    """Too many password hashes are waiting: retry after ``retry_after`` seconds."""

    code = "server_busy"

    def __init__(self) -> None:
        super().__init__("The server is busy; retry shortly.")
        self.retry_after = RETRY_AFTER_SECONDS


def _lower_priority(nice: int) -> None:
    # Not Linux, or not permitted: the pool runs at normal priority.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)


def threads() -> int:
    """How many hashes may run at once in this process."""
    return settings.PASSWORD_HASH_THREADS or os.cpu_count() or 1


def _pool() -> ThreadPoolExecutor:
    key = (os.getpid(), threads(), settings.PASSWORD_HASH_NICE)
    pool = _pools.get(key)
    if pool is None:
        with _lock:
            pool = _pools.get(key)
            if pool is None:
                for (owner, *_), old in _pools.items():
                    if owner == key[0]:  # settings changed (tests); a parent's has no threads here
                        old.shutdown(wait=False)
                _pools.clear()
                pool = _pools[key] = ThreadPoolExecutor(
                    max_workers=key[1],
                    thread_name_prefix="password-hash",
                    initializer=_lower_priority,
                    initargs=(key[2],),
                )
    return pool


def run(fn: Callable[..., T], *args) -> T:
    """``fn(*args)`` on a low-priority hashing thread; waits for and returns its result.
    Raises ServerBusy (503) when PASSWORD_HASH_QUEUE hashes already wait, or when this one has
    waited PASSWORD_HASH_WAIT_SECONDS without starting; ``fn`` then never runs."""
    pool = _pool()
    with _lock:
        if _in_flight[0] >= threads() + settings.PASSWORD_HASH_QUEUE:
            raise ServerBusy()
        _in_flight[0] += 1
    started = threading.Event()

    def task() -> T:
        started.set()
        return fn(*args)

    try:
        future = pool.submit(task)
        if not started.wait(settings.PASSWORD_HASH_WAIT_SECONDS) and future.cancel():
            raise ServerBusy()
        return future.result()
    finally:
        with _lock:
            _in_flight[0] -= 1
