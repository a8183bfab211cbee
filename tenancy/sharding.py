"""Sharding the shared records collection on a MongoDB sharded cluster (``shard_setup``).

The logic takes ``command``, a callable that runs one admin command and returns the server's
reply (raising pymongo's OperationFailure on ``ok: 0``, as ``client.admin.command`` does), so it
is tested against recorded replies without a server. A sharded cluster is recognised by its
router's ``hello`` reply (``msg: "isdbgrid"``). The key ``{org_id: 1, _id: 1}`` keeps each org's
records together (one org's queries target one shard) while a large org can still be split
into chunks by ``_id``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from pymongo.errors import OperationFailure

from tenancy.driver_errors import translate
from tenancy.placement import SHARED_COLLECTION, ensure_shared
from tenancy.signals import Refused
from tenancy.stores.client import engine, get_client

SHARD_KEY = {"org_id": 1, "_id": 1}
ALREADY_INITIALIZED = 23

AdminCommand = Callable[[dict[str, Any]], dict[str, Any]]


def is_sharded_cluster(command: AdminCommand) -> bool:
    """Whether the server is a mongos router (``hello`` answers ``msg: "isdbgrid"``)."""
    return command({"hello": 1}).get("msg") == "isdbgrid"


def _enable_sharding(command: AdminCommand, database: str) -> str:
    try:
        command({"enableSharding": database})
    except OperationFailure as exc:
        if exc.code != ALREADY_INITIALIZED:
            raise
        return f"sharding already enabled for {database}"
    return f"enabled sharding for {database}"


def _shard_collection(command: AdminCommand, namespace: str) -> str:
    try:
        reply = command({"shardCollection": namespace, "key": SHARD_KEY})
    except OperationFailure as exc:
        if exc.code == ALREADY_INITIALIZED:
            raise OperationFailure(
                f"{namespace} is already sharded with another key; {exc}", code=exc.code
            ) from exc
        raise
    return f"sharded {reply.get('collectionsharded', namespace)} on {SHARD_KEY}"


def shard_shared(command: AdminCommand, *, database: str) -> list[str]:
    """Shard the shared records collection of ``database`` on SHARD_KEY (idempotent: a server
    that already has it so answers ok). Returns what was done, step by step. Raises Refused
    when the collection is sharded on another key, or the server
    refuses a step for any other reason."""
    if not is_sharded_cluster(command):
        return ["not a sharded cluster (hello has no msg: isdbgrid): nothing to do"]
    namespace = f"{database}.{SHARED_COLLECTION}"
    try:
        return [_enable_sharding(command, database), _shard_collection(command, namespace)]
    except OperationFailure as exc:
        raise Refused(str(exc)) from exc


def admin_command() -> AdminCommand:
    """The admin-command callable of this process's MongoDB client."""
    admin = get_client().admin
    return lambda doc: admin.command(doc)


def shard_setup() -> list[str]:
    """``shard_setup`` on the configured server: ensure the shared collection's org-led index,
    then shard it when the server is a sharded cluster."""
    if engine() != "mongodb":
        return [f"{engine()} is an embedded store, not a sharded cluster: nothing to do"]
    with translate():
        ensure_shared()
        return shard_shared(admin_command(), database=settings.MASTER_DB_NAME)
