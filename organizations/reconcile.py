"""Reconcile: finish or roll back interrupted operations and remove orphans.

Safe to run twice and from several processes at once: every step is idempotent and every
metadata change is conditional on the org's version. Operations younger than ``grace`` may still
be running in another process and are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings

from organizations import lifecycle
from organizations.services import is_stale_claim
from orgservice.errors import Conflict
from tenancy import admins, audit, orgs, placement
from tenancy import lifecycle as collections
from tenancy.documents import Org, aware, utcnow


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


def _age_ok(started, grace: timedelta) -> bool:
    return started is None or utcnow() - aware(started) >= grace


def _resume_pending(report: Report, grace: timedelta) -> None:
    for org in orgs.pending():
        if not _age_ok(org.pending.get("started_at"), grace):
            continue
        try:
            report.operations[org.slug] = lifecycle.resume(org)
        except Conflict:
            report.operations[org.slug] = "advanced concurrently"


def _locations(org: Org) -> list[placement.Location]:
    """Every place the org's records are or may be: its own, and its pending operation's."""
    found = [placement.of(org)]
    step = org.pending or {}
    found += [
        placement.location({"collection": v}, org.id)
        for k, v in step.items()
        if k.endswith("_collection")
    ]
    found += [placement.Location.from_dict(step[k]) for k in ("from", "to") if k in step]
    return found


def _referenced() -> list[placement.Location]:
    return [where for org in orgs.all_orgs() for where in _locations(org)]


def _drop_orphan_collections(report: Report, referenced: list[placement.Location]) -> None:
    names = {w.collection for w in referenced if w.placement == placement.COLLECTION}
    for name in sorted(collections.tenant_collections() - names):
        collections.drop(name)
        report.dropped_collections.append(name)


def _owned(org_id: str, kind: str) -> bool:
    # Read again: an org created after the listing above may already keep records there.
    org = orgs.get(org_id)
    return org is not None and any(w.placement == kind for w in _locations(org))


def _drop_orphan_databases(report: Report, referenced: list[placement.Location]) -> None:
    names = {w.database for w in referenced if w.placement == placement.DATABASE}
    for name in sorted(placement.tenant_databases() - names):
        if _owned(name.removeprefix(placement.DATABASE_PREFIX), placement.DATABASE):
            continue
        placement.remove(placement.Location(placement.DATABASE, "", name), batch=1)
        report.dropped_databases.append(name)


def _remove_orphan_shared(report: Report, referenced: list[placement.Location]) -> None:
    owners = {w.org_id for w in referenced if w.placement == placement.SHARED}
    for org_id in sorted(placement.shared_org_ids() - owners):
        if _owned(org_id, placement.SHARED):
            continue
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
    referenced = _referenced()
    _drop_orphan_collections(report, referenced)
    _drop_orphan_databases(report, referenced)
    _remove_orphan_shared(report, referenced)
    _remove_orphan_admins(report)
    _release_stale_claims(report, grace)
    if report.changed:
        audit.record("reconciled", operations=report.operations, dropped=report.dropped_collections)
    return report
