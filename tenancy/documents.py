"""Frozen views of master-database documents, handed out instead of raw documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bson import ObjectId
from bson.errors import InvalidId

ACTIVE = "active"
CREATING = "creating"
RENAMING = "renaming"
DELETING = "deleting"
# At rest but out of service: members are refused (accounts.org_access); records kept.
SUSPENDED = "suspended"
DELETED = "deleted"  # deleted within the restore window (ORG_DELETE_RETENTION); purged after

# Member roles (accounts.roles holds what each may do). No role is a default: a member stored
# without one, or with an unknown one, keeps that (None or the unknown value) and may do nothing
# (manage.py roleless_members finds them and gives them a role).
OWNER = "owner"
ADMIN = "admin"
MEMBER = "member"
ROLES = (OWNER, ADMIN, MEMBER)
MOVING = "moving"


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """Embedded backends may hand back naive datetimes; every stored time is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def new_id() -> ObjectId:
    return ObjectId()


def object_id(value: object) -> ObjectId | None:
    """The ObjectId for a client-supplied id string, or None when it cannot be one."""
    if isinstance(value, ObjectId):
        return value
    if not isinstance(value, str):
        return None
    try:
        return ObjectId(value)
    except InvalidId:
        return None


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    slug: str
    collection: str
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    pending: dict[str, Any] | None = field(default=None, compare=False)
    # Where the records live (tenancy.placement); orgs created before placements have neither.
    placement: str = "collection"
    database: str | None = None
    # The owners' own small JSON object (organizations.orgs.metadata checks it); {} when unset.
    metadata: dict[str, Any] = field(default_factory=dict, compare=False)
    # {"reason", "at", "by"} while suspended (kept through a deletion, so a restore keeps it).
    suspension: dict[str, Any] | None = field(default=None, compare=False)
    deleted_at: datetime | None = None
    purge_after: datetime | None = None

    @classmethod
    def from_doc(cls, doc: dict) -> Org:
        return cls(
            id=str(doc["_id"]),
            name=doc["name"],
            slug=doc["slug"],
            collection=doc["collection"],
            status=doc["status"],
            version=doc["version"],
            created_at=aware(doc["created_at"]),
            updated_at=aware(doc["updated_at"]),
            pending=doc.get("pending"),
            placement=doc.get("placement", "collection"),
            database=doc.get("database"),
            metadata=doc.get("metadata") or {},
            suspension=doc.get("suspension"),
            deleted_at=aware(doc.get("deleted_at")),
            purge_after=aware(doc.get("purge_after")),
        )

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE


@dataclass(frozen=True)
class Admin:
    id: str
    org_id: str
    email: str
    password_hash: bytes = field(repr=False)
    token_version: int
    created_at: datetime
    last_login_at: datetime | None
    role: str | None

    @classmethod
    def from_doc(cls, doc: dict) -> Admin:
        return cls(
            id=str(doc["_id"]),
            org_id=str(doc["org_id"]),
            email=doc["email"],
            password_hash=bytes(doc["password_hash"]),
            token_version=doc.get("token_version", 0),
            created_at=aware(doc["created_at"]),
            last_login_at=aware(doc.get("last_login_at")),
            role=doc.get("role"),
        )
