"""``manage.py check`` and ``/readyz`` name the MongoDB privileges the enabled placements lack.

The server is a recorded one (tenancy/tests/test_privileges.py): the store stays mongomock and
only the privilege check sees a "mongodb" engine answering connectionStatus.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from kernel.errors import InvalidInput
from organizations.orgs import services
from tenancy import checks, privileges
from tenancy.stores.client import reset_clients
from tenancy.tests.test_privileges import ALL_GRANTED, NO_RENAME, READ_WRITE_MASTER, Server


@pytest.fixture
def server(monkeypatch):
    """Make the privilege check see a real MongoDB answering with ``server.replies``."""
    recorded = Server({"connectionStatus": ALL_GRANTED})
    monkeypatch.setattr(privileges, "engine", lambda: "mongodb")
    monkeypatch.setattr(checks, "engine", lambda: "mongodb")
    monkeypatch.setattr(privileges, "master_command", lambda: recorded)
    privileges._cache.clear()
    yield recorded
    privileges._cache.clear()


def test_readyz_is_ok_when_every_privilege_is_granted(client, server):
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_is_503_naming_the_missing_privileges(client, server):
    server.replies["connectionStatus"] = NO_RENAME
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "privileges_missing",
        "missing": ["renameCollectionSameDB on orgservice_master"],
    }


def test_readyz_asks_the_server_once_per_cache_period(client, server, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(privileges, "_clock", lambda: now[0])
    assert [client.get("/readyz").status_code for _ in range(3)] == [200, 200, 200]
    assert len(server.sent) == 1
    server.replies["connectionStatus"] = NO_RENAME
    now[0] += privileges.CACHE_SECONDS - 1
    assert client.get("/readyz").status_code == 200  # still the cached answer
    now[0] += 1  # the period is over: the server is asked again
    assert client.get("/readyz").json()["reason"] == "privileges_missing"
    assert len(server.sent) == 2


def test_readyz_follows_the_enabled_placements(client, server, settings):
    server.replies["connectionStatus"] = READ_WRITE_MASTER
    assert client.get("/readyz").json()["missing"][-1] == "listDatabases on cluster"
    settings.ORG_PLACEMENTS = ["collection", "shared"]
    assert client.get("/readyz").status_code == 200


def test_manage_py_check_fails_naming_the_missing_privileges(server):
    server.replies["connectionStatus"] = READ_WRITE_MASTER
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")
    assert "tenancy.E004" in str(raised.value)
    assert "dropDatabase on orgdb_*" in str(raised.value)


def test_manage_py_check_passes_when_every_privilege_is_granted(server):
    call_command("check")
    assert server.sent == [{"connectionStatus": 1, "showPrivileges": True}]


def test_the_check_asks_nothing_of_an_embedded_store(monkeypatch):
    monkeypatch.setattr(privileges, "master_command", pytest.fail)
    assert checks.check_privileges(None) == []
    assert privileges.missing_privileges() == []


def test_a_placement_left_out_of_org_placements_is_refused(settings):
    settings.ORG_PLACEMENTS = ["collection", "shared"]
    with pytest.raises(InvalidInput) as raised:
        services.organization_create(
            name="Acme", admin_email="a@acme.test", admin_password="x" * 20, placement="database"
        )
    assert raised.value.code == "placement_not_enabled"


def test_org_placement_outside_org_placements_is_a_check_error(settings):
    settings.ORG_PLACEMENTS = ["shared"]
    settings.ORG_PLACEMENT = "collection"
    assert [e.id for e in checks.check_placements(None)] == ["tenancy.E003"]


def test_a_refused_connection_status_is_a_503_and_a_check_warning(client, server):
    server.replies["connectionStatus"] = {"ok": 0.0, "errmsg": "no", "code": 8000}
    response = client.get("/readyz")
    assert (response.status_code, response.json()["reason"]) == (503, "privileges_unknown")
    assert [w.id for w in checks.check_privileges(None)] == ["tenancy.W001"]


def test_an_unreachable_server_is_a_check_warning_not_a_crash(settings):
    settings.MONGO_URL = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300"
    settings.MONGO_TIMEOUT_MS = 300
    reset_clients()
    privileges._cache.clear()
    warnings = checks.check_privileges(None)
    assert [w.id for w in warnings] == ["tenancy.W001"]
    assert "not reachable" in warnings[0].msg
