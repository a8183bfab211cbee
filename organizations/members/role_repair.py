"""Members without a valid role: found for staff, and given one explicitly (roles fail closed,
so a member stored without a role, e.g. before roles existed, may do nothing until then)."""

from __future__ import annotations

from kernel.errors import Conflict
from organizations.members.services import check_role
from tenancy import admins, audit, owners
from tenancy.documents import OWNER, ROLES, Admin


def roleless_members() -> list[Admin]:
    """Every member whose role is missing or unknown."""
    return admins.without_role(ROLES)


def member_assign_role(*, member: Admin, role: object, actor: str) -> Admin:
    """Give a role-less ``member`` the role ``role``; raises InvalidInput (``invalid_role``),
    Conflict (``member_changed``: its role changed meanwhile)."""
    new = check_role(role)
    if new == OWNER:
        owners.ensure(member.org_id)  # counted from the owners there are, before this one
    updated = admins.set_role(member.id, org_id=member.org_id, current=member.role, new=new)
    if updated is None:
        raise Conflict("The member changed concurrently; retry.", code="member_changed")
    if new == OWNER:
        owners.add(member.org_id)
    audit.record(
        "member_role_assigned",
        org_id=member.org_id,
        admin_id=member.id,
        old_role=member.role,
        new_role=new,
        actor=actor,
    )
    return updated
