"""The served schema documents each operation's errors in one shape, with the codes in use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kernel import errors
from orgservice.openapi_errors import ERROR_CODES

ROOT = Path(__file__).resolve().parents[2]
ERROR_REF = {"$ref": "#/components/schemas/ErrorOutput"}


def responses(schema: dict, path: str, method: str) -> dict:
    return schema["paths"][path][method]["responses"]


def test_the_error_shape_is_one_component(schema):
    error = schema["components"]["schemas"]["ErrorOutput"]
    assert error["required"] == ["code", "detail"]
    assert set(error["properties"]) == {"code", "detail", "fields"}


def test_every_operation_documents_its_errors_with_the_shared_shape(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            errors_ = {s: r for s, r in operation["responses"].items() if s >= "400"}
            assert "503" in errors_, f"{method} {path}"
            for status, response in errors_.items():
                body = response["content"]["application/json"]["schema"]
                assert body == ERROR_REF, f"{method} {path} {status}"
                for code in ERROR_CODES[int(status)]:
                    assert f"`{code}`" in response["description"]


@pytest.mark.parametrize(
    ("path", "method", "expected", "absent"),
    [
        # public sign-up: bad or oversized body, name taken, rate limited; no token involved
        ("/api/v1/orgs/", "post", {"400", "409", "413", "415", "429"}, {"401", "403", "404"}),
        # public lookup by slug
        ("/api/v1/orgs/{slug}/", "get", {"404"}, {"401", "403", "413", "429"}),
        # a member's route: token, role, org by slug
        ("/api/v1/orgs/{org_slug}/members/", "get", {"401", "403", "404"}, {"413", "429"}),
        ("/api/v1/orgs/{org_slug}/records/", "get", {"400", "401", "403", "404"}, {"413"}),
        ("/api/v1/orgs/{slug}/", "delete", {"401", "403", "404", "409", "413"}, {"429"}),
        # 403 org_suspended / org_deleted once the password matched
        ("/api/v1/auth/login/", "post", {"400", "401", "403", "413", "429"}, {"404", "409"}),
        # the owner's restore: credentials, role, window; throttled as a login
        ("/api/v1/orgs/restore/", "post", {"400", "401", "403", "409", "410", "429"}, {"404"}),
        # staff only (a Django staff session): 403 for anyone else
        ("/api/v1/orgs/{slug}/suspend/", "post", {"400", "403", "404", "409"}, {"410"}),
        ("/api/v1/invitations/accept/", "post", {"400", "404", "409", "410", "429"}, {"401"}),
        ("/org/get", "get", {"400", "404"}, {"401", "413"}),
        ("/org/update", "put", {"400", "401", "403", "404", "409", "413", "429"}, set()),
    ],
)
def test_errors_follow_what_the_view_can_produce(schema, path, method, expected, absent):
    documented = set(responses(schema, path, method))
    assert expected <= documented
    assert not absent & documented


def test_a_page_of_records_is_documented_as_an_object(schema):
    ok = responses(schema, "/api/v1/orgs/{org_slug}/records/", "get")["200"]
    body = ok["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/RecordPageSchema"}


def test_every_code_the_service_raises_is_listed_under_its_status():
    listed = {code for codes in ERROR_CODES.values() for code in codes}
    for cls in [errors.AppError, *_subclasses(errors.AppError)]:
        if cls is not errors.AppError:
            assert cls.code in ERROR_CODES[cls.status], cls
    raised = set()
    for package in ("kernel", "tenancy", "accounts", "organizations"):
        for source in (ROOT / package).rglob("*.py"):
            if "tests" not in source.parts:
                raised |= set(re.findall(r'\bcode="([a-z_]+)"', source.read_text()))
    assert {"org_not_found", "last_owner", "invitation_used"} <= raised  # the scan found them
    assert raised - listed == set()


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found
