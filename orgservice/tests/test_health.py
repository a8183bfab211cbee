"""Liveness and readiness probes."""

import pytest

from tenancy.indexes import ADMINS
from tenancy.stores.client import master_db, reset_clients

DOWN = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300"


@pytest.fixture
def mongo_down(settings):
    settings.MONGO_URL = DOWN
    settings.MONGO_TIMEOUT_MS = 300
    reset_clients()


def test_healthz_answers_ok_as_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_stays_ok_while_mongodb_is_down_because_it_does_no_io(client, mongo_down):
    assert client.get("/healthz").status_code == 200


def test_readyz_is_ok_when_mongodb_answers_and_the_indexes_exist(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_503_with_a_json_reason_when_mongodb_is_down(client, mongo_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["reason"] == "database_unavailable"


def test_readyz_is_503_naming_the_missing_master_index(client):
    master_db()[ADMINS].drop_index("email_unique")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reason"] == "indexes_missing"
    assert "admins.email_unique" in response.json()["detail"]


def test_probes_answer_an_orchestrator_over_plain_http_on_any_host(client, settings):
    settings.ALLOWED_HOSTS = ["api.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/org/get", HTTP_HOST="10.0.0.7:8000").status_code == 400
    assert client.get("/org/get", HTTP_HOST="api.example.com").status_code == 301
