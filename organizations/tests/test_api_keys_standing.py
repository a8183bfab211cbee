"""An org's API keys follow its standing, checked at use: a suspended org's keys get 401
``org_suspended`` and work again after resume; a deleted org's keys (within its restore window)
get 401 ``org_deleted``."""

from __future__ import annotations

from rest_framework.test import APIClient

from accounts.principal import MemberPrincipal
from organizations.apikeys import services
from organizations.orgs import retention, suspension
from organizations.tests.team import build_team

RECORDS = "/api/v1/orgs/{slug}/records/"


def _key_client(team) -> APIClient:
    owner = team.people["owner"]
    actor = MemberPrincipal(owner.id, owner.org_id, owner.email, role=owner.role)
    created = services.key_create(
        actor=actor, org=team.org, name="ci", scopes=["records:read"], expires_at=None, ip=None
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {created.token}")
    return client


def _status(client: APIClient, slug: str) -> tuple[int, str | None]:
    response = client.get(RECORDS.format(slug=slug))
    return response.status_code, (
        response.json().get("code") if response.status_code >= 400 else None
    )


def test_a_suspended_orgs_keys_are_refused_until_resume():
    team = build_team()
    client = _key_client(team)
    assert _status(client, team.org.slug) == (200, None)
    suspension.organization_suspend(org_id=team.org.id, reason="Unpaid", actor="staff:root")
    assert _status(client, team.org.slug) == (401, "org_suspended")
    suspension.organization_resume(org_id=team.org.id, actor="staff:root")
    assert _status(client, team.org.slug) == (200, None)


def test_a_deleted_orgs_keys_are_refused_within_the_restore_window(settings):
    settings.ORG_DELETE_RETENTION = 3600
    team = build_team()
    client = _key_client(team)
    retention.organization_retire(org_id=team.org.id, actor="test")
    assert _status(client, team.org.slug) == (401, "org_deleted")
