"""The master database's collections and the indexes every uniqueness rule rests on."""

from __future__ import annotations

from django.conf import settings
from pymongo import ASCENDING, DESCENDING

from tenancy.driver_errors import translate
from tenancy.stores.client import master_db

ORGS = "organizations"
SLUG_CLAIMS = "slug_claims"
ADMINS = "admins"
AUDIT = "audit"
REVOKED_TOKENS = "revoked_tokens"
THROTTLE = "throttle"
INVITATIONS = "invitations"
# One document per org, ``{_id: org_id, owners: n}``: the guard of "at least one owner"
# (tenancy.owners); looked up by _id only.
OWNER_COUNTS = "owner_counts"
# Idempotency-Key results (tenancy.idempotency_keys): one per (caller scope, key), kept 24 h.
IDEMPOTENCY_KEYS = "idempotency_keys"
API_KEYS = "api_keys"
# One document per purge in progress, ``{_id: org_id, slug, started_at}`` (tenancy.purge_journal).
PURGE_JOURNAL = "purge_journal"
# Webhooks (tenancy.webhook_endpoints, webhook_outbox, webhook_deliveries).
WEBHOOK_ENDPOINTS = "webhook_endpoints"
WEBHOOK_EVENTS = "webhook_events"
WEBHOOK_DELIVERIES = "webhook_deliveries"
WEBHOOK_ATTEMPTS = "webhook_attempts"

_INDEXES = {
    ORGS: [
        ([("slug", ASCENDING)], {"unique": True, "name": "slug_unique"}),
        ([("status", ASCENDING)], {"name": "status"}),
        # The staff panel's sort by creation time (tenancy.org_listing), ties broken by _id.
        ([("created_at", ASCENDING), ("_id", ASCENDING)], {"name": "created_at"}),
    ],
    SLUG_CLAIMS: [([("org_id", ASCENDING)], {"name": "org_id"})],
    ADMINS: [
        ([("email", ASCENDING)], {"unique": True, "name": "email_unique"}),
        ([("org_id", ASCENDING)], {"name": "org_id"}),
    ],
    AUDIT: [
        ([("org_id", ASCENDING), ("at", DESCENDING)], {"name": "org_at"}),
        # The audit API's pages and exports walk (at, _id) in order, for one org or all of them
        # (tenancy.audit): without these, each page would sort every event in memory.
        ([("org_id", ASCENDING), ("at", DESCENDING), ("_id", DESCENDING)], {"name": "org_at_id"}),
        ([("at", ASCENDING), ("_id", ASCENDING)], {"name": "at_id"}),
    ],
    # TTL: a revocation lives as long as its token; a throttle window until it ends.
    REVOKED_TOKENS: [
        ([("expires_at", ASCENDING)], {"expireAfterSeconds": 0, "name": "expires_ttl"}),
    ],
    THROTTLE: [([("expires_at", ASCENDING)], {"expireAfterSeconds": 0, "name": "expires_ttl"})],
    # Only a hash of an invitation's token is stored; the lookup by it decides acceptance.
    INVITATIONS: [
        ([("token_hash", ASCENDING)], {"unique": True, "name": "token_hash_unique"}),
        ([("org_id", ASCENDING), ("status", ASCENDING)], {"name": "org_status"}),
        ([("purge_at", ASCENDING)], {"expireAfterSeconds": 0, "name": "purge_ttl"}),
    ],
    IDEMPOTENCY_KEYS: [
        ([("scope", ASCENDING), ("key", ASCENDING)], {"unique": True, "name": "scope_key_unique"}),
        ([("expires_at", ASCENDING)], {"expireAfterSeconds": 0, "name": "expires_ttl"}),
    ],
    # An API key is looked up by its public id on every request (tenancy.api_key_store).
    API_KEYS: [
        ([("key_id", ASCENDING)], {"unique": True, "name": "key_id_unique"}),
        ([("org_id", ASCENDING), ("_id", DESCENDING)], {"name": "org_id"}),
    ],
    WEBHOOK_ENDPOINTS: [([("org_id", ASCENDING), ("created_at", ASCENDING)], {"name": "org"})],
    WEBHOOK_EVENTS: [
        ([("fanned_out", ASCENDING), ("created_at", ASCENDING)], {"name": "fan_out"}),
        ([("org_id", ASCENDING), ("created_at", DESCENDING)], {"name": "org_created"}),
        ([("held_at", ASCENDING)], {"name": "held"}),  # only held events carry held_at
        ([("purge_at", ASCENDING)], {"expireAfterSeconds": 0, "name": "purge_ttl"}),
    ],
    # The workers' claim: due pending deliveries, most overdue first.
    WEBHOOK_DELIVERIES: [
        ([("status", ASCENDING), ("next_at", ASCENDING)], {"name": "due"}),
        ([("event_id", ASCENDING)], {"name": "event"}),
    ],
    WEBHOOK_ATTEMPTS: [
        ([("endpoint_id", ASCENDING), ("at", DESCENDING)], {"name": "endpoint_at"}),
        ([("purge_at", ASCENDING)], {"expireAfterSeconds": 0, "name": "purge_ttl"}),
    ],
}


AUDIT_TTL = "at_ttl"


def audit_retention_seconds() -> int | None:
    """AUDIT_RETENTION_DAYS in seconds: how long the TTL index keeps an audit event (None: 0
    days, kept for ever)."""
    days = settings.AUDIT_RETENTION_DAYS
    return days * 86400 if days else None


def _specs() -> dict[str, list]:
    seconds = audit_retention_seconds()
    if seconds is None:
        return _INDEXES
    ttl = ([("at", ASCENDING)], {"expireAfterSeconds": seconds, "name": AUDIT_TTL})
    return {**_INDEXES, AUDIT: [*_INDEXES[AUDIT], ttl]}


def _retire_stale_audit_ttl(db) -> None:
    # A TTL index cannot be re-created with another expiry (IndexOptionsConflict): a changed
    # retention drops it first. On MongoDB ``collMod`` would change it in place; dropping and
    # re-creating works on every backend and costs one index build, once per change.
    present = db[AUDIT].index_information().get(AUDIT_TTL)
    if present is not None and present.get("expireAfterSeconds") != audit_retention_seconds():
        db[AUDIT].drop_index(AUDIT_TTL)


def ensure_master_indexes() -> list[str]:
    """Create every master index (idempotent); returns the index names it ensured."""
    db = master_db()
    names = []
    with translate():
        _retire_stale_audit_ttl(db)
        for collection, specs in _specs().items():
            for keys, options in specs:
                names.append(f"{collection}.{db[collection].create_index(keys, **options)}")
    return names


def missing_master_indexes() -> list[str]:
    """Names of master indexes that do not exist yet (empty when all are in place)."""
    db = master_db()
    missing = []
    with translate():
        for collection, specs in _specs().items():
            present = set(db[collection].index_information())
            missing += [f"{collection}.{o['name']}" for _, o in specs if o["name"] not in present]
    return missing
