"""The journaled steps of create, rename and delete, shared by the services and reconcile.

Each operation first records its intent in the org's document (``status`` + ``pending``), then
advances with idempotent steps and conditional updates on ``version``. Every step boundary has a
failpoint (orgservice.failpoints). Recovery rules, applied by ``reconcile``:

- create: finished when the admin exists (collection + activation are idempotent), otherwise
  rolled back (collection, org document and slug claim removed);
- rename: always finished forward — the target slug is already claimed, the intent recorded;
- delete: always finished forward — admins, collection, org document, then slug claims.
"""

from __future__ import annotations

from orgservice import failpoints
from orgservice.errors import Conflict
from tenancy import admins, lifecycle, orgs
from tenancy.documents import ACTIVE, Org


def _moved(org: Org) -> Org:
    """The org as it is now, after another process advanced it first."""
    current = orgs.get(org.id)
    if current is None:
        raise Conflict("The organization changed during the operation.", code="org_busy")
    return current


def finish_create(org: Org) -> Org:
    lifecycle.create(org.collection)
    failpoints.hit("create.collection_created")
    done = orgs.transition(org.id, version=org.version, changes={"status": ACTIVE, "pending": None})
    failpoints.hit("create.org_activated")
    return done or _moved(org)


def undo_create(org: Org) -> None:
    lifecycle.drop(org.collection)
    admins.delete_for_org(org.id)
    orgs.delete(org.id)
    orgs.release_slug(org.slug, org.id)


def finish_rename(org: Org) -> Org:
    step = org.pending or {}
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
        return _moved(org)
    failpoints.hit("rename.metadata_updated")
    orgs.release_slug(step["from_slug"], org.id)
    failpoints.hit("rename.old_slug_released")
    return done


def finish_delete(org: Org) -> None:
    admins.delete_for_org(org.id)
    failpoints.hit("delete.admins_removed")
    lifecycle.drop(org.collection)
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
    return "nothing pending"
