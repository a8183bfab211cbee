"""Audit events as JSON objects, NDJSON lines and CSV rows (injection-safe), and the renderers
that let a client choose NDJSON or CSV with ``?format=`` or ``Accept``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from rest_framework.renderers import BaseRenderer

from tenancy.audit import AuditEvent

CHUNK = 200
CSV_COLUMNS = ("id", "at", "org_id", "event", "actor", "details")
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def event_body(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        # Always six fraction digits, so the times of a page sort as text as they do as times.
        "at": event.at.isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "org_id": event.org_id,
        "event": event.event,
        "actor": event.actor,
        "details": json.loads(json.dumps(event.details, default=str)),
    }


def safe_cell(value: object) -> str:
    """The text of a CSV cell; a value a spreadsheet would evaluate is quoted with ``'``."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _csv_line(cells: Iterable[object]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow([safe_cell(c) for c in cells])
    return out.getvalue()


def csv_row(event: AuditEvent) -> str:
    body = event_body(event)
    body["details"] = json.dumps(body["details"], ensure_ascii=False, sort_keys=True)
    return _csv_line(body[c] for c in CSV_COLUMNS)


def ndjson_row(event: AuditEvent) -> str:
    return json.dumps(event_body(event), ensure_ascii=False) + "\n"


def stream(events: Iterator[AuditEvent], fmt: str) -> Iterator[bytes]:
    """The export body, ``CHUNK`` events per chunk; CSV starts with its header row."""
    row = csv_row if fmt == "csv" else ndjson_row
    lines = [_csv_line(CSV_COLUMNS)] if fmt == "csv" else []
    for event in events:
        lines.append(row(event))
        if len(lines) >= CHUNK:
            yield "".join(lines).encode()
            lines = []
    if lines:
        yield "".join(lines).encode()


class CSVRenderer(BaseRenderer):
    """``text/csv``: an error body is then a ``code,detail`` header and one row."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if not isinstance(data, dict):
            return b""
        rows = _csv_line(("code", "detail")) + _csv_line((data.get("code"), data.get("detail")))
        return rows.encode()
