"""Suspend and resume as staff and members meet them: the staff REST routes, the commands and
the panel; a suspended org's members are refused at login and on every authenticated route
(401 ``org_suspended``), its records stay, and resuming gives access back."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient  # noqa: TC002

from conftest import PASSWORD
from organizations.orgs import suspension
from organizations.tests.steps import Principal
from tenancy import audit, orgs
from tenancy.record_store import for_principal

EMAIL = "admin@acmecorp.example"
REASON = "Unpaid invoices since March"


@pytest.fixture
def acme(make_org):
    org, email, _ = make_org()
    for_principal(Principal(org.id)).insert_many([{"n": i} for i in range(3)])
    return org


def _events(org_id: str) -> list[str]:
    return [e["event"] for e in audit.recent(org_id=org_id, limit=50)]


def _member_routes(client: APIClient) -> list[tuple[str, object]]:
    """One call on each kind of authenticated route: the assignment's and the REST API's."""
    return [
        ("PUT /org/update", client.put("/org/update", {"organization_name": "X"}, format="json")),
        ("DELETE /org/delete", client.delete("/org/delete?organization_name=Acme+Corp")),
        ("GET records", client.get("/api/v1/orgs/acme-corp/records/")),
        ("POST records", client.post("/api/v1/orgs/acme-corp/records/", {"a": 1}, format="json")),
        ("GET members", client.get("/api/v1/orgs/acme-corp/members/")),
        ("PATCH org", client.patch("/api/v1/orgs/acme-corp/", {"name": "Y"}, format="json")),
    ]


def test_a_suspended_orgs_tokens_get_401_org_suspended_on_every_route_and_data_stays(
    acme, authed, staff_api, api
):
    client = authed(EMAIL)
    suspended = staff_api.post("/api/v1/orgs/acme-corp/suspend/", {"reason": REASON}, format="json")
    assert suspended.status_code == 200, suspended.content
    assert suspended.json()["status"] == "suspended"

    for route, response in _member_routes(client):
        assert response.status_code == 401, route
        assert response.json()["code"] == "org_suspended", route
    shown = api.get("/org/get", {"organization_name": "Acme Corp"}).json()
    assert shown["status"] == "suspended" and shown["suspension"]["reason"] == REASON
    assert api.get("/api/v1/orgs/acme-corp/").json()["suspension"]["reason"] == REASON
    org = orgs.get(acme.id)
    assert (org.name, org.slug) == ("Acme Corp", "acme-corp")
    assert len(for_principal(Principal(org.id)).page(before=None, limit=10, filters={})) == 3
    assert "org_suspended" in _events(acme.id)


def test_login_and_refresh_are_refused_but_a_wrong_password_learns_nothing(
    acme, api, login, staff_api
):
    tokens = login(EMAIL)
    suspension.organization_suspend(org_id=acme.id, reason=REASON, actor="staff:root")
    right = api.post("/admin/login", {"email": EMAIL, "password": PASSWORD}, format="json")
    assert (right.status_code, right.json()["code"]) == (403, "org_suspended")
    wrong = api.post("/admin/login", {"email": EMAIL, "password": "Wrong-Pass-1"}, format="json")
    unknown = api.post("/admin/login", {"email": "x@y.example", "password": "Wrong-1"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()  # same body: the suspension is not revealed
    refreshed = api.post(
        "/api/v1/auth/refresh/", {"refresh_token": tokens["refresh_token"]}, format="json"
    )
    assert (refreshed.status_code, refreshed.json()["code"]) == (401, "org_suspended")
    assert "login_refused" in _events(acme.id)


def test_resume_gives_the_old_tokens_their_access_back(acme, authed, staff_api, api):
    client = authed(EMAIL)
    staff_api.post("/api/v1/orgs/acme-corp/suspend/", {"reason": REASON}, format="json")
    assert client.get("/api/v1/orgs/acme-corp/records/").status_code == 401
    resumed = staff_api.post("/api/v1/orgs/acme-corp/resume/")
    assert resumed.status_code == 200 and resumed.json()["status"] == "active"
    assert "suspension" not in resumed.json()
    listed = client.get("/api/v1/orgs/acme-corp/records/")
    assert listed.status_code == 200 and len(listed.json()["results"]) == 3
    assert api.post("/admin/login", {"email": EMAIL, "password": PASSWORD}).status_code == 200
    assert _events(acme.id)[:2] == ["login", "org_resumed"]


def test_staff_routes_refuse_members_and_anonymous_clients(acme, authed, api):
    member = authed(EMAIL)
    for client in (member, api):
        response = client.post("/api/v1/orgs/acme-corp/suspend/", {"reason": REASON})
        assert response.status_code == 403, response.content
    assert orgs.get(acme.id).status == "active"


@pytest.mark.parametrize(
    "body",
    [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}, {"reason": {"$ne": None}}]
    + [{"reason": "bad\u200bzero width"}, {"reason": "ok", "extra": 1}],
)
def test_a_bad_reason_is_400_and_changes_nothing(acme, staff_api, body):
    response = staff_api.post("/api/v1/orgs/acme-corp/suspend/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] in ("invalid", "invalid_reason")
    org = orgs.get(acme.id)
    assert (org.status, org.version) == ("active", acme.version)


def test_suspending_twice_resuming_an_active_org_or_an_unknown_slug_are_clear_4xx(acme, staff_api):
    first = staff_api.post("/api/v1/orgs/acme-corp/suspend/", {"reason": REASON})
    again = staff_api.post("/api/v1/orgs/acme-corp/suspend/", {"reason": "Other"})
    assert (first.status_code, again.status_code) == (200, 409)
    assert again.json()["code"] == "org_already_suspended"
    assert orgs.get(acme.id).suspension["reason"] == REASON
    staff_api.post("/api/v1/orgs/acme-corp/resume/")
    twice = staff_api.post("/api/v1/orgs/acme-corp/resume/")
    assert (twice.status_code, twice.json()["code"]) == (409, "org_not_suspended")
    unknown = staff_api.post("/api/v1/orgs/no-such/suspend/", {"reason": REASON})
    assert (unknown.status_code, unknown.json()["code"]) == (404, "org_not_found")


def test_a_suspended_org_is_frozen_rename_and_move_answer_409(acme):
    from kernel.errors import Conflict
    from organizations.orgs.services import organization_move, organization_rename

    suspension.organization_suspend(org_id=acme.id, reason=REASON, actor="staff:root")
    for change in (
        lambda: organization_rename(org_id=acme.id, new_name="Other Name"),
        lambda: organization_move(org_id=acme.id, to="shared"),
    ):
        with pytest.raises(Conflict) as refused:
            change()
        assert refused.value.code == "org_suspended"
    assert orgs.get(acme.id).slug == "acme-corp"


def test_commands_suspend_and_resume(acme):
    out = StringIO()
    call_command("suspend_org", "Acme Corp", "--reason", REASON, stdout=out)
    assert "Suspended 'Acme Corp'" in out.getvalue()
    assert orgs.get(acme.id).status == "suspended"
    with pytest.raises(CommandError, match="org_already_suspended"):
        call_command("suspend_org", "Acme Corp", "--reason", REASON, stdout=StringIO())
    call_command("resume_org", "acme corp", stdout=out)
    assert orgs.get(acme.id).status == "active"
    with pytest.raises(CommandError, match="org_not_found"):
        call_command("resume_org", "No Such Org", stdout=StringIO())
    assert _events(acme.id)[:2] == ["org_resumed", "org_suspended"]


def test_the_panel_suspends_with_a_reason_and_resumes(acme, staff_client):
    detail = reverse("admin:organizations_organization_detail", args=[acme.id])
    page = staff_client.get(detail).content.decode()
    assert 'id="suspend-org"' in page and 'id="resume-org"' not in page
    url = reverse("admin:organizations_organization_suspend", args=[acme.id])
    empty = staff_client.post(url, {"reason": ""})
    assert empty.status_code == 200 and orgs.get(acme.id).status == "active"
    done = staff_client.post(url, {"reason": REASON})
    assert done.status_code == 302 and orgs.get(acme.id).status == "suspended"
    page = staff_client.get(detail).content.decode()
    assert REASON in page and "staff:root" in page and 'id="resume-org"' in page
    resume = reverse("admin:organizations_organization_resume", args=[acme.id])
    assert staff_client.post(resume, {}).status_code == 302
    assert orgs.get(acme.id).status == "active"
    assert _events(acme.id)[:2] == ["org_resumed", "org_suspended"]


def test_no_one_joins_a_suspended_org_through_an_invitation():
    from organizations.tests.team import build_team

    team = build_team()
    invited = team.client("owner").post(
        "/api/v1/orgs/acme-corp/invitations/",
        {"email": "new@acme.example", "role": "member"},
        format="json",
    )
    assert invited.status_code == 201, invited.content
    suspension.organization_suspend(org_id=team.org.id, reason=REASON, actor="staff:root")
    accept = {"token": invited.json()["token"], "password": PASSWORD}
    refused = APIClient().post("/api/v1/invitations/accept/", accept, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "org_suspended")
    suspension.organization_resume(org_id=team.org.id, actor="staff:root")
    joined = APIClient().post("/api/v1/invitations/accept/", accept, format="json")
    assert joined.status_code == 201, joined.content
