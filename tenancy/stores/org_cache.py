"""Org lookups by slug, remembered per process on the embedded store while provably current.

GET /org/get is the hottest route, and on litemongo its lookup (a query planned and filtered in
Python, the document decoded and copied) was a third of the route's time. An entry is used only
while the organizations collection's stamp (tenancy.stores.embedded.stamp: this process's writes and
every other connection's commits) is unchanged, so an answer is never older than a fresh read.
MongoDB and mongomock always read.
"""

from __future__ import annotations

from django.conf import settings

from tenancy import orgs
from tenancy.documents import Org
from tenancy.indexes import ORGS
from tenancy.stores import embedded
from tenancy.stores.client import engine, get_client, master_db
from tenancy.stores.embedded_threads import LOCK

MAX_ENTRIES = 4096
_entries: dict[tuple[int, str], tuple[tuple, Org | None]] = {}
_held: list = [None, None, None]  # client, master database name, its organizations collection


def _collection(client):
    """The organizations collection of this process's client, built once per client (building
    it was a third of a cached lookup)."""
    name = settings.MASTER_DB_NAME
    if _held[0] is not client or _held[1] != name:
        _held[:] = [client, name, master_db()[ORGS]]
    return _held[2]


def get_by_slug(slug: str) -> Org | None:
    """``tenancy.orgs.get_by_slug``, answered from memory while nothing was written since."""
    if engine() != "litemongo":
        return orgs.get_by_slug(slug)
    client = get_client()
    key = (id(client), slug)  # a client per store folder: another folder, other entries
    with LOCK:  # no write of this process between the stamp and the read
        current = embedded.stamp(_collection(client))
        hit = _entries.get(key)
        if hit is not None and hit[0] == current:
            return hit[1]
        org = orgs.get_by_slug(slug)
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = (current, org)
        return org
