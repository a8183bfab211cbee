"""Serializers of the API keys routes: strict input; output with the secret only on creation."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import api_keys
from kernel.fields import StrictCharField, StrictSerializer
from tenancy.api_key_store import ApiKey
from tenancy.documents import utcnow


class ApiKeyCreateInput(StrictSerializer):
    name = StrictCharField(max_length=100)
    scopes = serializers.ListField(
        child=StrictCharField(max_length=40),
        max_length=len(api_keys.SCOPES),
        help_text=f"One or more of: {', '.join(api_keys.SCOPES)}.",
    )
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Optional; in the future."
    )


def key_status(key: ApiKey) -> str:
    if key.revoked_at is not None:
        return "revoked"
    return "expired" if key.expired(utcnow()) else "active"


class ApiKeyOutput(serializers.Serializer):
    id = serializers.CharField(source="key_id")
    prefix = serializers.SerializerMethodField(help_text="The key's visible start, osk_<id>.")
    name = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())
    status = serializers.SerializerMethodField(help_text="active, expired or revoked.")
    created_by = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(OpenApiTypes.STR)
    def get_prefix(self, key: ApiKey) -> str:
        return f"{api_keys.PREFIX}{key.key_id}"

    @extend_schema_field(OpenApiTypes.STR)
    def get_status(self, key: ApiKey) -> str:
        return key_status(key)


class CreatedApiKeyOutput(ApiKeyOutput):
    key = serializers.CharField(
        help_text="The whole key, for Authorization: Bearer. Shown only in this response."
    )
