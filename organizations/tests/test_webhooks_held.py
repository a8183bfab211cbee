"""Events written held before the change they report: a process dying between the change and
the release leaves a held event that the worker settles after WEBHOOK_HELD_GRACE_SECONDS
(delivered once, to a real receiver); dying before the change leaves no event; a change refused
with an error drops its event at once. One case per member, invitation and record event."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from accounts.principal import MemberPrincipal
from organizations.members import invitations
from organizations.tests.team import Team, build_team
from organizations.tests.webhook_receiver import receiving
from organizations.webhooks.delivery import run_once
from tenancy import admins, webhook_outbox
from tenancy.documents import utcnow

GRACE = 60
ORG = "/api/v1/orgs/acme-corp"
RECORD_EVENTS = ["record.created", "record.updated", "record.deleted"]


class Crash(Exception):
    """Stands in for the process dying at that point (nothing after it runs)."""


def _die(*args, **kwargs):
    raise Crash("the process died here")


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    settings.WEBHOOK_HELD_GRACE_SECONDS = GRACE
    return settings


@pytest.fixture
def team() -> Team:
    return build_team()


@dataclass(frozen=True)
class Case:
    """A change over HTTP, the storage call that makes it, and the events it must produce."""

    act: Callable[[Team], None]
    change: str
    types: tuple[str, ...]
    happened: Callable[[Team], bool]


def _create_record(team: Team) -> str:
    response = team.client("owner").post(f"{ORG}/records/", {"n": 1}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def _record_exists(team: Team, name: str = "n", value: int = 1) -> bool:
    response = team.client("owner").get(f"{ORG}/records/")
    return any(r.get(name) == value for r in response.json()["results"])


def _invite_and_accept(team: Team) -> None:
    owner = team.people["owner"]
    actor = MemberPrincipal(owner.id, owner.org_id, owner.email, role=owner.role)
    created = invitations.invitation_create(
        actor=actor, org=team.org, email="new@acme.example", role="admin"
    )
    body = {"token": created.token, "password": "Fresh-Horse-7-Staple"}
    APIClient().post("/api/v1/invitations/accept/", body, format="json")


def _member_role(team: Team, name: str) -> str | None:
    admin = admins.get(team.id(name))
    return admin.role if admin else None


def _only_record(team: Team) -> str:
    (record,) = team.client("owner").get(f"{ORG}/records/").json()["results"]
    return record["id"]


def _record_update(method: str, name: str, value: int) -> Case:
    """PUT or PATCH the only record so that its field ``name`` holds ``value``."""
    return Case(
        act=lambda t: getattr(t.client("owner"), method)(
            f"{ORG}/records/{_only_record(t)}/", {name: value}, format="json"
        ),
        change="tenancy.record_store.TenantRecords.replace",
        types=("record.updated",),
        happened=lambda t: _record_exists(t, name, value),
    )


CASES = {
    "member.role_changed": Case(
        act=lambda t: t.client("owner").patch(
            f"{ORG}/members/{t.id('member')}/", {"role": "admin"}, format="json"
        ),
        change="tenancy.admins.set_role",
        types=("member.role_changed",),
        happened=lambda t: _member_role(t, "member") == "admin",
    ),
    "member.removed": Case(
        act=lambda t: t.client("owner").delete(f"{ORG}/members/{t.id('member2')}/"),
        change="tenancy.admins.remove",
        types=("member.removed",),
        happened=lambda t: _member_role(t, "member2") is None,
    ),
    "invitation.accepted": Case(
        act=_invite_and_accept,
        change="tenancy.admins.insert",
        types=("invitation.accepted", "member.added"),
        happened=lambda t: admins.get_by_email("new@acme.example") is not None,
    ),
    "record.created": Case(
        act=lambda t: t.client("owner").post(f"{ORG}/records/", {"n": 1}, format="json"),
        change="tenancy.record_store.TenantRecords.insert_many",
        types=("record.created",),
        happened=_record_exists,
    ),
    "record.updated (PUT)": _record_update("put", "n", 2),
    "record.updated (PATCH)": _record_update("patch", "m", 3),
    "record.deleted": Case(
        act=lambda t: t.client("owner").delete(f"{ORG}/records/{_only_record(t)}/"),
        change="tenancy.record_store.TenantRecords.delete",
        types=("record.deleted",),
        happened=lambda t: not _record_exists(t),
    ),
}


def _subscribe(team: Team, url: str, case: str) -> None:
    if case.startswith("record.") and case != "record.created":
        _create_record(team)  # the record the case changes, before anyone listens
    events = RECORD_EVENTS if case.startswith("record.") else None
    body = {"url": url} if events is None else {"url": url, "events": events}
    response = team.client("owner").post(f"{ORG}/webhooks/", body, format="json")
    assert response.status_code == 201, response.json()


def _types(got) -> list[str]:
    return sorted(json.loads(g.body)["type"] for g in got)


def _after_grace():
    return utcnow() + timedelta(seconds=GRACE + 1)


@pytest.mark.parametrize("case", list(CASES))
def test_dying_between_the_change_and_the_release_delivers_the_event_once_after_the_grace(
    team, monkeypatch, case
):
    spec = CASES[case]
    with receiving() as receiver:
        _subscribe(team, receiver.url, case)
        with monkeypatch.context() as dying:
            dying.setattr("tenancy.webhook_outbox.release", _die)
            dying.setattr("tenancy.webhook_outbox.release_many", _die)
            with pytest.raises(Crash):
                spec.act(team)
        assert spec.happened(team)
        assert run_once().delivered == 0  # held: its writer may still be at work
        assert run_once(now=_after_grace()).delivered == len(spec.types)
        assert run_once(now=_after_grace()).delivered == 0
    assert _types(receiver.got) == sorted(spec.types)
    payloads = [json.loads(g.body) for g in receiver.got]
    if case == "invitation.accepted":  # the member's id, known only after the change, is told
        member = admins.get_by_email("new@acme.example")
        assert {p["data"]["member_id"] for p in payloads} == {member.id}
    if case.startswith("record.updated"):
        assert payloads[0]["data"]["rev"] == 2


@pytest.mark.parametrize("case", list(CASES))
def test_dying_before_the_change_leaves_no_event(team, monkeypatch, case):
    spec = CASES[case]
    with receiving() as receiver:
        _subscribe(team, receiver.url, case)
        with monkeypatch.context() as dying:
            dying.setattr(spec.change, _die)
            # A dead process cleans nothing up: the held event stays until the grace.
            dying.setattr("tenancy.webhook_outbox.drop", _die)
            dying.setattr("tenancy.webhook_outbox.drop_many", _die)
            with pytest.raises(Crash):
                spec.act(team)
        assert not spec.happened(team)
        held = webhook_outbox.held_since(_after_grace(), limit=50)
        assert sorted(e["type"] for e in held) == sorted(spec.types)
        listed = team.client("owner").get(f"{ORG}/webhooks/events/").json()
        assert not {e["type"] for e in listed}.intersection(spec.types)  # not told while held
        assert run_once(now=_after_grace()).delivered == 0
    assert receiver.got == []
    left = {e["type"] for e in webhook_outbox.recent(team.org.id, limit=50)}
    assert left.isdisjoint(spec.types)


def test_a_refused_change_drops_its_event_at_once(team):
    with receiving() as receiver:
        _subscribe(team, receiver.url, "record.deleted")
        missing = "6b0cd42c625086a9d3790f00"
        response = team.client("owner").delete(f"{ORG}/records/{missing}/")
        assert response.status_code == 404
        assert response.json()["code"] == "record_not_found"
        assert webhook_outbox.count(team.org.id) == 0
        assert run_once(now=_after_grace()).delivered == 0
    assert receiver.got == []


def test_a_change_slower_than_the_grace_still_reports_once(team, monkeypatch):
    """The worker settled the held event as never made while the request was still at work:
    the release finds it gone and writes it again (same id), so it is not lost."""
    with receiving() as receiver:
        _subscribe(team, receiver.url, "member.removed")
        real_remove = admins.remove

        def slow_remove(*args, **kwargs):
            assert run_once(now=_after_grace()).delivered == 0  # settled: member still there
            return real_remove(*args, **kwargs)

        monkeypatch.setattr("tenancy.admins.remove", slow_remove)
        response = team.client("owner").delete(f"{ORG}/members/{team.id('member2')}/")
        assert response.status_code == 204
        assert run_once().delivered == 1
        assert run_once(now=_after_grace()).delivered == 0
    assert _types(receiver.got) == ["member.removed"]
