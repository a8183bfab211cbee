"""Password hashing runs on low-priority pool threads, not on the request thread."""

import os
import threading

from accounts import hashing_pool, passwords


def _where() -> tuple[int, int]:
    native = threading.get_native_id()
    return native, os.getpriority(os.PRIO_PROCESS, native)


def test_hashing_runs_on_a_pool_thread_with_a_raised_nice_value(settings):
    native, nice = hashing_pool.run(_where)
    assert native != threading.get_native_id()
    assert nice >= os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) + min(
        settings.PASSWORD_HASH_NICE, 19 - os.getpriority(os.PRIO_PROCESS, 0)
    )
    assert nice > os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_hash_and_verify_round_trip_through_the_pool():
    hashed = passwords.hash_password("Correct-Horse-9-Battery")
    assert passwords.verify("Correct-Horse-9-Battery", hashed)
    assert not passwords.verify("wrong-password-1", hashed)
    assert not passwords.verify("anything", None)
