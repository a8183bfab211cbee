"""Suspend and resume an org (staff only): its members are refused while suspended, its records
are kept untouched, and resuming gives access back (organizations.orgs.standing runs the steps)."""

from __future__ import annotations

import unicodedata

from kernel.errors import Conflict, InvalidInput, NotFound
from kernel.invisible import has_invisible
from organizations.orgs import orgstate, standing
from tenancy.documents import ACTIVE, DELETED, SUSPENDED, Org, utcnow

REASON_MAX = 500


def clean_reason(raw: object) -> str:
    """The suspension's reason: required text, at most REASON_MAX characters, printable (it is
    shown on the org's public metadata). Raises InvalidInput (``invalid_reason``)."""
    reason = raw.strip() if isinstance(raw, str) else ""
    controls = any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in reason)
    if not reason or len(reason) > REASON_MAX or has_invisible(reason) or controls:
        raise InvalidInput(
            f"Give a reason: 1 to {REASON_MAX} printable characters.",
            code="invalid_reason",
            fields={"reason": ["1 to 500 printable characters."]},
        )
    return reason


def _in_service(org_id: str) -> Org:
    org = orgstate.settled(org_id)
    if org.status == DELETED:
        raise NotFound("Organization not found.", code="org_not_found")
    return org


def organization_suspend(*, org_id: str, reason: object, actor: str, ip: str | None = None) -> Org:
    """Suspend the org: its members' tokens, sessions and logins are refused from now on
    (accounts.org_access), records kept. Audited as ``org_suspended`` with the reason.

    Raises InvalidInput (``invalid_reason``), NotFound, Busy,
    Conflict (``org_already_suspended``)."""
    text = clean_reason(reason)
    org = _in_service(org_id)
    if org.status == SUSPENDED:
        raise Conflict("The organization is suspended already.", code="org_already_suspended")
    suspension = {"reason": text, "at": utcnow(), "by": actor}
    return standing.run(
        org,
        op="suspend",
        changes={"status": SUSPENDED, "suspension": suspension},
        event="org_suspended",
        details={"actor": actor, "ip": ip, "reason": text},
    )


def organization_resume(*, org_id: str, actor: str, ip: str | None = None) -> Org:
    """Give a suspended org back its access: tokens not otherwise revoked (expired, logged out,
    credentials changed) work again. Audited as ``org_resumed``.

    Raises NotFound, Busy, Conflict (``org_not_suspended``)."""
    org = _in_service(org_id)
    if org.status != SUSPENDED:
        raise Conflict("The organization is not suspended.", code="org_not_suspended")
    return standing.run(
        org,
        op="resume",
        changes={"status": ACTIVE, "suspension": None},
        event="org_resumed",
        details={"actor": actor, "ip": ip},
    )
