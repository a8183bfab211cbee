"""REST API for an org's API keys (/api/v1/orgs/<slug>/api-keys/): owners and admins create,
list and revoke them. The org is resolved in ``initial`` as on the members routes: another org's
member gets the 404 an unknown slug gets. No API key may use these routes."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.response import Response

from kernel.client_ip import client_ip
from organizations.apikeys import services
from organizations.apikeys.serializers import ApiKeyCreateInput, ApiKeyOutput, CreatedApiKeyOutput
from organizations.org_scoped import SLUG_PARAMETER, OrgScopedMixin

_KEY = OpenApiParameter("key_id", str, OpenApiParameter.PATH, description="The key's id.")


@extend_schema(parameters=[SLUG_PARAMETER])
class ApiKeyViewSet(OrgScopedMixin, viewsets.ViewSet):
    """The org's API keys: credentials for machines, scoped to records and members reads."""

    lookup_field = "key_id"
    lookup_value_regex = "[^/]+"

    @extend_schema(responses={200: ApiKeyOutput(many=True)})
    def list(self, request, org_slug: str):
        keys = services.key_list(actor=request.user, org=self.org)
        return Response(ApiKeyOutput(keys, many=True).data)

    @extend_schema(request=ApiKeyCreateInput, responses={201: CreatedApiKeyOutput})
    def create(self, request, org_slug: str):
        data = ApiKeyCreateInput.validated(request.data)
        created = services.key_create(
            actor=request.user, org=self.org, **data, ip=client_ip(request)
        )
        body = {**ApiKeyOutput(created.key).data, "key": created.token}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[_KEY], responses={204: None})
    def destroy(self, request, org_slug: str, key_id: str):
        services.key_revoke(actor=request.user, org=self.org, key_id=key_id, ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
