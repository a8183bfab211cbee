"""Every member logs in with the same login; tokens carry the member's role, and a role change
or removal ends the member's earlier tokens (token version), so a demoted member keeps no power."""

from __future__ import annotations

import pytest

from accounts import tokens
from accounts.tests.conftest import bearer, refresh
from organizations.tests.team import Team, build_team
from tenancy import admins
from tenancy.indexes import ADMINS
from tenancy.stores.client import master_db

M = "/api/v1/orgs/acme-corp/members"


@pytest.fixture
def team() -> Team:
    return build_team()


def _role(body: dict) -> str:
    return tokens.decode_access(body["access_token"])["role"]


def test_each_member_logs_in_and_its_token_carries_its_role(team, login):
    for email, role in [
        ("owner@acme.example", "owner"),
        ("admin@acme.example", "admin"),
        ("member@acme.example", "member"),
    ]:
        assert _role(login(email)) == role


def test_a_demoted_admin_is_refused_with_old_tokens_and_new_ones_carry_the_new_role(team, login):
    old = login("admin@acme.example")
    response = team.client("owner").patch(
        f"{M}/{team.id('admin')}/", {"role": "member"}, format="json"
    )
    assert response.status_code == 200
    invite = {"email": "x@acme.example", "role": "member"}
    stale = bearer(old["access_token"]).post(
        "/api/v1/orgs/acme-corp/invitations/", invite, format="json"
    )
    assert stale.status_code == 401
    assert refresh(old["refresh_token"]).status_code == 401
    new = login("admin@acme.example")
    assert _role(new) == "member"
    denied = bearer(new["access_token"]).post(
        "/api/v1/orgs/acme-corp/invitations/", invite, format="json"
    )
    assert denied.status_code == 403


def test_a_promoted_member_gets_the_new_power_with_a_new_token(team, login):
    team.client("owner").post(f"{M}/{team.id('member')}/make-owner/", {}, format="json")
    new = login("member@acme.example")
    assert _role(new) == "owner"
    renamed = bearer(new["access_token"]).patch(
        "/api/v1/orgs/acme-corp/", {"name": "Acme Two"}, format="json"
    )
    assert renamed.status_code == 200


def test_a_removed_member_is_refused_with_its_tokens(team, login):
    old = login("member@acme.example")
    assert team.client("admin").delete(f"{M}/{team.id('member')}/").status_code == 204
    assert bearer(old["access_token"]).get(f"{M}/").status_code == 401


def test_an_admin_stored_before_roles_existed_has_no_access_until_given_a_role(team, login):
    """Roles fail closed: a missing role is not read as owner (manage.py roleless_members
    gives such members a role explicitly)."""
    master_db()[ADMINS].update_one({"email": "owner@acme.example"}, {"$unset": {"role": ""}})
    assert admins.get(team.id("owner")).role is None
    body = login("owner@acme.example")
    assert _role(body) is None
    demote = bearer(body["access_token"]).patch(
        f"{M}/{team.id('owner2')}/", {"role": "admin"}, format="json"
    )
    assert (demote.status_code, demote.json()["code"]) == (403, "no_role")
    assert admins.get(team.id("owner2")).role == "owner"
