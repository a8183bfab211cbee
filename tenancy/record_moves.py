"""After a record write, make every place that must hold the org's records reflect it.

A write checks that the org is active, then writes where the org's records are. A rename or a
placement move can start (and finish) between the two. ``follow`` re-reads the org after the write
and, while the org's records live elsewhere too — the renamed collection, the target of a move
still copying, or the new placement after a move's switch — carries the write there: an inserted
or replaced document is stored unless a newer ``rev`` is there, a failed update is repeated, a
delete is repeated. When the org no longer lives where the write went, the written documents are
removed from there. A write whose org was deleted meanwhile is removed again. An old collection
emptied this way is an orphan that ``reconcile`` drops.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from bson import ObjectId

from tenancy import collection_ops, orgs, placement
from tenancy.documents import DELETING, Org
from tenancy.driver_errors import translate
from tenancy.placement import Location, open_records
from tenancy.signals import OrgGone


def homes(org: Org) -> list[Location]:
    """Where the org's records must be now, the one reads use first."""
    here = placement.of(org)
    step = org.pending or {}
    if step.get("op") == "rename":
        target = step["to_collection"]
        if target != here.collection and collection_ops.exists(target):
            return [replace(here, collection=target)]
    if step.get("op") == "move" and step.get("phase") == "copying":
        return [here, Location.from_dict(step["to"])]
    return [here]


def _remove(where: Location, ids: Sequence[ObjectId]) -> None:
    if ids:
        with translate():
            open_records(where).delete_many({"_id": {"$in": list(ids)}})


def follow(
    org_id: str,
    where: Location,
    *,
    ids: Sequence[ObjectId],
    carry: Callable[[Location, Any], Any],
    done: Any = None,
) -> Any:
    """Make a write to ``where`` (of the documents ``ids``) hold wherever the org's records
    are; returns the write's result. ``carry(location, done)`` repeats the write's effect at
    another location (idempotently) and returns the result to keep. Raises OrgGone when the
    org was deleted meanwhile (the written documents are removed again)."""
    reached = {where}
    while True:
        org = orgs.get(org_id)
        if org is None or org.status == DELETING:
            _remove(where, ids)
            raise OrgGone(org_id)
        now = homes(org)
        missing = [h for h in now if h not in reached]
        if not missing:
            if where not in now:
                _remove(where, ids)
            return done
        for home in missing:
            done = carry(home, done)
            reached.add(home)
