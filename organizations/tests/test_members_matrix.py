"""The role × action matrix: every members, invitations, org and records route, called by an
owner, an admin, a member of the org and the owner of another org, with the status each gets.
A refused call changes nothing; another org's owner never changes anything of this org."""

from __future__ import annotations

import pytest

from organizations.members import invitations as invitation_services
from organizations.tests.team import Team, build_team
from tenancy import admins, invitation_store, orgs
from tenancy.documents import MEMBER, OWNER

ACTORS = ("owner", "admin", "member", "other")
M = "/api/v1/orgs/acme-corp/members"
INV = "/api/v1/orgs/acme-corp/invitations"

# action: (method, path, body, {actor: status}); {name} in a path is that person's id,
# {invite_member} / {invite_owner} a pending invitation for that role.
MATRIX = {
    "list members": ("get", f"{M}/", None, (200, 200, 200, 404)),
    "read a member": ("get", f"{M}/{{member2}}/", None, (200, 200, 200, 404)),
    "make a member an admin": (
        "patch",
        f"{M}/{{member2}}/",
        {"role": "admin"},
        (200, 200, 403, 404),
    ),
    "demote an owner": ("patch", f"{M}/{{owner2}}/", {"role": "admin"}, (200, 403, 403, 404)),
    "grant owner by role change": (
        "patch",
        f"{M}/{{member2}}/",
        {"role": "owner"},
        (200, 403, 403, 404),
    ),
    "remove a member": ("delete", f"{M}/{{member2}}/", None, (204, 204, 403, 404)),
    "remove an owner": ("delete", f"{M}/{{owner2}}/", None, (204, 403, 403, 404)),
    "make a member owner": ("post", f"{M}/{{member2}}/make-owner/", {}, (200, 403, 403, 404)),
    "leave": ("post", f"{M}/leave/", None, (204, 204, 204, 404)),
    "list invitations": ("get", f"{INV}/", None, (200, 200, 403, 404)),
    "invite a member": (
        "post",
        f"{INV}/",
        {"email": "new@acme.example", "role": "member"},
        (201, 201, 403, 404),
    ),
    "invite an owner": (
        "post",
        f"{INV}/",
        {"email": "new@acme.example", "role": "owner"},
        (201, 403, 403, 404),
    ),
    "revoke a member invitation": (
        "delete",
        f"{INV}/{{invite_member}}/",
        None,
        (204, 204, 403, 404),
    ),
    "revoke an owner invitation": (
        "delete",
        f"{INV}/{{invite_owner}}/",
        None,
        (204, 403, 403, 404),
    ),
    "rename the org": (
        "patch",
        "/api/v1/orgs/acme-corp/",
        {"name": "Acme Two"},
        (200, 403, 403, 403),
    ),
    "delete the org": ("delete", "/api/v1/orgs/acme-corp/", None, (204, 403, 403, 403)),
    # /org/update renames the caller's own org: another org's owner renames Globex, not Acme.
    "rename through /org/update": (
        "put",
        "/org/update",
        {"organization_name": "Acme Two"},
        (200, 403, 403, 200),
    ),
    "delete through /org/delete": (
        "delete",
        "/org/delete",
        {"organization_name": "Acme Corp"},
        (200, 403, 403, 403),
    ),
    "create a record": (
        "post",
        "/api/v1/orgs/acme-corp/records/",
        {"sku": "A-1"},
        (201, 201, 201, 404),
    ),
    "list records": ("get", "/api/v1/orgs/acme-corp/records/", None, (200, 200, 200, 404)),
}

CASES = [
    pytest.param(action, actor, expected[i], id=f"{actor}-{action.replace(' ', '-')}")
    for action, (_, _, _, expected) in MATRIX.items()
    for i, actor in enumerate(ACTORS)
]


@pytest.fixture
def team() -> Team:
    return build_team()


def _invite(team: Team, email: str, role: str) -> str:
    owner = _principal(team, "owner")
    created = invitation_services.invitation_create(
        actor=owner, org=team.org, email=email, role=role
    )
    return created.invitation.id


def _principal(team: Team, name: str):
    from accounts.principal import MemberPrincipal

    person = team.people[name]
    return MemberPrincipal(person.id, person.org_id, person.email, role=person.role)


def _state(team: Team) -> dict:
    """What a refused call must leave as it was: the org, its members and invitations."""
    org = orgs.get(team.org.id)
    return {
        "org": (org.name, org.slug, org.status) if org else None,
        "members": sorted((a.id, a.role, a.token_version) for a in admins.for_org(team.org.id)),
        "invitations": sorted(
            (i.id, i.status) for i in invitation_store.pending_for_org(team.org.id)
        ),
    }


@pytest.mark.parametrize(("action", "actor", "expected"), CASES)
def test_each_role_gets_the_expected_answer_on_every_route(team, action, actor, expected):
    method, path, body, _ = MATRIX[action]
    targets = {name: team.id(name) for name in team.people}
    targets["invite_member"] = _invite(team, "invited-member@acme.example", MEMBER)
    targets["invite_owner"] = _invite(team, "invited-owner@acme.example", OWNER)
    before = _state(team)

    response = getattr(team.client(actor), method)(path.format(**targets), body, format="json")

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["code"] in {
            "role_forbidden",
            "owner_required",
            "org_not_found",
            "not_your_org",
        }
    if expected >= 400 or actor == "other":
        assert _state(team) == before


def test_an_unauthenticated_caller_gets_401_on_every_authenticated_route(team, api):
    targets = {name: team.id(name) for name in team.people}
    targets.update(invite_member="0" * 24, invite_owner="0" * 24)
    for action, (method, path, body, _) in MATRIX.items():
        response = getattr(api, method)(path.format(**targets), body, format="json")
        assert response.status_code == 401, action
