"""Test fixtures: every test gets a fresh in-memory MongoDB (mongomock) through tenancy's seam;
``backend`` runs a test on mongomock and on litemongo on disk in a temporary folder (and on a
real MongoDB when TEST_MONGO_URL is set)."""

from __future__ import annotations

import os

import pytest
from rest_framework.test import APIClient

from tenancy.indexes import ensure_master_indexes
from tenancy.stores.client import reset_clients

PASSWORD = "Correct-Horse-9-Battery"

_BACKENDS = ["mongomock", "litemongo"] + (["mongodb"] if os.environ.get("TEST_MONGO_URL") else [])


@pytest.fixture(autouse=True)
def mongo(settings, tmp_path):
    """A fresh mongomock database for each test; cheap bcrypt."""
    settings.MONGO_URL = "mongomock://"
    settings.LITEMONGO_PATH = tmp_path / "mongo"
    settings.BCRYPT_ROUNDS = 4
    reset_clients()
    ensure_master_indexes()
    yield
    reset_clients()


@pytest.fixture(autouse=True)
def plain_http(settings):
    """The test client speaks plain HTTP: no HTTPS redirect, whatever the local .env says."""
    settings.SECURE_SSL_REDIRECT = False


def use_backend(settings, name: str, tmp_path) -> None:
    """Point tenancy at another backend for the rest of the test."""
    if name == "litemongo":
        settings.MONGO_URL = ""
        settings.LITEMONGO_PATH = tmp_path / f"lite-{os.getpid()}"
    elif name == "mongodb":
        settings.MONGO_URL = os.environ["TEST_MONGO_URL"]
        settings.MASTER_DB_NAME = f"orgservice_test_{os.getpid()}"
    else:
        settings.MONGO_URL = "mongomock://"
    reset_clients()
    ensure_master_indexes()


@pytest.fixture(params=_BACKENDS)
def backend(request, settings, tmp_path):
    """Run the test on every backend (service-level tests)."""
    use_backend(settings, request.param, tmp_path)
    yield request.param
    if request.param == "mongodb":
        from tenancy.stores.client import get_client

        get_client().drop_database(settings.MASTER_DB_NAME)
    reset_clients()


@pytest.fixture(params=["collection", "shared", "database"])
def placement(request, settings):
    """Run the test once per org placement (tenancy.placement): new orgs get it by default."""
    settings.ORG_PLACEMENT = request.param
    return request.param


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def make_org():
    """Create an org through the service; returns (org, email, password)."""
    from organizations.orgs.services import organization_create

    def _make(
        name: str = "Acme Corp",
        email: str | None = None,
        password: str = PASSWORD,
        placement: str | None = None,
    ):
        email = email or f"admin@{name.lower().replace(' ', '')}.example"
        org = organization_create(
            name=name, admin_email=email, admin_password=password, placement=placement
        )
        return org, email, password

    return _make


@pytest.fixture
def login(api):
    """Log in through the API; returns the token body."""

    def _login(email: str, password: str = PASSWORD) -> dict:
        response = api.post("/admin/login", {"email": email, "password": password}, format="json")
        assert response.status_code == 200, response.content
        return response.json()

    return _login


@pytest.fixture
def authed(login):
    """An APIClient carrying the admin's Bearer token."""

    def _authed(email: str, password: str = PASSWORD) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {login(email, password)['access_token']}")
        return client

    return _authed


@pytest.fixture
def disk(settings, tmp_path):
    """This process on the litemongo folder that orgservice.testing's subprocesses and gunicorn
    use for ``tmp_path``; yields tmp_path. Call reset_clients() to re-read their writes."""
    settings.MONGO_URL = ""
    settings.LITEMONGO_PATH = tmp_path / "mongo"
    reset_clients()
    ensure_master_indexes()
    yield tmp_path
    reset_clients()
