"""End to end over real HTTP: gunicorn as `make run` starts it, litemongo on disk."""

import pytest
import requests

from conftest import PASSWORD
from orgservice.testing import gunicorn

pytestmark = pytest.mark.slow


def test_assignment_flow_over_http_and_data_survives_a_restart(tmp_path):
    body = {"organization_name": "Acme Corp", "email": "boss@acme.example", "password": PASSWORD}
    with gunicorn(tmp_path) as base:
        created = requests.post(f"{base}/org/create", json=body, timeout=10)
        assert created.status_code == 201, created.text
        token = requests.post(
            f"{base}/admin/login", json={"email": body["email"], "password": PASSWORD}, timeout=10
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        renamed = requests.put(
            f"{base}/org/update", json={"organization_name": "Acme Two"}, headers=auth, timeout=10
        )
        assert renamed.json()["collection"] == "org_acme-two"
        bad = requests.post(
            f"{base}/org/create",
            data="{oops",
            timeout=10,
            headers={"Content-Type": "application/json"},
        )
        assert bad.status_code == 400 and bad.json()["code"] == "malformed_body"

    with gunicorn(tmp_path) as base:
        found = requests.get(
            f"{base}/org/get", params={"organization_name": "Acme Two"}, timeout=10
        )
        assert found.status_code == 200
        assert found.json()["slug"] == "acme-two"
        gone = requests.delete(
            f"{base}/org/delete", json={"organization_name": "Acme Two"}, headers=auth, timeout=10
        )
        assert gone.status_code == 200
        assert (
            requests.get(
                f"{base}/org/get", params={"organization_name": "Acme Two"}, timeout=10
            ).status_code
            == 404
        )
