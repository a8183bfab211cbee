"""Roles fail closed: a member whose role is missing or unknown gets no access anywhere (403
``no_role``), never an owner's powers; a principal built without a role has none."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from accounts import roles
from accounts.principal import MemberPrincipal
from accounts.tests.conftest import bearer
from conftest import PASSWORD
from organizations.members.role_repair import roleless_members
from organizations.tests.team import Team, build_team
from tenancy import admins, owners
from tenancy.documents import object_id
from tenancy.indexes import ADMINS
from tenancy.stores.client import master_db

ORG = "/api/v1/orgs/acme-corp"


@pytest.fixture
def team() -> Team:
    return build_team()


@pytest.fixture
def team_on(backend) -> Team:
    return build_team()


def _strip_role(team: Team, name: str, value: object = None) -> None:
    """Store the member as a buggy or older writer would: without a role, or an unknown one."""
    change = {"$unset": {"role": ""}} if value is None else {"$set": {"role": value}}
    master_db()[ADMINS].update_one({"_id": object_id(team.id(name))}, change)


def test_a_principal_built_without_a_role_has_none_and_may_do_nothing():
    principal = MemberPrincipal(member_id="a", org_id="o", email="e@x.example")
    assert principal.role is None
    assert not roles.has_role(principal.role)
    assert not roles.is_owner(principal.role)
    assert not roles.may_grant(principal.role, roles.MEMBER)
    assert not roles.may_manage_invitations(principal.role)


def test_an_admin_document_without_a_role_is_read_as_no_role_not_owner(team):
    _strip_role(team, "owner")
    assert admins.get(team.id("owner")).role is None


@pytest.mark.parametrize("stored", [None, "superuser", "", "OWNER"])
def test_a_missing_or_unknown_role_gets_403_on_every_route(team, stored):
    _strip_role(team, "owner", stored)
    client = team.client("owner")
    invite = {"email": "x@y.example", "role": "owner"}
    calls = [
        client.get(f"{ORG}/records/"),
        client.post(f"{ORG}/records/", {"a": 1}, format="json"),
        client.get(f"{ORG}/members/"),
        client.post(f"{ORG}/invitations/", invite, format="json"),
        client.patch(f"{ORG}/", {"name": "Taken Over"}, format="json"),
        client.delete(f"{ORG}/"),
        client.put("/org/update", {"organization_name": "Taken Over"}, format="json"),
        client.delete("/org/delete", {"organization_name": "Acme Corp"}, format="json"),
    ]
    assert [(r.status_code, r.json()["code"]) for r in calls] == [(403, "no_role")] * len(calls)
    assert team.client("owner2").get(f"{ORG}/").json()["name"] == "Acme Corp"


def test_a_role_less_member_can_still_log_out(team, login):
    _strip_role(team, "member")
    body = login("member@acme.example")
    response = bearer(body["access_token"]).post(
        "/api/v1/auth/logout/", {"refresh_token": body["refresh_token"]}, format="json"
    )
    assert response.status_code == 204


def test_a_missing_role_does_not_count_as_an_owner_for_the_last_owner_rule(team):
    _strip_role(team, "owner")
    owner2 = team.client("owner2")
    response = owner2.post(f"{ORG}/members/leave/")
    assert (response.status_code, response.json()["code"]) == (409, "last_owner")
    assert owners.count(team.org.id) == 1


def test_an_owner_gives_a_role_less_member_a_role(team):
    _strip_role(team, "member")
    response = team.client("owner").patch(
        f"{ORG}/members/{team.id('member')}/", {"role": "member"}, format="json"
    )
    assert response.status_code == 200
    assert team.client("member").get(f"{ORG}/records/").status_code == 200


def test_an_admin_may_not_manage_a_role_less_member(team):
    _strip_role(team, "member")
    response = team.client("admin").patch(
        f"{ORG}/members/{team.id('member')}/", {"role": "admin"}, format="json"
    )
    assert response.status_code == 403


def test_roleless_members_lists_them_and_set_role_gives_access(team_on):
    team = team_on
    _strip_role(team, "owner")
    _strip_role(team, "member2", "superuser")
    out = StringIO()
    call_command("roleless_members", stdout=out)
    assert {m.id for m in roleless_members()} == {team.id("owner"), team.id("member2")}
    assert "2 member(s) without a role, left without access" in out.getvalue()
    call_command("roleless_members", "--set-role", "member", stdout=StringIO())
    assert roleless_members() == []
    assert team.client("member2").get(f"{ORG}/records/").status_code == 200


def test_a_role_less_member_in_a_browser_session_gets_403_not_the_records(db, team):
    _strip_role(team, "owner")
    browser = Client()
    browser.get("/api-auth/login/")
    body = {"email": "owner@acme.example", "password": PASSWORD, "next": f"{ORG}/records/"}
    assert browser.post("/api-auth/login/", body).status_code == 302
    response = browser.get(f"{ORG}/records/", HTTP_ACCEPT="application/json")
    assert (response.status_code, response.json()["code"]) == (403, "no_role")
