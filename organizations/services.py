"""Organization services: create, rename, change credentials, delete. Business rules live here;
API views, admin views and management commands all call these."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings

from accounts import passwords
from accounts import services as accounts
from accounts.emails import normalize_email
from organizations import lifecycle, moves
from orgservice import failpoints
from orgservice.errors import AlreadyExists, Conflict, NotFound
from tenancy import admins, audit, orgs
from tenancy import placement as placements
from tenancy.documents import (
    CREATING,
    DELETING,
    MOVING,
    OWNER,
    RENAMING,
    Org,
    aware,
    new_id,
    utcnow,
)
from tenancy.names import clean_name, collection_for, slugify


def _grace() -> timedelta:
    return timedelta(seconds=settings.LIFECYCLE_GRACE_SECONDS)


def is_stale_claim(claim: dict, grace: timedelta | None = None) -> bool:
    """A slug claim no org uses (left by an interrupted operation) and older than the grace."""
    if utcnow() - aware(claim["claimed_at"]) < (_grace() if grace is None else grace):
        return False
    owner = orgs.get(claim["org_id"])
    if owner is None:
        return True
    return claim["_id"] not in (owner.slug, (owner.pending or {}).get("to_slug"))


def _claim(slug: str, org_id: str) -> None:
    try:
        orgs.claim_slug(slug, org_id)
    except AlreadyExists:
        claim = orgs.slug_claim(slug)
        if claim is None or not is_stale_claim(claim):
            raise
        orgs.release_slug(slug, claim["org_id"])
        orgs.claim_slug(slug, org_id)


def is_overdue(org: Org) -> bool:
    started = (org.pending or {}).get("started_at")
    return started is not None and utcnow() - aware(started) >= _grace()


def settle_overdue(org: Org) -> bool:
    """Finish (or roll back) the org's operation if it has been pending past the grace period,
    i.e. was interrupted; True when something was done. Safe against a concurrent reconcile."""
    if org.pending is None or not is_overdue(org):
        return False
    with contextlib.suppress(Conflict):  # another process advanced it first
        lifecycle.resume(org)
    return True


def _settled(org_id: str) -> Org:
    """The org, with no operation in flight. An operation pending past the grace period was
    interrupted: it is finished (or rolled back) here. Raises NotFound, Conflict."""
    org = orgs.get(org_id)
    if org is None:
        raise NotFound("Organization not found.", code="org_not_found")
    if org.pending is None:
        return org
    if not settle_overdue(org):
        raise Conflict(
            "Another operation on this organization is in progress; retry shortly.",
            code="org_busy",
        )
    return _settled(org_id)


def _busy() -> Conflict:
    return Conflict("The organization changed concurrently; retry.", code="org_busy")


def organization_create(
    *,
    name: object,
    admin_email: object,
    admin_password: object,
    ip: str | None = None,
    placement: object = None,
    actor: str | None = None,
) -> Org:
    """Create an org, its admin and where its records live: ``placement`` (collection,
    shared or database; settings.ORG_PLACEMENT when None). ``actor`` names staff acting.

    Raises InvalidInput (name, email, weak or over-long password, placement) and AlreadyExists
    (``org_name_taken``, ``email_taken``). Nothing is left behind on failure."""
    where = placements.default() if placement is None else placements.check(placement)
    display = clean_name(name)
    slug = slugify(display)
    email = normalize_email(admin_email)
    password_hash = passwords.hash_password(passwords.check_strength(admin_password, email=email))
    oid = new_id()
    _claim(slug, str(oid))
    failpoints.hit("create.slug_claimed")
    now = utcnow()
    org = orgs.insert(
        {
            "_id": oid,
            "name": display,
            "slug": slug,
            **placements.fields_for(where, org_id=str(oid), slug=slug),
            "status": CREATING,
            "pending": {"op": "create", "started_at": now},
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
    )
    failpoints.hit("create.org_inserted")
    try:
        admin = admins.insert(org_id=org.id, email=email, password_hash=password_hash, role=OWNER)
    except AlreadyExists:
        lifecycle.undo_create(org)
        raise
    failpoints.hit("create.admin_inserted")
    org = lifecycle.finish_create(org)
    audit.record("org_created", org_id=org.id, admin_id=admin.id, slug=slug, ip=ip, actor=actor)
    return org


def organization_rename(
    *, org_id: str, new_name: object, actor: str | None = None, ip: str | None = None
) -> Org:
    """Rename the org; a ``collection`` org's collection moves to ``org_<new slug>`` with
    everything in it (other placements keep their records where they are: metadata only).

    Raises InvalidInput, NotFound, AlreadyExists (``org_name_taken``), Conflict (``org_busy``)."""
    display = clean_name(new_name)
    slug = slugify(display)
    org = _settled(org_id)
    if slug == org.slug:
        renamed = orgs.transition(org.id, version=org.version, changes={"name": display})
        if renamed is None:
            raise _busy()
        return renamed
    _claim(slug, org.id)
    failpoints.hit("rename.slug_claimed")
    pending = {
        "op": "rename",
        "from_slug": org.slug,
        "from_collection": org.collection,
        "to_slug": slug,
        "to_collection": (
            collection_for(slug) if org.placement == placements.COLLECTION else org.collection
        ),
        "to_name": display,
        "started_at": utcnow(),
    }
    started = orgs.transition(
        org.id, version=org.version, changes={"status": RENAMING, "pending": pending}
    )
    if started is None:
        orgs.release_slug(slug, org.id)
        raise _busy()
    failpoints.hit("rename.intent_recorded")
    done = lifecycle.finish_rename(started)
    audit.record("org_renamed", org_id=org.id, actor=actor, ip=ip, old=org.slug, new=slug)
    return done


def organization_update(
    *,
    org_id: str,
    admin_id: str,
    new_name: object = None,
    email: object = None,
    password: object = None,
    current_password: object = None,
    ip: str | None = None,
) -> Org:
    """The assignment's update: rename and/or change the acting admin's credentials; changing
    the email or password takes ``current_password`` (accounts.services.reauthenticate).

    Inputs are all validated before anything changes."""
    if email is not None or password is not None:
        accounts.reauthenticate(
            admin_id=admin_id, current_password=current_password, new_email=email, ip=ip
        )
    if new_name is not None:
        slugify(clean_name(new_name))
    if email is not None:
        normalize_email(email)
    if password is not None:
        passwords.check_strength(password)
    org = _settled(org_id)
    if email is not None or password is not None:
        accounts.change_credentials(admin_id=admin_id, email=email, password=password, ip=ip)
    if new_name is not None:
        org = organization_rename(org_id=org_id, new_name=new_name, actor=admin_id, ip=ip)
    return org


def organization_delete(*, org_id: str, actor: str | None = None, ip: str | None = None) -> None:
    """Delete the org: its admins (their tokens stop working), its collection with every
    record, its metadata and its slug. Raises NotFound, Conflict (``org_busy``)."""
    org = _settled(org_id)
    started = orgs.transition(
        org.id,
        version=org.version,
        changes={"status": DELETING, "pending": {"op": "delete", "started_at": utcnow()}},
    )
    if started is None:
        raise _busy()
    failpoints.hit("delete.intent_recorded")
    lifecycle.finish_delete(started)
    audit.record("org_deleted", org_id=org.id, actor=actor, ip=ip, slug=org.slug)


def organization_move(
    *,
    org_id: str,
    to: object,
    actor: str | None = None,
    on_copied: Callable[[int], None] | None = None,
) -> Org:
    """Move the org's records to placement ``to``, online: copy, verify, switch, clean up
    (organizations.moves); record writes get 409 ``org_busy`` meanwhile. ``on_copied`` hears
    each copied batch's size. Returns the org unchanged when it is already there.

    Raises InvalidInput (placement), NotFound, Conflict (``org_busy``, ``move_unverified``)."""
    target_placement = placements.check(to)
    org = _settled(org_id)
    if org.placement == target_placement:
        return org
    target = placements.location(
        placements.fields_for(target_placement, org_id=org.id, slug=org.slug), org.id
    )
    pending = {
        "op": "move",
        "phase": "copying",
        "from": placements.of(org).as_dict(),
        "to": target.as_dict(),
        "started_at": utcnow(),
    }
    started = orgs.transition(
        org.id, version=org.version, changes={"status": MOVING, "pending": pending}
    )
    if started is None:
        raise _busy()
    failpoints.hit("move.intent_recorded")
    done = moves.finish_move(started, on_copied=on_copied)
    audit.record("org_moved", org_id=org.id, actor=actor, source=org.placement, target=to)
    return done
