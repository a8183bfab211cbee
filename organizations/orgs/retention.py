"""Deletion with a restore window (ORG_DELETE_RETENTION): a delete leaves the org ``deleted``
(name reserved, members locked out, records kept) until ``purge_after``; within the window its
owner or staff restore it; after it, purge_orgs removes it for good through the delete operation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings

from accounts import roles
from accounts import services as accounts
from kernel import durations
from kernel.errors import AppError, AuthenticationFailed, Conflict, Gone, InvalidInput, NotFound
from organizations.orgs import lifecycle, orgstate, standing
from organizations.orgs.name_rules import clean_name, slugify
from tenancy import audit, orgs, purge_journal
from tenancy.documents import ACTIVE, DELETED, SUSPENDED, Org, utcnow


def window() -> timedelta:
    """settings.ORG_DELETE_RETENTION as a timedelta (0: deletes are immediate)."""
    return timedelta(seconds=durations.seconds(settings.ORG_DELETE_RETENTION))


def organization_retire(*, org_id: str, actor: str | None, ip: str | None = None) -> Org:
    """Delete the org within the restore window: ``deleted``, its records, members and name
    kept until ``purge_after``. Audited as ``org_deleted`` (``retained``). Raises NotFound, Busy."""
    org = orgstate.settled(org_id)
    if org.status == DELETED:  # a suspended org may be deleted (and restored suspended)
        raise NotFound("Organization not found.", code="org_not_found")
    now = utcnow()
    purge_after = now + window()
    return standing.run(
        org,
        op="soft_delete",
        changes={"status": DELETED, "deleted_at": now, "purge_after": purge_after},
        event="org_deleted",
        details={"actor": actor, "ip": ip, "slug": org.slug, "retained_until": purge_after},
    )


def organization_restore(
    *, org_id: str, actor: str, ip: str | None = None, now: datetime | None = None
) -> Org:
    """Bring a deleted org back within its window: active again (suspended, if it was when it
    was deleted), its members' access back. Audited as ``org_restored``.

    Raises NotFound, Busy, Conflict (``org_not_deleted``), Gone (``restore_window_expired``)."""
    org = orgstate.settled(org_id)
    if org.status != DELETED:
        raise Conflict("The organization is not deleted.", code="org_not_deleted")
    if (now or utcnow()) >= org.purge_after:
        raise Gone(
            "The restore window of this organization has ended; it is waiting to be purged.",
            code="restore_window_expired",
        )
    back = SUSPENDED if org.suspension else ACTIVE
    return standing.run(
        org,
        op="restore",
        changes={"status": back, "deleted_at": None, "purge_after": None},
        event="org_restored",
        details={"actor": actor, "ip": ip},
    )


def _org_named(name: str) -> Org | None:
    try:
        return orgs.get_by_slug(slugify(clean_name(name)))
    except InvalidInput:
        return None


def organization_restore_by_owner(
    *, organization_name: str, email: object, password: object, ip: str | None = None
) -> Org:
    """The owner's own restore, proved with their email and password (their tokens stopped
    working at the delete): checked and throttled as a login (accounts.verify_credentials);
    a wrong password, an unknown email or an org that is not theirs all get the same 401
    ``invalid_credentials``. Raises AuthenticationFailed, RateLimited, Forbidden
    (``owner_required``), and organization_restore's errors."""
    admin = accounts.verify_credentials(email=email, password=password, ip=ip)
    org = _org_named(organization_name)
    if org is None or org.id != admin.org_id:
        audit.record("restore_refused", org_id=admin.org_id, admin_id=admin.id, ip=ip)
        raise AuthenticationFailed("Invalid email or password.", code="invalid_credentials")
    roles.require_owner(admin.role)
    return organization_restore(org_id=org.id, actor=admin.id, ip=ip)


def purge(org: Org, *, actor: str) -> str:
    """Remove one expired deleted org for good, with the delete operation's steps. Journaled
    (tenancy.purge_journal) before its first step and ended after its last: a purge killed at
    any step is finished by the next run (``purge_expired``). Raises Busy when the org changed
    meanwhile (restored, say); the org is then left as it is."""
    purge_journal.begin(org.id, org.slug)
    try:
        started = org if org.pending else lifecycle.begin_delete(org, purge=True)
    except AppError:
        purge_journal.end(org.id)
        raise
    _purged(org.id, org.slug, actor)
    lifecycle.finish_delete(started)
    purge_journal.end(org.id)
    return "purged"


def _purged(org_id: str, slug: str, actor: str) -> None:
    audit.record("org_purged", org_id=org_id, event_id=f"purge:{org_id}", actor=actor, slug=slug)


def _resume(entry: dict, actor: str, now: datetime) -> str | None:
    """Finish a journaled purge; None when there was nothing left to purge."""
    org = orgs.get(entry["_id"])
    if org is None:  # killed after the org's document went: only its slug claims are left
        for held in orgs.claims_of(entry["_id"]):
            orgs.release_slug(held["_id"], entry["_id"])
        _purged(entry["_id"], entry["slug"], actor)
        purge_journal.end(entry["_id"])
        return "purged"
    purging = (org.pending or {}).get("purge") is True
    expired = org.status == DELETED and org.pending is None and org.purge_after <= now
    if purging or expired:
        return purge(org, actor=actor)
    purge_journal.end(org.id)  # restored before its delete began: not to purge
    return None


def purge_expired(
    *, actor: str, now: datetime | None = None, on_done: Callable[[str, str], None] | None = None
) -> dict[str, str]:
    """Finish every purge a crash interrupted, then purge every org whose restore window ended
    by ``now``; idempotent. Returns each org's outcome by slug; ``on_done(slug, outcome)``
    hears each org looked at."""
    now = now or utcnow()
    outcomes: dict[str, str] = {}

    def done(slug: str, outcome: str | None) -> None:
        if outcome is not None:
            outcomes[slug] = outcome
        if on_done is not None:
            on_done(slug, outcome or "nothing to purge")

    for entry in purge_journal.entries():
        done(entry["slug"], _attempt(lambda e=entry: _resume(e, actor, now)))
    for org in orgs.purgeable(now):
        done(org.slug, _attempt(lambda o=org: purge(o, actor=actor)))
    return outcomes


def _attempt(run: Callable[[], str | None]) -> str | None:
    try:
        return run()
    except AppError as exc:  # restored or advanced concurrently: left as it now is
        return f"skipped ({exc.code})"


def purgeable_count(now: datetime | None = None) -> int:
    """How many orgs a purge would look at: interrupted purges, and expired deleted orgs."""
    return len(purge_journal.entries()) + len(orgs.purgeable(now or utcnow()))
