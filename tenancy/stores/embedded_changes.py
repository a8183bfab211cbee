"""Keep litemongo's in-memory query indexes current from a change log, not by full rebuilds.

litemongo indexes every collection in each client's memory and, when another connection
committed to the file (SQLite's ``data_version`` moved), rebuilds that index from every
document: with two gunicorn workers taking turns, a create or login at 10,000 orgs re-read the
organizations, slug claims and admins (10,000 documents each) and took 250-400 ms against 18 ms
at 100 orgs. Here SQLite triggers append the key of every inserted, updated or deleted document
to a small ``orgservice_changes`` table in the same file (in the writer's transaction, so never
missed), and a client whose file moved re-reads only the documents changed since it last looked.
The log keeps the last KEEP changes; a client further behind rebuilds as before.
"""

from __future__ import annotations

CHANGES = "orgservice_changes"
KEEP = 20_000
_PRUNE_EVERY = 1000
_BATCH = 500
_INSTALLED = "_orgservice_change_log"
_DDL = (
    f"CREATE TABLE IF NOT EXISTS {CHANGES}(seq INTEGER PRIMARY KEY AUTOINCREMENT, key)",
    *(
        f"CREATE TRIGGER IF NOT EXISTS {CHANGES}_{event.lower()} AFTER {event} ON documents "
        f"BEGIN INSERT INTO {CHANGES}(key) VALUES ({row}._id); END"
        for event, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old"))
    ),
    f"CREATE TRIGGER IF NOT EXISTS {CHANGES}_prune AFTER INSERT ON {CHANGES} "
    f"WHEN new.seq % {_PRUNE_EVERY} = 0 "
    f"BEGIN DELETE FROM {CHANGES} WHERE seq <= new.seq - {KEEP}; END",
)


def _has_log(connection) -> bool:
    names = {
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
            (f"{CHANGES}_%",),
        )
    }
    return len(names) == 4


def _ensure_log(store) -> None:
    from tenancy.stores import write_lock

    if _has_log(store._connection):
        return
    with write_lock.exclusive(store._path.parent.parent), store._connection:
        for statement in _DDL:
            store._connection.execute(statement)


def _last_seq(connection) -> int:
    return connection.execute(f"SELECT coalesce(max(seq), 0) FROM {CHANGES}").fetchone()[0]


def _rebuild(store):
    from litemongo._vendor.mongomock import indexing

    store._orgservice_seq = _last_seq(store._connection)  # read first: later changes re-apply
    index = indexing.CollectionIndexes()
    index.set_paths(indexing.index_paths(store.indexes.values()), ())
    for key, doc in store._iter_items():
        index.add(key, doc)
    return index


def _catch_up(store, index) -> bool:
    """Apply the changes since this client last looked; False when the log no longer reaches
    back that far (the caller rebuilds)."""
    connection, seen = store._connection, getattr(store, "_orgservice_seq", None)
    oldest = connection.execute(f"SELECT min(seq) FROM {CHANGES}").fetchone()[0]
    if seen is None or (oldest is not None and oldest > seen + 1):
        return False
    rows = connection.execute(
        f"SELECT seq, key FROM {CHANGES} WHERE seq > ? ORDER BY seq", (seen,)
    ).fetchall()
    keys = list(dict.fromkeys(key for _, key in rows))
    for start in range(0, len(keys), _BATCH):
        chunk = keys[start : start + _BATCH]
        marks = ",".join("?" * len(chunk))
        found = dict(
            connection.execute(f"SELECT _id, doc FROM documents WHERE _id IN ({marks})", chunk)
        )
        for key in chunk:
            raw = found.get(key)
            if raw is None:
                index.remove(key)
            else:
                index.add(key, store._documents._decode_doc(raw))
    if rows:
        store._orgservice_seq = rows[-1][0]
    return True


def _get_query_index(self):
    from litemongo._vendor.mongomock import indexing

    version = self._connection.execute("PRAGMA data_version").fetchone()[0]
    index = self._query_index
    moved = version != self._data_version
    self._data_version = version
    if index is None or (moved and not _catch_up(self, index)):
        self._query_index = _rebuild(self)
    else:
        index.set_paths(indexing.index_paths(self.indexes.values()), self._iter_items())
    return self._query_index


def install() -> None:
    """Give every litemongo collection file the change log and use it (idempotent)."""
    from litemongo import sqlite_store

    store_class = sqlite_store.CollectionStore
    if getattr(store_class, _INSTALLED, False):
        return
    original_open = store_class.open

    def open_with_log(self):
        original_open(self)
        _ensure_log(self)

    store_class.open = open_with_log
    store_class._get_query_index = _get_query_index
    setattr(store_class, _INSTALLED, True)
