"""The admin panel lists an org's API keys (never their secret or its hash) and exports the
audit log of every org, or one, streamed as NDJSON or CSV."""

from __future__ import annotations

import csv
import io
import json

from django.urls import reverse

from accounts.principal import MemberPrincipal
from organizations.apikeys import services as keys
from organizations.tests.team import build_team
from tenancy import audit

EXPORT = reverse("admin:organizations_organization_audit_export")


def _actor(team, name: str = "owner") -> MemberPrincipal:
    person = team.people[name]
    return MemberPrincipal(person.id, person.org_id, person.email, role=person.role)


def _key(team, name: str, scopes: list[str]):
    return keys.key_create(
        actor=_actor(team), org=team.org, name=name, scopes=scopes, expires_at=None, ip=None
    )


def test_the_org_page_lists_its_keys_without_their_secret(staff_client):
    team = build_team()
    kept = _key(team, "ci deploy", ["records:read", "records:write"])
    gone = _key(team, "old laptop", ["members:read"])
    keys.key_revoke(actor=_actor(team), org=team.org, key_id=gone.key.key_id, ip=None)

    url = reverse("admin:organizations_organization_detail", args=[team.org.id])
    page = staff_client.get(url).content.decode()

    table = page.split('id="org-api-keys"')[1].split("</table>")[0]
    rows = table.split('<tr class="api-key">')[1:]
    assert [r.split('class="api-key-name">')[1].split("<")[0] for r in rows] == [
        "old laptop",
        "ci deploy",
    ]
    assert f"osk_{kept.key.key_id}" in rows[1] and "records:read, records:write" in rows[1]
    assert "never" in rows[1] and 'class="api-key-revoked">no<' in rows[1]
    assert 'class="api-key-revoked">no<' not in rows[0]
    for created in (kept, gone):
        assert created.token.split("_", 2)[2] not in page
        assert created.key.secret_hash not in page


def _export(client, **params: str):
    response = client.get(EXPORT, params)
    assert response.status_code == 200 and response.streaming
    return response, b"".join(response.streaming_content).decode()


def test_staff_export_every_orgs_events_streamed_as_ndjson(staff_client):
    team = build_team()
    _key(team, "ci", ["records:read"])
    response, body = _export(staff_client, format="ndjson")
    assert response["Content-Type"] == "application/x-ndjson"
    events = [json.loads(line) for line in body.splitlines()]
    orgs = {e["org_id"] for e in events if e["event"] == "org_created"}
    assert orgs == {team.org.id, team.other_org.id}
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    (exported,) = [e for e in audit.recent(limit=1)]
    assert (exported["event"], exported["actor"]) == ("staff_audit_exported", "staff:root")


def test_staff_export_one_org_as_csv_with_filters(staff_client):
    team = build_team()
    _key(team, "ci", ["records:read"])
    response, body = _export(staff_client, org=team.org.id, format="csv", event="api_key_created")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["id", "at", "org_id", "event"]
    assert [(r[2], r[3]) for r in rows[1:]] == [(team.org.id, "api_key_created")]


def test_a_bad_export_query_goes_back_to_the_list_with_a_message(staff_client):
    for params in ({"format": "xml"}, {"from": "soon"}, {"org": "acme"}):
        response = staff_client.get(EXPORT, params, follow=True)
        assert response.redirect_chain[-1][0].endswith(
            reverse("admin:organizations_organization_changelist")
        )
        assert len(list(response.context["messages"])) == 1


def test_the_export_takes_the_manage_permission(helper_client, client):
    build_team()
    assert helper_client.get(EXPORT).status_code == 403
    anonymous = client.get(EXPORT)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
