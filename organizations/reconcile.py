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
from tenancy import admins, audit, orgs
from tenancy import lifecycle as collections
from tenancy.documents import aware, utcnow


@dataclass
class Report:
    operations: dict[str, str] = field(default_factory=dict)
    dropped_collections: list[str] = field(default_factory=list)
    removed_admins_of: list[str] = field(default_factory=list)
    released_slugs: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.operations
            or self.dropped_collections
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


def _referenced_collections() -> set[str]:
    names = set()
    for org in orgs.all_orgs():
        names.add(org.collection)
        step = org.pending or {}
        names.update(v for k, v in step.items() if k.endswith("_collection"))
    return names


def _drop_orphan_collections(report: Report) -> None:
    orphans = collections.tenant_collections() - _referenced_collections()
    for name in sorted(orphans):
        collections.drop(name)
        report.dropped_collections.append(name)


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
    """Bring the master database and the tenant collections back in line (see module doc)."""
    seconds = settings.LIFECYCLE_GRACE_SECONDS if grace_seconds is None else grace_seconds
    grace = timedelta(seconds=seconds)
    report = Report()
    _resume_pending(report, grace)
    _drop_orphan_collections(report)
    _remove_orphan_admins(report)
    _release_stale_claims(report, grace)
    if report.changed:
        audit.record("reconciled", operations=report.operations, dropped=report.dropped_collections)
    return report
