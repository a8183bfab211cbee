"""Fixtures for the auth tests: an org with its admin, and helpers to call the auth API."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from conftest import PASSWORD

EMAIL = "boss@acme.example"


@pytest.fixture
def admin_org(make_org):
    """An org whose admin is EMAIL / PASSWORD; returns the org."""
    org, _, _ = make_org("Acme Corp", email=EMAIL)
    return org


@pytest.fixture
def tokens(admin_org, login):
    """A fresh login's token body for the admin of ``admin_org``."""
    return login(EMAIL, PASSWORD)


def bearer(access_token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token}")
    return client


def refresh(refresh_token: str):
    return APIClient().post(
        "/api/v1/auth/refresh/", {"refresh_token": refresh_token}, format="json"
    )


def authenticated_call(access_token: str, slug: str = "acme-corp"):
    """An authenticated call: PATCH with the current name is a no-op rename of the org."""
    return bearer(access_token).patch(f"/api/v1/orgs/{slug}/", {"name": "Acme Corp"}, format="json")
