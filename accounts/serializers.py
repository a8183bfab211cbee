"""Serializers for login and tokens."""

from __future__ import annotations

from rest_framework import serializers

from kernel.fields import StrictCharField, StrictSerializer


class LoginInput(StrictSerializer):
    email = StrictCharField(max_length=254, trim_whitespace=False)
    password = StrictCharField(max_length=1024, trim_whitespace=False, write_only=True)


class RefreshInput(StrictSerializer):
    refresh_token = StrictCharField(max_length=4096)


class TokenOutput(serializers.Serializer):
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField()
