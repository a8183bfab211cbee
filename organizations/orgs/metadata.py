"""Org metadata: the small JSON object owners attach to their org, what it may hold, who sees it.

At most ``MAX_BYTES`` of compact JSON, nested at most ``MAX_DEPTH`` levels (the object itself is
level 1; each nested object or array one more), every key at every level matching ``[a-z0-9_]+``
(so no ``$``, ``.`` or NUL reaches MongoDB as a field name), values JSON only (finite numbers).
Only the org's members see it: the org's public GETs (``/org/get``, ``GET /api/v1/orgs/<slug>/``
without the org's token) leave it out.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from kernel.errors import Busy, InvalidInput, NotFound
from tenancy import audit, orgs
from tenancy.documents import CREATING, DELETING, ROLES, Org

MAX_BYTES = 4096
MAX_DEPTH = 3
KEY = re.compile(r"[a-z0-9_]+")
_SCALARS = (str, bool, int, type(None))


def _problems(value: Any, path: str, depth: int) -> list[str]:
    if isinstance(value, float):
        return [] if math.isfinite(value) else [f"{path}: numbers must be finite."]
    if isinstance(value, _SCALARS):
        return []
    if not isinstance(value, (dict, list)):
        return [f"{path}: not a JSON value."]
    if depth > MAX_DEPTH:
        return [f"{path}: nested deeper than {MAX_DEPTH} levels."]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _problems(v, f"{path}[{i}]", depth + 1)]
    found = []
    for key, item in value.items():
        if not isinstance(key, str) or not KEY.fullmatch(key):
            found.append(f"{path}: key {key!r} must match [a-z0-9_]+ (no '$', '.', capitals).")
        else:
            found += _problems(item, f"{path}.{key}", depth + 1)
    return found


def check(value: object) -> dict[str, Any]:
    """The metadata if it follows the rules; InvalidInput (``invalid_metadata``, with the
    problems under ``fields.metadata``) otherwise."""
    if not isinstance(value, dict):
        problems = ["Must be a JSON object."]
    else:
        problems = _problems(value, "metadata", 1)
        size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
        if not problems and size > MAX_BYTES:
            problems = [f"{size} bytes of JSON; at most {MAX_BYTES}."]
    if problems:
        raise InvalidInput(
            "Invalid metadata.", code="invalid_metadata", fields={"metadata": problems[:10]}
        )
    return value


def organization_set_metadata(
    *, org_id: str, metadata: object, actor: str | None = None, ip: str | None = None
) -> Org:
    """Replace the org's metadata (owners only: the caller checks the role). Raises
    InvalidInput (nothing changed), NotFound, Busy (``org_busy``: an operation is in flight)."""
    value = check(metadata)
    org = orgs.set_metadata(org_id, value)
    if org is None:
        current = orgs.get(org_id)
        if current is None or current.status in (CREATING, DELETING):
            raise NotFound("Organization not found.", code="org_not_found")
        raise Busy("An operation on this organization is in progress; retry shortly.")
    audit.record("org_metadata_set", org_id=org.id, actor=actor, ip=ip, keys=sorted(value))
    return org


def visible_to(principal: object, org: Org) -> bool:
    """Whether ``principal`` may read the org's metadata: a member of it with a valid role."""
    return (
        getattr(principal, "org_id", None) == org.id and getattr(principal, "role", None) in ROLES
    )
