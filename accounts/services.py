"""Account services: login, token refresh, credential changes."""

from __future__ import annotations

from accounts import passwords, tokens
from accounts.emails import normalize_email
from orgservice.errors import AuthenticationFailed, InvalidInput
from tenancy import admins, audit
from tenancy.documents import Admin


def _invalid_credentials() -> AuthenticationFailed:
    # One body for unknown email and wrong password: no account enumeration.
    return AuthenticationFailed("Invalid email or password.", code="invalid_credentials")


def login(*, email: object, password: object, ip: str | None = None) -> tokens.TokenPair:
    """Tokens for the admin with these credentials; raises AuthenticationFailed otherwise.

    Unknown emails cost a bcrypt check too, so both failures take the same time."""
    try:
        normalized = normalize_email(email)
    except InvalidInput:
        normalized = None
    admin = admins.get_by_email(normalized) if normalized else None
    if not passwords.verify(password, admin.password_hash if admin else None) or admin is None:
        audit.record("login_failed", org_id=admin.org_id if admin else None, ip=ip)
        raise _invalid_credentials()
    admins.touch_login(admin.id)
    audit.record("login", org_id=admin.org_id, admin_id=admin.id, ip=ip)
    return tokens.issue_pair(admin)


def refresh(*, refresh_token: object, ip: str | None = None) -> tokens.TokenPair:
    """A new token pair for a valid refresh token of a current admin."""
    token = tokens.decode_refresh(refresh_token)
    admin = admins.get(token.get("admin_id"))
    if admin is None or token.get("tv") != admin.token_version:
        raise AuthenticationFailed("Invalid refresh token.", code="invalid_token")
    audit.record("token_refreshed", org_id=admin.org_id, admin_id=admin.id, ip=ip)
    return tokens.issue_pair(admin)


def change_credentials(
    *, admin_id: str, email: object = None, password: object = None, ip: str | None = None
) -> Admin:
    """Change the admin's email and/or password; every earlier token stops working.

    Raises InvalidInput (bad email, weak password), AlreadyExists (email taken)."""
    new_email = normalize_email(email) if email is not None else None
    current = admins.get(admin_id)
    if current is None:
        raise AuthenticationFailed("Unknown admin.", code="user_not_found")
    new_hash = None
    if password is not None:
        checked = passwords.check_strength(password, email=new_email or current.email)
        new_hash = passwords.hash_password(checked)
    admin = admins.update_credentials(admin_id, email=new_email, password_hash=new_hash)
    if admin is None:
        raise AuthenticationFailed("Unknown admin.", code="user_not_found")
    changed = [k for k, v in (("email", new_email), ("password", new_hash)) if v is not None]
    audit.record("credentials_changed", org_id=admin.org_id, admin_id=admin.id, changed=changed, ip=ip)
    return admin
