"""Member services: list and read an org's members, change a role, remove a member, make an
owner (or transfer ownership), leave. Permissions follow accounts.roles; "at least one owner"
holds under concurrent requests through tenancy.owners.

An email belongs to at most one org (the unique email index of tenancy.admins): login needs only
the email and every token stays single-org. Someone already in another org can be invited (the
answer does not tell), but cannot accept with the same email.

An invitation carries its sender's authority: removing a member revokes their pending
invitations, and a role change revokes those granting more than the new role may grant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from accounts import org_access, roles
from accounts.principal import MemberPrincipal
from kernel.errors import Conflict, InvalidInput, NotFound
from organizations.orgs.orgstate import settle_overdue
from organizations.webhooks import events
from tenancy import admins, audit, invitation_store, orgs, owners
from tenancy.documents import CREATING, DELETING, OWNER, Admin, Org


@dataclass(frozen=True)
class Member:
    """A member as the API shows it: no password, no hash, no token version."""

    id: str
    email: str
    role: str
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, admin: Admin) -> Member:
        return cls(admin.id, admin.email, admin.role, admin.created_at, admin.last_login_at)


def member_org(principal: MemberPrincipal, slug: str) -> Org:
    """The principal's own org, if ``slug`` names it. Another org's member gets the NotFound an
    unknown slug gets (as on the records routes): nothing tells whether that org exists. The
    org read at authentication on this request serves (org_access.principal_org)."""
    org = org_access.principal_org(principal)
    if org is not None and settle_overdue(org):
        org = orgs.get(principal.org_id)
    if org is None or org.slug != slug or org.status in (CREATING, DELETING):
        raise NotFound("Organization not found.", code="org_not_found")
    return org


def check_role(role: object) -> str:
    """``role`` if it is one of accounts.roles.ROLES; raises InvalidInput otherwise."""
    if role not in roles.ROLES:
        choices = ", ".join(roles.ROLES)
        raise InvalidInput(f"The role must be one of: {choices}.", code="invalid_role")
    return role


def _member(org_id: str, member_id: str) -> Admin:
    admin = admins.get(member_id)
    if admin is None or admin.org_id != org_id:
        raise NotFound("Member not found.", code="member_not_found")
    return admin


def _last_owner() -> Conflict:
    return Conflict(
        "An organization keeps at least one owner: make another member an owner first.",
        code="last_owner",
    )


def _missed(org_id: str, member_id: str) -> Conflict:
    """The error for a change that lost a race: the member is gone, or changed meanwhile."""
    _member(org_id, member_id)
    return Conflict("The member changed concurrently; retry.", code="member_changed")


def _change_role(org_id: str, target: Admin, role: str, *, by: str) -> Admin:
    """Give ``target`` the role ``role`` (another one than it has), keeping an owner."""
    if target.role == OWNER:
        if not owners.release(org_id):
            raise _last_owner()
    elif role == OWNER:
        owners.ensure(org_id)
    changed = {"member_id": target.id, "email": target.email, "old_role": target.role}
    version = target.token_version + 1  # the change bumps it: one event per change
    emitted = events.event_id(org_id, events.MEMBER_ROLE_CHANGED, target.id, version, role)
    with events.announcing(
        org_id, events.MEMBER_ROLE_CHANGED, changed | {"role": role}, event_id=emitted
    ):
        updated = admins.set_role(target.id, org_id=org_id, current=target.role, new=role)
        if updated is None:
            if target.role == OWNER:
                owners.add(org_id)
            raise _missed(org_id, target.id)
    if role == OWNER:
        owners.add(org_id)
    _revoke_invitations_beyond(org_id, target, role, by=by)
    return updated


def _remove(org_id: str, target: Admin, *, by: str) -> None:
    if target.role == OWNER and not owners.release(org_id):
        raise _last_owner()
    removed = {"member_id": target.id, "email": target.email, "role": target.role, "by": by}
    emitted = events.event_id(org_id, events.MEMBER_REMOVED, target.id)
    with events.announcing(org_id, events.MEMBER_REMOVED, removed, event_id=emitted):
        if not admins.remove(target.id, org_id=org_id, current=target.role):
            if target.role == OWNER:
                owners.add(org_id)
            raise _missed(org_id, target.id)
    _revoke_invitations_beyond(org_id, target, None, by=by)


def _revoke_invitations_beyond(org_id: str, sender: Admin, role: str | None, by: str) -> None:
    """An invitation carries its sender's authority: when the sender is removed (``role``
    None) or may no longer grant what an invitation grants, it is revoked."""
    beyond = None if role is None else [r for r in roles.ROLES if not roles.may_grant(role, r)]
    if beyond == []:
        return
    revoked = invitation_store.revoke_pending_sent_by(
        org_id=org_id, invited_by=sender.id, by=by, roles=beyond
    )
    if revoked:
        reason = "inviter_removed" if role is None else "inviter_role_changed"
        audit.record(
            "invitations_revoked",
            org_id=org_id,
            actor=by,
            admin_id=sender.id,
            invitation_ids=revoked,
            reason=reason,
        )


def member_list(org: Org) -> list[Member]:
    """The org's members, oldest first."""
    return [Member.of(a) for a in sorted(admins.for_org(org.id), key=lambda a: a.created_at)]


def member_get(org: Org, member_id: str) -> Member:
    """Raises NotFound (``member_not_found``) for an id that is not a member of ``org``."""
    return Member.of(_member(org.id, member_id))


def member_set_role(
    *, actor: MemberPrincipal, org: Org, member_id: str, role: object, ip: str | None = None
) -> Member:
    """Change a member's role; the member's tokens stop working (new ones carry the new role).

    Raises InvalidInput (``invalid_role``), NotFound, Forbidden (``role_forbidden``: a member
    acting, an admin touching an owner or granting ownership), Conflict (``last_owner``,
    ``member_changed``)."""
    new = check_role(role)
    target = _member(org.id, member_id)
    if not (roles.may_manage(actor.role, target.role) and roles.may_grant(actor.role, new)):
        raise roles.forbidden()
    if new == target.role:
        return Member.of(target)
    updated = _change_role(org.id, target, new, by=actor.member_id)
    audit.record(
        "member_role_changed",
        org_id=org.id,
        actor=actor.member_id,
        admin_id=target.id,
        old_role=target.role,
        new_role=new,
        ip=ip,
    )
    return Member.of(updated)


def member_leave(*, actor: MemberPrincipal, org: Org, ip: str | None = None) -> None:
    """The acting member leaves the org (its tokens stop working). Raises Conflict
    (``last_owner``) for the only owner."""
    me = _member(org.id, actor.member_id)
    _remove(org.id, me, by=me.id)
    audit.record("member_left", org_id=org.id, actor=me.id, admin_id=me.id, role=me.role, ip=ip)


def member_remove(
    *, actor: MemberPrincipal, org: Org, member_id: str, ip: str | None = None
) -> None:
    """Remove a member (removing oneself is leaving). Raises NotFound, Forbidden
    (``role_forbidden``), Conflict (``last_owner``, ``member_changed``)."""
    target = _member(org.id, member_id)
    if target.id == actor.member_id:
        return member_leave(actor=actor, org=org, ip=ip)
    if not roles.may_manage(actor.role, target.role):
        raise roles.forbidden()
    _remove(org.id, target, by=actor.member_id)
    audit.record(
        "member_removed",
        org_id=org.id,
        actor=actor.member_id,
        admin_id=target.id,
        role=target.role,
        ip=ip,
    )
    return None


def member_make_owner(
    *,
    actor: MemberPrincipal,
    org: Org,
    member_id: str,
    transfer: bool = False,
    ip: str | None = None,
) -> Member:
    """Make a member an owner (only an owner may). With ``transfer`` the acting owner then steps
    down to admin, in that order, so the org is never without an owner.

    Raises NotFound, Forbidden (``owner_required``), InvalidInput (transfer to oneself),
    Conflict (``member_changed``)."""
    roles.require_owner(actor.role)
    target = _member(org.id, member_id)
    if transfer and target.id == actor.member_id:
        raise InvalidInput("Transfer ownership to another member.", code="invalid_transfer")
    updated = (
        target if target.role == OWNER else _change_role(org.id, target, OWNER, by=actor.member_id)
    )
    me = _member(org.id, actor.member_id) if transfer else None
    if me is not None and me.role == OWNER:
        _change_role(org.id, me, roles.ADMIN, by=actor.member_id)
    audit.record(
        "ownership_transferred" if transfer else "ownership_granted",
        org_id=org.id,
        actor=actor.member_id,
        admin_id=target.id,
        old_role=target.role,
        ip=ip,
    )
    return Member.of(updated)
