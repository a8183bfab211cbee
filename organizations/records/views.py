"""REST API for an org's records (/api/v1/orgs/<slug>/records/) and their NDJSON export.

Only the org's own members get in, and the org's API keys holding ``records:read`` (GET) or
``records:write`` (the other methods). The org is resolved in ``initial`` — after authentication,
before any method dispatch or body parsing — so another org's token gets the same 404 as an
unknown slug for every route and every method (unsupported ones included): nothing tells it
whether the other org exists.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import ClassVar

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.api_keys import RECORDS_READ, RECORDS_WRITE
from accounts.permissions import IsOrgMemberOrScopedKey
from kernel.errors import InvalidInput
from kernel.pagination import next_page_url
from kernel.renderers import NDJSONRenderer
from organizations.idempotency.decorator import idempotent
from organizations.org_scoped import SLUG_PARAMETER, OrgScopedMixin
from organizations.records import services
from organizations.records.serializers import (
    RecordBulkInputSchema,
    RecordBulkOutputSchema,
    RecordPageSchema,
    RecordSchema,
    record_body,
)
from tenancy.record_store import TenantRecords

_ID = OpenApiParameter("record_id", str, OpenApiParameter.PATH, description="The record's id.")
EXPORT_CHUNK = 200


class _OwnOrgOnly(OrgScopedMixin):
    """Resolves ``self.records`` (and ``self.org``) from the principal's org."""

    permission_classes: ClassVar[list] = [IsOrgMemberOrScopedKey]
    key_scopes: ClassVar[dict[str, str]] = {
        **dict.fromkeys(("GET", "HEAD", "OPTIONS"), RECORDS_READ),
        **dict.fromkeys(("POST", "PUT", "PATCH", "DELETE"), RECORDS_WRITE),
    }
    records: TenantRecords

    def resolve(self, request, slug: str) -> None:
        self.records = services.records_for(request.user, slug)
        self.org = self.records.org

    @staticmethod
    def body(request) -> object:
        """The parsed JSON body; DRF reads an empty body as ``{}``, which is not a record."""
        if request.stream is None:
            raise InvalidInput("A JSON body is required.", code="invalid_record")
        return request.data


@extend_schema(parameters=[SLUG_PARAMETER])
class RecordViewSet(_OwnOrgOnly, viewsets.ViewSet):
    """The org's records: JSON objects it owns, newest first."""

    lookup_field = "record_id"
    lookup_value_regex = "[^/]+"

    @extend_schema(
        parameters=[
            OpenApiParameter("limit", int, description="1-1000, default 50."),
            OpenApiParameter("cursor", str, description="From a previous page's next link."),
        ],
        responses={200: RecordPageSchema},
        description="Any other query parameter is an equality filter on a top-level field.",
    )
    def list(self, request, org_slug: str):
        page = services.record_page(self.records, params=dict(request.query_params.lists()))
        results = [record_body(r) for r in page.results]
        return Response({"results": results, "next": next_page_url(request, page.next_cursor)})

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: RecordSchema})
    @idempotent()
    def create(self, request, org_slug: str):
        record = services.record_create(self.records, data=self.body(request))
        return Response(record_body(record), status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[_ID], responses={200: RecordSchema})
    def retrieve(self, request, org_slug: str, record_id: str):
        return Response(record_body(services.record_get(self.records, record_id=record_id)))

    @extend_schema(parameters=[_ID], request=OpenApiTypes.OBJECT, responses={200: RecordSchema})
    def update(self, request, org_slug: str, record_id: str):
        record = services.record_replace(self.records, record_id=record_id, data=self.body(request))
        return Response(record_body(record))

    @extend_schema(parameters=[_ID], request=OpenApiTypes.OBJECT, responses={200: RecordSchema})
    def partial_update(self, request, org_slug: str, record_id: str):
        record = services.record_patch(
            self.records, record_id=record_id, changes=self.body(request)
        )
        return Response(record_body(record))

    @extend_schema(parameters=[_ID], responses={204: None})
    def destroy(self, request, org_slug: str, record_id: str):
        services.record_delete(self.records, record_id=record_id)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=RecordBulkInputSchema, responses={201: RecordBulkOutputSchema})
    @action(detail=False, methods=["post"])
    @idempotent()
    def bulk(self, request, org_slug: str):
        created = services.record_bulk_create(self.records, body=self.body(request))
        body = {"count": len(created), "results": [record_body(r) for r in created]}
        return Response(body, status=status.HTTP_201_CREATED)


def _ndjson(records: Iterator) -> Iterator[bytes]:
    lines: list[str] = []
    for record in records:
        lines.append(json.dumps(record_body(record), ensure_ascii=False))
        if len(lines) == EXPORT_CHUNK:
            yield ("\n".join(lines) + "\n").encode()
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode()


@extend_schema(parameters=[SLUG_PARAMETER])
class RecordExportViewSet(_OwnOrgOnly, viewsets.ViewSet):
    """Every record of the org as NDJSON (one JSON object a line, oldest first), streamed."""

    renderer_classes: ClassVar[list] = [JSONRenderer, NDJSONRenderer]

    @extend_schema(
        responses={(200, "application/x-ndjson"): OpenApiResponse(OpenApiTypes.STR)},
    )
    def list(self, request, org_slug: str):
        lines = _ndjson(services.record_export(self.records))
        response = StreamingHttpResponse(lines, content_type="application/x-ndjson")
        response["Content-Disposition"] = f'attachment; filename="{self.records.org.slug}.ndjson"'
        return response
