"""TTL expiry on the embedded store: left to a sweep (as MongoDB's TTL monitor does it), never
paid by every read and write; the sweep, its command and the background worker remove exactly
the expired documents.

On MongoDB the server's TTL monitor removes them, up to about a minute late; mongomock expires
them on every access. Both are left alone by the sweep (it returns {} there)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command

from orgservice.testing import manage
from tenancy.documents import utcnow
from tenancy.expiry import sweep, ttl_fields
from tenancy.indexes import AUDIT, THROTTLE, ensure_master_indexes
from tenancy.stores.client import master_db, reset_clients


def _windows(now):
    """One throttle window that ended a minute ago and one that ends in a minute."""
    master_db()[THROTTLE].insert_many(
        [
            {"_id": "old", "count": 1, "expires_at": now - timedelta(minutes=1)},
            {"_id": "live", "count": 1, "expires_at": now + timedelta(minutes=1)},
        ]
    )


def _ids(name):
    return sorted(doc["_id"] for doc in master_db()[name].find({}, {"_id": 1}))


def test_every_ttl_index_of_the_master_database_is_known_to_the_sweep(disk):
    throttle = ttl_fields(master_db()[THROTTLE])
    audit = ttl_fields(master_db()[AUDIT])
    assert throttle == [("expires_at", 0)]
    assert [field for field, _ in audit] == ["at"]  # AUDIT_RETENTION_DAYS, in seconds


def test_on_the_embedded_store_an_expired_document_waits_for_the_sweep(disk):
    now = utcnow()
    _windows(now)
    # litemongo would have decoded the whole collection here, on every read, to drop "old"
    assert _ids(THROTTLE) == ["live", "old"]
    assert sweep(now) == {THROTTLE: 1}
    assert _ids(THROTTLE) == ["live"]
    assert sweep(now) == {}  # nothing left to remove


def test_the_sweep_uses_each_index_expiry_in_seconds(disk, settings):
    settings.AUDIT_RETENTION_DAYS = 7
    ensure_master_indexes()
    now = utcnow()
    master_db()[AUDIT].insert_many(
        [
            {"_id": "8-days", "org_id": "o", "event": "x", "at": now - timedelta(days=8)},
            {"_id": "6-days", "org_id": "o", "event": "x", "at": now - timedelta(days=6)},
        ]
    )
    assert sweep(now) == {AUDIT: 1}
    assert _ids(AUDIT) == ["6-days"]


def test_mongomock_expires_documents_itself_and_the_sweep_leaves_it(settings):
    now = utcnow()
    _windows(now)
    assert _ids(THROTTLE) == ["live"]  # mongomock's own emulation, on access
    assert sweep(now) == {}


def test_expire_documents_removes_them_from_the_command_line(disk, capsys):
    _windows(utcnow())
    call_command("expire_documents")
    assert "Removed 1 expired documents (throttle 1)." in capsys.readouterr().out
    assert _ids(THROTTLE) == ["live"]


def test_the_background_worker_sweeps_in_its_pass(disk):
    _windows(utcnow())
    result = manage(disk, "deliver_webhooks", "--once")
    assert result.returncode == 0, result.stderr
    reset_clients()  # re-read what the worker's process wrote
    assert _ids(THROTTLE) == ["live"]
