"""Whether an org's members may act at all: the one check every authentication calls (tokens,
browser sessions, refresh, login, and any later credential such as an API key), at use."""

from __future__ import annotations

from kernel.errors import AppError, AuthenticationFailed, Forbidden
from tenancy import orgs
from tenancy.documents import DELETED, SUSPENDED, Org
from tenancy.record_store import HasOrgId

_REFUSED = {
    SUSPENDED: ("org_suspended", "This organization is suspended; contact support."),
    DELETED: ("org_deleted", "This organization has been deleted."),
}


def require_org_in_service(org_id: str, *, at_login: bool = False) -> Org | None:
    """Refuse a credential of an org that is suspended or deleted (within its restore window):
    401 ``org_suspended`` / ``org_deleted`` for a credential in use (token, session, API key),
    403 with the same code at login, which is checked only after the password matched, so it
    tells nothing to whoever does not hold the credentials. An org that does not exist (any
    more) is left to the caller's own lookup (its members are removed with it). Returns the
    org it read (None: gone), for the principal to carry (``principal_org``)."""
    org = orgs.get(org_id)
    if org is not None:
        require_in_service(org, at_login=at_login)
    return org


def require_in_service(org: Org, *, at_login: bool = False) -> None:
    """``require_org_in_service`` for an org the caller has read already."""
    if org.status not in _REFUSED:
        return
    code, message = _REFUSED[org.status]
    error: type[AppError] = Forbidden if at_login else AuthenticationFailed
    raise error(message, code=code)


def principal_org(principal: HasOrgId) -> Org | None:
    """The principal's org (None: it does not exist): the one its authentication read and
    checked on this same request when the principal carries it (a principal is built per
    request, so nothing is served across requests), else read now. Callers still apply their
    own checks (slug, status, overdue operations) to it."""
    org = getattr(principal, "org", None)
    if org is not None and org.id == principal.org_id:
        return org
    return orgs.get(principal.org_id)
