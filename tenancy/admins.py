"""Repository for org members (the ``admins`` collection): credentials (bcrypt hashes only),
roles and token versions.

Every member of every org is one document here, whatever the role: ``owner``, ``admin`` or
``member``; a document without a valid ``role`` grants nothing (no default role). The email index is
unique across all orgs, so an email belongs to at most one org and login finds the org from the
email alone. Role changes and removals are conditional on the role the caller saw, so a
concurrent change makes them miss (None/False) rather than overwrite it."""

from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument

from tenancy.documents import OWNER, Admin, new_id, object_id, utcnow
from tenancy.driver_errors import translate
from tenancy.indexes import ADMINS, INVITATIONS, OWNER_COUNTS
from tenancy.signals import Taken
from tenancy.stores.client import master_db


def _admins():
    return master_db()[ADMINS]


def _email_taken() -> Taken:
    return Taken(Taken.EMAIL)


def _with_role(role: str) -> dict[str, Any]:
    """A filter on exactly ``role`` (``None`` matches a document without one)."""
    return {"role": role}


def insert(*, org_id: str, email: str, password_hash: bytes, role: str) -> Admin:
    """Store a new member with ``role`` (always given: no role is a default); raises
    Taken(EMAIL) when the email is taken."""
    doc = {
        "_id": new_id(),
        "org_id": org_id,
        "email": email,
        "password_hash": password_hash,
        "role": role,
        "token_version": 0,
        "created_at": utcnow(),
        "last_login_at": None,
    }
    with translate(duplicate=_email_taken()):
        _admins().insert_one(doc)
    return Admin.from_doc(doc)


def get(member_id: str) -> Admin | None:
    oid = object_id(member_id)
    if oid is None:
        return None
    with translate():
        doc = _admins().find_one({"_id": oid})
    return Admin.from_doc(doc) if doc else None


def get_by_email(email: str) -> Admin | None:
    with translate():
        doc = _admins().find_one({"email": email})
    return Admin.from_doc(doc) if doc else None


def for_org(org_id: str) -> list[Admin]:
    with translate():
        return [Admin.from_doc(d) for d in _admins().find({"org_id": org_id})]


def update_credentials(
    member_id: str, *, email: str | None = None, password_hash: bytes | None = None
) -> Admin | None:
    """Change email and/or password in one atomic update, bumping the token version so every
    token issued before stops working. Raises Taken(EMAIL) when the email is taken."""
    changes: dict[str, Any] = {}
    if email is not None:
        changes["email"] = email
    if password_hash is not None:
        changes["password_hash"] = password_hash
    with translate(duplicate=_email_taken()):
        doc = _admins().find_one_and_update(
            {"_id": object_id(member_id)},
            {"$set": changes, "$inc": {"token_version": 1}},
            return_document=ReturnDocument.AFTER,
        )
    return Admin.from_doc(doc) if doc else None


def upgrade_password_hash(member_id: str, *, old: bytes, new: bytes) -> bool:
    """Replace the stored hash ``old`` by ``new``, the same password hashed anew (another
    algorithm or cost): tokens stay valid. Misses (False) when the password changed meanwhile."""
    with translate():
        result = _admins().update_one(
            {"_id": object_id(member_id), "password_hash": old}, {"$set": {"password_hash": new}}
        )
    return result.modified_count == 1


def touch_login(member_id: str) -> None:
    with translate():
        _admins().update_one({"_id": object_id(member_id)}, {"$set": {"last_login_at": utcnow()}})


def bump_token_version(member_id: str) -> None:
    """Invalidate every token issued to the admin so far (a stolen refresh token was reused)."""
    with translate():
        _admins().update_one({"_id": object_id(member_id)}, {"$inc": {"token_version": 1}})


def set_role(member_id: str, *, org_id: str, current: str, new: str) -> Admin | None:
    """Change the member's role from ``current`` to ``new`` and bump the token version (tokens
    carrying the old role stop working); None when the member is gone or no longer ``current``."""
    with translate():
        doc = _admins().find_one_and_update(
            {"_id": object_id(member_id), "org_id": org_id, **_with_role(current)},
            {"$set": {"role": new}, "$inc": {"token_version": 1}},
            return_document=ReturnDocument.AFTER,
        )
    return Admin.from_doc(doc) if doc else None


def remove(member_id: str, *, org_id: str, current: str) -> bool:
    """Delete the member if it still has the role ``current``; False otherwise."""
    with translate():
        query = {"_id": object_id(member_id), "org_id": org_id, **_with_role(current)}
        return _admins().delete_one(query).deleted_count == 1


def count_owners(org_id: str) -> int:
    with translate():
        return _admins().count_documents({"org_id": org_id, **_with_role(OWNER)})


def delete_for_org(org_id: str) -> int:
    """Remove the org's members with their invitations and owner count (org deletion)."""
    with translate():
        master_db()[INVITATIONS].delete_many({"org_id": org_id})
        master_db()[OWNER_COUNTS].delete_one({"_id": org_id})
        return _admins().delete_many({"org_id": org_id}).deleted_count


def org_ids() -> set[str]:
    """The org ids that admins point at (reconcile looks for admins without an org)."""
    with translate():
        return set(_admins().distinct("org_id"))


def emails() -> list[tuple[str, str, str]]:
    """``(admin id, org id, email)`` of every member, as stored (for email migrations)."""
    with translate():
        docs = _admins().find({}, {"_id": 1, "org_id": 1, "email": 1})
        return [(str(d["_id"]), str(d["org_id"]), d["email"]) for d in docs]


def replace_email(member_id: str, *, old: str, new: str) -> bool:
    """Change a member's stored email from ``old`` to ``new`` (False when it is no longer
    ``old``); raises Taken(EMAIL) when ``new`` belongs to another member. Tokens stay valid:
    the mailbox is the same one."""
    with translate(duplicate=_email_taken()):
        query = {"_id": object_id(member_id), "email": old}
        return _admins().update_one(query, {"$set": {"email": new}}).modified_count == 1


def without_role(roles: tuple[str, ...]) -> list[Admin]:
    """Every member whose ``role`` is missing or not one of ``roles`` (they may do nothing)."""
    with translate():
        return [Admin.from_doc(d) for d in _admins().find({"role": {"$nin": list(roles)}})]
