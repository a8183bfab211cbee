"""The authenticated caller as request.user (a member; an API key's in accounts.api_keys)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tenancy.documents import Org


class Principal:
    """What Django and DRF ask of request.user, the same for every kind of caller: authenticated,
    never anonymous, never staff (staff sign in to the admin site, not the API). Each subclass
    gives ``pk`` (its id) and ``__str__`` (how logs name it)."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False


@dataclass(frozen=True)
class MemberPrincipal(Principal):
    member_id: str
    org_id: str
    email: str
    token_jti: str | None = None
    # Read from the member's document on every request, not from the token. Built without one,
    # a principal has no role, which grants nothing (accounts.permissions refuses it).
    role: str | None = None
    # The org as authentication read and checked it, for this request's views (one master read
    # instead of two; accounts.org_access.principal_org). A principal lives one request.
    org: Org | None = field(default=None, compare=False, repr=False)

    @property
    def pk(self) -> str:
        return self.member_id

    def __str__(self) -> str:
        return self.email
