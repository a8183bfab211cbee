"""A test org with a member of every role (and a second org), with real access tokens."""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework.test import APIClient

from accounts import passwords, tokens
from conftest import PASSWORD
from organizations.orgs.services import organization_create
from tenancy import admins
from tenancy.documents import ADMIN, MEMBER, OWNER, Admin, Org


@dataclass(frozen=True)
class Team:
    org: Org
    other_org: Org
    people: dict[str, Admin]  # owner, owner2, admin, member, member2, other (owner of other_org)

    def id(self, name: str) -> str:
        return self.people[name].id

    def client(self, name: str) -> APIClient:
        """An APIClient with a fresh access token of ``name`` (as its current role)."""
        client = APIClient()
        admin = admins.get(self.people[name].id)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.issue_pair(admin).access_token}")
        return client


def add_member(org: Org, email: str, role: str) -> Admin:
    password_hash = passwords.hash_password(PASSWORD)
    return admins.insert(org_id=org.id, email=email, password_hash=password_hash, role=role)


def build_team() -> Team:
    org = organization_create(
        name="Acme Corp", admin_email="owner@acme.example", admin_password=PASSWORD
    )
    other = organization_create(
        name="Globex", admin_email="owner@globex.example", admin_password=PASSWORD
    )
    people = {
        "owner": admins.get_by_email("owner@acme.example"),
        "owner2": add_member(org, "owner2@acme.example", OWNER),
        "admin": add_member(org, "admin@acme.example", ADMIN),
        "member": add_member(org, "member@acme.example", MEMBER),
        "member2": add_member(org, "member2@acme.example", MEMBER),
        "other": admins.get_by_email("owner@globex.example"),
    }
    return Team(org=org, other_org=other, people=people)
