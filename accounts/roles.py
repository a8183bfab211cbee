"""What each member role may do: the one table the services and views consult.

| action                                   | owner | admin            | member |
| ---------------------------------------- | ----- | ---------------- | ------ |
| read and write the org's records         | yes   | yes              | yes    |
| list and read members                    | yes   | yes              | yes    |
| change or remove a member                | yes   | not an owner     | no     |
| grant a role (invite, change a role)     | any   | admin or member  | no     |
| list, create, revoke invitations         | yes   | not for owners   | no     |
| make a member an owner (transfer)        | yes   | no               | no     |
| rename or delete the org                 | yes   | no               | no     |
| create, list, revoke API keys            | yes   | yes              | no     |
| read and export the audit log            | yes   | yes              | no     |
| leave the org                            | if another owner remains | yes | yes |

No role is a default: a member without a role, or with one not in this table, may do nothing
(accounts.permissions answers 403 ``no_role`` before any view runs).
"""

from __future__ import annotations

from kernel.errors import Forbidden
from tenancy.documents import ADMIN, MEMBER, OWNER, ROLES

__all__ = ["ADMIN", "MEMBER", "OWNER", "ROLES"]

_GRANTS = {OWNER: frozenset(ROLES), ADMIN: frozenset({ADMIN, MEMBER}), MEMBER: frozenset()}


def has_role(actor: str | None) -> bool:
    """Whether ``actor`` is one of the roles above (None or an unknown value is not)."""
    return actor in ROLES


def may_grant(actor: str | None, role: str) -> bool:
    """Whether ``actor`` may give someone ``role`` (by invitation or role change)."""
    return role in _GRANTS.get(actor, frozenset())


def may_manage(actor: str | None, target: str | None) -> bool:
    """Whether ``actor`` may change or remove a member whose role is ``target`` (and revoke an
    invitation for that role): owners anyone, admins anyone but owners, members no one; a
    member without a valid role only an owner (to give it one, or remove it)."""
    if not has_role(target):
        return is_owner(actor)
    return may_grant(actor, target)


def may_manage_invitations(actor: str | None) -> bool:
    return actor in (OWNER, ADMIN)


def may_manage_api_keys(actor: str | None) -> bool:
    return actor in (OWNER, ADMIN)


def may_read_audit(actor: str | None) -> bool:
    return actor in (OWNER, ADMIN)


def is_owner(actor: str | None) -> bool:
    """Only owners rename or delete the org and make other members owners."""
    return actor == OWNER


def forbidden(message: str = "Your role in this organization does not allow this.") -> Forbidden:
    return Forbidden(message, code="role_forbidden")


def require_owner(actor: str | None) -> None:
    """Raise Forbidden (``owner_required``) unless ``actor`` is an owner."""
    if not is_owner(actor):
        raise Forbidden("Only an owner of the organization may do this.", code="owner_required")
