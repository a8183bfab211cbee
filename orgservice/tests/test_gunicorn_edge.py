"""Over real HTTP (gunicorn as `make run` starts it): the edge's answers carry the request id,
the security headers and the access line; keep-alive connections are closed now and then
(WEB_KEEPALIVE_REQUESTS) so that they spread over the workers."""

from __future__ import annotations

import json

import pytest
import requests

from conftest import PASSWORD
from orgservice.testing import gunicorn

pytestmark = pytest.mark.slow


def _access_lines(log_text: str) -> list[dict]:
    lines = [json.loads(line) for line in log_text.splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("logger") == "orgservice.access"]


def test_the_edge_answers_carry_request_ids_headers_and_access_lines(tmp_path):
    body = {"organization_name": "Edge Co", "email": "edge@example.com", "password": PASSWORD}
    with gunicorn(tmp_path) as base:
        assert requests.post(f"{base}/org/create", json=body, timeout=10).status_code == 201
        health = requests.get(f"{base}/healthz", headers={"X-Request-ID": "probe-7"}, timeout=10)
        found = requests.get(
            f"{base}/org/get",
            params={"organization_name": "edge co"},
            headers={"X-Request-ID": "get-7"},
            timeout=10,
        )
        missing = requests.get(
            f"{base}/org/get", params={"organization_name": "Nobody"}, timeout=10
        )
    assert (health.status_code, health.json(), health.headers["X-Request-ID"]) == (
        200,
        {"status": "ok"},
        "probe-7",
    )
    assert found.status_code == 200 and found.json()["slug"] == "edge-co"
    assert found.headers["X-Request-ID"] == "get-7"
    assert found.headers["X-Content-Type-Options"] == "nosniff"
    assert found.headers["X-Frame-Options"] == "DENY"
    assert missing.status_code == 404 and missing.json()["code"] == "org_not_found"
    lines = _access_lines((tmp_path / "gunicorn.log").read_text())
    by_id = {line["request_id"]: line for line in lines}
    assert (by_id["probe-7"]["route"], by_id["probe-7"]["status"]) == ("healthz", 200)
    assert (by_id["get-7"]["route"], by_id["get-7"]["path"]) == ("org/get", "/org/get")


@pytest.mark.parametrize(("every", "closed"), [("1", True), ("0", False)])
def test_keep_alive_connections_are_closed_now_and_then(tmp_path, every, closed):
    with gunicorn(tmp_path, WEB_KEEPALIVE_REQUESTS=every) as base:
        session = requests.Session()
        answers = [session.get(f"{base}/healthz", timeout=10) for _ in range(20)]
    assert all(a.status_code == 200 for a in answers)
    closes = [a.headers.get("Connection", "").lower() == "close" for a in answers]
    assert closes == [closed] * 20
