"""The records list's query string, validated: ``limit``, ``cursor`` and equality filters.

- ``limit``: a positive integer, 50 by default; values above 1000 are capped to 1000.
- ``cursor``: the opaque value of a previous page's ``next`` link.
- any other parameter ``name=value`` keeps records whose top-level field ``name`` equals
  ``value``. Query strings carry only text, so a value that reads as a JSON number also matches
  that number (``?n=5`` matches ``"5"``, ``5`` and ``5.0``), and ``true``/``false`` also match
  the booleans. Arrays and objects never match; ``null`` matches only the string ``"null"``.
  ``format`` is DRF's format switch and cannot be used as a filter; ``id`` and the timestamps
  cannot either. A parameter given twice is refused.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kernel.errors import InvalidInput
from organizations.records.rules import RESERVED_KEYS, check_key

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
MAX_FILTERS = 20
CONTROL_PARAMS = frozenset({"limit", "cursor", "format"})
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?P<frac>\.[0-9]+)?(?P<exp>[eE][+-]?[0-9]+)?")
_RECORD_ID = re.compile(r"[0-9a-f]{24}")
_CURSOR_PREFIX = "r1:"


@dataclass(frozen=True)
class PageQuery:
    limit: int
    before: str | None
    filters: dict[str, list[Any]]


def _invalid(message: str, code: str) -> InvalidInput:
    return InvalidInput(message, code=code)


def encode_cursor(record_id: str) -> str:
    return base64.urlsafe_b64encode((_CURSOR_PREFIX + record_id).encode()).decode().rstrip("=")


def decode_cursor(raw: str) -> str:
    """The record id a cursor points after; raises InvalidInput for anything else."""
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii")
    except (binascii.Error, ValueError) as exc:
        raise _invalid("The cursor is not valid.", "invalid_cursor") from exc
    record_id = text.removeprefix(_CURSOR_PREFIX)
    if not text.startswith(_CURSOR_PREFIX) or not _RECORD_ID.fullmatch(record_id):
        raise _invalid("The cursor is not valid.", "invalid_cursor")
    return record_id


def parse_limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    digits = raw.lstrip("0") if raw.isascii() and raw.isdigit() else ""
    if not digits:
        raise _invalid(f"limit must be an integer from 1 to {MAX_LIMIT}.", "invalid_limit")
    return MAX_LIMIT if len(digits) > 4 else min(int(digits), MAX_LIMIT)


def matching_values(raw: str) -> list[Any]:
    """The stored values a query-string value matches (see the module docstring)."""
    values: list[Any] = [raw]
    number = _NUMBER.fullmatch(raw)
    if number and len(raw) <= 30:
        value = float(raw) if number["frac"] or number["exp"] else int(raw)
        if isinstance(value, int) or math.isfinite(value):
            values.append(value)
    if raw in ("true", "false"):
        values.append(raw == "true")
    return values


def _filter_name(name: str) -> str:
    try:
        check_key(name)
    except InvalidInput as exc:
        raise _invalid(exc.message, "invalid_filter") from exc
    if name in RESERVED_KEYS:
        raise _invalid(f"Records cannot be filtered by {name!r}.", "invalid_filter")
    return name


def parse(params: Mapping[str, list[str]]) -> PageQuery:
    """A validated list query from ``{name: [values]}``, as
    ``dict(request.query_params.lists())`` gives it."""
    repeated = sorted(name for name, values in params.items() if len(values) != 1)
    if repeated:
        raise _invalid(f"Give each parameter once: {', '.join(repeated)}.", "invalid_query")
    single = {name: values[0] for name, values in params.items()}
    names = [n for n in single if n not in CONTROL_PARAMS]
    if len(names) > MAX_FILTERS:
        raise _invalid(f"At most {MAX_FILTERS} filters.", "invalid_filter")
    cursor = single.get("cursor")
    return PageQuery(
        limit=parse_limit(single.get("limit")),
        before=decode_cursor(cursor) if cursor is not None else None,
        filters={_filter_name(n): matching_values(single[n]) for n in names},
    )
