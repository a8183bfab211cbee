"""An org over real HTTP (gunicorn, litemongo on disk): sign-up, members of each role by
invitation, their tokens, and API keys, all through the public API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import requests

from conftest import PASSWORD

_numbers = itertools.count()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(base: str, email: str) -> str:
    body = {"email": email, "password": PASSWORD}
    response = requests.post(f"{base}/api/v1/auth/login/", json=body, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


@dataclass
class HttpOrg:
    base: str
    slug: str
    id: str
    tokens: dict[str, str] = field(default_factory=dict)  # role name -> access token
    member_ids: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls, base: str) -> HttpOrg:
        n = next(_numbers)
        email = f"owner{n}@keys.example"
        body = {"organization_name": f"Keys Org {n}", "email": email, "password": PASSWORD}
        created = requests.post(f"{base}/api/v1/orgs/", json=body, timeout=30)
        assert created.status_code == 201, created.text
        org = cls(base=base, slug=created.json()["slug"], id=created.json()["id"])
        org.tokens["owner"] = login(base, email)
        org.member_ids["owner"] = org.get("owner", "members/").json()[0]["id"]
        return org

    def url(self, path: str) -> str:
        return f"{self.base}/api/v1/orgs/{self.slug}/{path}"

    def get(self, who: str, path: str, *, headers: dict | None = None, **kwargs):
        headers = {**self.auth(who), **(headers or {})}
        return requests.get(self.url(path), headers=headers, timeout=30, **kwargs)

    def post(self, who: str, path: str, body: object) -> requests.Response:
        return requests.post(self.url(path), json=body, headers=self.auth(who), timeout=30)

    def delete(self, who: str, path: str) -> requests.Response:
        return requests.delete(self.url(path), headers=self.auth(who), timeout=30)

    def auth(self, who: str) -> dict[str, str]:
        """``who`` is a role name given to add_member/create, or an ``osk_...`` key."""
        return bearer(self.tokens.get(who, who))

    def add_member(self, role: str) -> str:
        """Invite, accept and log in a member with ``role``; their token is ``tokens[role]``."""
        email = f"{role}{next(_numbers)}@keys.example"
        invited = self.post("owner", "invitations/", {"email": email, "role": role})
        assert invited.status_code == 201, invited.text
        body = {"token": invited.json()["token"], "password": PASSWORD}
        accepted = requests.post(f"{self.base}/api/v1/invitations/accept/", json=body, timeout=30)
        assert accepted.status_code == 201, accepted.text
        self.tokens[role] = login(self.base, email)
        self.member_ids[role] = accepted.json()["id"]
        return self.tokens[role]

    def new_key(self, scopes: list[str], *, who: str = "owner", **extra: object) -> dict:
        body = {"name": f"key {next(_numbers)}", "scopes": scopes, **extra}
        response = self.post(who, "api-keys/", body)
        assert response.status_code == 201, response.text
        return response.json()
