"""The webhooks API: owners register, read, change, delete endpoints; others cannot; bad input
and SSRF targets are refused with a 400 that changes nothing; the secret is shown only once."""

from __future__ import annotations

import socket

import pytest

from organizations.tests.team import Team, build_team
from organizations.webhooks.delivery import run_once
from tenancy import webhook_endpoints

HOOKS = "/api/v1/orgs/acme-corp/webhooks"
PUBLIC = "https://93.184.215.14/hooks/orgservice"  # a public address: no DNS needed


@pytest.fixture
def team() -> Team:
    return build_team()


def _create(team: Team, body: dict, who: str = "owner"):
    return team.client(who).post(f"{HOOKS}/", body, format="json")


def test_an_owner_registers_an_endpoint_and_sees_its_secret_only_at_creation(team):
    created = _create(team, {"url": PUBLIC, "description": "CRM sync"})
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert body["events"] == [
        "org.renamed",
        "org.deleted",
        "org.suspended",
        "member.added",
        "member.removed",
        "member.role_changed",
        "invitation.accepted",
    ]
    assert body["enabled"] is True
    listed = team.client("owner").get(f"{HOOKS}/").json()
    assert [e["id"] for e in listed] == [body["id"]]
    shown = team.client("owner").get(f"{HOOKS}/{body['id']}/").json()
    assert "secret" not in shown and "secret" not in listed[0]
    assert body["secret"] not in str(listed) + str(shown)


def test_an_owner_changes_and_deletes_an_endpoint(team):
    endpoint = _create(team, {"url": PUBLIC}).json()
    path = f"{HOOKS}/{endpoint['id']}/"
    changed = team.client("owner").patch(
        path, {"events": ["record.created", "member.added"], "enabled": False}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["events"] == ["record.created", "member.added"]
    assert changed.json()["disabled_reason"] == "Disabled by an owner."
    assert team.client("owner").delete(path).status_code == 204
    assert team.client("owner").get(path).json()["code"] == "webhook_not_found"


@pytest.mark.parametrize(
    ("who", "status"), [("owner", 201), ("admin", 403), ("member", 403), ("other", 404)]
)
def test_only_the_orgs_owners_manage_its_webhooks(team, who, status):
    assert _create(team, {"url": PUBLIC}, who=who).status_code == status
    assert len(webhook_endpoints.for_org(team.org.id)) == (1 if status == 201 else 0)


def test_another_orgs_owner_cannot_see_or_touch_an_endpoint(team):
    endpoint = _create(team, {"url": PUBLIC}).json()
    other = team.client("other")
    theirs = f"/api/v1/orgs/globex/webhooks/{endpoint['id']}/"
    assert other.get(theirs).status_code == 404
    assert other.delete(theirs).status_code == 404
    assert other.get(f"{HOOKS}/{endpoint['id']}/").status_code == 404
    assert len(webhook_endpoints.for_org(team.org.id)) == 1


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.0.0.7/hook",
        "https://172.16.0.1/hook",
        "https://192.168.1.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",
        "https://240.0.0.1/hook",
        "https://localhost/hook",
    ],
)
def test_endpoints_on_loopback_private_link_local_or_reserved_addresses_are_refused(team, url):
    response = _create(team, {"url": url})
    assert response.status_code == 400
    assert response.json()["code"] == "webhook_url_forbidden"
    assert webhook_endpoints.for_org(team.org.id) == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"url": "http://93.184.215.14/hook"}, "webhook_invalid_url"),
        ({"url": "ftp://93.184.215.14/hook"}, "webhook_invalid_url"),
        ({"url": "https://user:pw@93.184.215.14/"}, "webhook_invalid_url"),
        ({"url": "not a url"}, "webhook_invalid_url"),
        ({"url": "https://no-such-host.invalid/"}, "webhook_url_unresolvable"),
        ({"url": PUBLIC, "events": ["org.exploded"]}, "webhook_invalid_events"),
        ({"url": PUBLIC, "events": []}, "webhook_invalid_events"),
        ({"url": {"$ne": None}}, "invalid"),
        ({"url": PUBLIC, "secret": "mine"}, "invalid"),
        ({}, "invalid"),
    ],
)
def test_bad_input_is_a_400_that_registers_nothing(team, body, code):
    response = _create(team, body)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert webhook_endpoints.for_org(team.org.id) == []


def test_plain_http_to_loopback_is_allowed_only_with_the_development_setting(team, settings):
    assert _create(team, {"url": "http://127.0.0.1:9/hook"}).status_code == 400
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    assert _create(team, {"url": "http://127.0.0.1:9/hook"}).status_code == 201
    refused = _create(team, {"url": "http://10.1.2.3/hook"})
    assert refused.json()["code"] == "webhook_url_forbidden"


def test_a_host_that_rebinds_to_loopback_after_registration_gets_nothing(team, monkeypatch):
    answers = {"rebinding.example": "93.184.215.14"}
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    endpoint = _create(team, {"url": "https://rebinding.example/hook"}).json()
    answers["rebinding.example"] = "127.0.0.1"
    team.client("owner").delete(f"/api/v1/orgs/acme-corp/members/{team.id('member2')}/")
    assert run_once().failed == 1
    (attempt,) = team.client("owner").get(f"{HOOKS}/{endpoint['id']}/deliveries/").json()
    assert attempt["status_code"] is None
    assert "loopback" in attempt["error"]


def test_replaying_an_unknown_event_is_a_404(team):
    endpoint = _create(team, {"url": PUBLIC}).json()
    response = team.client("owner").post(
        f"{HOOKS}/{endpoint['id']}/replay/", {"event_id": "msg_nope"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (404, "webhook_event_not_found")


def test_replaying_to_a_disabled_endpoint_is_a_409_until_it_is_enabled(team):
    endpoint = _create(team, {"url": PUBLIC}).json()
    path = f"{HOOKS}/{endpoint['id']}/"
    team.client("owner").delete(f"/api/v1/orgs/acme-corp/members/{team.id('member2')}/")
    (event,) = team.client("owner").get(f"{HOOKS}/events/").json()
    team.client("owner").patch(path, {"enabled": False}, format="json")
    replay = team.client("owner").post(f"{path}replay/", {"event_id": event["id"]}, format="json")
    assert (replay.status_code, replay.json()["code"]) == (409, "webhook_disabled")
    team.client("owner").patch(path, {"enabled": True}, format="json")
    replay = team.client("owner").post(f"{path}replay/", {"event_id": event["id"]}, format="json")
    assert replay.status_code == 202


def test_the_orgs_events_are_listed_newest_first_for_replay(team):
    _create(team, {"url": PUBLIC})
    owner = team.client("owner")
    owner.delete(f"/api/v1/orgs/acme-corp/members/{team.id('member2')}/")
    owner.patch(
        f"/api/v1/orgs/acme-corp/members/{team.id('member')}/", {"role": "admin"}, format="json"
    )
    listed = owner.get(f"{HOOKS}/events/").json()
    assert [e["type"] for e in listed] == ["member.role_changed", "member.removed"]
    assert all(e["id"].startswith("msg_") for e in listed)
    assert team.client("admin").get(f"{HOOKS}/events/").status_code == 403
