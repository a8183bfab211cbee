"""The admin panel's org page lists the org's members with their roles and its pending
invitations (never a token or a hash)."""

from __future__ import annotations

from django.urls import reverse

from accounts.principal import MemberPrincipal
from organizations.members import invitations
from organizations.tests.team import build_team


def test_the_org_page_lists_members_with_roles_and_pending_invitations(staff_client):
    team = build_team()
    owner = team.people["owner"]
    actor = MemberPrincipal(owner.id, owner.org_id, owner.email, role=owner.role)
    created = invitations.invitation_create(
        actor=actor, org=team.org, email="invitee@acme.example", role="admin"
    )
    revoked = invitations.invitation_create(
        actor=actor, org=team.org, email="gone@acme.example", role="member"
    )
    invitations.invitation_revoke(actor=actor, org=team.org, invitation_id=revoked.invitation.id)

    url = reverse("admin:organizations_organization_detail", args=[team.org.id])
    page = staff_client.get(url).content.decode()

    members = page.split('id="org-admins"')[1].split("</table>")[0]
    pending = page.split('id="org-invitations"')[1].split("</table>")[0]
    for email, role in [
        ("owner@acme.example", "owner"),
        ("admin@acme.example", "admin"),
        ("member@acme.example", "member"),
    ]:
        assert f'{email}</td><td class="member-role">{role}</td>' in members
    assert "invitee@acme.example" in pending and "gone@acme.example" not in pending
    assert created.token not in page and "$2b$" not in page
