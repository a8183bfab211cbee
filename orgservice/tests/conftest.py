"""Fixtures for the ops tests: the configured JSON log handler, captured."""

from __future__ import annotations

import io
import json
import logging

import pytest

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
