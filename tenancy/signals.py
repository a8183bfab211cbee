"""Storage-level refusals that the services turn into the errors clients see.

tenancy says what happened in storage terms; the app layers choose the status, code and wording
(accounts.store_errors). Only a lost database stays a kernel error (tenancy.driver_errors).
"""

from __future__ import annotations


class OrgNotActive(Exception):
    """The org is being renamed, moved or deleted: its records take no writes now."""


class OrgGone(Exception):
    """The org was deleted while a write ran; the written documents were removed again."""


class Taken(Exception):
    """A unique value is held by another document: ``what`` is EMAIL or ORG_NAME."""

    EMAIL = "email"
    ORG_NAME = "org_name"

    def __init__(self, what: str):
        super().__init__(f"The {what} is taken.")
        self.what = what


class BadCursor(Exception):
    """A page cursor that names no stored record id."""


class UnknownPlacement(Exception):
    """A placement name that is not one of ``known``."""

    def __init__(self, value: object, known: tuple[str, ...]):
        super().__init__(f"Unknown placement {value!r}.")
        self.value, self.known = value, known


class PlacementNotEnabled(Exception):
    """A known placement this deployment does not allow (only ``enabled`` are)."""

    def __init__(self, value: str, enabled: tuple[str, ...]):
        super().__init__(f"Placement {value!r} is not enabled.")
        self.value, self.enabled = value, enabled


class Refused(Exception):
    """The server refused an administrative step; ``reason`` is what it said."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
