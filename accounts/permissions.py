"""DRF permission classes for org admins."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from accounts.principal import AdminPrincipal


class IsOrgAdmin(BasePermission):
    """The request carries a valid access token of an org admin."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, AdminPrincipal)
