"""DRF authentication by org API key (``Authorization: Bearer osk_...``), checked at every use.

Every request re-reads the key (a revocation takes effect at once) and its org; a header that
is not an API key is left to the next class (SimpleJWT's, accounts.authentication).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts import api_keys, org_access, roles
from accounts.api_keys import ApiKeyPrincipal
from kernel.errors import AuthenticationFailed
from tenancy import admins, orgs
from tenancy import api_key_store as key_store
from tenancy.documents import CREATING, DELETING, Org, utcnow

CHALLENGE = 'Bearer realm="api"'


def _refused(message: str, code: str) -> AuthenticationFailed:
    refused = AuthenticationFailed(message, code=code)
    refused.challenge = f'{CHALLENGE}, error="invalid_token"'
    return refused


def check_key_org(org_id: str) -> Org:
    """The org a key acts for, if it may still be used; the one place that decides which org
    states refuse an org's keys: gone, or being created or deleted (401 ``api_key_org_gone``);
    suspended or deleted within its restore window (401 ``org_suspended`` / ``org_deleted``,
    accounts.org_access, as for every other credential)."""
    org = orgs.get(org_id)
    if org is None or org.status in (CREATING, DELETING):
        raise _refused("The API key's organization no longer exists.", "api_key_org_gone")
    org_access.require_in_service(org)
    return org


def check_key_creator(key: key_store.ApiKey) -> None:
    """A key carries its creator's authority (DESIGN invariant 10): it acts only while the member
    who created it is still in the org with a role that may manage keys (owner or admin); else
    401 ``api_key_lacks_authority``. A creator given the role back revives the key."""
    creator = admins.get(key.created_by)
    if (
        creator is None
        or creator.org_id != key.org_id
        or not roles.may_manage_api_keys(creator.role)
    ):
        raise _refused(
            "The member who created this API key no longer has the authority behind it.",
            "api_key_lacks_authority",
        )


def authenticate_key(token: str) -> ApiKeyPrincipal:
    """The principal of a presented key; raises AuthenticationFailed (401) with a stable code:
    ``api_key_invalid`` (malformed, unknown, wrong secret), ``api_key_revoked``,
    ``api_key_expired``, ``api_key_org_gone``, ``api_key_lacks_authority``."""
    parsed = api_keys.parse(token)
    key = key_store.get(parsed[0]) if parsed else None
    if key is None or not api_keys.secret_matches(parsed[1], key.secret_hash):
        raise _refused("The API key is not valid.", "api_key_invalid")
    if key.revoked_at is not None:
        raise _refused("The API key has been revoked.", "api_key_revoked")
    now = utcnow()
    if key.expired(now):
        raise _refused("The API key has expired.", "api_key_expired")
    org = check_key_org(key.org_id)
    check_key_creator(key)
    interval = timedelta(seconds=settings.API_KEY_LAST_USED_INTERVAL)
    key_store.touch(key.key_id, now=now, interval=interval)
    return ApiKeyPrincipal(
        key_id=key.key_id,
        org_id=key.org_id,
        name=key.name,
        scopes=frozenset(key.scopes),
        org=org,
    )


class ApiKeyAuthentication(BaseAuthentication):
    """``Authorization: Bearer osk_...``: an org API key. Any other header: not ours (None)."""

    def authenticate(self, request) -> tuple[ApiKeyPrincipal, None] | None:
        try:
            parts = get_authorization_header(request).split()
        except UnicodeError:
            return None  # SimpleJWT's class refuses a malformed header with its own 401
        if len(parts) != 2 or parts[0] != b"Bearer" or not parts[1].startswith(b"osk_"):
            return None
        return authenticate_key(parts[1].decode("latin-1")), None

    def authenticate_header(self, request) -> str:
        return CHALLENGE
