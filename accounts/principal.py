"""The authenticated org member as request.user: ids and role only, no credentials."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MemberPrincipal:
    member_id: str
    org_id: str
    email: str
    token_jti: str | None = None
    # Read from the member's document on every request, not from the token. Built without one,
    # a principal has no role, which grants nothing (accounts.permissions refuses it).
    role: str | None = None

    is_authenticated = True
    is_anonymous = False
    is_staff = False

    @property
    def pk(self) -> str:
        return self.member_id

    def __str__(self) -> str:
        return self.email
