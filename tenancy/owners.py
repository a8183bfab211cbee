"""The guard of "every org has at least one owner": a per-org owner count changed atomically.

Roles live on the members' own documents, so "is another owner left?" spans documents, and two
owners demoting each other at once would each see the other and leave none (write skew). Every
change that takes a role away from an owner therefore first takes one from the org's count with
a single conditional update (``owners >= 2`` → ``$inc -1``): of two racing demotions exactly one
passes, on MongoDB as on litemongo (tenancy.stores.write_lock) — no transaction needed.

The count never exceeds the real number of owners: it is decremented *before* an owner loses the
role and incremented *after* a member gains it. A crash between the two steps leaves it below the
truth, which can only refuse a demotion, never allow the last owner to go.

An org's count is created on first use from its members (orgs predating roles have none), before
any role change of that org; an insert race is decided by ``_id`` and the loser's count dropped.
"""

from __future__ import annotations

from contextlib import suppress

from tenancy import admins
from tenancy.driver_errors import DuplicateKeyError, translate
from tenancy.indexes import OWNER_COUNTS
from tenancy.stores.client import master_db


def _counts():
    return master_db()[OWNER_COUNTS]


def ensure(org_id: str) -> None:
    """Create the org's count from its members if it does not exist yet. Call before changing
    any role of the org."""
    with translate():
        if _counts().find_one({"_id": org_id}, {"_id": 1}) is not None:
            return
        # Of racing creators the first insert wins; a loser's count is dropped.
        with suppress(DuplicateKeyError):
            _counts().insert_one({"_id": org_id, "owners": admins.count_owners(org_id)})


def release(org_id: str) -> bool:
    """Take one owner off the count if another remains; False (nothing changed) when this is the
    last one. The caller then removes the owner role, or calls ``add`` if it cannot."""
    ensure(org_id)
    with translate():
        taken = _counts().find_one_and_update(
            {"_id": org_id, "owners": {"$gte": 2}}, {"$inc": {"owners": -1}}
        )
    return taken is not None


def add(org_id: str) -> None:
    """Count one more owner: one who just gained the role, or a ``release`` whose role change
    did not happen."""
    with translate():
        _counts().update_one({"_id": org_id}, {"$inc": {"owners": 1}})


def count(org_id: str) -> int | None:
    """The org's owner count, or None before its first role change."""
    with translate():
        doc = _counts().find_one({"_id": org_id})
    return doc["owners"] if doc else None
