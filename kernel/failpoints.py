"""Failpoints: die at a named step (``os._exit``, no cleanup) to prove crash recovery.

Arm them with ``ORGSERVICE_FAILPOINTS=rename.collection_renamed,...``. Unarmed, a hit costs one
environment lookup. Names are ``<operation>.<step>``; the step is the one just completed.
Step hooks (``add_hook``) hear every hit and every ``reached`` pause point first: tests use them to
pause an operation after a step (on an event they hold) or to stop it there in-process.
"""

from __future__ import annotations

import os
from collections.abc import Callable

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
    # Standing changes (organizations.orgs.standing): records never move.
    "suspend.status_set",
    "suspend.audited",
    "suspend.settled",
    "resume.status_set",
    "resume.audited",
    "resume.settled",
    "soft_delete.status_set",
    "soft_delete.audited",
    "soft_delete.settled",
    "restore.status_set",
    "restore.audited",
    "restore.settled",
)


# Points where a step hook may pause reconcile; never armed to exit (not crash points).
PAUSE_POINTS: tuple[str, ...] = ("reconcile.orgs_read", "reconcile.locations_listed")

_hooks: list[Callable[[str], None]] = []


def add_hook(hook: Callable[[str], None]) -> None:
    """Call ``hook(name)`` after every step from now on (tests: pause or stop there)."""
    _hooks.append(hook)


def remove_hook(hook: Callable[[str], None]) -> None:
    if hook in _hooks:
        _hooks.remove(hook)


def reached(name: str) -> None:
    """Tell the step hooks that ``name`` (a pause point) was reached."""
    for hook in list(_hooks):
        hook(name)


def hit(name: str) -> None:
    """Tell the step hooks, then exit the process at once if ``name`` is armed."""
    reached(name)
    armed = os.environ.get(ENV_VAR)
    if armed and name in armed.split(","):
        os._exit(EXIT_CODE)
