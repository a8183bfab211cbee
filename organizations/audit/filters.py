"""The audit list's and export's query string, validated: filters, ``limit`` and ``cursor``.

- ``event``: one event name (``login``, ``api_key_created``, ...), exact.
- ``actor``: the id of who acted (a member id, or ``staff:<username>`` for the panel).
- ``from`` / ``to``: ISO 8601 date-times (``2026-11-30T00:00:00Z``; without an offset, UTC);
  ``from`` inclusive, ``to`` exclusive, ``from`` not after ``to``.
- ``limit``: 1-1000, 50 by default (the list only); ``cursor``: a previous page's ``next``.
A parameter given twice, an unknown one, or a bad value is refused with 400.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime

from kernel.errors import InvalidInput
from organizations.records.query import parse_limit
from tenancy.audit import AuditQuery

_EVENT = re.compile(r"[a-z][a-z0-9_.]{0,63}")
_ACTOR = re.compile(r"[\w.:@+-]{1,200}")
_ID = re.compile(r"[0-9a-f]{24}")
_CURSOR_PREFIX = "a1:"
FILTERS = ("event", "actor", "from", "to")
LIST_PARAMS = frozenset({*FILTERS, "limit", "cursor", "format"})
EXPORT_PARAMS = frozenset({*FILTERS, "format"})


@dataclass(frozen=True)
class AuditPageQuery:
    query: AuditQuery
    limit: int
    before: tuple[datetime, str] | None


def _bad(message: str, field: str) -> InvalidInput:
    return InvalidInput(message, code="invalid_filter", fields={field: [message]})


def encode_cursor(at: datetime, event_id: str) -> str:
    raw = f"{_CURSOR_PREFIX}{at.isoformat()}|{event_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(raw: str) -> tuple[datetime, str]:
    """The ``(at, id)`` a cursor points after; raises InvalidInput (``invalid_cursor``)."""
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii")
        at_text, event_id = text.removeprefix(_CURSOR_PREFIX).split("|")
        at = datetime.fromisoformat(at_text)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor") from exc
    if not text.startswith(_CURSOR_PREFIX) or not _ID.fullmatch(event_id) or at.tzinfo is None:
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor")
    return at, event_id


def _moment(raw: str | None, field: str) -> datetime | None:
    if raw is None:
        return None
    try:
        value = parse_datetime(raw) if len(raw) <= 40 else None
    except ValueError:
        value = None
    if value is None:
        raise _bad(f"{field} must be an ISO 8601 date-time, e.g. 2026-11-30T00:00:00Z.", field)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _single(params: Mapping[str, list[str]], allowed: frozenset[str]) -> dict[str, str]:
    repeated = sorted(name for name, values in params.items() if len(values) != 1)
    if repeated:
        raise InvalidInput(
            f"Give each parameter once: {', '.join(repeated)}.", code="invalid_query"
        )
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise InvalidInput(f"Unknown parameter: {', '.join(unknown)}.", code="invalid_query")
    return {name: values[0] for name, values in params.items()}


def parse_filters(
    params: Mapping[str, list[str]], *, org_id: str | None, allowed: frozenset[str] = EXPORT_PARAMS
) -> AuditQuery:
    """The AuditQuery of ``{name: [values]}`` for ``org_id`` (None: every org)."""
    single = _single(params, allowed)
    event, actor = single.get("event"), single.get("actor")
    if event is not None and not _EVENT.fullmatch(event):
        raise _bad("event must be an event name such as api_key_created.", "event")
    if actor is not None and not _ACTOR.fullmatch(actor):
        raise _bad("actor must be an id such as a member id.", "actor")
    since, until = _moment(single.get("from"), "from"), _moment(single.get("to"), "to")
    if since is not None and until is not None and since > until:
        raise _bad("from must not be after to.", "from")
    return AuditQuery(org_id=org_id, event=event, actor=actor, since=since, until=until)


def parse_org(values: list[str] | None) -> str | None:
    """The staff export's ``org`` (one org id), or None for every org."""
    if values is None:
        return None
    if len(values) != 1 or not _ID.fullmatch(values[0]):
        raise _bad("org must be one organization id.", "org")
    return values[0]


def parse_page(params: Mapping[str, list[str]], *, org_id: str) -> AuditPageQuery:
    query = parse_filters(params, org_id=org_id, allowed=LIST_PARAMS)
    single = {name: values[0] for name, values in params.items()}
    cursor = single.get("cursor")
    return AuditPageQuery(
        query=query,
        limit=parse_limit(single.get("limit")),
        before=decode_cursor(cursor) if cursor is not None else None,
    )
