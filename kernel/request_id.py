"""Request ids: accepted from X-Request-ID when sane, else generated, and put on every log line."""

from __future__ import annotations

import logging
import os
import re
import threading
from contextvars import ContextVar

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._-]{1,128}")
_current: ContextVar[str | None] = ContextVar("request_id", default=None)
# uuid.uuid4().hex without the UUID object (half its time; made for every request without an id)
_UUID4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))  # the variant and version bits
_UUID4_SET = (0x8000 << 48) | (4 << 76)  # RFC 4122 variant, version 4


# New ids are cut from random bytes read for 256 ids at a time. os.urandom is a system call
# during which Python lets go of the GIL, and under load the thread then waits to get it back
# (measured for [perf-2]: the same wait made SQLite's one-line freshness check cost 90 µs of a
# core per request). A forked child starts with none of its parent's ids.
_BATCH = 256
_fresh: list[str] = []
_fresh_lock = threading.Lock()


def _after_fork() -> None:
    global _fresh_lock
    _fresh.clear()
    _fresh_lock = threading.Lock()  # another thread may have held it at the fork


os.register_at_fork(after_in_child=_after_fork)


def _new_id() -> str:
    with _fresh_lock:
        if not _fresh:
            raw = os.urandom(16 * _BATCH)
            _fresh.extend(
                f"{int.from_bytes(raw[at : at + 16]) & _UUID4_CLEAR | _UUID4_SET:032x}"
                for at in range(0, len(raw), 16)
            )
        return _fresh.pop()


def accept(candidate: str | None) -> str:
    """The client's id when it is 1-128 characters of ``[A-Za-z0-9._-]``, else a new uuid4 hex.
    An id with other characters could forge log fields or split log lines, so it is replaced."""
    if candidate and _SANE.fullmatch(candidate):
        return candidate
    return _new_id()


def current() -> str | None:
    """The id of the request being served in this context, or None outside a request."""
    return _current.get()


def bind(request_id: str):
    """Make ``request_id`` current; returns the token to give back to ``unbind``."""
    return _current.set(request_id)


def unbind(token) -> None:
    _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request id (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current()
        return True
