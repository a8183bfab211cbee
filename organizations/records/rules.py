"""What a record may look like: a JSON object with safe keys, bounded depth and size.

Refused, with InvalidInput (400) and nothing written: a body that is not an object; a key that
is empty, starts with ``$`` or contains ``.`` or NUL, at any depth (MongoDB would read such keys
as operators or paths); nesting deeper than ``MAX_DEPTH`` (the record itself is level 1, each
nested object or array one more); integers outside BSON's 64-bit range; non-finite numbers; a
record whose compact UTF-8 JSON encoding exceeds ``settings.RECORD_MAX_BYTES``; and the
server-owned top-level keys ``_id``, ``id``, ``created_at``, ``updated_at``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.conf import settings

from kernel.errors import InvalidInput

MAX_DEPTH = 32
BULK_MAX = 1000
RESERVED_KEYS = frozenset({"_id", "id", "created_at", "updated_at"})
_INT64 = (-(2**63), 2**63 - 1)


def _refuse(message: str, code: str = "invalid_record") -> InvalidInput:
    return InvalidInput(message, code=code)


def check_key(key: object) -> str:
    """A field name that is safe to store and to query; raises InvalidInput otherwise."""
    if not isinstance(key, str) or not key:
        raise _refuse("Field names must be non-empty strings.", "invalid_key")
    if key.startswith("$") or "." in key or "\x00" in key:
        raise _refuse(
            f"Field name {key!r} may not start with '$' or contain '.' or NUL.", "invalid_key"
        )
    return key


def _check_scalar(value: object) -> None:
    if isinstance(value, bool | str) or value is None:
        return
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise _refuse("Integers must fit in 64 bits.")
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _refuse("Numbers must be finite.")
        return
    raise _refuse("Values must be JSON values.")


def _check_tree(root: dict) -> None:
    # Iterative walk: a hostile body cannot exhaust the interpreter's stack.
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list) and depth > MAX_DEPTH:
            raise _refuse(f"Records may nest at most {MAX_DEPTH} levels deep.", "too_deep")
        if isinstance(value, dict):
            for key, child in value.items():
                check_key(key)
                stack.append((child, depth + 1))
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value)
        else:
            _check_scalar(value)


def _check_size(data: dict) -> None:
    limit = settings.RECORD_MAX_BYTES
    size = len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
    if size > limit:
        raise _refuse(f"A record may be at most {limit} bytes of JSON.", "record_too_large")


def clean_record(data: object) -> dict[str, Any]:
    """The record as it will be stored; raises InvalidInput for every refused shape."""
    if type(data) is not dict:  # a form's QueryDict (or no body at all) is not a record
        raise _refuse("A record must be a JSON object.")
    reserved = sorted(RESERVED_KEYS & set(data))
    if reserved:
        raise _refuse(
            f"These fields are set by the server: {', '.join(reserved)}.", "reserved_field"
        )
    _check_tree(data)
    _check_size(data)
    return data


def clean_bulk(body: object) -> list[dict[str, Any]]:
    """``{"records": [...]}`` with 1 to BULK_MAX valid records; all are checked before any is
    written, and the error names the first refused record's index."""
    if not isinstance(body, dict) or set(body) != {"records"}:
        raise _refuse('The body must be {"records": [...]}.')
    items = body["records"]
    if not isinstance(items, list) or not 1 <= len(items) <= BULK_MAX:
        raise _refuse(f"records must be a list of 1 to {BULK_MAX} records.", "invalid_bulk")
    for index, item in enumerate(items):
        try:
            clean_record(item)
        except InvalidInput as exc:
            raise InvalidInput(
                exc.message, code=exc.code, fields={f"records[{index}]": [exc.message]}
            ) from exc
    return items
