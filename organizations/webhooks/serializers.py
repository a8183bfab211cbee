"""Serializers of the webhooks API: strict inputs; outputs never show a secret except the new
one, once, when it is created or rotated."""

from __future__ import annotations

from rest_framework import serializers

from kernel.fields import StrictCharField, StrictSerializer
from organizations.members.serializers import StrictBooleanField
from organizations.webhooks.addresses import MAX_URL_LENGTH
from organizations.webhooks.events import EVENT_TYPES
from organizations.webhooks.services import MAX_DESCRIPTION


class _EndpointFields(StrictSerializer):
    events = serializers.ListField(
        child=StrictCharField(max_length=50),
        required=False,
        max_length=len(EVENT_TYPES),
        help_text=f"Event types, from: {', '.join(EVENT_TYPES)}. Default: all but record.*.",
    )
    description = StrictCharField(
        required=False, allow_blank=True, max_length=MAX_DESCRIPTION, trim_whitespace=False
    )


class EndpointCreateInput(_EndpointFields):
    url = StrictCharField(max_length=MAX_URL_LENGTH, trim_whitespace=False)


class EndpointUpdateInput(_EndpointFields):
    url = StrictCharField(max_length=MAX_URL_LENGTH, trim_whitespace=False, required=False)
    enabled = StrictBooleanField(
        required=False, help_text="true re-enables a disabled endpoint (its failure streak ends)."
    )


class ReplayInput(StrictSerializer):
    event_id = StrictCharField(max_length=100)


class EndpointOutput(serializers.Serializer):
    id = serializers.CharField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField()
    enabled = serializers.BooleanField()
    disabled_reason = serializers.CharField(allow_null=True)
    disabled_at = serializers.DateTimeField(allow_null=True)
    consecutive_failures = serializers.IntegerField()
    failing_since = serializers.DateTimeField(allow_null=True)
    previous_secret_expires_at = serializers.DateTimeField(
        allow_null=True, source="previous_expires_at"
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class EndpointWithSecretOutput(EndpointOutput):
    secret = serializers.CharField(help_text="whsec_…: shown this once; it signs every delivery.")


class AttemptOutput(serializers.Serializer):
    id = serializers.CharField(source="_id")
    delivery_id = serializers.CharField()
    event_id = serializers.CharField()
    event_type = serializers.CharField()
    attempt = serializers.IntegerField()
    at = serializers.DateTimeField()
    outcome = serializers.ChoiceField(choices=["delivered", "failed"])
    status_code = serializers.IntegerField(allow_null=True)
    duration_ms = serializers.FloatField()
    error = serializers.CharField(allow_null=True)


class EventOutput(serializers.Serializer):
    id = serializers.CharField(source="_id")
    type = serializers.CharField()
    created_at = serializers.DateTimeField()
    data = serializers.DictField()


class ReplayOutput(serializers.Serializer):
    delivery_id = serializers.CharField()
