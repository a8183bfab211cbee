"""Idempotency-Key on the create routes (in-process): replay, reuse with another body, key
validation, what is stored, scopes, locks held or abandoned, and the TTL index."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from conftest import PASSWORD
from kernel.errors import Unavailable
from organizations.idempotency import services as idem
from organizations.records import services as record_services
from organizations.tests.team import Team, build_team
from tenancy import idempotency_keys, orgs
from tenancy.documents import utcnow
from tenancy.indexes import IDEMPOTENCY_KEYS
from tenancy.stores.client import master_db

SIGNUP = {"organization_name": "Acme Corp", "email": "boss@acme.example", "password": PASSWORD}
RECORDS = "/api/v1/orgs/acme-corp/records/"


def _post(client: APIClient, path: str, body: object, key: str | None = "key-1"):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(path, body, format="json", **headers)


def _keys() -> list[dict]:
    return list(master_db()[IDEMPOTENCY_KEYS].find({}))


@pytest.fixture
def team() -> Team:
    return build_team()


@pytest.mark.parametrize("path", ["/org/create", "/api/v1/orgs/"])
def test_a_retried_signup_replays_the_first_answer_and_creates_one_org(path):
    first = _post(APIClient(), path, SIGNUP)
    again = _post(APIClient(), path, SIGNUP)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content  # the same bytes, key order included
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert orgs.count() == 1


def test_the_same_key_with_another_body_is_422_and_changes_nothing():
    assert _post(APIClient(), "/org/create", SIGNUP).status_code == 201
    response = _post(APIClient(), "/org/create", {**SIGNUP, "organization_name": "Other Corp"})
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert orgs.get_by_slug("other-corp") is None


def test_the_same_key_on_the_other_signup_route_is_another_request():
    assert _post(APIClient(), "/org/create", SIGNUP).status_code == 201
    response = _post(APIClient(), "/api/v1/orgs/", SIGNUP)
    assert (response.status_code, response.json()["code"]) == (422, "idempotency_key_reused")


def test_key_order_and_spacing_of_the_body_do_not_make_another_request():
    first = _post(APIClient(), "/org/create", SIGNUP)
    reordered = dict(reversed(list(SIGNUP.items())))
    again = _post(APIClient(), "/org/create", reordered)
    assert (again.status_code, again.json()) == (201, first.json())


@pytest.mark.parametrize("key", ["", "x" * 256, "clé", "tab\there", "del\x7f", "ключ"])
def test_a_malformed_key_is_400_and_creates_nothing(key):
    response = APIClient().post("/org/create", SIGNUP, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_idempotency_key")
    assert orgs.count() == 0 and _keys() == []


@pytest.mark.parametrize("key", ["a", "x" * 255, "~ !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}"])
def test_keys_of_1_to_255_printable_ascii_characters_are_accepted(key):
    assert _post(APIClient(), "/org/create", SIGNUP, key=key).status_code == 201
    assert _post(APIClient(), "/org/create", SIGNUP, key=key)["Idempotent-Replayed"] == "true"


def test_without_the_header_a_retry_runs_again():
    assert _post(APIClient(), "/org/create", SIGNUP, key=None).status_code == 201
    response = _post(APIClient(), "/org/create", SIGNUP, key=None)
    assert (response.status_code, response.json()["code"]) == (409, "org_name_taken")
    assert _keys() == []


def test_a_final_4xx_is_stored_and_replayed():
    APIClient().post("/org/create", SIGNUP, format="json")
    taken = {**SIGNUP, "email": "second@acme.example"}
    first = _post(APIClient(), "/org/create", taken)
    orgs.delete(orgs.get_by_slug("acme-corp").id)  # the name would be free now
    again = _post(APIClient(), "/org/create", taken)
    assert first.status_code == again.status_code == 409
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"


def test_an_invalid_body_is_not_stored_so_the_fixed_body_may_reuse_the_key():
    bad = _post(APIClient(), "/org/create", {**SIGNUP, "password": "short"})
    assert bad.status_code == 400
    assert _post(APIClient(), "/org/create", SIGNUP).status_code == 201


def test_a_signup_key_is_scoped_to_its_email_so_other_clients_never_see_its_answer():
    first = _post(APIClient(), "/org/create", SIGNUP)
    other = {"organization_name": "Globex", "email": "ceo@globex.example", "password": PASSWORD}
    second = _post(APIClient(), "/org/create", other)
    assert second.status_code == 201 and "Idempotent-Replayed" not in second
    assert second.json()["id"] != first.json()["id"]
    guess = _post(APIClient(), "/org/create", {**SIGNUP, "password": "Another-Pass-77-Word"})
    assert guess.status_code == 422 and first.json()["id"] not in guess.content.decode()


def test_nothing_secret_is_stored_in_the_clear():
    _post(APIClient(), "/org/create", SIGNUP)
    (doc,) = _keys()
    assert PASSWORD not in str(doc) and SIGNUP["email"] not in doc["scope"]


def test_a_record_create_is_replayed_and_stored_once(team):
    client = team.client("owner")
    first = _post(client, RECORDS, {"sku": "w-1"})
    again = _post(client, RECORDS, {"sku": "w-1"})
    assert (again.status_code, again.json()) == (201, first.json())
    assert client.get(RECORDS).json()["results"] == [first.json()]


def test_a_bulk_create_is_replayed_and_stored_once(team):
    client = team.client("member")
    body = {"records": [{"n": 1}, {"n": 2}]}
    first = _post(client, f"{RECORDS}bulk/", body)
    again = _post(client, f"{RECORDS}bulk/", body)
    assert (again.status_code, again.json()) == (201, first.json())
    assert len(client.get(RECORDS).json()["results"]) == 2


def test_keys_are_scoped_to_the_member_so_another_member_with_the_same_key_runs_its_own(team):
    mine = _post(team.client("owner"), RECORDS, {"sku": "same"})
    theirs = _post(team.client("member"), RECORDS, {"sku": "same"})
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs
    assert theirs.json()["id"] != mine.json()["id"]
    assert len(team.client("owner").get(RECORDS).json()["results"]) == 2


def test_an_invitation_accept_is_replayed(team):
    invited = (
        team.client("owner")
        .post(
            "/api/v1/orgs/acme-corp/invitations/",
            {"email": "new@acme.example", "role": "member"},
            format="json",
        )
        .json()
    )
    body = {"token": invited["token"], "password": PASSWORD}
    first = _post(APIClient(), "/api/v1/invitations/accept/", body)
    again = _post(APIClient(), "/api/v1/invitations/accept/", body)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    without_key = _post(APIClient(), "/api/v1/invitations/accept/", body, key=None)
    assert (without_key.status_code, without_key.json()["code"]) == (410, "invitation_used")


def _lock(scope: str, fingerprint: str, *, age: timedelta) -> None:
    """A lock as a request holding the key leaves it (a crashed one, if old enough)."""
    at = utcnow() - age
    idempotency_keys.claim(
        scope=scope,
        key="key-1",
        fingerprint=fingerprint,
        token="crashed",
        now=at,
        expires_at=at + timedelta(days=1),
    )


def _record_lock(team: Team, body: dict, *, age: timedelta) -> None:
    fingerprint = idem.fingerprint(method="POST", path=RECORDS, data=body)
    _lock(idem.member_scope(team.id("owner")), fingerprint, age=age)


def test_while_the_first_request_holds_the_key_a_retry_is_409_with_retry_after(team):
    _record_lock(team, {"sku": "w"}, age=timedelta(seconds=1))
    response = _post(team.client("owner"), RECORDS, {"sku": "w"})
    assert (response.status_code, response.json()["code"]) == (409, "idempotency_in_progress")
    assert response["Retry-After"] == "1"
    assert team.client("owner").get(RECORDS).json()["results"] == []


def test_a_lock_left_by_a_crashed_request_is_taken_over_after_the_lock_time(team, settings):
    settings.IDEMPOTENCY_LOCK_SECONDS = 60
    _record_lock(team, {"sku": "w"}, age=timedelta(seconds=61))
    first = _post(team.client("owner"), RECORDS, {"sku": "w"})
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    again = _post(team.client("owner"), RECORDS, {"sku": "w"})
    assert (again.json(), again["Idempotent-Replayed"]) == (first.json(), "true")


@pytest.mark.parametrize(
    ("error", "status"),
    [(RuntimeError("a bug"), 500), (Unavailable("down", code="database_unavailable"), 503)],
)
def test_a_server_error_stores_nothing_and_frees_the_key(team, monkeypatch, error, status):
    def crash(*args, **kwargs):
        raise error

    monkeypatch.setattr(record_services, "record_create", crash)
    client = team.client("owner")
    client.raise_request_exception = False
    assert _post(client, RECORDS, {"sku": "w"}).status_code == status
    assert _keys() == []
    monkeypatch.undo()
    assert _post(client, RECORDS, {"sku": "w"}).status_code == 201


def test_keys_expire_through_a_ttl_index_after_idempotency_key_ttl(settings):
    settings.IDEMPOTENCY_KEY_TTL = 3600
    _post(APIClient(), "/org/create", SIGNUP)
    indexes = master_db()[IDEMPOTENCY_KEYS].index_information()
    assert indexes["expires_ttl"]["expireAfterSeconds"] == 0
    assert indexes["scope_key_unique"]["unique"] is True
    (doc,) = _keys()
    assert doc["expires_at"] - doc["created_at"] == timedelta(hours=1)


def test_an_expired_key_is_a_new_key_even_before_the_ttl_monitor_removes_it(settings):
    settings.IDEMPOTENCY_KEY_TTL = 0
    assert _post(APIClient(), "/org/create", SIGNUP).status_code == 201
    again = _post(APIClient(), "/org/create", SIGNUP)
    assert (again.status_code, again.json()["code"]) == (409, "org_name_taken")
    assert "Idempotent-Replayed" not in again
