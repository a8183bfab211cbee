"""An org always keeps an owner: the last owner cannot leave, be removed or demoted, also when
two owners act against each other at the same moment (threads, on the embedded store where
each thread has its own connection and writes are atomic across them)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from accounts.principal import MemberPrincipal
from kernel.errors import Conflict
from organizations.members import services
from organizations.tests.team import Team, build_team
from tenancy import admins, audit, owners
from tenancy.documents import ADMIN, OWNER

M = "/api/v1/orgs/acme-corp/members"


@pytest.fixture
def team() -> Team:
    return build_team()


def _principal(team: Team, name: str) -> MemberPrincipal:
    person = admins.get(team.id(name))
    return MemberPrincipal(person.id, person.org_id, person.email, role=person.role)


def _owners(team: Team) -> set[str]:
    return {a.id for a in admins.for_org(team.org.id) if a.role == OWNER}


def test_the_only_owner_cannot_leave(team):
    team.client("owner").delete(f"{M}/{team.id('owner2')}/")
    response = team.client("owner").post(f"{M}/leave/")
    assert response.status_code == 409
    assert response.json()["code"] == "last_owner"
    assert _owners(team) == {team.id("owner")}


def test_the_only_owner_cannot_demote_itself_or_be_removed_by_itself(team):
    team.client("owner").patch(f"{M}/{team.id('owner2')}/", {"role": "member"}, format="json")
    me = f"{M}/{team.id('owner')}/"
    demoted = team.client("owner").patch(me, {"role": "admin"}, format="json")
    removed = team.client("owner").delete(me)
    assert (demoted.status_code, removed.status_code) == (409, 409)
    assert {demoted.json()["code"], removed.json()["code"]} == {"last_owner"}
    assert _owners(team) == {team.id("owner")}


def test_an_owner_may_leave_while_another_owner_remains(team):
    response = team.client("owner2").post(f"{M}/leave/")
    assert response.status_code == 204
    assert _owners(team) == {team.id("owner")}
    assert admins.get(team.id("owner2")) is None


def test_transferring_ownership_makes_the_target_owner_and_the_actor_admin(team):
    team.client("owner").delete(f"{M}/{team.id('owner2')}/")
    response = team.client("owner").post(
        f"{M}/{team.id('member')}/make-owner/", {"transfer": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["role"] == OWNER
    assert _owners(team) == {team.id("member")}
    assert admins.get(team.id("owner")).role == ADMIN
    assert owners.count(team.org.id) == 1


def test_an_admin_cannot_demote_an_owner_even_when_two_remain(team):
    response = team.client("admin").patch(
        f"{M}/{team.id('owner')}/", {"role": "member"}, format="json"
    )
    assert response.status_code == 403
    assert _owners(team) == {team.id("owner"), team.id("owner2")}


def test_a_role_that_does_not_exist_is_refused(team):
    response = team.client("owner").patch(
        f"{M}/{team.id('member')}/", {"role": "superuser"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_role"


def test_a_member_of_another_org_is_not_found_by_id(team):
    response = team.client("owner").get(f"{M}/{team.id('other')}/")
    assert response.status_code == 404
    assert response.json()["code"] == "member_not_found"


def _race(calls, release_barrier: threading.Barrier, monkeypatch):
    """Run both calls in threads, both held just before the owner count decides."""
    original = owners.release

    def held(org_id: str) -> bool:
        release_barrier.wait(timeout=10)
        return original(org_id)

    monkeypatch.setattr(owners, "release", held)
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(call) for call in calls]
    outcomes = []
    for future in futures:
        try:
            outcomes.append(future.result())
        except Conflict as exc:
            outcomes.append(exc.code)
    return outcomes


@pytest.fixture
def embedded(settings, tmp_path):
    from conftest import use_backend

    use_backend(settings, "litemongo", tmp_path)
    yield


def test_two_owners_demoting_each_other_at_once_leave_one_owner(embedded, team, monkeypatch):
    one, two = _principal(team, "owner"), _principal(team, "owner2")
    outcomes = _race(
        [
            lambda: services.member_set_role(
                actor=one, org=team.org, member_id=two.member_id, role=ADMIN
            ),
            lambda: services.member_set_role(
                actor=two, org=team.org, member_id=one.member_id, role=ADMIN
            ),
        ],
        threading.Barrier(2),
        monkeypatch,
    )
    assert sorted(o if isinstance(o, str) else "changed" for o in outcomes) == [
        "changed",
        "last_owner",
    ]
    assert len(_owners(team)) == 1
    assert owners.count(team.org.id) == 1


def test_two_owners_leaving_at_once_through_the_api_leave_one_owner(embedded, team, monkeypatch):
    clients = [team.client("owner"), team.client("owner2")]
    responses = _race(
        [lambda c=c: c.post(f"{M}/leave/") for c in clients], threading.Barrier(2), monkeypatch
    )
    assert sorted(r.status_code for r in responses) == [204, 409]
    assert len(_owners(team)) == 1


def test_every_membership_change_is_audited_with_its_actor(team):
    owner = team.client("owner")
    owner.patch(f"{M}/{team.id('member')}/", {"role": "admin"}, format="json")
    owner.delete(f"{M}/{team.id('member2')}/")
    owner.post(f"{M}/{team.id('admin')}/make-owner/", {}, format="json")
    team.client("owner2").post(f"{M}/leave/")
    events = {e["event"]: e for e in audit.recent(org_id=team.org.id, limit=50)}
    assert events["member_role_changed"]["admin_id"] == team.id("member")
    assert events["member_removed"]["admin_id"] == team.id("member2")
    assert events["ownership_granted"]["admin_id"] == team.id("admin")
    assert events["member_left"]["actor"] == team.id("owner2")
    for name in ("member_role_changed", "member_removed", "ownership_granted"):
        assert events[name]["actor"] == team.id("owner")
