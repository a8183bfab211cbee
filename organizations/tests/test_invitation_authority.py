"""Invitations carry their sender's authority (checked when accepted, revoked when the sender
is removed or demoted), and inviting tells nothing about other orgs' members."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from conftest import PASSWORD
from organizations.tests.team import Team, build_team
from tenancy import admins, audit, invitation_store

INV = "/api/v1/orgs/acme-corp/invitations/"
MEMBERS = "/api/v1/orgs/acme-corp/members/"
ACCEPT = "/api/v1/invitations/accept/"


@pytest.fixture
def team() -> Team:
    return build_team()


def _invite(team: Team, by: str, role: str, email: str = "new@acme.example"):
    return team.client(by).post(INV, {"email": email, "role": role}, format="json")


def _accept(token: str):
    return APIClient().post(ACCEPT, {"token": token, "password": PASSWORD}, format="json")


def _statuses(team: Team) -> dict[str, str]:
    docs = invitation_store.pending_for_org(team.org.id)
    return {i.email: i.status for i in docs}


def test_removed_admin_invitation_cannot_be_accepted(team):
    """The issue's attack: an admin invites an address as admin, keeps the token, is removed
    by the owner, and the token still made its holder an admin."""
    token = _invite(team, "admin", "admin").json()["token"]
    assert team.client("owner").delete(f"{MEMBERS}{team.id('admin')}/").status_code == 204
    response = _accept(token)
    assert response.status_code == 410
    assert response.json()["code"] == "invitation_revoked"
    assert admins.get_by_email("new@acme.example") is None


def test_removing_a_member_revokes_their_pending_invitations_and_audits_it(team):
    _invite(team, "admin", "member", "a@acme.example")
    _invite(team, "owner", "member", "b@acme.example")
    team.client("owner").delete(f"{MEMBERS}{team.id('admin')}/")
    assert _statuses(team) == {"b@acme.example": "pending"}
    (event,) = [e for e in audit.recent(org_id=team.org.id) if e["event"] == "invitations_revoked"]
    assert (event["admin_id"], event["reason"]) == (team.id("admin"), "inviter_removed")


def test_a_member_who_leaves_takes_their_invitations_along(team):
    token = _invite(team, "admin", "member").json()["token"]
    assert team.client("admin").post(f"{MEMBERS}leave/").status_code == 204
    assert _accept(token).json()["code"] == "invitation_revoked"


def test_demoted_owner_invitation_to_owner_is_revoked_but_lesser_ones_stay(team):
    _invite(team, "owner2", "owner", "boss@acme.example")
    _invite(team, "owner2", "admin", "helper@acme.example")
    response = team.client("owner").patch(
        f"{MEMBERS}{team.id('owner2')}/", {"role": "admin"}, format="json"
    )
    assert response.status_code == 200
    assert _statuses(team) == {"helper@acme.example": "pending"}


def test_demoted_admin_to_member_loses_every_invitation(team):
    token = _invite(team, "admin", "member").json()["token"]
    team.client("owner").patch(f"{MEMBERS}{team.id('admin')}/", {"role": "member"}, format="json")
    assert _statuses(team) == {}
    assert _accept(token).status_code == 410


def test_invitation_of_an_inviter_who_lost_authority_unnoticed_fails_on_accept(team):
    """Authority is checked when the invitation is used, not only when the sender changes: a
    role changed by any other path (here straight in the store) still stops the invitation."""
    token = _invite(team, "admin", "admin").json()["token"]
    admins.set_role(team.id("admin"), org_id=team.org.id, current="admin", new="member")
    response = _accept(token)
    assert response.status_code == 410
    assert response.json()["code"] == "inviter_lacks_authority"
    assert "new invitation" in response.json()["detail"]
    assert admins.get_by_email("new@acme.example") is None
    assert _statuses(team) == {}  # revoked on the way


def test_ownership_transfer_revokes_the_old_owner_s_owner_invitations(team):
    _invite(team, "owner", "owner", "heir@acme.example")
    response = team.client("owner").post(
        f"{MEMBERS}{team.id('owner2')}/make-owner/", {"transfer": True}, format="json"
    )
    assert response.status_code == 200
    assert _statuses(team) == {}


def test_inviting_another_org_s_member_is_no_oracle_for_their_membership(team):
    """The same 201 body for an address of another org as for a fresh one: the inviter cannot
    tell. The invitee is told on accepting, with a message saying why."""
    taken = _invite(team, "admin", "member", "owner@globex.example")
    fresh = _invite(team, "admin", "member", "nobody@elsewhere.example")
    assert taken.status_code == fresh.status_code == 201
    assert set(taken.json()) == set(fresh.json())
    assert taken.json()["status"] == fresh.json()["status"] == "pending"
    response = _accept(taken.json()["token"])
    assert (response.status_code, response.json()["code"]) == (409, "email_taken")
    assert "another organization" in response.json()["detail"]
    assert admins.get_by_email("owner@globex.example").org_id == team.other_org.id


def test_invitation_probing_is_throttled_per_member_and_per_client(team, settings):
    settings.INVITATION_RATE_PER_MEMBER = "3/hour"
    answers = [
        _invite(team, "admin", "member", f"probe{i}@elsewhere.example").status_code
        for i in range(4)
    ]
    assert answers == [201, 201, 201, 429]
    assert _invite(team, "owner", "member", "other@elsewhere.example").status_code == 201
    settings.INVITATION_RATE_PER_IP = "4/hour"  # the owner's one made it 5 from this client
    assert _invite(team, "owner2", "member", "more@elsewhere.example").status_code == 429
