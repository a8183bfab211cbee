"""Org metadata: owners set a small validated JSON object on their org; members read it in the
org's GET, the public and other orgs do not; the staff panel shows it."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from organizations.orgs import metadata
from organizations.tests.team import Team, build_team
from tenancy import audit, orgs

ORG = "/api/v1/orgs/acme-corp/"
GOOD = {"plan": "pro", "seats": 25, "flags": {"beta": True, "regions": ["eu", "us"]}}


@pytest.fixture
def team() -> Team:
    return build_team()


def _patch(team: Team, who: str, body: object):
    return team.client(who).patch(ORG, body, format="json")


def _stored() -> dict:
    return orgs.get_by_slug("acme-corp").metadata


def test_an_owner_sets_metadata_and_the_answer_carries_it(team):
    response = _patch(team, "owner", {"metadata": GOOD})
    assert response.status_code == 200
    assert response.json()["metadata"] == GOOD and response.json()["slug"] == "acme-corp"
    assert _stored() == GOOD


def test_setting_metadata_replaces_it_whole_and_an_empty_object_clears_it(team):
    _patch(team, "owner", {"metadata": GOOD})
    assert _patch(team, "owner2", {"metadata": {"plan": "free"}}).json()["metadata"] == {
        "plan": "free"
    }
    assert _patch(team, "owner", {"metadata": {}}).status_code == 200
    assert _stored() == {}


def test_setting_metadata_is_audited_with_its_keys_and_the_actor(team):
    _patch(team, "owner", {"metadata": GOOD})
    (event,) = [e for e in audit.recent(org_id=team.org.id) if e["event"] == "org_metadata_set"]
    assert (event["keys"], event["actor"]) == (["flags", "plan", "seats"], team.id("owner"))


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("admin", 403, "owner_required"),
        ("member", 403, "owner_required"),
        ("other", 403, "not_your_org"),
    ],
)
def test_only_owners_may_set_metadata(team, who, status, code):
    _patch(team, "owner", {"metadata": GOOD})
    response = _patch(team, who, {"metadata": {"plan": "stolen"}})
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert _stored() == GOOD


def test_without_a_token_setting_metadata_is_401(team):
    response = APIClient().patch(ORG, {"metadata": GOOD}, format="json")
    assert response.status_code == 401 and _stored() == {}


def _deep(levels: int) -> dict:
    value: object = 1
    for _ in range(levels):
        value = {"k": value}
    return value


BAD = [
    ("not an object", ["a", "b"]),
    ("a string", "plan=pro"),
    ("upper-case key", {"Plan": "pro"}),
    ("dollar key", {"$where": "1"}),
    ("dotted key", {"a.b": 1}),
    ("nested dollar key", {"a": {"$ne": None}}),
    ("dollar inside a key", {"a$b": 1}),
    ("key in an array's object", {"a": [{"B": 1}]}),
    ("empty key", {"": 1}),
    ("hyphen key", {"a-b": 1}),
    ("non-ASCII key", {"clé": 1}),
    ("NUL in key", {"a\x00": 1}),
    ("depth 4 objects", _deep(4)),
    ("depth 4 through arrays", {"a": [[{"b": 1}]]}),
    ("an array at depth 4", {"a": {"b": {"c": [1]}}}),
    ("over 4 KiB", {"blob": "x" * 4090}),
]


@pytest.mark.parametrize(("case", "value"), BAD, ids=[c for c, _ in BAD])
def test_bad_metadata_is_400_with_field_errors_and_changes_nothing(team, case, value):
    _patch(team, "owner", {"metadata": GOOD})
    before = orgs.get_by_slug("acme-corp")
    response = _patch(team, "owner", {"metadata": value})
    assert response.status_code == 400, case
    body = response.json()
    assert body["code"] == "invalid_metadata" and body["fields"]["metadata"], body
    after = orgs.get_by_slug("acme-corp")
    assert (after.metadata, after.version) == (GOOD, before.version)


@pytest.mark.parametrize(
    "value",
    [
        _deep(2),
        {"a": [1, {"b": None}]},
        {"n": 1.5, "z": 0, "b": False, "s": ""},
        {"blob": "x" * (4096 - len('{"blob":""}'))},
        {"a_1": {"b_2": {"c_3": 1}}},
        {"a": {"b": [1, 2]}},
    ],
)
def test_metadata_within_the_limits_is_accepted(team, value):
    assert _patch(team, "owner", {"metadata": value}).status_code == 200
    assert _stored() == value


def test_the_size_limit_counts_utf8_bytes_of_compact_json():
    with pytest.raises(Exception) as refused:
        metadata.check({"s": "é" * 2045})  # 2045 x 2 bytes + 8 > 4096
    assert "bytes of JSON" in str(refused.value.fields)
    assert metadata.check({"s": "é" * 2040}) == {"s": "é" * 2040}


def test_non_finite_numbers_are_refused_by_the_service():
    with pytest.raises(Exception) as refused:
        metadata.check({"x": float("nan")})
    assert refused.value.code == "invalid_metadata"


def test_a_rename_and_metadata_in_one_request_are_refused(team):
    response = _patch(team, "owner", {"name": "Acme Two", "metadata": GOOD})
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert _stored() == {} and orgs.get_by_slug("acme-corp") is not None


def test_a_rename_keeps_the_metadata(team):
    _patch(team, "owner", {"metadata": GOOD})
    response = _patch(team, "owner", {"name": "Acme Two"})
    assert response.json()["metadata"] == GOOD
    assert orgs.get_by_slug("acme-two").metadata == GOOD


@pytest.mark.parametrize("who", ["owner", "admin", "member"])
def test_every_member_reads_the_metadata_in_the_orgs_get(team, who):
    _patch(team, "owner", {"metadata": GOOD})
    assert team.client(who).get(ORG).json()["metadata"] == GOOD


def test_the_public_and_other_orgs_do_not_see_the_metadata(team):
    _patch(team, "owner", {"metadata": GOOD})
    for client in (APIClient(), team.client("other")):
        body = client.get(ORG).json()
        assert body["slug"] == "acme-corp" and "metadata" not in body
    legacy = APIClient().get("/org/get", {"organization_name": "Acme Corp"}).json()
    assert "metadata" not in legacy and legacy["slug"] == "acme-corp"


def test_the_staff_panel_shows_the_metadata_escaped(team, staff_client):
    _patch(team, "owner", {"metadata": {"note": "<script>x</script>", "seats": 3}})
    url = reverse("admin:organizations_organization_detail", args=[team.org.id])
    page = staff_client.get(url).content.decode()
    shown = json.dumps({"note": "<script>x</script>", "seats": 3}, indent=2, sort_keys=True)
    assert '<pre id="org-app-metadata">' in page
    assert shown.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") in page
    assert "<script>x</script>" not in page
