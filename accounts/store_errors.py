"""The errors clients see for tenancy's storage signals (tenancy.signals): the one mapping.

accounts is the lowest app layer, so organizations uses this too. Wrap a service (``@api_errors()``)
or a block (``with api_errors():``) that calls tenancy; a signal leaves as an AppError chained
``from`` it, with the status, code and wording of the wire contract.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kernel.errors import AlreadyExists, AppError, Conflict, InvalidInput
from tenancy.signals import BadCursor, PlacementNotEnabled, Refused, Taken, UnknownPlacement

SIGNALS = (Taken, BadCursor, UnknownPlacement, PlacementNotEnabled, Refused)
_TAKEN = {
    Taken.EMAIL: ("This email is already registered.", "email_taken"),
    Taken.ORG_NAME: ("An organization with this name exists.", "org_name_taken"),
}


def api_error(signal: Exception) -> AppError:
    """The client-facing error for one storage signal."""
    if isinstance(signal, Taken):
        message, code = _TAKEN[signal.what]
        return AlreadyExists(message, code=code)
    if isinstance(signal, BadCursor):
        return InvalidInput("The cursor is not valid.", code="invalid_cursor")
    if isinstance(signal, UnknownPlacement):
        known = ", ".join(signal.known)
        return InvalidInput(f"The placement must be one of {known}.", code="invalid_placement")
    if isinstance(signal, PlacementNotEnabled):
        enabled = ", ".join(signal.enabled)
        return InvalidInput(
            f"The placement {signal.value} is not enabled here (ORG_PLACEMENTS: {enabled}).",
            code="placement_not_enabled",
        )
    if isinstance(signal, Refused):
        return Conflict(f"The server refused: {signal.reason}", code="shard_setup_refused")
    raise TypeError(f"Not a storage signal: {signal!r}")


@contextmanager
def api_errors() -> Iterator[None]:
    """Re-raise any storage signal of SIGNALS as its client-facing error."""
    try:
        yield
    except SIGNALS as exc:
        raise api_error(exc) from exc
