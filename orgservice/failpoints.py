"""Failpoints: die at a named step (``os._exit``, no cleanup) to prove crash recovery.

Arm them with ``ORGSERVICE_FAILPOINTS=rename.collection_renamed,...``. Unarmed, a hit costs one
environment lookup. Names are ``<operation>.<step>``; the step is the one just completed.
"""

from __future__ import annotations

import os

EXIT_CODE = 86
ENV_VAR = "ORGSERVICE_FAILPOINTS"

NAMES: tuple[str, ...] = (
    "create.slug_claimed",
    "create.org_inserted",
    "create.admin_inserted",
    "create.collection_created",
    "create.org_activated",
    "rename.slug_claimed",
    "rename.intent_recorded",
    "rename.collection_renamed",
    "rename.metadata_updated",
    "rename.old_slug_released",
    "delete.intent_recorded",
    "delete.admins_removed",
    "delete.batch_removed",  # shared placement only: after each batch of the org's records
    "delete.collection_dropped",  # every placement: all the org's records are gone
    "delete.org_removed",
    "delete.slugs_released",
    "move.intent_recorded",
    "move.batch_copied",
    "move.copied",
    "move.verified",
    "move.switched",
    "move.source_removed",
)


def hit(name: str) -> None:
    """Exit the process at once if ``name`` is armed."""
    armed = os.environ.get(ENV_VAR)
    if armed and name in armed.split(","):
        os._exit(EXIT_CODE)
