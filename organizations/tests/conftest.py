"""Fixtures for the admin-panel tests: staff users of the Django admin, logged in."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

STAFF_PASSWORD = "Staff-Pass-9-Horse"


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("root", "root@staff.example", STAFF_PASSWORD)


@pytest.fixture
def staff_client(superuser) -> Client:
    """A superuser (every panel action) logged in to the admin."""
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def helper_client(db, django_user_model) -> Client:
    """A staff user without the manage_organizations permission."""
    user = django_user_model.objects.create_user("helper", password=STAFF_PASSWORD, is_staff=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_api(superuser) -> APIClient:
    """The REST API with a superuser's admin-site session (the staff routes' authentication)."""
    client = APIClient()
    client.force_login(superuser)
    return client
