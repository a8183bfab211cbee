"""Auth API: login, refresh, logout (the assignment's /admin/login: organizations.orgs.legacy)."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import services
from accounts.authentication import AdminJWTAuthentication
from accounts.permissions import IsSignedIn
from accounts.serializers import LoginInput, RefreshInput, TokenOutput
from accounts.throttling import LoginRateThrottle
from kernel.client_ip import client_ip


class AuthViewSet(viewsets.ViewSet):
    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(request=LoginInput, responses={200: TokenOutput})
    @action(detail=False, methods=["post"], throttle_classes=[LoginRateThrottle])
    def login(self, request):
        data = LoginInput.validated(request.data)
        pair = services.login(**data, ip=client_ip(request))
        return Response(asdict(pair))

    @extend_schema(request=RefreshInput, responses={200: TokenOutput})
    @action(detail=False, methods=["post"])
    def refresh(self, request):
        data = RefreshInput.validated(request.data)
        pair = services.refresh(refresh_token=data["refresh_token"], ip=client_ip(request))
        return Response(asdict(pair))

    @extend_schema(request=RefreshInput, responses={204: None})
    @action(
        detail=False,
        methods=["post"],
        authentication_classes=[AdminJWTAuthentication],
        permission_classes=[IsSignedIn],
    )
    def logout(self, request):
        data = RefreshInput.validated(request.data)
        services.logout(
            member_id=request.user.member_id,
            refresh_token=data["refresh_token"],
            access_token=request.auth,
            ip=client_ip(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
