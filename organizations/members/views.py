"""REST API for an org's members (/api/v1/orgs/<slug>/members/), its invitations
(/api/v1/orgs/<slug>/invitations/) and accepting an invitation (/api/v1/invitations/accept/).

The org is resolved in ``initial``, as on the records routes: another org's member gets the 404
an unknown slug gets, on every route and method. What each role may do is the services' business
(accounts.roles)."""

from __future__ import annotations

from typing import ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_keys import MEMBERS_READ
from accounts.permissions import IsOrgMemberOrScopedKey
from accounts.throttling import SignupRateThrottle
from kernel.client_ip import client_ip
from kernel.parsers import SafeJSONParser
from organizations.idempotency.decorator import idempotent
from organizations.members import invitations, services
from organizations.members.serializers import (
    AcceptInput,
    CreatedInvitationOutput,
    InvitationCreateInput,
    InvitationOutput,
    MakeOwnerInput,
    MemberOutput,
    RoleInput,
)
from organizations.org_scoped import SLUG_PARAMETER, OrgScopedMixin


@extend_schema(parameters=[SLUG_PARAMETER])
class MemberViewSet(OrgScopedMixin, viewsets.ViewSet):
    """The org's members and their roles (owner, admin, member). An API key with
    ``members:read`` may list and read them, never change them."""

    permission_classes: ClassVar[list] = [IsOrgMemberOrScopedKey]
    key_scopes: ClassVar[dict[str, str]] = dict.fromkeys(("GET", "HEAD", "OPTIONS"), MEMBERS_READ)

    lookup_field = "member_id"
    lookup_value_regex = "[^/]+"

    @extend_schema(responses={200: MemberOutput(many=True)})
    def list(self, request, org_slug: str):
        return Response(MemberOutput(services.member_list(self.org), many=True).data)

    @extend_schema(responses={200: MemberOutput})
    def retrieve(self, request, org_slug: str, member_id: str):
        return Response(MemberOutput(services.member_get(self.org, member_id)).data)

    @extend_schema(request=RoleInput, responses={200: MemberOutput})
    def partial_update(self, request, org_slug: str, member_id: str):
        data = RoleInput.validated(request.data)
        member = services.member_set_role(
            actor=request.user,
            org=self.org,
            member_id=member_id,
            role=data["role"],
            ip=client_ip(request),
        )
        return Response(MemberOutput(member).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, org_slug: str, member_id: str):
        services.member_remove(
            actor=request.user, org=self.org, member_id=member_id, ip=client_ip(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MakeOwnerInput, responses={200: MemberOutput})
    @action(detail=True, methods=["post"], url_path="make-owner")
    def make_owner(self, request, org_slug: str, member_id: str):
        data = MakeOwnerInput.validated(request.data)
        member = services.member_make_owner(
            actor=request.user,
            org=self.org,
            member_id=member_id,
            transfer=data["transfer"],
            ip=client_ip(request),
        )
        return Response(MemberOutput(member).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=False, methods=["post"])
    def leave(self, request, org_slug: str):
        services.member_leave(actor=request.user, org=self.org, ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(parameters=[SLUG_PARAMETER])
class InvitationViewSet(OrgScopedMixin, viewsets.ViewSet):
    """Pending invitations to join the org (owners and admins)."""

    lookup_field = "invitation_id"
    lookup_value_regex = "[^/]+"

    @extend_schema(responses={200: InvitationOutput(many=True)})
    def list(self, request, org_slug: str):
        found = invitations.invitation_list(actor=request.user, org=self.org)
        return Response(InvitationOutput(found, many=True).data)

    @extend_schema(request=InvitationCreateInput, responses={201: CreatedInvitationOutput})
    def create(self, request, org_slug: str):
        data = InvitationCreateInput.validated(request.data)
        created = invitations.invitation_create(
            actor=request.user, org=self.org, **data, ip=client_ip(request)
        )
        body = {**InvitationOutput(created.invitation).data, "token": created.token}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, org_slug: str, invitation_id: str):
        invitations.invitation_revoke(
            actor=request.user, org=self.org, invitation_id=invitation_id, ip=client_ip(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptView(APIView):
    """Accept an invitation with its token and a password: the invitee becomes a member and
    logs in as any member does. Counted against the sign-up rate."""

    authentication_classes: ClassVar[list] = []
    permission_classes: ClassVar[list] = []
    parser_classes: ClassVar[list] = [SafeJSONParser]
    throttle_classes: ClassVar[list] = [SignupRateThrottle]

    @extend_schema(request=AcceptInput, responses={201: MemberOutput})
    @idempotent(anonymous=("token",))  # the invitation token: a secret only the invitee holds
    def post(self, request):
        data = AcceptInput.validated(request.data)
        member = invitations.invitation_accept(**data, ip=client_ip(request))
        return Response(MemberOutput(member).data, status=status.HTTP_201_CREATED)
