"""The master read of the org per authenticated request: the org read when the credential was
checked serves the view of the same request (one read, not two), never another request; an org
suspended or deleted between two requests is refused on the next one."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.principal import MemberPrincipal
from organizations.apikeys import services as key_services
from organizations.orgs import orgstate, retention, suspension
from organizations.tests.team import Team, build_team
from tenancy import orgs

ORG = "/api/v1/orgs/acme-corp"


@pytest.fixture
def team() -> Team:
    return build_team()


@pytest.fixture
def org_reads(monkeypatch) -> list[str]:
    """The org ids read through tenancy.orgs.get, in order (a counting spy over the store)."""
    reads: list[str] = []
    real = orgs.get

    def spy(org_id: str):
        reads.append(org_id)
        return real(org_id)

    monkeypatch.setattr(orgs, "get", spy)
    return reads


def _key_client(team: Team, scopes: list[str]) -> APIClient:
    owner = team.people["owner"]
    actor = MemberPrincipal(owner.id, owner.org_id, owner.email, role=owner.role)
    created = key_services.key_create(
        actor=actor, org=team.org, name="ci", scopes=scopes, expires_at=None, ip=None
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {created.token}")
    return client


def _reads_of(org_reads: list[str], client: APIClient, path: str) -> int:
    org_reads.clear()
    response = client.get(path)
    assert response.status_code == 200, response.content
    return len(org_reads)


# Reads of the org per request: one at authentication, which the view's org check reuses (was
# a second read); a records read adds one after reading the records, the version check that no
# rename, move or delete ran meanwhile (orgstate.read; it was the third of four).
TOKEN_ROUTES = [(f"{ORG}/records/", 2), (f"{ORG}/members/", 1), (f"{ORG}/audit/", 1)]
KEY_ROUTES = [(f"{ORG}/records/", "records:read", 2), (f"{ORG}/members/", "members:read", 1)]


@pytest.mark.parametrize(("path", "reads"), TOKEN_ROUTES)
def test_a_token_request_reads_its_org_once_before_the_view(team, org_reads, path, reads):
    assert _reads_of(org_reads, team.client("owner"), path) == reads
    assert set(org_reads) == {team.org.id}


def test_reading_one_record_reads_the_org_twice(team, org_reads):
    client = team.client("owner")
    record_id = client.post(f"{ORG}/records/", {"n": 1}, format="json").json()["id"]
    assert _reads_of(org_reads, client, f"{ORG}/records/{record_id}/") == 2


@pytest.mark.parametrize(("path", "scope", "reads"), KEY_ROUTES)
def test_an_api_key_request_reads_its_org_once_before_the_view(team, org_reads, path, scope, reads):
    assert _reads_of(org_reads, _key_client(team, [scope]), path) == reads


def test_each_request_reads_the_org_afresh(team, org_reads):
    """Nothing is carried from one request to the next: two requests, two reads."""
    client = team.client("owner")
    org_reads.clear()
    for _ in range(2):
        assert client.get(f"{ORG}/members/").status_code == 200
    assert org_reads == [team.org.id, team.org.id]


def test_a_change_since_the_authentication_read_is_still_caught(team, org_reads):
    """The org read at authentication stands for the first read of orgstate.read only: if it
    changed since (here: its metadata, any change bumps the version), the records are read
    again from a fresh read."""
    known = orgs.get(team.org.id)
    orgs.set_metadata(team.org.id, {"plan": "gold"})
    locations: list[object] = []
    org_reads.clear()
    assert orgstate.read(team.org.id, locations.append, known=known) is None
    assert len(locations) == 2
    assert len(org_reads) == 3  # the check that failed, the fresh read, the check that held


def _code(response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


def test_an_org_suspended_between_requests_is_refused_on_the_next(team):
    token, key = team.client("owner"), _key_client(team, ["records:read"])
    assert token.get(f"{ORG}/records/").status_code == 200
    assert key.get(f"{ORG}/records/").status_code == 200
    suspension.organization_suspend(org_id=team.org.id, reason="Unpaid", actor="staff:root")
    assert _code(token.get(f"{ORG}/records/")) == (401, "org_suspended")
    assert _code(token.get(f"{ORG}/members/")) == (401, "org_suspended")
    assert _code(key.get(f"{ORG}/records/")) == (401, "org_suspended")


def test_an_org_deleted_between_requests_is_refused_on_the_next(team, settings):
    settings.ORG_DELETE_RETENTION = 3600
    token, key = team.client("owner"), _key_client(team, ["records:read"])
    assert token.get(f"{ORG}/members/").status_code == 200
    assert key.get(f"{ORG}/records/").status_code == 200
    retention.organization_retire(org_id=team.org.id, actor="test")
    assert _code(token.get(f"{ORG}/records/")) == (401, "org_deleted")
    assert _code(token.get(f"{ORG}/members/")) == (401, "org_deleted")
    assert _code(key.get(f"{ORG}/records/")) == (401, "org_deleted")
