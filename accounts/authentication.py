"""DRF authentication: a Bearer access token, checked against the admin's current state."""

from __future__ import annotations

from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken

from accounts.principal import AdminPrincipal
from tenancy import admins


class AdminJWTAuthentication(JWTAuthentication):
    """Loads the admin through tenancy. A token of a deleted admin, or issued before the
    admin's last credential change (token version), is refused with 401."""

    def get_user(self, validated_token) -> AdminPrincipal:
        admin_id = validated_token.get("admin_id")
        admin = admins.get(admin_id) if isinstance(admin_id, str) else None
        if admin is None:
            raise AuthenticationFailed("Unknown admin.", code="user_not_found")
        if validated_token.get("tv") != admin.token_version:
            raise InvalidToken("Token has been revoked.")
        return AdminPrincipal(
            admin_id=admin.id,
            org_id=admin.org_id,
            email=admin.email,
            token_jti=validated_token.get("jti"),
        )
