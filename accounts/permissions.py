"""DRF permission classes for org admins."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from accounts import roles
from accounts.principal import MemberPrincipal
from kernel.errors import Forbidden


class IsOrgMember(BasePermission):
    """The request carries a valid access token (or session) of an org member who holds a role;
    a member without one (missing or unknown) is refused with 403 ``no_role``: roles fail
    closed."""

    def has_permission(self, request, view) -> bool:
        if not isinstance(request.user, MemberPrincipal):
            return False
        if not roles.has_role(request.user.role):
            raise Forbidden(
                "Your membership has no role in this organization; ask an owner to give you one.",
                code="no_role",
            )
        return True


class IsSignedIn(BasePermission):
    """Any authenticated member, with or without a role: only for ending their own session."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, MemberPrincipal)
