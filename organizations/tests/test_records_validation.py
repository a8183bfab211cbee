"""Refused record shapes and list queries: 400 with a JSON error, and nothing written."""

import pytest

from organizations.tests.invariants import stored
from tenancy import orgs

pytestmark = pytest.mark.usefixtures("placement")

BASE = "/api/v1/orgs/acme-corp/records/"


def _nested(levels: int) -> dict:
    record: dict = {}
    inner = record
    for _ in range(levels - 1):
        inner["n"] = {}
        inner = inner["n"]
    return record


def _nested_list(levels: int) -> list:
    value: list = [1]
    for _ in range(levels - 1):
        value = [value]
    return value


@pytest.fixture
def client(make_org, authed):
    _, email, _ = make_org("Acme Corp")
    return authed(email)


@pytest.fixture
def existing(client):
    response = client.post(BASE, {"keep": "me"}, format="json")
    return response.json()


def _stored() -> list:
    return stored(orgs.get_by_slug("acme-corp"))


REFUSED = {
    "dollar_key": ({"$where": "1"}, "invalid_key"),
    "nested_dollar_key": ({"a": {"b": [{"$gt": 1}]}}, "invalid_key"),
    "dotted_key": ({"a.b": 1}, "invalid_key"),
    "nested_dotted_key": ({"a": [{"b.c": 1}]}, "invalid_key"),
    "nul_key": ({"a\x00b": 1}, "invalid_key"),
    "nested_nul_key": ({"a": {"\x00": 1}}, "invalid_key"),
    "empty_key": ({"": 1}, "invalid_key"),
    "too_deep": (_nested(33), "too_deep"),
    "too_deep_in_arrays": ({"a": _nested_list(32)}, "too_deep"),
    "too_large": ({"blob": "x" * (64 * 1024)}, "record_too_large"),
    "client_underscore_id": ({"_id": "x"}, "reserved_field"),
    "client_id": ({"id": "x"}, "reserved_field"),
    "client_created_at": ({"created_at": "2020-01-01T00:00:00Z"}, "reserved_field"),
    "client_updated_at": ({"updated_at": "2020-01-01T00:00:00Z"}, "reserved_field"),
    "array_body": ([{"a": 1}], "invalid_record"),
    "string_body": ("just text", "invalid_record"),
    "number_body": (42, "invalid_record"),
    "integer_beyond_64_bits": ({"n": 2**63}, "invalid_record"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_create_refuses_the_shape_and_writes_nothing(client, name):
    body, code = REFUSED[name]
    response = client.post(BASE, body, format="json")
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert _stored() == []


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_put_and_patch_refuse_the_shape_and_change_nothing(client, existing, name):
    body, code = REFUSED[name]
    before = _stored()
    for method in (client.put, client.patch):
        response = method(f"{BASE}{existing['id']}/", body, format="json")
        assert (response.status_code, response.json()["code"]) == (400, code)
    assert _stored() == before


def test_the_deepest_and_largest_allowed_records_are_accepted(client, settings):
    assert client.post(BASE, _nested(32), format="json").status_code == 201
    overhead = len('{"blob":""}')
    exact = {"blob": "x" * (settings.RECORD_MAX_BYTES - overhead)}
    assert client.post(BASE, exact, format="json").status_code == 201


def test_the_size_limit_follows_the_setting(client, settings):
    settings.RECORD_MAX_BYTES = 100
    response = client.post(BASE, {"blob": "x" * 100}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "record_too_large")


def test_keys_that_merely_contain_dollar_or_underscores_are_fine(client):
    body = {"price$": 1, "_private": 2, "nested": {"_id": 3, "id": 4}}
    response = client.post(BASE, body, format="json")
    assert response.status_code == 201
    assert {k: response.json()[k] for k in body} == body


def test_a_json_null_or_missing_body_is_not_a_record(client, existing):
    url = f"{BASE}{existing['id']}/"
    before = _stored()
    for response in (
        client.generic("POST", BASE, "null", content_type="application/json"),
        client.generic("PUT", url, "null", content_type="application/json"),
        client.generic("PATCH", url, "null", content_type="application/json"),
        client.generic("POST", BASE, ""),
        client.generic("PUT", url, ""),
    ):
        assert (response.status_code, response.json()["code"]) == (400, "invalid_record")
    assert _stored() == before


def test_malformed_or_absurdly_nested_json_is_400_not_500(client):
    for raw in ("{oops", "[" * 100_000 + "]" * 100_000):
        response = client.generic("POST", BASE, raw, content_type="application/json")
        assert (response.status_code, response.json()["code"]) == (400, "malformed_body")
    assert _stored() == []


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("limit=0", "invalid_limit"),
        ("limit=-1", "invalid_limit"),
        ("limit=abc", "invalid_limit"),
        ("limit=1.5", "invalid_limit"),
        ("limit=", "invalid_limit"),
        ("limit=5&limit=6", "invalid_query"),
        ("cursor=!!!", "invalid_cursor"),
        ("cursor=", "invalid_cursor"),
        ("cursor=cjE6bm90LWFuLWlk", "invalid_cursor"),
        ("%24where=1", "invalid_filter"),
        ("a.b=1", "invalid_filter"),
        ("id=1", "invalid_filter"),
        ("created_at=1", "invalid_filter"),
        ("a=1&a=2", "invalid_query"),
        ("&".join(f"f{i}=1" for i in range(21)), "invalid_filter"),
    ],
)
def test_list_refuses_bad_limit_cursor_or_filter_with_400(client, query, code):
    response = client.get(f"{BASE}?{query}")
    assert (response.status_code, response.json()["code"]) == (400, code)
