"""The steps of create, rename and delete (organizations.orgs.orgstate declares them and runs them).

Each operation first records its intent in the org's document (``status`` + ``pending``), then
advances with idempotent steps and conditional updates on ``version``. Every step boundary has a
failpoint (kernel.failpoints). Recovery (organizations.orgs.orgstate.finish):

- create: finished when the admin exists (storage + activation are idempotent), otherwise
  rolled back (storage, org document and slug claim removed);
- rename: finished forward once the intent is recorded (the target slug is claimed); only a
  ``collection`` org's collection is renamed, other placements change metadata only;
- delete: always finished forward — admins, records (a ``shared`` org's in batches), org
  document, then slug claims;
- move: see organizations.orgs.moves.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings

from kernel import failpoints
from kernel.errors import Busy
from organizations.orgs.moves import moved
from organizations.webhooks import events
from tenancy import admins, collection_ops, orgs, placement
from tenancy.documents import ACTIVE, CREATING, DELETING, RENAMING, Org, aware, utcnow
from tenancy.names import collection_for
from tenancy.signals import Taken


def grace() -> timedelta:
    return timedelta(seconds=settings.LIFECYCLE_GRACE_SECONDS)


def changed_concurrently() -> Busy:
    return Busy("The organization changed concurrently; retry.")


def is_stale_claim(claim: dict, within: timedelta | None = None) -> bool:
    """A slug claim no org uses (left by an interrupted operation) and older than the grace."""
    if utcnow() - aware(claim["claimed_at"]) < (grace() if within is None else within):
        return False
    owner = orgs.get(claim["org_id"])
    if owner is None:
        return True
    return claim["_id"] not in (owner.slug, (owner.pending or {}).get("to_slug"))


def claim(slug: str, holder: str) -> None:
    """Take ``slug`` for ``holder``, replacing a stale claim. Raises Taken(ORG_NAME)."""
    try:
        orgs.claim_slug(slug, holder)
    except Taken:
        held = orgs.slug_claim(slug)
        if held is None or not is_stale_claim(held):
            raise
        orgs.release_slug(slug, held["org_id"])
        orgs.claim_slug(slug, holder)


def begin_create(doc: dict[str, Any]) -> Org:
    """Claim the slug, then insert the org (``creating``) with its intent."""
    claim(doc["slug"], str(doc["_id"]))
    failpoints.hit("create.slug_claimed")
    now = utcnow()
    pending = {"op": "create", "started_at": now}
    org = orgs.insert(
        {**doc, "status": CREATING, "pending": pending, "version": 1, "created_at": now}
        | {"updated_at": now}
    )
    failpoints.hit("create.org_inserted")
    return org


def finish_create(org: Org) -> Org:
    placement.create(placement.of(org))
    failpoints.hit("create.collection_created")
    done = orgs.transition(org.id, version=org.version, changes={"status": ACTIVE, "pending": None})
    failpoints.hit("create.org_activated")
    return done or moved(org)


def undo_create(org: Org) -> None:
    placement.remove(placement.of(org), batch=settings.ORG_BATCH_SIZE)
    admins.delete_for_org(org.id)
    orgs.delete(org.id)
    orgs.release_slug(org.slug, org.id)


def begin_rename(org: Org, *, display: str, slug: str) -> Org:
    """Claim the new slug and record the intent; nothing else has changed when this raises
    (AlreadyExists ``org_name_taken``, Busy)."""
    if slug != org.slug:
        claim(slug, org.id)
    failpoints.hit("rename.slug_claimed")
    moving = slug != org.slug and org.placement == placement.COLLECTION
    pending = {
        "op": "rename",
        "from_slug": org.slug,
        "from_collection": org.collection,
        "to_slug": slug,
        "to_collection": collection_for(slug) if moving else org.collection,
        "to_name": display,
        "started_at": utcnow(),
    }
    started = orgs.transition(
        org.id, version=org.version, changes={"status": RENAMING, "pending": pending}
    )
    if started is None:
        if slug != org.slug:
            orgs.release_slug(slug, org.id)
        raise changed_concurrently()
    failpoints.hit("rename.intent_recorded")
    return started


def abandon_rename(org: Org) -> None:
    """Undo a rename whose intent is recorded but whose records have not moved yet (the
    caller's other change failed): back to active, the target slug released."""
    step = org.pending or {}
    undone = orgs.transition(
        org.id, version=org.version, changes={"status": ACTIVE, "pending": None}
    )
    if undone is not None and step["to_slug"] != step["from_slug"]:
        orgs.release_slug(step["to_slug"], org.id)


def finish_rename(org: Org) -> Org:
    step = org.pending or {}
    if step["from_collection"] != step["to_collection"]:
        collection_ops.rename(step["from_collection"], step["to_collection"])
    failpoints.hit("rename.collection_renamed")
    # Written with the step that commits the rename: recovery re-runs it, the id dedupes it.
    renamed = {"old_slug": step["from_slug"], "slug": step["to_slug"], "name": step["to_name"]}
    emitted = events.event_id(org.id, events.ORG_RENAMED, org.version)
    events.emit(org.id, events.ORG_RENAMED, renamed, event_id=emitted)
    done = orgs.transition(
        org.id,
        version=org.version,
        changes={
            "name": step["to_name"],
            "slug": step["to_slug"],
            "collection": step["to_collection"],
            "status": ACTIVE,
            "pending": None,
        },
    )
    if done is None:
        return moved(org)
    failpoints.hit("rename.metadata_updated")
    if step["from_slug"] != step["to_slug"]:
        orgs.release_slug(step["from_slug"], org.id)
    failpoints.hit("rename.old_slug_released")
    return done


def begin_delete(org: Org, *, purge: bool = False) -> Org:
    """Record the intent (``deleting``); ``purge`` journals that purge_orgs started it."""
    pending = {"op": "delete", "started_at": utcnow()} | ({"purge": True} if purge else {})
    started = orgs.transition(
        org.id, version=org.version, changes={"status": DELETING, "pending": pending}
    )
    if started is None:
        raise changed_concurrently()
    failpoints.hit("delete.intent_recorded")
    return started


def _batch_removed(count: int) -> None:
    failpoints.hit("delete.batch_removed")


def finish_delete(org: Org) -> None:
    admins.delete_for_org(org.id)
    failpoints.hit("delete.admins_removed")
    placement.remove(placement.of(org), batch=settings.ORG_BATCH_SIZE, on_batch=_batch_removed)
    failpoints.hit("delete.collection_dropped")
    deleted = {"slug": org.slug, "name": org.name}
    emitted = events.event_id(org.id, events.ORG_DELETED)
    events.emit(org.id, events.ORG_DELETED, deleted, event_id=emitted)
    orgs.delete(org.id)
    failpoints.hit("delete.org_removed")
    for held in orgs.claims_of(org.id):
        orgs.release_slug(held["_id"], org.id)
    failpoints.hit("delete.slugs_released")
