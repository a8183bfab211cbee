"""The journaled steps of create, rename, delete and move, shared by the services and reconcile.

Each operation first records its intent in the org's document (``status`` + ``pending``), then
advances with idempotent steps and conditional updates on ``version``. Every step boundary has a
failpoint (orgservice.failpoints). Recovery rules, applied by ``reconcile``:

- create: finished when the admin exists (storage + activation are idempotent), otherwise
  rolled back (storage, org document and slug claim removed);
- rename: always finished forward — the target slug is already claimed, the intent recorded;
  only a ``collection`` org's collection is renamed, other placements change metadata only;
- delete: always finished forward — admins, records (a ``shared`` org's in batches), org
  document, then slug claims;
- move: see organizations.moves.
"""

from __future__ import annotations

from django.conf import settings

from organizations import moves
from organizations.moves import moved
from orgservice import failpoints
from tenancy import admins, lifecycle, orgs, placement
from tenancy.documents import ACTIVE, Org


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


def finish_rename(org: Org) -> Org:
    step = org.pending or {}
    if step["from_collection"] != step["to_collection"]:
        lifecycle.rename(step["from_collection"], step["to_collection"])
    failpoints.hit("rename.collection_renamed")
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
    orgs.release_slug(step["from_slug"], org.id)
    failpoints.hit("rename.old_slug_released")
    return done


def _batch_removed(count: int) -> None:
    failpoints.hit("delete.batch_removed")


def finish_delete(org: Org) -> None:
    admins.delete_for_org(org.id)
    failpoints.hit("delete.admins_removed")
    placement.remove(placement.of(org), batch=settings.ORG_BATCH_SIZE, on_batch=_batch_removed)
    failpoints.hit("delete.collection_dropped")
    orgs.delete(org.id)
    failpoints.hit("delete.org_removed")
    for claim in orgs.claims_of(org.id):
        orgs.release_slug(claim["_id"], org.id)
    failpoints.hit("delete.slugs_released")


def resume(org: Org) -> str:
    """Finish or roll back the org's pending operation; returns what was done."""
    op = (org.pending or {}).get("op")
    if op == "create":
        if admins.for_org(org.id):
            finish_create(org)
            return "create finished"
        undo_create(org)
        return "create rolled back"
    if op == "rename":
        finish_rename(org)
        return "rename finished"
    if op == "delete":
        finish_delete(org)
        return "delete finished"
    if op == "move":
        return moves.resume(org)
    return "nothing pending"
