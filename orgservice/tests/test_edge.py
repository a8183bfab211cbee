"""orgservice.edge: /healthz and a successful GET /org/get answered ahead of Django, with the same
answer as the full stack (status, every header, body), the same request id and access line; every
other request reaches Django untouched."""

from __future__ import annotations

import logging

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import close_old_connections
from django.test import RequestFactory

from conftest import PASSWORD
from orgservice.edge import Edge

RID = "edge-test-1"


@pytest.fixture
def org(api):
    body = {"organization_name": "Fast Lane", "email": "fast@example.com", "password": PASSWORD}
    assert api.post("/org/create", body, format="json").status_code == 201


class _Counting:
    """Django's handler, counting the requests that reach it."""

    def __init__(self):
        self.django, self.calls = WSGIHandler(), 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


def _environ(method: str, query: str, **extra) -> dict:
    extra = {"HTTP_HOST": "testserver", "HTTP_X_REQUEST_ID": RID, **extra}
    request = RequestFactory().generic(method, "/org/get", **extra)
    request.environ["QUERY_STRING"] = query
    return request.environ


def _call(app, environ: dict) -> tuple[str, dict, bytes]:
    answered = {}

    def start_response(status, headers, exc_info=None):
        answered.update(status=status, headers=dict(headers))

    # as Django's test client does: no database connection is checked at the request's start
    request_started.disconnect(close_old_connections)
    try:
        body = b"".join(app(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
    return answered["status"], answered["headers"], body


def _both(query: str, method: str = "GET", path: str = "/org/get", **extra):
    """(edge's answer, Django's answer, whether the edge passed the request on to Django)."""
    inner = _Counting()
    edge = _call(Edge(inner), {**_environ(method, query, **extra), "PATH_INFO": path})
    full = _call(WSGIHandler(), {**_environ(method, query, **extra), "PATH_INFO": path})
    return edge, full, inner.calls == 1


@pytest.mark.parametrize(
    ("query", "extra"),
    [
        ("organization_name=fast+lane", {}),
        ("organization_name=Fast%20Lane", {"HTTP_ACCEPT": "application/json"}),
        ("organization_name=Nobody&organization_name=fast+lane", {}),  # the last one, as Django
        ("organization_name=fast+lane", {"HTTP_ACCEPT": "*/*"}),
    ],
)
def test_a_found_org_is_answered_at_the_edge_exactly_as_django_answers(org, query, extra):
    edge, full, passed_on = _both(query, **extra)
    assert not passed_on
    assert edge == full
    assert edge[0] == "200 OK" and b'"slug":"fast-lane"' in edge[2]
    assert edge[1]["X-Content-Type-Options"] == "nosniff" and edge[1]["X-Request-ID"] == RID


@pytest.mark.parametrize(
    ("query", "extra", "status"),
    [
        ("organization_name=Nobody", {}, "404 Not Found"),
        ("", {}, "400 Bad Request"),
        ("organization_name=%00", {}, "404 Not Found"),
        ("organization_name=fast+lane&format=json", {}, "200 OK"),
        ("organization_name=fast+lane", {"HTTP_HOST": "evil.example"}, "400 Bad Request"),
        ("organization_name=fast+lane", {"CONTENT_LENGTH": "3"}, "200 OK"),
        ("organization_name=f%C3%A4st", {}, "404 Not Found"),
    ],
)
def test_everything_else_reaches_django_unchanged(org, query, extra, status):
    edge, full, passed_on = _both(query, **extra)
    assert passed_on
    assert edge == full and edge[0] == status


def test_a_browser_asking_for_html_still_gets_the_browsable_api(org):
    edge, _, passed_on = _both("organization_name=fast+lane", HTTP_ACCEPT="text/html")
    assert passed_on
    assert edge[0] == "200 OK" and edge[1]["Content-Type"].startswith("text/html")


def test_other_methods_and_routes_reach_django(org):
    for method, path in [("POST", "/org/get"), ("HEAD", "/org/get"), ("GET", "/readyz")]:
        edge, full, passed_on = _both("organization_name=fast+lane", method=method, path=path)
        assert passed_on and edge[0] == full[0]


def test_plain_http_is_redirected_by_django_when_https_is_required(org, settings):
    settings.SECURE_SSL_REDIRECT = True
    edge, full, passed_on = _both("organization_name=fast+lane")
    assert passed_on and edge == full and edge[0].startswith("301")


def test_over_https_behind_the_proxy_the_edge_adds_hsts_as_django_does(org, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    edge, full, passed_on = _both("organization_name=fast+lane", HTTP_X_FORWARDED_PROTO="https")
    assert not passed_on and edge == full
    assert edge[1]["Strict-Transport-Security"].startswith("max-age=3600")


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_healthz_is_answered_at_the_edge_with_django_s_body(method):
    edge, full, passed_on = _both("", method=method, path="/healthz")
    assert not passed_on
    assert (edge[0], edge[2]) == (full[0], full[2]) == ("200 OK", b'{"status": "ok"}')
    for header in ("Content-Type", "X-Request-ID"):
        assert edge[1][header] == full[1][header]


@pytest.mark.parametrize(
    ("path", "query"), [("/healthz", ""), ("/org/get", "organization_name=Fast+Lane")]
)
def test_an_edge_answer_keeps_the_request_id_and_the_access_line(org, caplog, path, query):
    with caplog.at_level(logging.INFO, logger="orgservice.access"):
        _, headers, _ = _call(Edge(_Counting()), {**_environ("GET", query), "PATH_INFO": path})
        _, fresh, _ = _call(
            Edge(_Counting()),
            {**_environ("GET", query, HTTP_X_REQUEST_ID="bad id\n"), "PATH_INFO": path},
        )
    assert headers["X-Request-ID"] == RID
    assert len(fresh["X-Request-ID"]) == 32 and fresh["X-Request-ID"] != "bad id\n"
    lines = [r for r in caplog.records if r.name == "orgservice.access"]
    assert [(r.route, r.status, r.path, r.org_id) for r in lines] == [
        (path.lstrip("/"), 200, path, None)
    ] * 2
    assert [r.request_id for r in lines] == [RID, fresh["X-Request-ID"]]


def test_org_times_read_as_the_drf_serializer_writes_them(org):
    from organizations.orgs.serializers import OrgOutput, org_body
    from tenancy import orgs

    found = orgs.get_by_slug("fast-lane")
    assert org_body(found) == OrgOutput(found).data
