"""Serializers of the members and invitations API: strict inputs, outputs without secrets."""

from __future__ import annotations

from rest_framework import serializers

from kernel.fields import StrictCharField, StrictSerializer


class StrictBooleanField(serializers.BooleanField):
    """A JSON boolean only: ``"yes"``, ``1`` or ``"true"`` are refused rather than coerced."""

    default_error_messages = {"not_a_boolean": "Must be true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("not_a_boolean")
        return data


class RoleInput(StrictSerializer):
    role = StrictCharField(max_length=20)


class MakeOwnerInput(StrictSerializer):
    transfer = StrictBooleanField(required=False, default=False)


class InvitationCreateInput(StrictSerializer):
    email = StrictCharField(max_length=254, trim_whitespace=False)
    role = StrictCharField(max_length=20)


class AcceptInput(StrictSerializer):
    token = StrictCharField(max_length=200)
    password = StrictCharField(max_length=1024, trim_whitespace=False, write_only=True)


class MemberOutput(serializers.Serializer):
    id = serializers.CharField()
    email = serializers.CharField()
    role = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_login_at = serializers.DateTimeField(allow_null=True)


class InvitationOutput(serializers.Serializer):
    id = serializers.CharField()
    email = serializers.CharField()
    role = serializers.CharField()
    status = serializers.CharField()
    invited_by = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class CreatedInvitationOutput(InvitationOutput):
    token = serializers.CharField(
        allow_null=True,
        help_text="The invitation code to pass on to the invitee; null when the configured "
        "sender delivered it (e.g. by email).",
    )
