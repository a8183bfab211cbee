"""DRF permission classes for org members and org API keys."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from accounts import roles
from accounts.api_keys import ApiKeyPrincipal
from accounts.principal import MemberPrincipal
from kernel.errors import Forbidden


def insufficient_scope(scope: str | None) -> Forbidden:
    needed = f"the {scope!r} scope" if scope else "a member's sign-in (no API key may)"
    return Forbidden(f"This API key cannot do this: it needs {needed}.", code="insufficient_scope")


class IsOrgMember(BasePermission):
    """The request carries a valid access token (or session) of an org member who holds a role;
    a member without one (missing or unknown) is refused with 403 ``no_role``: roles fail
    closed. An API key is refused with 403 ``insufficient_scope``: keys act only where
    IsOrgMemberOrScopedKey lets them."""

    def has_permission(self, request, view) -> bool:
        if isinstance(request.user, ApiKeyPrincipal):
            raise insufficient_scope(None)
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


class IsOrgMemberOrScopedKey(IsOrgMember):
    """An org member (as IsOrgMember), or an API key holding the scope the view's
    ``key_scopes`` names for the request's method; a method it does not name is refused to every
    key (403 ``insufficient_scope``)."""

    def has_permission(self, request, view) -> bool:
        if not isinstance(request.user, ApiKeyPrincipal):
            return super().has_permission(request, view)
        scope = getattr(view, "key_scopes", {}).get(request.method)
        if scope is None or scope not in request.user.scopes:
            raise insufficient_scope(scope)
        return True
