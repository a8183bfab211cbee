"""Serializer fields shared by the apps: strict types, no silent coercion."""

from __future__ import annotations

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers, booleans, objects and arrays instead of coercing them
    (so ``{"$ne": null}`` or ``123`` where a string belongs is a 400), and NUL characters."""

    default_error_messages = {
        "not_a_string": "Must be a string.",
        "nul": "May not contain NUL characters.",
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        if "\x00" in data:
            self.fail("nul")
        return super().to_internal_value(data)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo is an error rather than silently ignored."""

    @classmethod
    def validated(cls, data) -> dict:
        """The validated data, or a ValidationError (400) for the caller's input."""
        serializer = cls(data=data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)
