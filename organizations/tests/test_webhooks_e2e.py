"""Webhooks from outside: endpoints managed over HTTP against gunicorn, the worker as a real
``manage.py deliver_webhooks`` process (killed mid-delivery: nothing lost, the duplicate has the
same webhook-id; stopped by SIGTERM), a receiver on loopback."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
import requests

from conftest import PASSWORD
from kernel.failpoints import ENV_VAR, EXIT_CODE
from organizations.orgs.services import organization_create, organization_rename
from organizations.tests.webhook_receiver import receiving, verifies
from organizations.webhooks.delivery import SENT_FAILPOINT, run_once
from orgservice.testing import ROOT, gunicorn, manage, service_env
from tenancy import webhook_endpoints, webhook_outbox
from tenancy.documents import utcnow
from tenancy.stores.client import reset_clients

pytestmark = pytest.mark.slow

EMAIL = "boss@acme.example"
LOOPBACK = {"WEBHOOK_ALLOW_LOOPBACK": "true"}


def _login(base: str) -> dict:
    body = {"organization_name": "Acme Corp", "email": EMAIL, "password": PASSWORD}
    assert requests.post(f"{base}/org/create", json=body, timeout=10).status_code == 201
    login = {"email": EMAIL, "password": PASSWORD}
    token = requests.post(f"{base}/admin/login", json=login, timeout=10).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_endpoints_are_managed_over_http_and_a_running_worker_delivers(disk, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    with receiving() as receiver, gunicorn(disk, **LOOPBACK) as base:
        auth = _login(base)
        hooks = f"{base}/api/v1/orgs/acme-corp/webhooks/"
        created = requests.post(hooks, json={"url": receiver.url}, headers=auth, timeout=10)
        assert created.status_code == 201
        endpoint = created.json()
        refused = requests.post(hooks, json={"url": "https://10.0.0.1/"}, headers=auth, timeout=10)
        assert (refused.status_code, refused.json()["code"]) == (400, "webhook_url_forbidden")
        worker = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "deliver_webhooks"],
            cwd=ROOT,
            env=service_env(disk, WEBHOOK_POLL_SECONDS="0.2", **LOOPBACK),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            renamed = requests.put(
                f"{base}/org/update",
                json={"organization_name": "Acme Two"},
                headers=auth,
                timeout=10,
            )
            assert renamed.status_code == 200
            (got,) = receiver.wait_for(1)
        finally:
            worker.send_signal(signal.SIGTERM)
            output, _ = worker.communicate(timeout=30)
        assert worker.returncode == 0 and "Stopped." in output
        assert json.loads(got.body)["type"] == "org.renamed"
        assert verifies(endpoint["secret"], got)
        log = requests.get(
            f"{base}/api/v1/orgs/acme-two/webhooks/{endpoint['id']}/deliveries/",
            headers=auth,
            timeout=10,
        ).json()
        assert [(a["outcome"], a["status_code"]) for a in log] == [("delivered", 200)]
        assert (
            requests.delete(
                f"{base}/api/v1/orgs/acme-two/webhooks/{endpoint['id']}/", headers=auth, timeout=10
            ).status_code
            == 204
        )


def test_a_worker_killed_mid_delivery_loses_nothing_and_the_redelivery_has_the_same_id(
    disk, settings
):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    org = organization_create(name="Acme Corp", admin_email=EMAIL, admin_password=PASSWORD)
    with receiving() as receiver:
        webhook_endpoints.insert(
            org_id=org.id,
            url=receiver.url,
            events=["org.renamed"],
            description="",
            secret="whsec_c2VjcmV0",
        )
        organization_rename(org_id=org.id, new_name="Acme Two")
        killed = manage(disk, "deliver_webhooks", "--once", **LOOPBACK, **{ENV_VAR: SENT_FAILPOINT})
        assert killed.returncode == EXIT_CODE
        assert len(receiver.got) == 1  # it was sent, then the worker died before recording it
        leased = manage(disk, "deliver_webhooks", "--once", **LOOPBACK)
        assert leased.returncode == 0, leased.stderr
        assert "delivered 0, failed 0" in leased.stdout  # the dead worker's lease still holds
        reset_clients()
        after_lease = utcnow() + timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS + 1)
        assert run_once(now=after_lease).delivered == 1
        assert run_once(now=after_lease).delivered == 0
    first, second = receiver.got
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert json.loads(first.body) == json.loads(second.body)


def test_a_rename_killed_before_its_event_is_recovered_with_exactly_one_event(disk):
    manage(disk, "migrate", "--noinput", "-v", "0")
    org = organization_create(name="Acme Corp", admin_email=EMAIL, admin_password=PASSWORD)
    crashed = manage(
        disk, "rename_org", "Acme Corp", "Acme Two", **{ENV_VAR: "rename.collection_renamed"}
    )
    assert crashed.returncode == EXIT_CODE
    for _ in range(2):
        assert manage(disk, "reconcile_orgs", "--grace", "0").returncode == 0
    reset_clients()
    renamed = [e for e in webhook_outbox.recent(org.id, limit=10) if e["type"] == "org.renamed"]
    assert [e["data"]["slug"] for e in renamed] == ["acme-two"]
