"""REST routes that change an org's standing: staff suspend, resume and restore (a Django staff
session, as in the admin panel, with CSRF), and the owner's own restore of a deleted org (email
and password, as a login: their tokens stopped working at the delete)."""

from __future__ import annotations

from typing import ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.throttling import LoginRateThrottle
from kernel.client_ip import client_ip
from organizations.orgs import retention, suspension
from organizations.orgs.serializers import OrgOutput, RestoreInput, SuspendInput, org_body
from organizations.staff.services import actor_for, staff_org_by_slug

STAFF_ACTIONS = frozenset({"suspend", "resume", "restore"})
_STAFF = {"authentication_classes": [SessionAuthentication], "permission_classes": [IsAdminUser]}


def _actor(request) -> str:
    return actor_for(request.user.get_username())


class StaffStandingActions:
    """Mixed into OrganizationViewSet: POST /api/v1/orgs/<slug>/suspend/, /resume/, /restore/,
    for Django staff users only (IsAdminUser over their admin-site session); anyone else gets
    403 (401 is for org members' credentials). The org is found whatever its status."""

    @extend_schema(request=SuspendInput, responses={200: OrgOutput})
    @action(detail=True, methods=["post"], **_STAFF)
    def suspend(self, request, slug: str):
        data = SuspendInput.validated(request.data)
        org = suspension.organization_suspend(
            org_id=staff_org_by_slug(slug).id,
            reason=data["reason"],
            actor=_actor(request),
            ip=client_ip(request),
        )
        return Response(org_body(org))

    @extend_schema(request=None, responses={200: OrgOutput})
    @action(detail=True, methods=["post"], **_STAFF)
    def resume(self, request, slug: str):
        org = suspension.organization_resume(
            org_id=staff_org_by_slug(slug).id, actor=_actor(request), ip=client_ip(request)
        )
        return Response(org_body(org))

    @extend_schema(request=None, responses={200: OrgOutput})
    @action(detail=True, methods=["post"], **_STAFF)
    def restore(self, request, slug: str):
        org = retention.organization_restore(
            org_id=staff_org_by_slug(slug).id, actor=_actor(request), ip=client_ip(request)
        )
        return Response(org_body(org))


class OwnerRestoreView(APIView):
    """POST /api/v1/orgs/restore/: the owner restores their deleted org within its window."""

    authentication_classes: ClassVar[list] = []
    throttle_classes: ClassVar[list] = [LoginRateThrottle]

    @extend_schema(
        request=RestoreInput, responses={200: OrgOutput}, operation_id="api_v1_orgs_owner_restore"
    )
    def post(self, request):
        data = RestoreInput.validated(request.data)
        org = retention.organization_restore_by_owner(**data, ip=client_ip(request))
        return Response(org_body(org))
