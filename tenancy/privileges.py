"""The MongoDB privileges the service needs per placement, and what the connected user lacks.

The needs are exactly the commands tenancy issues (see the README's "MongoDB user and roles"):
every placement reads and writes the master database, creates its collections and indexes
(``ensure_indexes``, the shared collection's index) and lists them (``readyz``, placement
checks); ``collection`` also drops and renames ``org_*`` collections there; ``database`` creates,
lists and drops ``orgdb_<id>`` databases and lists databases (``reconcile_orgs``). collStats is
not required: without it org stats are estimated (``estimated: true``).

An org database is named by an id unknown until the org exists and a role cannot name a database
prefix, so only a privilege on every database (``db: ""``) covers ``orgdb_*``. The logic takes
``command``, a callable running one command on the master database and returning the reply, so
it is tested against recorded ``connectionStatus`` replies, as ``shard_setup`` is.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from pymongo.errors import OperationFailure

from kernel.errors import Unavailable
from tenancy import placement
from tenancy.driver_errors import translate
from tenancy.stores.client import engine, master_db

ANY_ORG_DB = placement.DATABASE_PREFIX + "*"
CLUSTER = None
UNAUTHORIZED = 13
CACHE_SECONDS = 30.0

Command = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Need:
    """Actions needed on one resource: a database (``collection`` empty), a collection, or the
    cluster (``db`` None). ``db`` ANY_ORG_DB stands for every future ``orgdb_<id>``."""

    db: str | None
    collection: str
    actions: tuple[str, ...]

    def where(self) -> str:
        if self.db is CLUSTER:
            return "cluster"
        return f"{self.db}.{self.collection}" if self.collection else self.db


MASTER_ACTIONS = (
    "find", "insert", "update", "remove", "createCollection", "createIndex",
    "listCollections", "listIndexes", "killCursors",
)  # fmt: skip
COLLECTION_ACTIONS = ("dropCollection", "renameCollectionSameDB")
ORG_DB_RECORD_ACTIONS = ("find", "insert", "update", "remove", "createCollection", "killCursors")
ORG_DB_ACTIONS = ("listCollections", "dropDatabase")


def needs(placements: Iterable[str], master: str) -> list[Need]:
    """What the service needs with ``placements`` enabled and master database ``master``."""
    enabled = set(placements)
    master_actions = MASTER_ACTIONS + (
        COLLECTION_ACTIONS if placement.COLLECTION in enabled else ()
    )
    result = [Need(master, "", master_actions)]
    if placement.DATABASE in enabled:
        result += [
            Need(ANY_ORG_DB, placement.DATABASE_COLLECTION, ORG_DB_RECORD_ACTIONS),
            Need(ANY_ORG_DB, "", ORG_DB_ACTIONS),
            Need(CLUSTER, "", ("listDatabases",)),
        ]
    return result


def _covers(resource: dict[str, Any], need: Need) -> bool:
    """Whether a granted privilege's resource includes the needed one."""
    if resource.get("anyResource"):
        return True
    if need.db is CLUSTER:
        return bool(resource.get("cluster"))
    if "db" not in resource or resource.get("system_buckets") is not None:
        return False
    db, collection = resource["db"], resource.get("collection", "")
    if db != "" and (need.db == ANY_ORG_DB or db != need.db):
        return False
    return collection in ("", need.collection)


def _granted(privileges: list[dict[str, Any]], need: Need) -> set[str]:
    actions: set[str] = set()
    for privilege in privileges:
        if _covers(privilege.get("resource", {}), need):
            actions.update(privilege.get("actions", ()))
    return actions


def missing_from(privileges: list[dict[str, Any]], wanted: list[Need]) -> list[str]:
    """Each needed action the privileges do not grant, as ``"<action> on <resource>"``."""
    missing = []
    for need in wanted:
        granted = _granted(privileges, need)
        if "anyAction" not in granted:
            missing += [f"{a} on {need.where()}" for a in need.actions if a not in granted]
    return missing


def missing(command: Command, placements: Iterable[str], master: str) -> list[str]:
    """What the connected user lacks for ``placements``, asked of the server. With no
    authenticated user, access control is either off (nothing is missing) or the connection
    is refused everything: one listCollections tells which."""
    reply = command({"connectionStatus": 1, "showPrivileges": True})
    info = reply.get("authInfo", {})
    if not info.get("authenticatedUsers"):
        try:
            command({"listCollections": 1, "nameOnly": True})
        except OperationFailure as exc:
            if exc.code != UNAUTHORIZED:
                raise
            return ["authentication (no authenticated user; access control is on)"]
        return []
    return missing_from(info.get("authenticatedUserPrivileges", []), needs(placements, master))


def master_command() -> Command:
    """The command callable of this process's master database."""
    db = master_db()
    return lambda doc: db.command(doc)


_cache: dict[str, tuple[float, list[str]]] = {}
_lock = threading.Lock()
_clock = time.monotonic


def missing_privileges(*, max_age: float = CACHE_SECONDS) -> list[str]:
    """What the service's MongoDB user lacks for the enabled placements (settings
    ORG_PLACEMENTS); [] on litemongo and mongomock, which have no users. The answer is kept
    ``max_age`` seconds, so ``/readyz`` asks the server at most that often."""
    if engine() != "mongodb":
        return []
    key = f"{settings.MONGO_URL}|{settings.MASTER_DB_NAME}|{','.join(placement.enabled())}"
    with _lock:
        cached = _cache.get(key)
    if cached is not None and _clock() - cached[0] < max_age:
        return cached[1]
    command = master_command()
    try:
        with translate():
            found = missing(command, placement.enabled(), settings.MASTER_DB_NAME)
    except OperationFailure as exc:
        raise Unavailable(
            f"The server did not tell the user's privileges: {exc}", code="privileges_unknown"
        ) from exc
    with _lock:
        _cache[key] = (_clock(), found)
    return found
