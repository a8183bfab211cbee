"""REST API of an org's webhook endpoints (/api/v1/orgs/<slug>/webhooks/): register, list,
change, delete, rotate the secret, read the delivery log, replay an event; and the org's recent
events (/webhooks/events/). Owners only; another org's member gets the 404 of an unknown slug."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from organizations.org_scoped import SLUG_PARAMETER, OrgScopedMixin
from organizations.records.query import parse_limit
from organizations.webhooks import services
from organizations.webhooks.serializers import (
    AttemptOutput,
    EndpointCreateInput,
    EndpointOutput,
    EndpointUpdateInput,
    EndpointWithSecretOutput,
    EventOutput,
    ReplayInput,
    ReplayOutput,
)

_LIMIT = OpenApiParameter("limit", int, description="How many, newest first (default 50).")


def _with_secret(created: services.WithSecret) -> dict:
    return EndpointWithSecretOutput({**asdict(created.endpoint), "secret": created.secret}).data


@extend_schema(parameters=[SLUG_PARAMETER])
class WebhookViewSet(OrgScopedMixin, viewsets.ViewSet):
    """The org's webhook endpoints (owners only): README "Webhooks"."""

    lookup_field = "endpoint_id"
    lookup_value_regex = "[^/]+"

    @extend_schema(responses={200: EndpointOutput(many=True)})
    def list(self, request, org_slug: str):
        found = services.endpoint_list(actor=request.user, org=self.org)
        return Response(EndpointOutput(found, many=True).data)

    @extend_schema(request=EndpointCreateInput, responses={201: EndpointWithSecretOutput})
    def create(self, request, org_slug: str):
        data = EndpointCreateInput.validated(request.data)
        created = services.endpoint_create(
            actor=request.user,
            org=self.org,
            url=data["url"],
            events_=data.get("events"),
            description=data.get("description"),
        )
        return Response(_with_secret(created), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: EndpointOutput})
    def retrieve(self, request, org_slug: str, endpoint_id: str):
        found = services.endpoint_get(actor=request.user, org=self.org, endpoint_id=endpoint_id)
        return Response(EndpointOutput(found).data)

    @extend_schema(request=EndpointUpdateInput, responses={200: EndpointOutput})
    def partial_update(self, request, org_slug: str, endpoint_id: str):
        data = EndpointUpdateInput.validated(request.data)
        updated = services.endpoint_update(
            actor=request.user, org=self.org, endpoint_id=endpoint_id, changes=data
        )
        return Response(EndpointOutput(updated).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, org_slug: str, endpoint_id: str):
        services.endpoint_delete(actor=request.user, org=self.org, endpoint_id=endpoint_id)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: EndpointWithSecretOutput})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, org_slug: str, endpoint_id: str):
        rotated = services.endpoint_rotate(
            actor=request.user, org=self.org, endpoint_id=endpoint_id
        )
        return Response(_with_secret(rotated))

    @extend_schema(parameters=[_LIMIT], responses={200: AttemptOutput(many=True)})
    @action(detail=True, methods=["get"])
    def deliveries(self, request, org_slug: str, endpoint_id: str):
        limit = parse_limit(request.query_params.get("limit"))
        found = services.endpoint_log(
            actor=request.user, org=self.org, endpoint_id=endpoint_id, limit=limit
        )
        return Response(AttemptOutput(found, many=True).data)

    @extend_schema(request=ReplayInput, responses={202: ReplayOutput})
    @action(detail=True, methods=["post"])
    def replay(self, request, org_slug: str, endpoint_id: str):
        data = ReplayInput.validated(request.data)
        delivery_id = services.event_replay(
            actor=request.user, org=self.org, endpoint_id=endpoint_id, event_id=data["event_id"]
        )
        return Response({"delivery_id": delivery_id}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(parameters=[_LIMIT], responses={200: EventOutput(many=True)})
    @action(detail=False, methods=["get"])
    def events(self, request, org_slug: str):
        limit = parse_limit(request.query_params.get("limit"))
        found = services.event_list(actor=request.user, org=self.org, limit=limit)
        return Response(EventOutput(found, many=True).data)
