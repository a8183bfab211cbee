"""Audit log services: an org's owners and admins read a page of its events or export them all;
staff export across orgs. Reads only: nothing here writes the log."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from accounts import roles
from accounts.principal import MemberPrincipal
from organizations.audit import filters
from tenancy import audit
from tenancy.audit import AuditEvent
from tenancy.documents import Org


@dataclass(frozen=True)
class AuditPage:
    results: list[AuditEvent]
    next_cursor: str | None


def _may_read(actor: MemberPrincipal) -> None:
    if not roles.may_read_audit(actor.role):
        raise roles.forbidden("Only owners and admins may read the organization's audit log.")


def audit_page(*, actor: MemberPrincipal, org: Org, params: Mapping[str, list[str]]) -> AuditPage:
    """One page of the org's events, newest first. Raises Forbidden (``role_forbidden``) for a
    member, InvalidInput for a bad filter, limit or cursor."""
    _may_read(actor)
    page_query = filters.parse_page(params, org_id=org.id)
    found = audit.page(page_query.query, before=page_query.before, limit=page_query.limit + 1)
    results = found[: page_query.limit]
    more = len(found) > page_query.limit
    last = results[-1] if results else None
    cursor = filters.encode_cursor(last.at, last.id) if more and last else None
    return AuditPage(results=results, next_cursor=cursor)


def audit_export(
    *, actor: MemberPrincipal, org: Org, params: Mapping[str, list[str]]
) -> Iterator[AuditEvent]:
    """Every matching event of the org, oldest first, read as it is consumed. The filters are
    checked (and the role) before the first event is read."""
    _may_read(actor)
    return audit.export(filters.parse_filters(params, org_id=org.id))


def staff_audit_export(params: Mapping[str, list[str]]) -> Iterator[AuditEvent]:
    """Every matching event of every org (and those of no org, such as failed logins), oldest
    first: for the staff panel, whose view checks the permission. ``org`` (an id) narrows it."""
    params = dict(params)
    org_id = filters.parse_org(params.pop("org", None))
    return audit.export(filters.parse_filters(params, org_id=org_id))
