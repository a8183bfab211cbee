"""API key services: an org's owners and admins create, list and revoke its keys.

The secret leaves the service once, in the result of ``key_create``; only its hash is stored
(accounts.api_keys). Creation and revocation are audited (``api_key_created``,
``api_key_revoked``), without the secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from accounts import api_keys, roles
from accounts.principal import MemberPrincipal
from kernel.errors import InvalidInput, NotFound
from tenancy import api_key_store as key_store
from tenancy import audit
from tenancy.api_key_store import ApiKey
from tenancy.documents import Org, utcnow


@dataclass(frozen=True)
class CreatedKey:
    key: ApiKey
    token: str  # the whole key, shown to its creator once


def _may_manage(actor: MemberPrincipal) -> None:
    if not roles.may_manage_api_keys(actor.role):
        raise roles.forbidden("Only owners and admins may manage the organization's API keys.")


def check_scopes(scopes: list[str]) -> list[str]:
    """``scopes`` without repeats, in the documented order; raises InvalidInput
    (``invalid_scope``) for an empty list or an unknown scope."""
    unknown = sorted(set(scopes) - set(api_keys.SCOPES))
    if unknown or not scopes:
        choices = ", ".join(api_keys.SCOPES)
        raise InvalidInput(
            f"Give one or more scopes from: {choices}.",
            code="invalid_scope",
            fields={"scopes": [f"Unknown scope: {s}" for s in unknown] or ["Required."]},
        )
    return [s for s in api_keys.SCOPES if s in scopes]


def check_expiry(expires_at: datetime | None) -> datetime | None:
    if expires_at is not None and expires_at <= utcnow():
        raise InvalidInput(
            "The expiry must be in the future.",
            code="invalid_expiry",
            fields={"expires_at": ["Must be in the future."]},
        )
    return expires_at


def key_create(
    *,
    actor: MemberPrincipal,
    org: Org,
    name: str,
    scopes: list[str],
    expires_at: datetime | None,
    ip: str | None,
) -> CreatedKey:
    """A new key of ``org``; raises Forbidden (``role_forbidden``) unless the actor is an owner
    or admin, InvalidInput for unknown scopes or a past expiry."""
    _may_manage(actor)
    scopes, expires_at = check_scopes(scopes), check_expiry(expires_at)
    key = None
    while key is None:  # a 64-bit random key id clashes next to never; then draw another
        new = api_keys.new_key()
        key = key_store.insert(
            key_id=new.key_id,
            org_id=org.id,
            name=name,
            scopes=scopes,
            secret_hash=new.secret_hash,
            created_by=actor.member_id,
            expires_at=expires_at,
        )
    audit.record(
        "api_key_created",
        org_id=org.id,
        actor=actor.member_id,
        key_id=key.key_id,
        key_name=name,
        scopes=scopes,
        ip=ip,
    )
    return CreatedKey(key=key, token=new.token)


def key_list(*, actor: MemberPrincipal, org: Org) -> list[ApiKey]:
    """Every key of the org, newest first (revoked and expired ones too)."""
    _may_manage(actor)
    return key_store.for_org(org.id)


def key_revoke(*, actor: MemberPrincipal, org: Org, key_id: str, ip: str | None) -> ApiKey:
    """Revoke one of the org's keys: from the next request on, it is refused. Raises NotFound
    (``api_key_not_found``) for another org's, an unknown or an already revoked key."""
    _may_manage(actor)
    key = key_store.revoke(key_id, org_id=org.id, by=actor.member_id)
    if key is None:
        raise NotFound("No such active API key in this organization.", code="api_key_not_found")
    audit.record("api_key_revoked", org_id=org.id, actor=actor.member_id, key_id=key_id, ip=ip)
    return key
