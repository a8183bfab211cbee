"""The served schema documents the Idempotency-Key header, and its 409/422, on the create routes."""

from __future__ import annotations

import pytest

IDEMPOTENT = {
    ("/org/create", "post"),
    ("/api/v1/orgs/", "post"),
    ("/api/v1/orgs/{org_slug}/records/", "post"),
    ("/api/v1/orgs/{org_slug}/records/bulk/", "post"),
    ("/api/v1/invitations/accept/", "post"),
}


def _takes_the_header(operation: dict) -> bool:
    return any(
        p["in"] == "header" and p["name"] == "Idempotency-Key"
        for p in operation.get("parameters", [])
    )


def test_exactly_the_create_routes_take_an_idempotency_key(schema):
    taking = {
        (path, method)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if _takes_the_header(operation)
    }
    assert taking == IDEMPOTENT


@pytest.mark.parametrize(("path", "method"), sorted(IDEMPOTENT))
def test_the_create_routes_document_key_reuse_and_a_key_in_use(schema, path, method):
    responses = schema["paths"][path][method]["responses"]
    assert "idempotency_key_reused" in responses["422"]["description"]
    assert "idempotency_in_progress" in responses["409"]["description"]
    assert "invalid_idempotency_key" in responses["400"]["description"]
