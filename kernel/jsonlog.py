"""A logging formatter writing one JSON object per line, for machines to parse."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from kernel.redaction import extra_keys, scrub

_JSON_NATIVE = (str, int, float, bool, type(None), list, tuple, dict)
# The line prints no thread or process name, so records need not look them up (a tenth of the
# cost of every record, the access line's included; profiled under gunicorn for [perf-2]).
logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
# json.dumps(payload, default=str, ensure_ascii=False), without building an encoder per line
_ENCODER = json.JSONEncoder(default=str, ensure_ascii=False)
_second: tuple[int, str] = (-1, "")  # the last whole second stamped, and its text


def timestamp(created: float) -> str:
    """``created`` (a LogRecord's time) as ISO 8601 UTC to the millisecond, as
    ``datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")`` writes it; the
    date and time of day are formatted once per second (a fifth of a line's formatting)."""
    global _second
    whole = int(created)
    fraction = round((created - whole) * 1_000_000)  # microseconds, as datetime rounds them
    if fraction == 1_000_000:
        whole, fraction = whole + 1, 0
    second, text = _second
    if whole != second:
        text = datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        _second = (whole, text)  # one assignment: a thread reads the old pair or the new one
    return f"{text}.{fraction // 1000:03d}+00:00"


def json_line(
    created: float,
    level: str,
    logger: str,
    message: str,
    request_id: str | None,
    fields: dict[str, Any],
    exc: str | None = None,
) -> str:
    """``{"ts", "level", "logger", "message", "request_id", ...fields, "exc"}`` on one line.
    Fields that are not plain JSON values (e.g. Django's ``request`` object) are left out."""
    payload: dict[str, Any] = {
        "ts": timestamp(created),
        "level": level,
        "logger": logger,
        "message": message,
        "request_id": request_id,
    }
    for key, value in fields.items():
        if isinstance(value, _JSON_NATIVE) and key not in payload:
            payload[key] = value
    if exc is not None:
        payload["exc"] = exc
    return _ENCODER.encode(payload)


class JsonFormatter(logging.Formatter):
    """A record's ``json_line``: its extras are its fields."""

    def format(self, record: logging.LogRecord) -> str:
        attributes = record.__dict__
        return json_line(
            record.created,
            record.levelname,
            record.name,
            record.getMessage(),
            getattr(record, "request_id", None),
            {key: attributes[key] for key in extra_keys(record)},
            scrub(self.formatException(record.exc_info)) if record.exc_info else None,
        )
