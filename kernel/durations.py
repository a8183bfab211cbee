"""Durations in settings: whole seconds, or a number with a unit (``90s``, ``15m``, ``12h``,
``30d``, ``2w``)."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"(\d{1,9})\s*([smhdw]?)")


def seconds(value: object) -> int:
    """Whole seconds of ``value``: an int, a timedelta, or text such as ``3600`` or ``7d``.
    Raises ValueError for anything else (negative, fractional, unknown unit)."""
    if isinstance(value, timedelta):
        total = value.total_seconds()
        if total < 0 or total != int(total):
            raise ValueError(f"not a whole, non-negative duration: {value!r}")
        return int(total)
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(f"negative duration: {value!r}")
        return value
    match = _DURATION.fullmatch(value.strip().lower()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"not a duration (seconds, or a number with s, m, h, d or w): {value!r}")
    return int(match.group(1)) * _UNITS[match.group(2) or "s"]
