"""The outbox: each change writes its event in the step that commits it, and a step run again
by recovery (after a crash before or after the event was written) leaves exactly one event."""

from __future__ import annotations

import pytest

from accounts.principal import MemberPrincipal
from organizations.members import invitations
from organizations.orgs import orgstate, retention, services, suspension
from organizations.tests.team import build_team
from organizations.webhooks import events
from organizations.webhooks.delivery import fan_out
from tenancy import orgs, webhook_deliveries, webhook_endpoints, webhook_outbox
from tenancy.documents import utcnow


class Crash(Exception):
    """Stands in for the process dying (the subprocess test does it for real)."""


def _crash_at(monkeypatch, name: str) -> None:
    def hit(step: str) -> None:
        if step == name:
            raise Crash(step)

    monkeypatch.setattr("kernel.failpoints.hit", hit)


def _crash_once(monkeypatch, target: str, when=lambda *a, **k: True) -> None:
    """Make the storage call ``target`` die once (when ``when`` says), after the event."""
    module, name = target.rsplit(".", 1)
    real = getattr(__import__(module, fromlist=[name]), name)
    state = {"armed": True}

    def dying(*args, **kwargs):
        if state["armed"] and when(*args, **kwargs):
            state["armed"] = False
            raise Crash(target)
        return real(*args, **kwargs)

    monkeypatch.setattr(target, dying)


def _events(org_id: str, type: str) -> list[dict]:
    return [e for e in webhook_outbox.recent(org_id, limit=100) if e["type"] == type]


@pytest.mark.parametrize("crash", ["before the event", "after the event, before the commit"])
def test_a_rename_finished_by_recovery_writes_its_event_once(backend, make_org, monkeypatch, crash):
    org, _, _ = make_org("Acme Corp")
    if crash == "before the event":
        _crash_at(monkeypatch, "rename.collection_renamed")
    else:
        _crash_once(monkeypatch, "tenancy.orgs.transition", lambda *a, **k: "slug" in k["changes"])
    with pytest.raises(Crash):
        services.organization_rename(org_id=org.id, new_name="Acme Two")
    assert len(_events(org.id, events.ORG_RENAMED)) == (crash != "before the event")
    monkeypatch.setattr("kernel.failpoints.hit", lambda step: None)
    assert orgstate.finish(orgs.get(org.id)) == "rename finished"
    assert orgstate.finish(orgs.get(org.id)) == "nothing pending"
    (event,) = _events(org.id, events.ORG_RENAMED)
    assert event["data"] == {"old_slug": "acme-corp", "slug": "acme-two", "name": "Acme Two"}


def test_two_renames_are_two_events(backend, make_org):
    org, _, _ = make_org("Acme Corp")
    services.organization_rename(org_id=org.id, new_name="Acme Two")
    services.organization_rename(org_id=org.id, new_name="Acme Corp")
    renamed = _events(org.id, events.ORG_RENAMED)
    assert sorted(e["data"]["slug"] for e in renamed) == ["acme-corp", "acme-two"]


@pytest.mark.parametrize("crash", ["before the event", "after the event, before the commit"])
def test_a_delete_finished_by_recovery_writes_its_event_once(backend, make_org, monkeypatch, crash):
    org, _, _ = make_org("Acme Corp")
    if crash == "before the event":
        _crash_at(monkeypatch, "delete.collection_dropped")
    else:
        _crash_once(monkeypatch, "tenancy.orgs.delete")
    with pytest.raises(Crash):
        services.organization_delete(org_id=org.id)
    assert len(_events(org.id, events.ORG_DELETED)) == (crash != "before the event")
    monkeypatch.setattr("kernel.failpoints.hit", lambda step: None)
    assert orgstate.finish(orgs.get(org.id)) == "delete finished"
    assert orgs.get(org.id) is None
    (event,) = _events(org.id, events.ORG_DELETED)
    assert event["data"] == {"slug": "acme-corp", "name": "Acme Corp"}


def test_an_accepted_invitation_reports_the_new_member_and_the_acceptance(backend):
    team = build_team()
    owner = team.people["owner"]
    actor = MemberPrincipal(owner.id, owner.org_id, owner.email, role=owner.role)
    created = invitations.invitation_create(
        actor=actor, org=team.org, email="new@acme.example", role="admin"
    )
    member = invitations.invitation_accept(token=created.token, password="Fresh-Horse-7-Staple")
    (added,) = _events(team.org.id, events.MEMBER_ADDED)
    (accepted,) = _events(team.org.id, events.INVITATION_ACCEPTED)
    assert added["data"] == {"member_id": member.id, "email": "new@acme.example", "role": "admin"}
    assert accepted["data"]["invitation_id"] == created.invitation.id


def test_a_fan_out_cut_short_and_run_again_queues_one_delivery_per_endpoint(
    backend, make_org, monkeypatch
):
    org, _, _ = make_org("Acme Corp")
    endpoint = webhook_endpoints.insert(
        org_id=org.id,
        url="https://93.184.215.14/",
        events=["org.renamed"],
        description="",
        secret="whsec_AAAA",
    )
    services.organization_rename(org_id=org.id, new_name="Acme Two")
    (event,) = _events(org.id, events.ORG_RENAMED)
    _crash_once(monkeypatch, "tenancy.webhook_outbox.mark_fanned_out")
    with pytest.raises(Crash):
        fan_out(utcnow())  # the worker dies after queueing, before marking the event
    assert fan_out(utcnow()) == 1
    assert fan_out(utcnow()) == 0
    (delivery,) = webhook_deliveries.for_event(event["_id"])
    assert delivery["endpoint_id"] == endpoint.id


@pytest.mark.parametrize("crash_at", ["suspend.status_set", "suspend.audited"])
def test_a_suspension_finished_by_recovery_announces_org_suspended_once(
    backend, make_org, monkeypatch, crash_at
):
    org, _, _ = make_org("Acme Corp")
    _crash_at(monkeypatch, crash_at)
    with pytest.raises(Crash):
        suspension.organization_suspend(org_id=org.id, reason="Unpaid", actor="staff:root")
    monkeypatch.setattr("kernel.failpoints.hit", lambda step: None)
    assert orgstate.finish(orgs.get(org.id)) == "suspend finished"
    orgstate.finish(orgs.get(org.id))  # nothing pending: writes nothing more
    [announced] = _events(org.id, events.ORG_SUSPENDED)
    assert announced["data"] == {"slug": "acme-corp", "name": "Acme Corp", "reason": "Unpaid"}


def test_a_delete_within_the_restore_window_announces_org_deleted(backend, make_org, settings):
    settings.ORG_DELETE_RETENTION = 3600
    org, _, _ = make_org("Acme Corp")
    retired = retention.organization_retire(org_id=org.id, actor="test")
    [announced] = _events(org.id, events.ORG_DELETED)
    assert announced["data"]["slug"] == "acme-corp"
    assert announced["data"]["retained_until"] == retired.purge_after.isoformat()
