"""Revoked JWT ids in the master database, each kept until its token would have expired anyway.

A revocation's ``_id`` is the token's ``jti``, so revoking is one insert and MongoDB's ``_id``
uniqueness decides races: of two requests revoking one token, exactly one is told it revoked it.
A TTL index on ``expires_at`` (the token's own expiry) removes the record once the token is dead.
"""

from __future__ import annotations

from datetime import datetime

from tenancy.documents import utcnow
from tenancy.driver_errors import DuplicateKeyError, translate
from tenancy.indexes import REVOKED_TOKENS
from tenancy.stores.client import master_db

ROTATED = "rotated"
LOGOUT = "logout"


def _revoked():
    return master_db()[REVOKED_TOKENS]


def revoke(jti: str, *, member_id: str, expires_at: datetime, reason: str) -> str | None:
    """Revoke the token ``jti``. Returns None when this call revoked it, or the reason it had
    been revoked with before (so a caller can tell a rotation race or reuse from a fresh one)."""
    doc = {
        "_id": jti,
        "admin_id": member_id,
        "reason": reason,
        "revoked_at": utcnow(),
        "expires_at": expires_at,
    }
    with translate():
        try:
            _revoked().insert_one(doc)
        except DuplicateKeyError:
            earlier = _revoked().find_one({"_id": jti}, {"reason": 1})
            return earlier["reason"] if earlier else reason
    return None


def is_revoked(jti: str) -> bool:
    with translate():
        return _revoked().find_one({"_id": jti}, {"_id": 1}) is not None
