"""Repository for invitations to join an org: only a SHA-256 hash of each token is stored.

An invitation is ``pending`` until it is ``accepted`` or ``revoked``; every transition is one
conditional update from ``pending``, so a token is accepted at most once even when two requests
present it together. ``purge_at`` (a TTL index) removes an invitation some time after it expired.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import DESCENDING, ReturnDocument

from tenancy.documents import aware, new_id, object_id, utcnow
from tenancy.driver_errors import translate
from tenancy.indexes import INVITATIONS
from tenancy.stores.client import master_db

PENDING = "pending"
ACCEPTED = "accepted"
REVOKED = "revoked"
EXPIRED = "expired"  # shown for a pending invitation past its expiry; never stored


@dataclass(frozen=True)
class Invitation:
    id: str
    org_id: str
    email: str
    role: str
    stored_status: str
    invited_by: str
    created_at: datetime
    expires_at: datetime

    @classmethod
    def from_doc(cls, doc: dict) -> Invitation:
        return cls(
            id=str(doc["_id"]),
            org_id=doc["org_id"],
            email=doc["email"],
            role=doc["role"],
            stored_status=doc["status"],
            invited_by=doc["invited_by"],
            created_at=aware(doc["created_at"]),
            expires_at=aware(doc["expires_at"]),
        )

    @property
    def status(self) -> str:
        """``pending``, ``accepted``, ``revoked``, or ``expired`` (pending past its expiry)."""
        if self.stored_status == PENDING and self.expires_at <= utcnow():
            return EXPIRED
        return self.stored_status


def _invitations():
    return master_db()[INVITATIONS]


def insert(
    *,
    org_id: str,
    email: str,
    role: str,
    token_hash: str,
    invited_by: str,
    expires_at: datetime,
    purge_at: datetime,
) -> Invitation:
    doc = {
        "_id": new_id(),
        "org_id": org_id,
        "email": email,
        "role": role,
        "token_hash": token_hash,
        "status": PENDING,
        "invited_by": invited_by,
        "created_at": utcnow(),
        "expires_at": expires_at,
        "purge_at": purge_at,
    }
    with translate():
        _invitations().insert_one(doc)
    return Invitation.from_doc(doc)


def get(invitation_id: str, *, org_id: str) -> Invitation | None:
    oid = object_id(invitation_id)
    if oid is None:
        return None
    with translate():
        doc = _invitations().find_one({"_id": oid, "org_id": org_id})
    return Invitation.from_doc(doc) if doc else None


def get_by_token_hash(token_hash: str) -> Invitation | None:
    with translate():
        doc = _invitations().find_one({"token_hash": token_hash})
    return Invitation.from_doc(doc) if doc else None


def pending_for_org(org_id: str) -> list[Invitation]:
    """The org's pending invitations (expired ones included), newest first."""
    with translate():
        cursor = _invitations().find({"org_id": org_id, "status": PENDING}).sort("_id", DESCENDING)
        return [Invitation.from_doc(d) for d in cursor]


def _leave_pending(query: dict[str, Any], changes: dict[str, Any]) -> Invitation | None:
    with translate():
        doc = _invitations().find_one_and_update(
            {**query, "status": PENDING}, {"$set": changes}, return_document=ReturnDocument.AFTER
        )
    return Invitation.from_doc(doc) if doc else None


def claim(invitation_id: str) -> Invitation | None:
    """Mark a pending, unexpired invitation accepted; None when it is not (any more)."""
    now = utcnow()
    query = {"_id": object_id(invitation_id), "expires_at": {"$gt": now}}
    return _leave_pending(query, {"status": ACCEPTED, "accepted_at": now})


def unclaim(invitation_id: str) -> None:
    """Undo a ``claim`` whose member could not be created (the email was taken meanwhile)."""
    with translate():
        _invitations().update_one(
            {"_id": object_id(invitation_id), "status": ACCEPTED, "accepted_by": None},
            {"$set": {"status": PENDING}, "$unset": {"accepted_at": ""}},
        )


def set_accepted_by(invitation_id: str, member_id: str) -> None:
    with translate():
        _invitations().update_one(
            {"_id": object_id(invitation_id)}, {"$set": {"accepted_by": member_id}}
        )


def revoke(invitation_id: str, *, org_id: str, by: str) -> Invitation | None:
    """Revoke a pending invitation; None when it is not pending (any more)."""
    query = {"_id": object_id(invitation_id), "org_id": org_id}
    return _leave_pending(query, {"status": REVOKED, "revoked_at": utcnow(), "revoked_by": by})


def revoke_pending_for_email(*, org_id: str, email: str, by: str) -> list[str]:
    """Revoke the org's pending invitations of ``email`` (a new one supersedes them); their ids."""
    query = {"org_id": org_id, "email": email, "status": PENDING}
    with translate():
        ids = [str(d["_id"]) for d in _invitations().find(query, {"_id": 1})]
        changes = {"status": REVOKED, "revoked_at": utcnow(), "revoked_by": by}
        _invitations().update_many(query, {"$set": changes})
    return ids


def revoke_pending_sent_by(
    *, org_id: str, invited_by: str, by: str, roles: Collection[str] | None = None
) -> list[str]:
    """Revoke the org's pending invitations sent by ``invited_by`` (only those granting one of
    ``roles`` when given): their sender lost the authority behind them. Their ids."""
    query: dict[str, Any] = {"org_id": org_id, "invited_by": invited_by, "status": PENDING}
    if roles is not None:
        query["role"] = {"$in": sorted(roles)}
    with translate():
        ids = [d["_id"] for d in _invitations().find(query, {"_id": 1})]
        if ids:
            changes = {"status": REVOKED, "revoked_at": utcnow(), "revoked_by": by}
            _invitations().update_many({"_id": {"$in": ids}, "status": PENDING}, {"$set": changes})
    return [str(i) for i in ids]


def pending_emails() -> list[tuple[str, str]]:
    """``(invitation id, email)`` of every pending invitation, as stored (email migrations)."""
    with translate():
        docs = _invitations().find({"status": PENDING}, {"_id": 1, "email": 1})
        return [(str(d["_id"]), d["email"]) for d in docs]


def replace_email(invitation_id: str, *, old: str, new: str) -> bool:
    """Change a pending invitation's email from ``old`` to ``new``; False when it changed."""
    with translate():
        query = {"_id": object_id(invitation_id), "email": old, "status": PENDING}
        return _invitations().update_one(query, {"$set": {"email": new}}).modified_count == 1
