"""Org lookups by slug, remembered per process on the embedded store while provably current.

GET /org/get is the hottest route, and on litemongo its lookup (a query planned and filtered in
Python, the document decoded and copied) was a third of the route's time. An entry is used only
while the organizations collection is provably unchanged, so an answer is never older than a
fresh read. Each entry carries the stamp it was read at, taken before the read:

- the store's write epochs of the collection (tenancy.stores.write_epochs: shared memory, no
  system call), whenever no write to it is in progress;
- otherwise the collection file's own stamp (tenancy.stores.embedded.stamp: this process's writes
  and every other connection's commits), under the store lock.

The two kinds of stamp never compare equal. MongoDB and mongomock always read.
"""

from __future__ import annotations

from tenancy import orgs
from tenancy.documents import Org
from tenancy.indexes import ORGS
from tenancy.stores import embedded, internals, write_epochs
from tenancy.stores.client import engine, generation, get_client, master_db
from tenancy.stores.embedded_threads import LOCK

MAX_ENTRIES = 4096
_entries: dict[tuple[int, str], tuple[tuple, Org | None]] = {}
_held: tuple = (None, -1, None)  # client, tenancy.stores.client.generation(), its _Master or None


class _Master:
    """The organizations collection of a client, its full name and its store's write epochs."""

    def __init__(self, client) -> None:
        self.collection = master_db()[ORGS]
        self.full_name = self.collection.full_name
        self.epochs = write_epochs.of(internals.client_root(client))


def _master(client) -> _Master | None:
    """Built once per client and store settings (building the collection was a third of a
    cached lookup); None off the embedded store."""
    global _held
    known = generation()
    held_client, held_generation, master = _held
    if held_client is not client or held_generation != known:
        master = _Master(client) if engine() == "litemongo" else None
        _held = (client, known, master)  # one assignment: a thread reads the old or the new
    return master


def get_by_slug(slug: str) -> Org | None:
    """``tenancy.orgs.get_by_slug``, answered from memory while nothing was written since."""
    client = get_client()
    master = _master(client)
    if master is None:
        return orgs.get_by_slug(slug)
    key = (id(client), slug)  # a client per store folder: another folder, other entries
    counts = master.epochs.current(master.full_name)
    if counts is not None:
        # the epochs object too: entries of a reset client's store (whose id a new client may
        # take) never match, and an entry keeps it alive
        epoch = (master.epochs, *counts)
        hit = _entries.get(key)
        if hit is not None and hit[0] == epoch:
            return hit[1]
        return _read(key, slug, epoch)
    with LOCK:  # no write of this process between the stamp and the read
        current = embedded.stamp(master.collection)
        hit = _entries.get(key)
        if hit is not None and hit[0] == current:
            return hit[1]
        return _read(key, slug, current)


def _read(key: tuple[int, str], slug: str, stamp: tuple) -> Org | None:
    org = orgs.get_by_slug(slug)
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    _entries[key] = (stamp, org)
    return org
