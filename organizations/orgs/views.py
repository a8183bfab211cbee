"""REST API for organizations under /api/v1/orgs/ (addressed by slug)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response

from accounts.permissions import IsOrgMember
from accounts.throttling import SignupRateThrottle
from kernel.client_ip import client_ip
from organizations.idempotency.decorator import idempotent
from organizations.orgs import metadata, selectors, services
from organizations.orgs.serializers import (
    OrgCreateInput,
    OrgMemberOutput,
    OrgOutput,
    OrgPatchInput,
    org_body,
    org_body_with_metadata,
)
from organizations.orgs.standing_views import STAFF_ACTIONS, StaffStandingActions

# Sign-up is unauthenticated: a key is scoped to the email signing up, and a replay also needs
# the same body, password included, so no other client can read the stored answer.
SIGNUP_SCOPE = ("email",)


def signup(request) -> Response:
    """Sign-up, shared by POST /api/v1/orgs/ and the assignment's POST /org/create. Every
    attempt, valid or not, counts against the client's SIGNUP_RATE_PER_IP (SignupRateThrottle
    on both views)."""
    data = OrgCreateInput.validated(request.data)
    org = services.organization_create(
        name=data["organization_name"],
        admin_email=data["email"],
        admin_password=data["password"],
        ip=client_ip(request),
    )
    return Response(org_body(org), status=status.HTTP_201_CREATED)


class OrganizationViewSet(StaffStandingActions, viewsets.ViewSet):
    """Sign-up and lookup are public; changing or deleting an org takes its admin's token;
    suspend, resume and restore are for Django staff (organizations.orgs.standing_views)."""

    lookup_field = "slug"
    lookup_value_regex = "[^/]+"

    def get_permissions(self):
        if self.action in STAFF_ACTIONS:
            return [IsAdminUser()]
        if self.action in ("partial_update", "destroy"):
            return [IsOrgMember()]
        return []

    def get_throttles(self):
        return [SignupRateThrottle()] if self.action == "create" else []

    @extend_schema(request=OrgCreateInput, responses={201: OrgOutput})
    @idempotent(anonymous=SIGNUP_SCOPE)
    def create(self, request):
        return signup(request)

    @extend_schema(responses={200: OrgMemberOutput})
    def retrieve(self, request, slug: str):
        org = selectors.organization_by_slug(slug)
        if metadata.visible_to(request.user, org):
            return Response(org_body_with_metadata(org))
        return Response(org_body(org))

    @extend_schema(request=OrgPatchInput, responses={200: OrgMemberOutput})
    def partial_update(self, request, slug: str):
        org = selectors.organization_owned_by(request.user, slug)
        data = OrgPatchInput.validated(request.data)
        actor, ip = request.user.member_id, client_ip(request)
        if "name" in data:
            org = services.organization_rename(
                org_id=org.id, new_name=data["name"], actor=actor, ip=ip
            )
        else:
            org = metadata.organization_set_metadata(
                org_id=org.id, metadata=data["metadata"], actor=actor, ip=ip
            )
        return Response(org_body_with_metadata(org))

    @extend_schema(responses={204: None})
    def destroy(self, request, slug: str):
        org = selectors.organization_owned_by(request.user, slug)
        services.organization_delete(
            org_id=org.id, actor=request.user.member_id, ip=client_ip(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
