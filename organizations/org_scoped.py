"""The preamble every /api/v1/orgs/<slug>/... view shares: the slug parameter and the org."""

from __future__ import annotations

from typing import ClassVar

from drf_spectacular.utils import OpenApiParameter

from accounts.permissions import IsOrgMember
from kernel.parsers import SafeJSONParser
from organizations.members.services import member_org
from tenancy.documents import Org

SLUG_PARAMETER = OpenApiParameter(
    "org_slug", str, OpenApiParameter.PATH, description="The org's slug."
)


class OrgScopedMixin:
    """Resolves the principal's org in ``initial`` (after authentication and permissions, before
    any handler or body parsing): another org's member gets the 404 an unknown slug gets, on
    every route and method. A view sets its own ``permission_classes`` and ``key_scopes``;
    ``resolve`` is the hook for a view that needs more than ``self.org``."""

    permission_classes: ClassVar[list] = [IsOrgMember]
    parser_classes: ClassVar[list] = [SafeJSONParser]
    org: Org

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.resolve(request, kwargs["org_slug"])

    def resolve(self, request, slug: str) -> None:
        self.org = member_org(request.user, slug)
