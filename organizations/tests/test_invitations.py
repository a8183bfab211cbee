"""Invitations: created by owners and admins, delivered by the configured sender, accepted once
with a strong password before they expire, revocable; only a hash of the token is stored."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from rest_framework.test import APIClient

from accounts import tokens
from conftest import PASSWORD
from organizations.tests.team import Team, build_team
from tenancy import admins, audit, invitation_store, owners
from tenancy.documents import utcnow
from tenancy.indexes import INVITATIONS
from tenancy.stores.client import master_db

INV = "/api/v1/orgs/acme-corp/invitations/"
ACCEPT = "/api/v1/invitations/accept/"
NEW = "new@acme.example"


@pytest.fixture
def team() -> Team:
    return build_team()


def _invite(team: Team, role: str = "member", email: str = NEW, by: str = "owner") -> dict:
    response = team.client(by).post(INV, {"email": email, "role": role}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _accept(token: str, password: str = PASSWORD):
    return APIClient().post(ACCEPT, {"token": token, "password": password}, format="json")


def test_an_accepted_invitation_creates_a_member_with_the_invited_role_who_can_log_in(team, login):
    invitation = _invite(team, role="admin")
    response = _accept(invitation["token"])
    assert response.status_code == 201
    assert response.json()["email"] == NEW and response.json()["role"] == "admin"
    claims = tokens.decode_access(login(NEW)["access_token"])
    assert (claims["org_id"], claims["role"]) == (team.org.id, "admin")


def test_only_a_hash_of_the_token_is_stored(team):
    invitation = _invite(team)
    (doc,) = master_db()[INVITATIONS].find({})
    assert doc["token_hash"] == hashlib.sha256(invitation["token"].encode()).hexdigest()
    assert invitation["token"] not in json.dumps(doc, default=str)


def test_an_invitation_works_only_once(team):
    token = _invite(team)["token"]
    assert _accept(token).status_code == 201
    again = _accept(token, "Another-Strong-Pass-42")
    assert again.status_code == 410
    assert again.json()["code"] == "invitation_used"


def test_an_expired_invitation_is_refused_and_listed_as_expired(team, settings):
    settings.INVITATION_DAYS = 2
    token = _invite(team)["token"]
    with time_machine.travel(utcnow() + timedelta(days=2, minutes=1)):
        response = _accept(token)
        listed = team.client("owner").get(INV).json()
    assert response.status_code == 410
    assert response.json()["code"] == "invitation_expired"
    assert [i["status"] for i in listed] == ["expired"]
    assert admins.get_by_email(NEW) is None


def test_an_invitation_is_still_good_just_before_it_expires(team):
    token = _invite(team)["token"]
    with time_machine.travel(utcnow() + timedelta(days=6, hours=23)):
        assert _accept(token).status_code == 201


def test_a_revoked_invitation_is_refused_and_leaves_the_list(team):
    invitation = _invite(team)
    owner = team.client("owner")
    assert owner.delete(f"{INV}{invitation['id']}/").status_code == 204
    response = _accept(invitation["token"])
    assert response.status_code == 410
    assert response.json()["code"] == "invitation_revoked"
    assert owner.get(INV).json() == []
    again = owner.delete(f"{INV}{invitation['id']}/")
    assert (again.status_code, again.json()["code"]) == (409, "invitation_not_pending")


def test_a_new_invitation_of_the_same_email_supersedes_the_pending_one(team):
    first = _invite(team)["token"]
    second = _invite(team, role="admin")["token"]
    assert _accept(first).json()["code"] == "invitation_revoked"
    assert _accept(second).json()["role"] == "admin"


def test_an_unknown_token_is_not_found(team):
    response = _accept("no-such-token")
    assert (response.status_code, response.json()["code"]) == (404, "invitation_not_found")


def test_a_weak_password_is_refused_and_the_invitation_stays_usable(team):
    token = _invite(team)["token"]
    weak = _accept(token, "password")
    assert (weak.status_code, weak.json()["code"]) == (400, "weak_password")
    assert _accept(token).status_code == 201


def test_inviting_a_member_of_this_org_again_is_a_conflict(team):
    response = team.client("admin").post(
        INV, {"email": "member@acme.example", "role": "member"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "already_member")
    assert invitation_store.pending_for_org(team.org.id) == []


def test_operator_injection_in_place_of_a_token_is_a_400(team):
    response = APIClient().post(
        ACCEPT, {"token": {"$ne": None}, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400


def test_an_accepted_owner_invitation_counts_as_an_owner(team):
    team.client("owner").delete(f"/api/v1/orgs/acme-corp/members/{team.id('owner2')}/")
    _accept(_invite(team, role="owner")["token"])
    assert owners.count(team.org.id) == 2
    assert team.client("owner").post("/api/v1/orgs/acme-corp/members/leave/").status_code == 204


def test_the_default_sender_logs_the_invitation_but_never_its_token(team, caplog):
    with caplog.at_level(logging.INFO):
        invitation = _invite(team)
    created = [r for r in caplog.records if r.getMessage() == "invitation created"]
    assert [r.invitation_id for r in created] == [invitation["id"]]
    assert all(invitation["token"] not in str(r.__dict__) for r in caplog.records)


def test_the_email_sender_mails_the_token_to_the_invitee_and_not_to_the_inviter(team, settings):
    settings.INVITATION_SENDER = "organizations.members.senders.send_email"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    invitation = _invite(team)
    assert invitation["token"] is None
    (message,) = mail.outbox
    assert message.to == [NEW]
    token = json.loads(message.body.split("\n")[3])["token"]
    assert _accept(token).status_code == 201


def test_a_failed_email_revokes_the_invitation_and_answers_503(team, settings):
    settings.INVITATION_SENDER = "organizations.members.senders.send_email"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    response = team.client("owner").post(INV, {"email": NEW, "role": "member"}, format="json")
    assert (response.status_code, response.json()["code"]) == (503, "invitation_not_sent")
    assert invitation_store.pending_for_org(team.org.id) == []


def test_invitation_events_are_audited_without_the_token(team):
    revoked = _invite(team, email="later@acme.example")
    team.client("admin").delete(f"{INV}{revoked['id']}/")
    token = _invite(team)["token"]
    _accept(token)
    events = audit.recent(org_id=team.org.id, limit=50)
    names = [e["event"] for e in events]
    assert {"member_invited", "invitation_revoked", "invitation_accepted"} <= set(names)
    revoke = next(e for e in events if e["event"] == "invitation_revoked")
    assert revoke["actor"] == team.id("admin")
    text = json.dumps(events, default=str)
    assert token not in text and revoked["token"] not in text and "token_hash" not in text


@pytest.fixture
def embedded(settings, tmp_path):
    from conftest import use_backend

    use_backend(settings, "litemongo", tmp_path)


def test_two_requests_accepting_one_token_at_once_create_one_member(embedded, team, monkeypatch):
    token = _invite(team)["token"]
    barrier, original = threading.Barrier(2), invitation_store.claim

    def held(invitation_id: str):
        barrier.wait(timeout=10)
        return original(invitation_id)

    monkeypatch.setattr(invitation_store, "claim", held)
    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(lambda p: _accept(token, p), [PASSWORD, "Other-Strong-Pass-42"]))
    assert sorted(r.status_code for r in responses) == [201, 410]
    assert len([a for a in admins.for_org(team.org.id) if a.email == NEW]) == 1
