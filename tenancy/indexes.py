"""The master database's collections and the indexes every uniqueness rule rests on."""

from __future__ import annotations

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
    AUDIT: [([("org_id", ASCENDING), ("at", DESCENDING)], {"name": "org_at"})],
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
    WEBHOOK_ENDPOINTS: [([("org_id", ASCENDING), ("created_at", ASCENDING)], {"name": "org"})],
    WEBHOOK_EVENTS: [
        ([("fanned_out", ASCENDING), ("created_at", ASCENDING)], {"name": "fan_out"}),
        ([("org_id", ASCENDING), ("created_at", DESCENDING)], {"name": "org_created"}),
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


def ensure_master_indexes() -> list[str]:
    """Create every master index (idempotent); returns the index names it ensured."""
    db = master_db()
    names = []
    with translate():
        for collection, specs in _INDEXES.items():
            for keys, options in specs:
                names.append(f"{collection}.{db[collection].create_index(keys, **options)}")
    return names


def missing_master_indexes() -> list[str]:
    """Names of master indexes that do not exist yet (empty when all are in place)."""
    db = master_db()
    missing = []
    with translate():
        for collection, specs in _INDEXES.items():
            present = set(db[collection].index_information())
            missing += [f"{collection}.{o['name']}" for _, o in specs if o["name"] not in present]
    return missing
