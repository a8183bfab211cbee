"""Schemas of the audit API's answers (documentation only: views build the bodies)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers


class AuditEventSchema(serializers.Serializer):
    id = serializers.CharField()
    at = serializers.DateTimeField()
    org_id = serializers.CharField(allow_null=True)
    event = serializers.CharField()
    actor = serializers.CharField(allow_null=True, help_text="Who acted: a member id, staff:...")
    details = serializers.DictField(help_text="The event's own fields (ip, key_id, ...).")


@extend_schema_serializer(many=False)  # a page object, even on the list action
class AuditPageSchema(serializers.Serializer):
    results = AuditEventSchema(many=True)
    next = serializers.URLField(allow_null=True, help_text="The next page, or null.")
