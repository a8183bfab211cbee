"""One declared step of an org operation (organizations.orgs.orgstate declares the operations)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One idempotent step: its failpoint is ``<operation>.<name>``, hit once it is done."""

    name: str
    forward: str
    interrupted: str  # what recovery does with an operation stopped right after this step
