"""Serializers for organizations: strict inputs, and the org metadata every route answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rest_framework import serializers

from kernel.fields import StrictCharField, StrictSerializer
from tenancy.documents import DELETED, SUSPENDED, Org, aware


class SuspensionOutput(serializers.Serializer):
    reason = serializers.CharField()
    suspended_at = serializers.DateTimeField()


class OrgOutput(serializers.Serializer):
    """The org metadata every route answers (the schema; ``org_body`` builds it)."""

    id = serializers.CharField()
    name = serializers.CharField()
    slug = serializers.CharField()
    collection = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    suspension = SuspensionOutput(required=False, help_text="Only while suspended.")
    deleted_at = serializers.DateTimeField(required=False, help_text="Only while deleted.")
    purge_after = serializers.DateTimeField(
        required=False, help_text="Only while deleted: the end of the restore window."
    )

    def to_representation(self, instance) -> dict[str, Any]:
        """The standing fields only when the org has them, as ``org_body`` writes them."""
        data = super().to_representation(instance)
        for key in ("suspension", "deleted_at", "purge_after"):
            if data.get(key) is None:
                data.pop(key, None)
        return data


class OrgMemberOutput(OrgOutput):
    """The org metadata, plus the owners' ``metadata`` when the caller is one of its members."""

    metadata = serializers.DictField(
        required=False,
        help_text="The owners' metadata; only in answers to the org's own members.",
    )


def _iso(value: datetime | None) -> str | None:
    """A stored time as DRF's DateTimeField renders it with TIME_ZONE = UTC (settings)."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def org_body(org: Org) -> dict[str, Any]:
    """``OrgOutput(org).data`` without building a serializer per request (the hottest route's
    profile: a third of its time went to copying the serializer's fields)."""
    return {
        "id": str(org.id),
        "name": str(org.name),
        "slug": str(org.slug),
        "collection": str(org.collection),
        "status": str(org.status),
        "created_at": _iso(org.created_at),
        "updated_at": _iso(org.updated_at),
    } | _standing(org)


def _standing(org: Org) -> dict[str, Any]:
    """A suspended org's reason (public, like the rest: staff write it for the customer), a
    deleted org's restore window (only staff and the restoring owner see a deleted org)."""
    if org.status == SUSPENDED and org.suspension:
        at = _iso(aware(org.suspension.get("at")))
        return {"suspension": {"reason": org.suspension.get("reason"), "suspended_at": at}}
    if org.status == DELETED:
        return {"deleted_at": _iso(org.deleted_at), "purge_after": _iso(org.purge_after)}
    return {}


def org_body_with_metadata(org: Org) -> dict[str, Any]:
    """``org_body`` plus the org's metadata, for the org's own members."""
    return {**org_body(org), "metadata": org.metadata}


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
    """A rename (``name``) or new metadata (``metadata``, replacing it whole), one per request
    so that each is all-or-nothing."""

    name = StrictCharField(max_length=200, trim_whitespace=False, required=False)
    metadata = serializers.JSONField(required=False)

    def validate(self, attrs):
        if len(attrs) != 1:
            raise serializers.ValidationError("Give either name or metadata.")
        return attrs


class SuspendInput(StrictSerializer):
    reason = StrictCharField(max_length=500, trim_whitespace=False)


class RestoreInput(StrictSerializer):
    organization_name = _name()
    email = _email()
    password = _password()
