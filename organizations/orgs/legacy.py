"""The original assignment's five routes, exactly: /org/create, /org/get, /org/update,
/org/delete and /admin/login, JSON in and out, so its clients work unchanged."""

from __future__ import annotations

from dataclasses import asdict
from typing import ClassVar

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from accounts import services as accounts
from accounts.permissions import IsOrgMember
from accounts.serializers import LoginInput, TokenOutput
from accounts.throttling import LoginRateThrottle, SignupRateThrottle
from kernel.client_ip import client_ip
from kernel.errors import Forbidden
from organizations.idempotency.decorator import idempotent
from organizations.orgs import selectors, services
from organizations.orgs.serializers import (
    OrgCreateInput,
    OrgNameInput,
    OrgOutput,
    OrgUpdateInput,
    org_body,
)
from organizations.orgs.views import SIGNUP_SCOPE, signup


class OrgCreateView(APIView):
    authentication_classes: list = []
    throttle_classes: ClassVar[list] = [SignupRateThrottle]

    @extend_schema(request=OrgCreateInput, responses={201: OrgOutput})
    @idempotent(anonymous=SIGNUP_SCOPE)
    def post(self, request):
        return signup(request)


class OrgGetView(APIView):
    authentication_classes: list = []

    @extend_schema(
        parameters=[OpenApiParameter("organization_name", str, required=True)],
        responses={200: OrgOutput},
    )
    def get(self, request):
        org = selectors.organization_by_name(request.query_params.get("organization_name"))
        return Response(org_body(org))


class OrgUpdateView(APIView):
    permission_classes = [IsOrgMember]

    @extend_schema(request=OrgUpdateInput, responses={200: OrgOutput})
    def put(self, request):
        data = OrgUpdateInput.validated(request.data)
        if "organization_name" in data:
            roles.require_owner(request.user.role)  # any member may change its own credentials
        org = services.organization_update(
            org_id=request.user.org_id,
            member_id=request.user.member_id,
            new_name=data.get("organization_name"),
            email=data.get("email"),
            password=data.get("password"),
            current_password=data.get("current_password"),
            ip=client_ip(request),
        )
        return Response(org_body(org))


class OrgDeleteView(APIView):
    permission_classes = [IsOrgMember]

    @extend_schema(request=OrgNameInput, responses={200: OrgOutput})
    def delete(self, request):
        source = request.data if request.data else request.query_params.dict()
        data = OrgNameInput.validated(source)
        org = selectors.organization_by_name(data["organization_name"])
        if org.id != request.user.org_id:
            raise Forbidden("This organization is not yours.", code="not_your_org")
        roles.require_owner(request.user.role)
        retained = services.organization_delete(
            org_id=org.id, actor=request.user.member_id, ip=client_ip(request)
        )
        return Response(org_body(retained or org))


class AdminLoginView(APIView):
    authentication_classes: list = []
    throttle_classes: ClassVar[list] = [LoginRateThrottle]

    @extend_schema(request=LoginInput, responses={200: TokenOutput})
    def post(self, request):
        data = LoginInput.validated(request.data)
        return Response(asdict(accounts.login(**data, ip=client_ip(request))))
