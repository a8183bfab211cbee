"""Webhook deliveries to a real HTTP receiver on loopback: signed per Standard Webhooks, retried
with backoff when the receiver is down, slow or failing, the endpoint disabled after N failures
in a row, secrets rotating with an overlap. The worker runs in-process at a chosen time."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from organizations.orgs import retention, services
from organizations.tests.team import Team, build_team
from organizations.tests.webhook_receiver import receiving, verifies
from organizations.webhooks.delivery import fan_out, run_once
from orgservice.testing import free_port
from tenancy import webhook_deliveries, webhook_endpoints
from tenancy.documents import utcnow

HOOKS = "/api/v1/orgs/acme-corp/webhooks"


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    settings.WEBHOOK_BACKOFF_BASE_SECONDS = 10
    settings.WEBHOOK_BACKOFF_MAX_SECONDS = 60
    settings.WEBHOOK_BACKOFF_JITTER = 0.5
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    return settings


@pytest.fixture
def team() -> Team:
    return build_team()


def _register(team: Team, url: str, events: list[str] | None = None) -> dict:
    body = {"url": url} if events is None else {"url": url, "events": events}
    response = team.client("owner").post(f"{HOOKS}/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _remove_member(team: Team, name: str = "member2") -> None:
    response = team.client("owner").delete(f"/api/v1/orgs/acme-corp/members/{team.id(name)}/")
    assert response.status_code == 204


def _log(team: Team, endpoint: dict) -> list[dict]:
    response = team.client("owner").get(f"{HOOKS}/{endpoint['id']}/deliveries/")
    assert response.status_code == 200
    return response.json()


def test_an_event_arrives_once_signed_per_standard_webhooks(team):
    with receiving() as receiver:
        endpoint = _register(team, receiver.url)
        _remove_member(team)
        summary = run_once()
        assert (summary.delivered, summary.failed) == (1, 0)
        assert run_once().delivered == 0  # delivered once, not again
    (got,) = receiver.got
    payload = json.loads(got.body)
    assert payload["type"] == "member.removed"
    assert payload["data"]["member_id"] == team.id("member2")
    assert payload["org_id"] == team.org.id
    assert got.headers["webhook-id"] == payload["id"]
    assert verifies(endpoint["secret"], got)
    assert not verifies("whsec_" + "A" * 32, got)
    (attempt,) = _log(team, endpoint)
    assert (attempt["outcome"], attempt["status_code"], attempt["error"]) == (
        "delivered",
        200,
        None,
    )
    assert attempt["event_id"] == payload["id"]


def test_a_receiver_that_is_down_is_retried_later_with_growing_backoff(team):
    port = free_port()
    endpoint = _register(team, f"http://127.0.0.1:{port}/hook")
    _remove_member(team)
    t0 = utcnow()
    assert run_once(now=t0).failed == 1
    (delivery,) = webhook_deliveries.for_event(_log(team, endpoint)[0]["event_id"])
    first_wait = delivery["next_at"].replace(tzinfo=t0.tzinfo) - t0
    assert timedelta(seconds=5) <= first_wait <= timedelta(seconds=10)
    assert run_once(now=t0 + timedelta(seconds=4)).failed == 0  # not due yet: no attempt
    t1 = t0 + timedelta(seconds=11)
    assert run_once(now=t1).failed == 1
    (delivery,) = webhook_deliveries.for_event(delivery["event_id"])
    second_wait = delivery["next_at"].replace(tzinfo=t0.tzinfo) - t1
    assert timedelta(seconds=10) <= second_wait <= timedelta(seconds=20)
    with receiving(port=port) as receiver:
        assert run_once(now=t1 + timedelta(seconds=21)).delivered == 1
    assert [a["outcome"] for a in _log(team, endpoint)] == ["delivered", "failed", "failed"]
    assert "ConnectionRefusedError" in _log(team, endpoint)[2]["error"]
    assert receiver.got[0].headers["webhook-id"] == delivery["event_id"]


def test_a_slow_receiver_times_out_and_the_retry_carries_the_same_id(team):
    with receiving() as receiver:
        endpoint = _register(team, receiver.url)
        _remove_member(team)
        receiver.hang = True
        assert run_once().failed == 1
        assert "timed out" in _log(team, endpoint)[0]["error"]
        receiver.hang = False
        assert run_once(now=utcnow() + timedelta(seconds=11)).delivered == 1
    first, second = receiver.got
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert verifies(endpoint["secret"], second)


def test_an_endpoint_answering_500_is_retried_then_disabled_with_a_reason_its_owner_sees(team):
    with receiving() as receiver:
        receiver.status = 500
        endpoint = _register(team, receiver.url)
        _remove_member(team)
        now = utcnow()
        for _ in range(3):
            assert run_once(now=now).failed == 1
            now += timedelta(seconds=61)
        shown = team.client("owner").get(f"{HOOKS}/{endpoint['id']}/").json()
        assert shown["enabled"] is False
        assert "3 failed deliveries in a row" in shown["disabled_reason"]
        assert "HTTP 500" in shown["disabled_reason"]
        _remove_member(team, "member")  # a new event: not sent to a disabled endpoint
        run_once(now=now)
        assert len(receiver.got) == 3
        receiver.status = 204
        enabled = team.client("owner").patch(
            f"{HOOKS}/{endpoint['id']}/", {"enabled": True}, format="json"
        )
        assert enabled.json()["enabled"] is True
        assert enabled.json()["disabled_reason"] is None
        _remove_member(team, "admin")
        assert run_once(now=now).delivered == 1
    assert json.loads(receiver.got[-1].body)["data"]["member_id"] == team.id("admin")


def test_an_endpoint_failing_for_longer_than_the_stretch_is_disabled(team, settings):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 100
    settings.WEBHOOK_DISABLE_AFTER_SECONDS = 3600
    with receiving() as receiver:
        receiver.status = 503
        endpoint = _register(team, receiver.url)
        _remove_member(team)
        t0 = utcnow()
        run_once(now=t0)
        run_once(now=t0 + timedelta(minutes=30))
        path = f"{HOOKS}/{endpoint['id']}/"
        assert team.client("owner").get(path).json()["enabled"] is True
        run_once(now=t0 + timedelta(minutes=61))
    shown = team.client("owner").get(path).json()
    assert shown["enabled"] is False
    assert "3 failed deliveries in a row" in shown["disabled_reason"]
    assert len(receiver.got) == 3


def test_a_rotated_secret_signs_alongside_the_old_one_until_the_overlap_ends(team, settings):
    settings.WEBHOOK_ROTATION_OVERLAP_SECONDS = 60
    with receiving() as receiver:
        endpoint = _register(team, receiver.url)
        rotated = team.client("owner").post(f"{HOOKS}/{endpoint['id']}/rotate-secret/")
        assert rotated.status_code == 200
        new_secret = rotated.json()["secret"]
        assert new_secret.startswith("whsec_") and new_secret != endpoint["secret"]
        _remove_member(team, "member2")
        run_once()
        _remove_member(team, "member")
        run_once(now=utcnow() + timedelta(seconds=61))
    during, after = receiver.got
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert verifies(endpoint["secret"], during) and verifies(new_secret, during)
    assert verifies(new_secret, after) and not verifies(endpoint["secret"], after)


def test_each_endpoint_hears_only_the_events_it_asked_for(team):
    with receiving() as removals, receiving() as changes:
        _register(team, removals.url, ["member.removed"])
        _register(team, changes.url, ["member.role_changed"])
        response = team.client("owner").patch(
            f"/api/v1/orgs/acme-corp/members/{team.id('member')}/", {"role": "admin"}, format="json"
        )
        assert response.status_code == 200
        run_once()
    assert removals.got == []
    (got,) = changes.got
    assert json.loads(got.body)["data"] | {"email": None} == {
        "member_id": team.id("member"),
        "email": None,
        "old_role": "member",
        "role": "admin",
    }


def test_record_events_are_sent_only_to_endpoints_that_opted_in(team):
    records = "/api/v1/orgs/acme-corp/records/"
    owner = team.client("owner")
    with receiving() as plain, receiving() as opted:
        _register(team, plain.url)
        _register(team, opted.url, ["record.created", "record.updated", "record.deleted"])
        created = owner.post(records, {"n": 1}, format="json").json()
        bulk = {"records": [{"n": 2}, {"n": 3}]}
        assert owner.post(f"{records}bulk/", bulk, format="json").status_code == 201
        assert owner.patch(f"{records}{created['id']}/", {"n": 9}, format="json").status_code == 200
        assert owner.delete(f"{records}{created['id']}/").status_code == 204
        run_once()
    assert plain.got == []
    types = sorted(json.loads(g.body)["type"] for g in opted.got)
    assert types == ["record.created"] * 3 + ["record.deleted", "record.updated"]
    data = {json.loads(g.body)["type"]: json.loads(g.body)["data"] for g in opted.got}
    assert data["record.updated"]["record_id"] == created["id"]
    assert data["record.deleted"] == {"record_id": created["id"], "rev": None}


def test_a_replayed_event_is_sent_again_with_the_same_id(team):
    with receiving() as receiver:
        endpoint = _register(team, receiver.url)
        _remove_member(team)
        run_once()
        event_id = receiver.got[0].headers["webhook-id"]
        replay = team.client("owner").post(
            f"{HOOKS}/{endpoint['id']}/replay/", {"event_id": event_id}, format="json"
        )
        assert replay.status_code == 202
        assert run_once().delivered == 1
    assert [g.headers["webhook-id"] for g in receiver.got] == [event_id, event_id]


def test_a_delivery_claimed_by_a_worker_that_died_is_sent_again_once_its_lease_expires(
    team, settings
):
    settings.WEBHOOK_LEASE_SECONDS = 30
    with receiving() as receiver:
        _register(team, receiver.url)
        _remove_member(team)
        t0 = utcnow()
        assert fan_out(t0) == 1
        lease = timedelta(seconds=30)
        claimed = webhook_deliveries.claim(now=t0, lease=lease, owner="dead-worker")
        assert claimed is not None
        assert run_once(now=t0 + timedelta(seconds=29)).delivered == 0  # still leased
        assert run_once(now=t0 + timedelta(seconds=31)).delivered == 1
    (got,) = receiver.got
    assert got.headers["webhook-id"] == claimed["event_id"]


def test_a_deleted_orgs_endpoints_get_its_org_deleted_event_then_are_removed(backend):
    team = build_team()
    with receiving() as receiver:
        _register(team, receiver.url, ["org.deleted"])
        _register(team, receiver.url, ["member.removed"])
        _register(team, receiver.url, ["org.deleted", "org.renamed"])
        owner = team.client("owner")
        assert owner.delete(
            "/org/delete", {"organization_name": "Acme Corp"}, format="json"
        ).status_code in (200, 204)
        assert len(webhook_endpoints.for_org(team.org.id)) == 3  # kept for the last event
        assert run_once().delivered == 2
    assert [json.loads(g.body)["type"] for g in receiver.got] == ["org.deleted"] * 2
    assert webhook_endpoints.for_org(team.org.id) == []


def test_a_delete_within_the_restore_window_keeps_the_endpoints_for_a_restore(backend, settings):
    settings.ORG_DELETE_RETENTION = 3600
    team = build_team()
    with receiving() as receiver:
        _register(team, receiver.url, ["org.deleted", "org.renamed"])
        _register(team, receiver.url, ["member.removed"])
        owner = team.client("owner")
        deleted = owner.delete("/org/delete", {"organization_name": "Acme Corp"}, format="json")
        assert deleted.json()["status"] == "deleted"
        assert run_once().delivered == 1
        assert len(webhook_endpoints.for_org(team.org.id)) == 2  # restorable: nothing removed
        retention.organization_restore(org_id=team.org.id, actor="test")
        services.organization_rename(org_id=team.org.id, new_name="Acme Two")
        assert run_once().delivered == 1
    kinds = [json.loads(g.body)["type"] for g in receiver.got]
    assert kinds == ["org.deleted", "org.renamed"]
    assert "retained_until" in json.loads(receiver.got[0].body)["data"]
