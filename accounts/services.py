"""Account services: login, token refresh and logout, credential changes."""

from __future__ import annotations

from accounts import org_access, passwords, throttling, tokens
from accounts.emails import normalize_email
from accounts.store_errors import api_errors
from kernel.errors import AuthenticationFailed, Forbidden, InvalidInput, RateLimited
from kernel.metrics import LOGINS
from tenancy import admins, audit, revocations
from tenancy.documents import Admin


def _invalid_credentials() -> AuthenticationFailed:
    # One body for unknown email and wrong password: no account enumeration.
    return AuthenticationFailed("Invalid email or password.", code="invalid_credentials")


def _email_key(email: object) -> str | None:
    """The normalized email, or None when it cannot be one."""
    try:
        return normalize_email(email)
    except InvalidInput:
        return None


def _verify(admin: Admin | None, password: object) -> bool:
    """Check the admin's password (a dummy check without an admin); a hash of an older
    algorithm or cost is replaced by the current one."""
    if admin is None:
        return passwords.verify(password, None)

    def upgrade(new_hash: bytes) -> None:
        admins.upgrade_password_hash(admin.id, old=admin.password_hash, new=new_hash)

    return passwords.verify(password, admin.password_hash, on_upgrade=upgrade)


def login(*, email: object, password: object, ip: str | None = None) -> tokens.TokenPair:
    """Tokens for the admin with these credentials (see check_credentials)."""
    return tokens.issue_pair(check_credentials(email=email, password=password, ip=ip))


def check_credentials(*, email: object, password: object, ip: str | None = None) -> Admin:
    """The admin with these credentials, its login audited (see verify_credentials). A member
    of a suspended or deleted org gets 403 ``org_suspended`` / ``org_deleted``, only once the
    password matched (accounts.org_access)."""
    admin = verify_credentials(email=email, password=password, ip=ip)
    try:
        org_access.require_org_in_service(admin.org_id, at_login=True)
    except Forbidden as refused:
        audit.record(
            "login_refused", org_id=admin.org_id, admin_id=admin.id, ip=ip, reason=refused.code
        )
        LOGINS.labels("failure").inc()
        raise
    admins.touch_login(admin.id)
    audit.record("login", org_id=admin.org_id, admin_id=admin.id, ip=ip)
    LOGINS.labels("success").inc()
    return admin


def verify_credentials(*, email: object, password: object, ip: str | None = None) -> Admin:
    """The admin with these credentials, whatever its org's state; raises AuthenticationFailed
    (``invalid_credentials``, audited as ``login_failed``) otherwise, and RateLimited over the
    per-account login rate (accounts.throttling; the per-client rate is the caller's
    LoginRateThrottle). Unknown emails cost a bcrypt check too, so both failures take the same
    time."""
    normalized = _email_key(email)
    raw_key = email.strip().lower() if isinstance(email, str) else ""
    try:
        throttling.check_login_account(normalized or raw_key)
    except RateLimited:
        LOGINS.labels("throttled").inc()
        raise
    admin = admins.get_by_email(normalized) if normalized else None
    if not _verify(admin, password):
        known = {"org_id": admin.org_id, "admin_id": admin.id} if admin else {}
        audit.record("login_failed", ip=ip, **known)
        LOGINS.labels("failure").inc()
        raise _invalid_credentials()
    return admin


def _invalid_refresh() -> AuthenticationFailed:
    return AuthenticationFailed("Invalid refresh token.", code="invalid_token")


def _current_admin(token: tokens.RefreshToken) -> Admin:
    """The admin a verified refresh token belongs to, if the token is still current."""
    member_id = token.get("admin_id")
    admin = admins.get(member_id) if isinstance(member_id, str) else None
    if admin is None or token.get("tv") != admin.token_version:
        raise _invalid_refresh()
    if not isinstance(token.get("jti"), str):
        raise _invalid_refresh()
    org_access.require_org_in_service(admin.org_id)
    return admin


def refresh(*, refresh_token: object, ip: str | None = None) -> tokens.TokenPair:
    """A new token pair for a valid refresh token of a current admin; the presented refresh
    token is revoked (rotation). Raises AuthenticationFailed for an invalid, expired, revoked or
    outdated token.

    Reuse of a rotated token means two parties hold it (a thief and the owner): every token of
    that admin is invalidated at once (token version bump), so both must log in again."""
    token = tokens.decode_refresh(refresh_token)
    admin = _current_admin(token)
    earlier = revocations.revoke(
        token["jti"],
        member_id=admin.id,
        expires_at=tokens.expires_at(token),
        reason=revocations.ROTATED,
    )
    if earlier == revocations.ROTATED:
        admins.bump_token_version(admin.id)
        audit.record("refresh_token_reused", org_id=admin.org_id, admin_id=admin.id, ip=ip)
    if earlier is not None:
        raise _invalid_refresh()
    audit.record("token_refreshed", org_id=admin.org_id, admin_id=admin.id, ip=ip)
    return tokens.issue_pair(admin)


def logout(
    *,
    member_id: str,
    refresh_token: object,
    access_token: tokens.AccessToken | None = None,
    ip: str | None = None,
) -> None:
    """Revoke the admin's refresh token, and the access token used to ask. Idempotent.

    Raises AuthenticationFailed for an invalid or outdated refresh token, Forbidden
    (``not_your_token``) for another admin's, which is left untouched."""
    token = tokens.decode_refresh(refresh_token)
    admin = _current_admin(token)
    if admin.id != member_id:
        raise Forbidden("This refresh token belongs to another admin.", code="not_your_token")
    for revoked in (token, access_token):
        if revoked is not None and isinstance(revoked.get("jti"), str):
            revocations.revoke(
                revoked["jti"],
                member_id=admin.id,
                expires_at=tokens.expires_at(revoked),
                reason=revocations.LOGOUT,
            )
    audit.record("logout", org_id=admin.org_id, admin_id=admin.id, ip=ip)


def _reauthentication_failed(admin: Admin, reason: str, ip: str | None) -> None:
    audit.record(
        "reauthentication_failed", org_id=admin.org_id, admin_id=admin.id, reason=reason, ip=ip
    )


def reauthenticate(
    *, member_id: str, current_password: object, new_email: object = None, ip: str | None = None
) -> Admin:
    """Check the member's current password before their email or password changes (a bearer
    token alone must not be enough: a stolen one would become a permanent takeover).

    Each attempt counts against the login throttle (per client and per account, as a login
    does); once re-authenticated, an email change (``new_email`` given) counts against the
    email-change throttle. A failure is audited (``reauthentication_failed``).

    Raises AuthenticationFailed (``user_not_found``), RateLimited, InvalidInput
    (``current_password_required``), Forbidden (``invalid_current_password``)."""
    admin = admins.get(member_id)
    if admin is None:
        raise AuthenticationFailed("Unknown admin.", code="user_not_found")
    if not isinstance(current_password, str) or not current_password:
        _reauthentication_failed(admin, "missing", ip)
        raise InvalidInput(
            "Give your current password to change the email or password.",
            code="current_password_required",
            fields={"current_password": ["This field is required to change credentials."]},
        )
    throttling.check_login(email_key=admin.email, ip=ip)
    if not _verify(admin, current_password):
        _reauthentication_failed(admin, "wrong_password", ip)
        raise Forbidden("The current password is wrong.", code="invalid_current_password")
    if new_email is not None:  # counted once re-authenticated: a stolen token cannot spend it
        throttling.check_email_change(actor=admin.id, ip=ip)
    return admin


def change_credentials(
    *, member_id: str, email: object = None, password: object = None, ip: str | None = None
) -> Admin:
    """Change the admin's email and/or password; every earlier token stops working.

    Raises InvalidInput (bad email, weak password), AlreadyExists (email taken)."""
    new_email = normalize_email(email) if email is not None else None
    current = admins.get(member_id)
    if current is None:
        raise AuthenticationFailed("Unknown admin.", code="user_not_found")
    new_hash = None
    if password is not None:
        checked = passwords.check_strength(password, email=new_email or current.email)
        new_hash = passwords.hash_password(checked)
    with api_errors():
        admin = admins.update_credentials(member_id, email=new_email, password_hash=new_hash)
    if admin is None:
        raise AuthenticationFailed("Unknown admin.", code="user_not_found")
    changed = [k for k, v in (("email", new_email), ("password", new_hash)) if v is not None]
    audit.record(
        "credentials_changed", org_id=admin.org_id, admin_id=admin.id, changed=changed, ip=ip
    )
    return admin
