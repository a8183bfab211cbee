"""Write epochs of the embedded store: whether a collection may have changed, read without a
system call, by every process on the store.

Why ([perf-2]): the org cache (tenancy.stores.org_cache) must never answer older than a read, so
it checked SQLite's ``PRAGMA data_version`` on every GET /org/get. Under load that check cost a
gunicorn worker about 90 µs of a core per request (measured with the access line off: GET ÷
/healthz 0.81 with it, 0.87 without), because sqlite3 lets go of the GIL for it and the thread
then waits to get it back.
Reading two counters from shared memory costs well under a microsecond and keeps the GIL.

``<store>/.write-epochs`` is a memory-mapped file of ``SLOTS`` pairs of unsigned 64-bit counters,
``(started, finished)``. A collection counts in the slot its full name hashes to (4094 of them:
one org's records share the org list's slot once in 4094); database-level writes (create, drop
or rename a collection, drop a database) count in slot 1, which every reader checks too; every
write also counts in slot 0, which only tells the next writer whether any slot was left open.

Every write to the store runs under its write lock (tenancy.stores.write_lock), and under it a
write adds one to its slot's ``started`` before it touches the files and one to ``finished``
after, whether it succeeded or failed. So:

- a reader that saw a slot's counters equal at E, then read, and sees them equal at E again
  knows that no write to that slot began in between (another slot's write costs at most a
  needless re-read);
- a slot whose counters differ has a write in progress, or one whose process died mid-write.
  ``current`` then answers None and the caller checks the file itself, as before;
- the first write after such a death finds slot 0 apart while it holds the lock, where no other
  write can be in progress, and sets ``finished`` to ``started`` in every slot.

This holds among the processes that write through tenancy (the write lock's own premise). A
program writing the store's files with plain litemongo is seen by neither.
"""

from __future__ import annotations

import mmap
import os
import struct
import threading
import zlib
from pathlib import Path

FILE_NAME = ".write-epochs"
SLOTS = 4096
ANY_SLOT = 0  # every write: open only while some slot is
DATABASE_SLOT = 1  # database-level writes; every reader checks it
_FIRST_COLLECTION_SLOT = 2
_PAIR = struct.Struct("=QQ")  # native byte order: only processes on this machine share the file
_ALL = struct.Struct(f"={2 * SLOTS}Q")
_SIZE = _ALL.size

_open: dict[str, Epochs] = {}
_lock = threading.Lock()
_ANY_OFFSET = ANY_SLOT * _PAIR.size
_DATABASE_OFFSET = DATABASE_SLOT * _PAIR.size
_offsets: dict[str | None, int] = {}  # full name -> its slot's offset, for the names read most
_OFFSETS_REMEMBERED = 4096


def slot_of(full_name: str | None) -> int:
    """The slot a collection (``db.collection``) counts in; None: a database-level write."""
    if full_name is None:
        return DATABASE_SLOT
    spread = SLOTS - _FIRST_COLLECTION_SLOT
    return _FIRST_COLLECTION_SLOT + zlib.crc32(full_name.encode()) % spread


def _offset(full_name: str | None) -> int:
    offset = _offsets.get(full_name)
    if offset is None:
        offset = slot_of(full_name) * _PAIR.size
        if len(_offsets) < _OFFSETS_REMEMBERED:
            _offsets[full_name] = offset
    return offset


class Epochs:
    """One store's counters, shared with every process that maps the same file."""

    def __init__(self, root: Path) -> None:
        fd = os.open(Path(root) / FILE_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size < _SIZE:
                os.ftruncate(fd, _SIZE)  # new pages read as zeros; racing makers agree on size
            self._map = mmap.mmap(fd, _SIZE)
        finally:
            os.close(fd)  # the mapping keeps the file

    def current(self, full_name: str) -> tuple[int, int] | None:
        """The epochs of a collection and of its store's database-level writes, or None while
        a write to either is in progress (or its process died mid-write)."""
        started, finished = _PAIR.unpack_from(self._map, _offset(full_name))
        if started != finished:
            return None
        database_started, database_finished = _PAIR.unpack_from(self._map, _DATABASE_OFFSET)
        if database_started != database_finished:
            return None
        return started, database_started

    # The methods below are called only under the store's write lock.

    def begin(self, full_name: str | None) -> None:
        self._count(_ANY_OFFSET, 0)  # opens first and closes last: open whenever any slot is
        self._count(_offset(full_name), 0)

    def end(self, full_name: str | None) -> None:
        self._count(_offset(full_name), 1)
        self._count(_ANY_OFFSET, 1)

    def _count(self, offset: int, which: int) -> None:
        counters = list(_PAIR.unpack_from(self._map, offset))
        counters[which] += 1
        _PAIR.pack_into(self._map, offset, *counters)

    def settle(self) -> None:
        """Close the slots a dead writer left open. Only when no write is in progress anywhere:
        under the write lock, before this process's own first (outermost) write."""
        started, finished = _PAIR.unpack_from(self._map, _ANY_OFFSET)
        if started == finished:
            return
        counters = _ALL.unpack_from(self._map)
        _ALL.pack_into(self._map, 0, *(n for count in counters[0::2] for n in (count, count)))

    def close(self) -> None:
        self._map.close()


def of(root: Path) -> Epochs:
    """The epochs of the store in ``root``, mapped once per process (a forked child shares its
    parent's mapping, which is the same shared memory)."""
    key = str(root)
    epochs = _open.get(key)
    if epochs is None:
        with _lock:
            epochs = _open.get(key)
            if epochs is None:
                epochs = _open[key] = Epochs(root)
    return epochs


def forget() -> None:
    """Unmap every store's epochs (tests move between store folders)."""
    with _lock:
        for epochs in _open.values():
            epochs.close()
        _open.clear()
