"""Audit retention: a TTL index on the audit events' time, with AUDIT_RETENTION_DAYS, created
where every master index is (ensure_indexes) and replaced when the setting changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings as django_settings

from orgservice.testing import manage
from tenancy import audit, expiry
from tenancy.documents import utcnow
from tenancy.indexes import AUDIT, AUDIT_TTL, ensure_master_indexes, missing_master_indexes
from tenancy.stores.client import master_db, reset_clients


def _ttl() -> dict | None:
    return master_db()[AUDIT].index_information().get(AUDIT_TTL)


def test_ensure_indexes_creates_the_ttl_with_the_configured_retention(disk):
    done = manage(disk, "ensure_indexes", AUDIT_RETENTION_DAYS="30")
    assert done.returncode == 0, done.stderr
    reset_clients()
    ttl = _ttl()
    assert ttl is not None and ttl["expireAfterSeconds"] == 30 * 86400
    assert ttl["key"] == [("at", 1)]


def test_a_changed_retention_replaces_the_ttl_and_zero_keeps_events_for_ever(settings, backend):
    assert _ttl()["expireAfterSeconds"] == django_settings.AUDIT_RETENTION_DAYS * 86400
    settings.AUDIT_RETENTION_DAYS = 7
    ensure_master_indexes()
    assert _ttl()["expireAfterSeconds"] == 7 * 86400
    settings.AUDIT_RETENTION_DAYS = 0
    ensure_master_indexes()
    assert _ttl() is None and missing_master_indexes() == []


def test_the_ttl_applies_to_the_time_every_writer_stores(backend):
    audit.record("login", org_id="o1", admin_id="a1")
    (stored,) = master_db()[AUDIT].find({"org_id": "o1"})
    # a TTL index only removes documents whose indexed field is a date (not a string)
    assert isinstance(stored["at"], datetime)
    assert abs(stored["at"].replace(tzinfo=None) - utcnow().replace(tzinfo=None)) < timedelta(
        minutes=1
    )


def test_events_older_than_the_retention_are_removed(settings, backend):
    # MongoDB's TTL monitor removes them within a minute, mongomock when read, and on the
    # embedded store the sweep the background worker runs every minute (tenancy.expiry).
    settings.AUDIT_RETENTION_DAYS = 30
    ensure_master_indexes()
    audit.record("login", org_id="o1", admin_id="fresh")
    old = {"event": "login", "org_id": "o1", "admin_id": "old"}
    master_db()[AUDIT].insert_one({**old, "at": utcnow() - timedelta(days=31)})
    master_db()[AUDIT].insert_one({**old, "admin_id": "kept", "at": utcnow() - timedelta(days=29)})
    expiry.sweep()
    assert [e["admin_id"] for e in audit.recent(org_id="o1")] == ["fresh", "kept"]
