"""GET /metrics: who may scrape it, and what the request, login, throttle, pending-operation and
store metrics count (in one process; test_gunicorn_metrics sums gunicorn workers)."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families
from rest_framework.test import APIClient

from conftest import PASSWORD
from tenancy import orgs

TOKEN = "scrape-token-" + "z" * 30


def scrape(token: str = TOKEN) -> dict[tuple[str, frozenset], float]:
    """Every sample of a scrape, keyed by (sample name, labels)."""
    response = APIClient().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def metrics_token(settings):
    settings.DEBUG = False
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def test_with_a_token_configured_a_scrape_without_it_or_with_another_is_401(metrics_token):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong"}, {"HTTP_AUTHORIZATION": TOKEN}):
        response = APIClient().get("/metrics", **headers)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
        assert b"orgservice_" not in response.content


def test_with_the_token_the_scrape_is_the_prometheus_text_format(metrics_token):
    samples = scrape()
    assert ("orgservice_logins_total", frozenset({("outcome", "failure")})) in samples


def test_without_a_token_metrics_are_404_in_production(settings):
    settings.DEBUG = False
    settings.METRICS_TOKEN = ""
    response = APIClient().get("/metrics", HTTP_AUTHORIZATION="Bearer anything")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_without_a_token_metrics_are_open_when_debug(settings):
    settings.DEBUG = True
    settings.METRICS_TOKEN = ""
    response = APIClient().get("/metrics")
    assert response.status_code == 200
    assert b"orgservice_http_requests_total" in response.content


def test_a_write_to_metrics_is_refused(metrics_token):
    response = APIClient().post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 405


def test_requests_are_counted_by_route_pattern_and_status_not_by_raw_path(metrics_token):
    before = scrape()
    client = APIClient()
    for name in ("alpha", "beta", "gamma"):
        assert client.get(f"/api/v1/orgs/{name}/").status_code in (401, 404)
    assert client.get("/org/get", {"organization_name": "nope"}).status_code == 404
    assert client.get("/no/such/page").status_code == 404
    after = scrape()

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    detail = [k for k in after if k[0] == "orgservice_http_requests_total"]
    routes = {dict(labels)["route"] for _, labels in detail}
    assert not any(name in route for route in routes for name in ("alpha", "beta", "gamma"))
    org_detail = [r for r in routes if r.startswith("api/v1/") and "orgs" in r and "<" in r]
    assert (
        sum(
            delta("orgservice_http_requests_total", method="GET", route=r, status=s)
            for r in org_detail
            for s in ("401", "404")
        )
        == 3
    )
    legacy = {"method": "GET", "route": "org/get", "status": "404"}
    assert delta("orgservice_http_requests_total", **legacy) == 1
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    assert delta("orgservice_http_requests_total", **unmatched) == 1
    latency = {"method": "GET", "route": "org/get"}
    assert delta("orgservice_http_request_duration_seconds_count", **latency) == 1
    assert delta("orgservice_http_request_duration_seconds_sum", **latency) > 0


def test_login_outcomes_and_throttled_scopes_are_counted(metrics_token, settings, make_org):
    settings.LOGIN_RATE_PER_EMAIL = "3/min"
    settings.LOGIN_RATE_PER_IP = "1000/min"
    _, email, _ = make_org("Metered Org")
    before = scrape()
    client = APIClient()

    def login(password: str) -> int:
        body = {"email": email, "password": password}
        return client.post("/admin/login", body, format="json").status_code

    assert [login(PASSWORD), login("Wrong-pass-1"), login("Wrong-pass-2")] == [200, 401, 401]
    assert [login(PASSWORD), login(PASSWORD)] == [429, 429]
    after = scrape()
    for outcome, count in (("success", 1), ("failure", 2), ("throttled", 2)):
        key = {"outcome": outcome}
        got = value(after, "orgservice_logins_total", **key)
        assert got - value(before, "orgservice_logins_total", **key) == count, outcome
    scope = {"scope": "login-email"}
    throttled = value(after, "orgservice_throttled_total", **scope)
    assert throttled - value(before, "orgservice_throttled_total", **scope) == 2


def test_pending_org_operations_are_read_from_the_store_at_scrape_time(metrics_token, make_org):
    first, _, _ = make_org("First Org")
    make_org("Second Org")
    assert value(scrape(), "orgservice_pending_org_operations") == 0
    orgs.transition(first.id, version=first.version, changes={"pending": {"op": "rename"}})
    assert value(scrape(), "orgservice_pending_org_operations") == 1


def test_store_calls_are_timed(metrics_token, make_org):
    make_org("Timed Org")
    before = value(scrape(), "orgservice_store_duration_seconds_count")
    assert APIClient().get("/org/get", {"organization_name": "Timed Org"}).status_code == 200
    after = scrape()
    assert value(after, "orgservice_store_duration_seconds_count") > before
    assert value(after, "orgservice_store_duration_seconds_bucket", le="+Inf") == value(
        after, "orgservice_store_duration_seconds_count"
    )
