"""Errors outside DRF (Django's handler400/403/404/500 and the CSRF failure view) answer in the
API's JSON error shape: never an HTML page, never a stack trace."""

from __future__ import annotations

from django.test import Client

from organizations.orgs import selectors


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()


def test_an_unexpected_error_is_a_json_500_without_a_traceback(monkeypatch):
    def broken(name):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "organization_by_name", broken)
    response = Client(raise_request_exception=False).get("/org/get?organization_name=Acme")
    assert response.status_code == 500
    assert _json(response) == {"code": "server_error", "detail": "Internal server error."}
    assert b"secret internals" not in response.content and b"Traceback" not in response.content


def test_an_unknown_route_is_a_json_404():
    response = Client().get("/no/such/route")
    assert response.status_code == 404
    assert _json(response)["code"] == "not_found"


def test_a_host_outside_allowed_hosts_is_a_json_400():
    response = Client().get("/org/get", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert _json(response)["code"] == "bad_request"


def test_a_form_post_without_its_csrf_token_is_a_json_403():
    response = Client(enforce_csrf_checks=True).post("/api-auth/login/", {"username": "x"})
    assert response.status_code == 403
    assert _json(response)["code"] == "csrf_failed"


def test_a_bearer_value_outside_latin_1_is_a_json_401():
    """A WSGI server hands headers over as Latin-1; another server (or the test client) may not:
    a credential DRF cannot encode is malformed, not an error."""
    response = Client().get("/api/v1/orgs/acme/records/", HTTP_AUTHORIZATION="Bearer ☃.☃.☃")
    assert response.status_code == 401
    assert _json(response)["code"] == "authentication_failed"
