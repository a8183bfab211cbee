"""Read side of the admin panel: validated list queries, one page of orgs, an org's details."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from accounts.emails import normalize_email
from kernel.errors import Busy, InvalidInput, NotFound
from organizations.orgs import orgstate
from organizations.staff.services import staff_org
from tenancy import admins, api_key_store, audit, invitation_store, org_listing, orgs
from tenancy.api_key_store import ApiKey
from tenancy.documents import Org, aware
from tenancy.invitation_store import Invitation
from tenancy.stats import CollectionStats, records_stats

PAGE_SIZE = 50
SORTS = ("slug", "-slug", "created_at", "-created_at")
SEARCH_MAX = 254
_PAGE_DIGITS = 9
_AUDIT_SHOWN = ("event", "at", "actor", "org_id")


@dataclass(frozen=True)
class ListQuery:
    """What the list page was asked for, after validation (bad values fall back to defaults)."""

    search: str = ""
    sort: str = "slug"
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> ListQuery:
        search = params.get("q", "").strip()[:SEARCH_MAX]
        sort = params.get("sort", "slug")
        return cls(search=search, sort=sort if sort in SORTS else "slug", page=_page(params))


def _page(params: Mapping[str, str]) -> int:
    raw = params.get("p", "1")
    if not raw.isascii() or not raw.isdigit() or len(raw) > _PAGE_DIGITS:
        return 1
    return max(1, int(raw))


@dataclass(frozen=True)
class OrgPage:
    orgs: list[Org]
    total: int
    page: int
    pages: int
    query: ListQuery

    @property
    def first_index(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.orgs else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.orgs) - 1 if self.orgs else 0


def _by_admin_email(query: ListQuery) -> OrgPage:
    try:
        admin = admins.get_by_email(normalize_email(query.search))
    except InvalidInput:
        admin = None
    org = orgs.get(admin.org_id) if admin else None
    found = [org] if org else []
    return OrgPage(orgs=found, total=len(found), page=1, pages=1, query=query)


def org_page(query: ListQuery) -> OrgPage:
    """One page of orgs: an admin's email finds that admin's org; any other text is a prefix of
    the name, matched through the slug (as everywhere in the service). Only the page's orgs are
    read (indexed range, sort and skip/limit); a page past the end shows the last page."""
    if "@" in query.search:
        return _by_admin_email(query)
    prefix = org_listing.slug_prefix(query.search)
    if query.search and not prefix:
        return OrgPage(orgs=[], total=0, page=1, pages=1, query=query)
    total = org_listing.count(prefix=prefix)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(query.page, pages)
    found = org_listing.page(
        prefix=prefix,
        sort=query.sort.lstrip("-"),
        descending=query.sort.startswith("-"),
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    return OrgPage(orgs=found, total=total, page=page, pages=pages, query=query)


@dataclass(frozen=True)
class AdminSummary:
    """An org admin as staff see it: no password, no hash."""

    id: str
    email: str
    created_at: datetime
    last_login_at: datetime | None
    role: str | None  # None: no role, no access


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    event: str
    actor: str
    details: str


@dataclass(frozen=True)
class OrgDetail:
    org: Org
    admins: list[AdminSummary]
    stats: CollectionStats | None  # None while an operation leaves the figures unknowable
    events: list[AuditLine]
    overdue: bool
    invitations: list[Invitation] = field(default_factory=list)  # pending ones
    metadata_json: str = "{}"  # the owners' metadata, pretty-printed (escaped by the template)
    api_keys: list[ApiKey] = field(default_factory=list)  # shown without their secret hash


def _audit_line(entry: dict[str, Any]) -> AuditLine:
    rest = {k: v for k, v in entry.items() if k not in _AUDIT_SHOWN and v not in (None, [], {})}
    details = ", ".join(f"{key}={value}" for key, value in sorted(rest.items()))
    return AuditLine(
        at=aware(entry["at"]), event=entry["event"], actor=entry.get("actor") or "", details=details
    )


def _stats(org: Org) -> CollectionStats | None:
    """The org's record figures, read where its records are whole (organizations.orgs.orgstate);
    None while an operation on it makes them unknowable."""
    try:
        return orgstate.read(org.id, records_stats)
    except (Busy, NotFound):
        return None


def member_summaries(org_id: str) -> list[AdminSummary]:
    """The org's members as the panel lists them (no credentials)."""
    return [
        AdminSummary(
            id=a.id,
            email=a.email,
            created_at=a.created_at,
            last_login_at=a.last_login_at,
            role=a.role,
        )
        for a in admins.for_org(org_id)
    ]


def org_detail(org_id: str) -> OrgDetail:
    """Everything the detail page shows; raises NotFound."""
    org = staff_org(org_id)
    summaries = member_summaries(org.id)
    return OrgDetail(
        org=org,
        admins=summaries,
        stats=_stats(org),
        events=[_audit_line(e) for e in audit.recent(org_id=org.id, limit=20)],
        overdue=org.pending is not None and orgstate.is_overdue(org),
        invitations=invitation_store.pending_for_org(org.id),
        metadata_json=json.dumps(org.metadata, indent=2, sort_keys=True, ensure_ascii=False),
        api_keys=api_key_store.for_org(org.id),
    )
