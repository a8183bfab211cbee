"""Reconcile: finish or roll back interrupted operations and remove orphans.

Operations are finished through the state machine (organizations.orgs.orgstate.finish_overdue);
operations younger than ``grace`` may still be running in another process and are left alone.
Orphans are decided from fresh reads taken after the listing of what exists, never from the
snapshot of the orgs alone, so an org created, renamed or moved meanwhile keeps its records:

- an ``org_<slug>`` collection is dropped only while reconcile holds the slug's claim itself
  (so no org can take the slug, or rename or move into ``org_<slug>``, meanwhile) and a fresh
  read finds no org naming the collection; a slug some org holds keeps its collection;
- an ``orgdb_<id>`` database, or an org's documents in the shared collection, are removed only
  when a fresh read finds no org with that id (an id is never reused: a new org's document is
  written before its records' location).

Safe to run twice and from several processes at once, and against live operations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings

from kernel import failpoints
from organizations.orgs import orgstate
from organizations.orgs.lifecycle import is_stale_claim
from tenancy import admins, audit, orgs, placement
from tenancy import collection_ops as collections
from tenancy.documents import new_id
from tenancy.names import COLLECTION_PREFIX
from tenancy.signals import Taken

RESERVED_BY = "reconcile:"  # a slug claim reconcile holds while it drops org_<slug>


@dataclass
class Report:
    operations: dict[str, str] = field(default_factory=dict)
    dropped_collections: list[str] = field(default_factory=list)
    dropped_databases: list[str] = field(default_factory=list)
    removed_shared_of: list[str] = field(default_factory=list)
    removed_admins_of: list[str] = field(default_factory=list)
    released_slugs: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.operations
            or self.dropped_collections
            or self.dropped_databases
            or self.removed_shared_of
            or self.removed_admins_of
            or self.released_slugs
        )


def _resume_pending(report: Report, grace: timedelta) -> None:
    for org in orgs.pending():
        outcome = orgstate.finish_overdue(org, grace)
        if not outcome.startswith("operation still in progress"):
            report.operations[org.slug] = outcome


def _referenced() -> list[placement.Location]:
    return [where for org in orgs.all_orgs() for where in orgstate.locations(org)]


def _drop_if_orphan_collection(report: Report, name: str) -> None:
    slug, holder = name.removeprefix(COLLECTION_PREFIX), f"{RESERVED_BY}{new_id()}"
    try:
        orgs.claim_slug(slug, holder)
    except Taken:
        return  # an org holds the slug: it may be creating, renaming into or using org_<slug>
    try:
        if not orgs.using_collection(name):
            collections.drop(name)
            report.dropped_collections.append(name)
    finally:
        orgs.release_slug(slug, holder)


def _gone(org_id: str) -> bool:
    return orgs.get(org_id) is None


def _remove_orphans(report: Report, referenced: list[placement.Location], listed) -> None:
    names, databases, shared = listed
    owned = {w.collection for w in referenced if w.placement == placement.COLLECTION}
    for name in sorted(names - owned):
        _drop_if_orphan_collection(report, name)
    owned = {w.database for w in referenced if w.placement == placement.DATABASE}
    for name in sorted(databases - owned):
        if _gone(name.removeprefix(placement.DATABASE_PREFIX)):
            placement.remove(placement.Location(placement.DATABASE, "", name), batch=1)
            report.dropped_databases.append(name)
    owned = {w.org_id for w in referenced if w.placement == placement.SHARED}
    for org_id in sorted(shared - owned):
        if _gone(org_id):
            placement.remove_shared_of(org_id, batch=settings.ORG_BATCH_SIZE)
            report.removed_shared_of.append(org_id)


def _remove_orphan_admins(report: Report) -> None:
    for org_id in sorted(admins.org_ids()):
        if orgs.get(org_id) is None:
            admins.delete_for_org(org_id)
            report.removed_admins_of.append(org_id)


def _release_stale_claims(report: Report, grace: timedelta) -> None:
    for claim in orgs.claims():
        if is_stale_claim(claim, grace):
            orgs.release_slug(claim["_id"], claim["org_id"])
            report.released_slugs.append(claim["_id"])


def reconcile(*, grace_seconds: int | None = None) -> Report:
    """Bring the master database and every placement's records back in line (module doc)."""
    seconds = settings.LIFECYCLE_GRACE_SECONDS if grace_seconds is None else grace_seconds
    grace = timedelta(seconds=seconds)
    report = Report()
    _resume_pending(report, grace)
    referenced = _referenced()  # a first filter only; every removal reads again
    failpoints.reached("reconcile.orgs_read")
    listed = (
        collections.tenant_collections(),
        placement.tenant_databases(),
        placement.shared_org_ids(),
    )
    failpoints.reached("reconcile.locations_listed")
    _remove_orphans(report, referenced, listed)
    _remove_orphan_admins(report)
    _release_stale_claims(report, grace)
    if report.changed:
        audit.record("reconciled", operations=report.operations, dropped=report.dropped_collections)
    return report
