"""Password hashing off the request threads, at a lower CPU priority.

bcrypt is deliberately expensive (about 0.3-0.5 s at cost 12 here) and releases the GIL while
it works. Run on request threads, a few concurrent logins take every core and cheap reads queue
behind them. Here each hash runs on one of a few pool threads whose Linux nice value is raised
(PASSWORD_HASH_NICE, default 5): when the CPU is contended the scheduler favours request
threads, so reads keep most of their latency while logins still get a share (at 10 they starved:
an eleventh of an unloaded login's speed under 16 reading clients). The
pool is per process (a forked gunicorn worker builds its own) and bounded
(PASSWORD_HASH_THREADS, default: the core count), which also caps concurrent hashes per worker.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.conf import settings

T = TypeVar("T")
_lock = threading.Lock()
_pools: dict[int, ThreadPoolExecutor] = {}


def _lower_priority(nice: int) -> None:
    # Not Linux, or not permitted: the pool runs at normal priority.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)


def _pool() -> ThreadPoolExecutor:
    pid = os.getpid()
    pool = _pools.get(pid)
    if pool is None:
        with _lock:
            pool = _pools.get(pid)
            if pool is None:
                _pools.clear()  # a pool inherited through fork has no threads in this process
                pool = _pools[pid] = ThreadPoolExecutor(
                    max_workers=settings.PASSWORD_HASH_THREADS or os.cpu_count() or 1,
                    thread_name_prefix="password-hash",
                    initializer=_lower_priority,
                    initargs=(settings.PASSWORD_HASH_NICE,),
                )
    return pool


def run(fn: Callable[..., T], *args) -> T:
    """``fn(*args)`` on a low-priority hashing thread; waits for and returns its result."""
    return _pool().submit(fn, *args).result()
