"""A logging formatter writing one JSON object per line, for machines to parse."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from kernel.redaction import extras, scrub

_JSON_NATIVE = (str, int, float, bool, type(None), list, tuple, dict)
# The line prints no thread or process name, so records need not look them up (a tenth of the
# cost of every record, the access line's included; profiled under gunicorn for [perf-2]).
logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
# json.dumps(payload, default=str, ensure_ascii=False), without building an encoder per line
_ENCODER = json.JSONEncoder(default=str, ensure_ascii=False)


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", "request_id", ...extras, "exc"}`` on one line.
    Extras that are not plain JSON values (e.g. Django's ``request`` object) are left out."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in extras(record).items():
            if isinstance(value, _JSON_NATIVE) and key not in payload:
                payload[key] = value
        if record.exc_info:
            payload["exc"] = scrub(self.formatException(record.exc_info))
        return _ENCODER.encode(payload)
