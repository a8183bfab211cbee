"""Serializers for organizations: strict inputs, and the org metadata every route answers."""

from __future__ import annotations

from rest_framework import serializers

from orgservice.fields import StrictCharField, StrictSerializer


class OrgOutput(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    slug = serializers.CharField()
    collection = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


def _name() -> StrictCharField:
    return StrictCharField(max_length=200, trim_whitespace=False)


def _email(required: bool = True) -> StrictCharField:
    return StrictCharField(max_length=254, required=required)


def _password(required: bool = True) -> StrictCharField:
    return StrictCharField(
        max_length=1024, trim_whitespace=False, write_only=True, required=required
    )


class OrgCreateInput(StrictSerializer):
    organization_name = _name()
    email = _email()
    password = _password()


class OrgUpdateInput(StrictSerializer):
    organization_name = StrictCharField(max_length=200, trim_whitespace=False, required=False)
    email = _email(required=False)
    password = _password(required=False)
    # Required (by the service) when email or password is given: re-authentication.
    current_password = _password(required=False)

    def validate(self, attrs):
        if not attrs.keys() - {"current_password"}:
            raise serializers.ValidationError(
                "Give at least one of organization_name, email, password."
            )
        return attrs


class OrgNameInput(StrictSerializer):
    organization_name = _name()


class OrgPatchInput(StrictSerializer):
    name = StrictCharField(max_length=200, trim_whitespace=False)
