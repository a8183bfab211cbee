"""Fixtures for the ops tests: the configured JSON log handler, captured."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.test import Client

from kernel.jsonlog import JsonFormatter


class CapturedLog:
    def __init__(self, stream: io.StringIO):
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def records(self) -> list[dict]:
        """Every captured line, parsed as JSON (fails the test on a line that is not)."""
        return [json.loads(line) for line in self.text.splitlines()]

    def access(self) -> list[dict]:
        return [r for r in self.records() if r["logger"] == "orgservice.access"]


@pytest.fixture
def json_log():
    """The handler settings.LOGGING put on the root logger, writing into a buffer."""
    handlers = logging.getLogger().handlers
    handler = next(h for h in handlers if isinstance(h.formatter, JsonFormatter))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield CapturedLog(stream)
    handler.setStream(previous)


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    """The OpenAPI document the service serves, fetched once per test module."""
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()
