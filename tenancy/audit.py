"""The audit log in the master database: who did what, when, from where; never a secret.

Every event is also written as one log line (logger ``orgservice.audit``), so lifecycle and auth
events appear in the JSON log stream next to the request that caused them.
"""

from __future__ import annotations

import logging
from typing import Any

from pymongo import DESCENDING
from pymongo.errors import DuplicateKeyError

from tenancy.documents import utcnow
from tenancy.driver_errors import translate
from tenancy.indexes import AUDIT
from tenancy.stores.client import master_db

_log = logging.getLogger("orgservice.audit")
_RESERVED = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message"}


def record(
    event: str, *, org_id: str | None = None, event_id: object = None, **details: Any
) -> None:
    """Append one event. ``details`` must never hold a password, hash or token. With
    ``event_id`` the event is written once (its ``_id``): a recovery that repeats an
    interrupted step does not record it twice."""
    doc = {"event": event, "org_id": org_id, "at": utcnow(), **details}
    if event_id is not None:
        doc["_id"] = event_id
    try:
        with translate():
            master_db()[AUDIT].insert_one(doc)
    except DuplicateKeyError:
        return  # recorded already, by the run this recovery finishes
    _log.info(event, extra={"event": event, "org_id": org_id, **_loggable(details)})


def _loggable(details: dict[str, Any]) -> dict[str, Any]:
    # LogRecord attributes (e.g. "name", "args") cannot be overridden by extras.
    return {k if k not in _RESERVED else f"detail_{k}": v for k, v in details.items()}


def recent(*, org_id: str | None = None, limit: int = 20) -> list[dict]:
    query = {} if org_id is None else {"org_id": org_id}
    with translate():
        cursor = master_db()[AUDIT].find(query, {"_id": 0}).sort("at", DESCENDING).limit(limit)
        return list(cursor)
