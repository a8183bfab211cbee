"""End to end: the real server's output is JSON lines with request ids, and holds no secret."""

import json

import pytest
import requests

from conftest import PASSWORD
from orgservice.testing import gunicorn

pytestmark = pytest.mark.slow

# drf-spectacular prints schema-generation notes straight to stderr, not through logging.
_NOT_LOGGING = (": Warning [", ": Error [", "Schema generation summary")


def test_the_servers_log_is_json_with_request_ids_and_no_secret(tmp_path):
    body = {"organization_name": "Acme Corp", "email": "boss@acme.example", "password": PASSWORD}
    with gunicorn(tmp_path, workers=1, WEB_ACCESS_LOG="-") as base:
        assert requests.post(f"{base}/org/create", json=body, timeout=10).status_code == 201
        tokens = requests.post(
            f"{base}/admin/login", timeout=10, json={"email": body["email"], "password": PASSWORD}
        ).json()
        renamed = requests.put(
            f"{base}/org/update",
            json={"organization_name": "Acme Two"},
            timeout=10,
            headers={"Authorization": f"Bearer {tokens['access_token']}", "X-Request-ID": "e2e-1"},
        )
        assert renamed.status_code == 200 and renamed.headers["X-Request-ID"] == "e2e-1"
        ready = requests.get(f"{base}/readyz", timeout=10)
        assert ready.status_code == 200 and ready.json() == {"status": "ok"}
    text = (tmp_path / "gunicorn.log").read_text()
    lines = [line for line in text.splitlines() if not any(m in line for m in _NOT_LOGGING)]
    records = [json.loads(line) for line in lines]
    app = [r for r in records if r["logger"] == "orgservice.access" and r["request_id"] == "e2e-1"]
    server = [r for r in records if r["logger"] == "gunicorn.access" and r["request_id"] == "e2e-1"]
    assert [(r["route"], r["status"]) for r in app] == [("org/update", 200)]
    assert app[0]["org_id"] and server[0]["status"] == 200
    booted = [r for r in records if r["logger"] == "gunicorn.error" and "Booting" in r["message"]]
    assert booted
    for secret in (PASSWORD, tokens["access_token"], tokens["refresh_token"]):
        assert secret not in text
