"""How records leave the API (their fields plus ``id``, ``created_at``, ``updated_at``), and the
shapes the OpenAPI schema shows for the records routes."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from tenancy.record_store import Record

_TIME = serializers.DateTimeField()


def record_body(record: Record) -> dict[str, Any]:
    """The record as clients see it; no stored field can clash, the server keys are refused."""
    return {
        "id": record.id,
        **record.data,
        "created_at": _TIME.to_representation(record.created_at),
        "updated_at": _TIME.to_representation(record.updated_at),
    }


class RecordSchema(serializers.Serializer):
    """A record: any JSON object, with the server-assigned fields below."""

    id = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


@extend_schema_serializer(many=False)  # a page object, even on the list action
class RecordPageSchema(serializers.Serializer):
    results = RecordSchema(many=True)
    next = serializers.URLField(allow_null=True)


class RecordBulkInputSchema(serializers.Serializer):
    records = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=1000)


class RecordBulkOutputSchema(serializers.Serializer):
    count = serializers.IntegerField()
    results = RecordSchema(many=True)
