"""DRF authentication: a Bearer access token, checked against the admin's current state."""

from __future__ import annotations

from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError

from accounts import org_access, tokens
from accounts.principal import MemberPrincipal
from tenancy import admins, revocations


class AdminJWTAuthentication(JWTAuthentication):
    """Accepts only our access tokens (signed under a current or previous key, see
    accounts.tokens). A token of a deleted admin, issued before the admin's last credential
    change (token version), or revoked at logout is refused with 401, as is a malformed one
    (non-ASCII bytes, over-long), whatever bytes the header carries; so is any token of a
    suspended or deleted org (accounts.org_access: 401 ``org_suspended`` / ``org_deleted``)."""

    def get_header(self, request) -> bytes | None:
        # DRF encodes the header as ISO-8859-1; a value that is not (possible outside a WSGI
        # server) is a malformed credential: 401, not a UnicodeEncodeError.
        try:
            return super().get_header(request)
        except UnicodeError as exc:
            raise InvalidToken("Token is invalid or expired.") from exc

    def get_validated_token(self, raw_token: bytes) -> tokens.AccessToken:
        try:
            return tokens.decode_access(raw_token)
        except TokenError as exc:
            raise InvalidToken("Token is invalid or expired.") from exc

    def get_user(self, validated_token) -> MemberPrincipal:
        member_id = validated_token.get("admin_id")
        admin = admins.get(member_id) if isinstance(member_id, str) else None
        if admin is None:
            raise AuthenticationFailed("Unknown admin.", code="user_not_found")
        if validated_token.get("tv") != admin.token_version:
            raise InvalidToken("Token has been revoked.")
        jti = validated_token.get("jti")
        if not isinstance(jti, str) or revocations.is_revoked(jti):
            raise InvalidToken("Token has been revoked.")
        org = org_access.require_org_in_service(admin.org_id)
        return MemberPrincipal(
            member_id=admin.id,
            org_id=admin.org_id,
            email=admin.email,
            token_jti=jti,
            role=admin.role,
            org=org,
        )
