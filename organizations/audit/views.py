"""REST API for an org's audit log: /api/v1/orgs/<slug>/audit/ (a page, newest first) and
/api/v1/orgs/<slug>/audit/export/ (every event, oldest first, streamed as NDJSON or CSV).

Owners and admins only (members: 403 ``role_forbidden``; API keys: 403 ``insufficient_scope``).
The org is resolved in ``initial`` as on the members routes."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from kernel.pagination import next_page_url
from kernel.renderers import NDJSONRenderer
from organizations.audit import services
from organizations.audit.exports import CSVRenderer, event_body, stream
from organizations.audit.serializers import AuditPageSchema
from organizations.org_scoped import SLUG_PARAMETER, OrgScopedMixin

FILTERS = [
    OpenApiParameter("event", str, description="Only this event (e.g. api_key_created)."),
    OpenApiParameter("actor", str, description="Only events of this actor (a member id)."),
    OpenApiParameter("from", OpenApiTypes.DATETIME, description="At or after (ISO 8601)."),
    OpenApiParameter("to", OpenApiTypes.DATETIME, description="Before (ISO 8601)."),
]
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}


def export_response(events, fmt: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream(events, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@extend_schema(parameters=[SLUG_PARAMETER])
class AuditViewSet(OrgScopedMixin, viewsets.ViewSet):
    """The org's audit trail: who did what and when (never a secret)."""

    @extend_schema(
        parameters=[
            *FILTERS,
            OpenApiParameter("limit", int, description="1-1000, default 50."),
            OpenApiParameter("cursor", str, description="From a previous page's next link."),
        ],
        responses={200: AuditPageSchema},
    )
    def list(self, request, org_slug: str):
        params = dict(request.query_params.lists())
        page = services.audit_page(actor=request.user, org=self.org, params=params)
        results = [event_body(e) for e in page.results]
        return Response({"results": results, "next": next_page_url(request, page.next_cursor)})

    @extend_schema(
        parameters=FILTERS,
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(OpenApiTypes.STR),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
        },
        description="Every matching event, oldest first, streamed: `?format=ndjson` (default) "
        "or `?format=csv` (or the Accept header).",
    )
    @action(
        detail=False,
        renderer_classes=[NDJSONRenderer, CSVRenderer, JSONRenderer],
    )
    def export(self, request, org_slug: str):
        params = dict(request.query_params.lists())
        events = services.audit_export(actor=request.user, org=self.org, params=params)
        fmt = "csv" if request.accepted_renderer.format == "csv" else "ndjson"
        return export_response(events, fmt, f"{self.org.slug}-audit")
