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

from tenancy.stores import internals

CHANGES = "orgservice_changes"
KEEP = 20_000
_PRUNE_EVERY = 1000
_BATCH = 500
_installed = False
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

    connection = internals.store_connection(store)
    if _has_log(connection):
        return
    with write_lock.exclusive(internals.store_root(store)), connection:
        for statement in _DDL:
            connection.execute(statement)


def _last_seq(connection) -> int:
    return connection.execute(f"SELECT coalesce(max(seq), 0) FROM {CHANGES}").fetchone()[0]


def _rebuild(store):
    # read first: later changes re-apply
    internals.set_seen_change(store, _last_seq(internals.store_connection(store)))
    return internals.new_query_index(store)


def _catch_up(store, index) -> bool:
    """Apply the changes since this client last looked; False when the log no longer reaches
    back that far (the caller rebuilds)."""
    connection, seen = internals.store_connection(store), internals.seen_change(store)
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
                index.add(key, internals.store_decode(store, raw))
    if rows:
        internals.set_seen_change(store, rows[-1][0])
    return True


def _query_index(store):
    connection = internals.store_connection(store)
    version = connection.execute("PRAGMA data_version").fetchone()[0]
    index, seen_version = internals.query_index_state(store)
    moved = version != seen_version
    if index is None or (moved and not _catch_up(store, index)):
        index = _rebuild(store)
    else:
        internals.refresh_index_paths(store, index)
    internals.set_query_index_state(store, index, version)
    return index


def install() -> None:
    """Give every litemongo collection file the change log and use it (idempotent)."""
    global _installed
    if _installed:
        return
    internals.hook_collection_files(_ensure_log, _query_index)
    _installed = True
