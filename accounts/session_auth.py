"""Browser sessions for org admins (the browsable API): the session holds only the admin's id
and token version; DRF authentication reads them back, with CSRF like DRF's SessionAuthentication.

A session ends when the admin logs out, is deleted, or their token version changes (a password
or email change, a reused refresh token): the stored version no longer matches, so the session
are dropped from the session and the request is anonymous.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import rotate_token
from rest_framework.authentication import SessionAuthentication

from accounts import org_access, services
from accounts.principal import MemberPrincipal
from accounts.throttling import LoginRateThrottle
from tenancy import admins, audit
from tenancy.documents import Admin

ADMIN_ID = "org_admin_id"
TOKEN_VERSION = "org_admin_tv"


def log_in(request: HttpRequest, *, email: object, password: object, ip: str | None) -> Admin:
    """Check the credentials with accounts.services.check_credentials (bcrypt, throttling, audit)
    and start a session for the admin. Raises AuthenticationFailed, RateLimited."""
    LoginRateThrottle().check(request)
    admin = services.check_credentials(email=email, password=password, ip=ip)
    request.session.cycle_key()  # no session fixation
    rotate_token(request)
    request.session[ADMIN_ID] = admin.id
    request.session[TOKEN_VERSION] = admin.token_version
    return admin


def current_admin(request: HttpRequest) -> Admin | None:
    """The admin of the request's session, if it is still valid; else the session forgets it
    (anything else in the session, such as a staff login to the admin site, stays)."""
    member_id = request.session.get(ADMIN_ID)
    if member_id is None:
        return None
    admin = admins.get(member_id) if isinstance(member_id, str) else None
    if admin is None or admin.token_version != request.session.get(TOKEN_VERSION):
        request.session.pop(ADMIN_ID, None)
        request.session.pop(TOKEN_VERSION, None)
        return None
    return admin


def log_out(request: HttpRequest, *, ip: str | None) -> None:
    """End the session (idempotent)."""
    admin = current_admin(request)
    request.session.flush()
    if admin is not None:
        audit.record("logout", org_id=admin.org_id, admin_id=admin.id, ip=ip, via="browser")


class AdminSessionAuthentication(SessionAuthentication):
    """The same MemberPrincipal as the JWT authentication, from a browser session; unsafe
    methods need the CSRF token."""

    def authenticate(self, request) -> tuple[MemberPrincipal, None] | None:
        admin = current_admin(request._request)
        if admin is None:
            return None
        org = org_access.require_org_in_service(admin.org_id)
        self.enforce_csrf(request)
        principal = MemberPrincipal(
            member_id=admin.id, org_id=admin.org_id, email=admin.email, role=admin.role, org=org
        )
        return principal, None
