"""The records API for an org's own admin: create, list, read, replace, merge, delete, bulk;
under every placement."""

import pytest

from organizations.tests.invariants import stored
from tenancy import orgs
from tenancy.stores.client import master_db

pytestmark = pytest.mark.usefixtures("placement")

BASE = "/api/v1/orgs/acme-corp/records/"


def _stored() -> list[dict]:
    return stored(orgs.get_by_slug("acme-corp"))


@pytest.fixture
def client(make_org, authed):
    _, email, _ = make_org("Acme Corp")
    return authed(email)


def _create(client, body):
    response = client.post(BASE, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_create_answers_201_with_a_string_id_and_timestamps(client):
    body = _create(client, {"name": "widget", "tags": ["a", "b"], "meta": {"x": 1}})
    assert isinstance(body["id"], str) and len(body["id"]) == 24
    assert (body["name"], body["tags"], body["meta"]) == ("widget", ["a", "b"], {"x": 1})
    assert body["created_at"] == body["updated_at"] and body["created_at"].endswith("Z")


def test_a_created_record_reads_back_exactly_as_answered(client):
    created = _create(client, {"n": 1.5, "ok": True, "none": None, "deep": {"a": [1, {"b": "c"}]}})
    assert client.get(f"{BASE}{created['id']}/").json() == created


def test_records_are_stored_where_the_orgs_placement_keeps_them(client):
    created = _create(client, {"k": "v"})
    (doc,) = _stored()
    assert (str(doc["_id"]), doc["data"]) == (created["id"], {"k": "v"})


def test_put_replaces_every_field_and_moves_updated_at(client):
    created = _create(client, {"a": 1, "b": 2})
    response = client.put(f"{BASE}{created['id']}/", {"c": 3}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert {k: v for k, v in body.items() if k not in ("created_at", "updated_at")} == {
        "id": created["id"],
        "c": 3,
    }
    assert body["created_at"] == created["created_at"]
    assert body["updated_at"] >= created["updated_at"]


def test_patch_merges_top_level_fields_and_replaces_nested_objects_whole(client):
    created = _create(client, {"a": 1, "nested": {"x": 1, "y": 2}})
    response = client.patch(f"{BASE}{created['id']}/", {"b": 2, "nested": {"z": 3}}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["a"], body["b"], body["nested"]) == (1, 2, {"z": 3})


def test_patch_that_would_make_the_record_too_large_is_400_and_changes_nothing(client, settings):
    settings.RECORD_MAX_BYTES = 200
    created = _create(client, {"a": "x" * 120})
    response = client.patch(f"{BASE}{created['id']}/", {"b": "y" * 120}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "record_too_large")
    assert client.get(f"{BASE}{created['id']}/").json() == created


def test_delete_answers_204_and_the_record_is_gone(client):
    created = _create(client, {"a": 1})
    assert client.delete(f"{BASE}{created['id']}/").status_code == 204
    assert client.get(f"{BASE}{created['id']}/").status_code == 404
    assert client.delete(f"{BASE}{created['id']}/").status_code == 404


@pytest.mark.parametrize("record_id", ["nope", "0" * 24, "zz" * 12, "65f0a1b2c3d4e5f6a7b8c9d0"])
def test_unknown_or_malformed_record_ids_are_404_on_every_method(client, record_id):
    url = f"{BASE}{record_id}/"
    for response in (
        client.get(url),
        client.put(url, {"a": 1}, format="json"),
        client.patch(url, {"a": 1}, format="json"),
        client.delete(url),
    ):
        assert (response.status_code, response.json()["code"]) == (404, "record_not_found")


def test_records_routes_need_a_token(api, make_org):
    make_org("Acme Corp")
    response = api.get(BASE)
    assert response.status_code == 401
    assert api.post(BASE, {"a": 1}, format="json").status_code == 401
    assert _stored() == []


def test_bulk_inserts_every_record_in_order_and_answers_them(client):
    response = client.post(
        f"{BASE}bulk/", {"records": [{"i": i} for i in range(1000)]}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["count"] == 1000 and [r["i"] for r in body["results"]] == list(range(1000))
    assert len(_stored()) == 1000


@pytest.mark.parametrize(
    "body",
    [
        {"records": []},
        {"records": [{"i": 1}] * 1001},
        {"records": {"i": 1}},
        [{"i": 1}],
        {"records": [{"i": 1}], "extra": 1},
        {"records": [{"ok": 1}, {"bad.key": 1}]},
        {"records": [{"ok": 1}, {"id": "mine"}]},
        {"records": [{"ok": 1}, "not an object"]},
    ],
)
def test_bulk_refuses_the_whole_batch_when_any_part_is_invalid(client, body):
    response = client.post(f"{BASE}bulk/", body, format="json")
    assert response.status_code == 400
    assert _stored() == []


def test_bulk_error_names_the_refused_records_index(client):
    body = {"records": [{"ok": 1}, {"ok": 2}, {"$where": "1"}]}
    response = client.post(f"{BASE}bulk/", body, format="json")
    assert response.json()["fields"] == {"records[2]": [response.json()["detail"]]}


def test_writes_to_an_org_with_an_operation_in_flight_are_409_org_busy(client):
    created = _create(client, {"a": 1})
    master_db()["organizations"].update_one({"slug": "acme-corp"}, {"$set": {"status": "renaming"}})
    url = f"{BASE}{created['id']}/"
    for response in (
        client.post(BASE, {"a": 2}, format="json"),
        client.post(f"{BASE}bulk/", {"records": [{"a": 2}]}, format="json"),
        client.put(url, {"a": 2}, format="json"),
        client.patch(url, {"a": 2}, format="json"),
        client.delete(url),
    ):
        assert (response.status_code, response.json()["code"]) == (409, "org_busy")
    assert client.get(url).json() == created


def test_the_schema_documents_the_records_routes(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/v1/orgs/{org_slug}/records/",
        "/api/v1/orgs/{org_slug}/records/{record_id}/",
        "/api/v1/orgs/{org_slug}/records/bulk/",
        "/api/v1/orgs/{org_slug}/export/",
    } <= set(paths)
    assert set(paths["/api/v1/orgs/{org_slug}/records/{record_id}/"]) == {
        "get",
        "put",
        "patch",
        "delete",
    }
