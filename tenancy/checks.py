"""Django system checks: a misconfigured MongoDB setting is reported at start-up."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.core.checks import Warning as CheckWarning

from kernel.errors import Unavailable
from tenancy import placement, privileges
from tenancy.stores.client import engine


@register()
def check_mongo_settings(app_configs, **kwargs):
    errors = []
    try:
        engine()
    except ValueError as exc:
        errors.append(
            Error(
                str(exc),
                hint="Use mongodb://, mongodb+srv://, mongomock:// or leave "
                "MONGO_URL unset for the embedded store.",
                id="tenancy.E001",
            )
        )
    name = settings.MASTER_DB_NAME
    if not name or any(ch in name for ch in '/\\. "$\x00'):
        errors.append(
            Error(f"MASTER_DB_NAME {name!r} is not a valid database name.", id="tenancy.E002")
        )
    return errors


@register()
def check_placements(app_configs, **kwargs):
    """ORG_PLACEMENTS names known placements and includes ORG_PLACEMENT."""
    unknown = [p for p in settings.ORG_PLACEMENTS if p not in placement.PLACEMENTS]
    if unknown or settings.ORG_PLACEMENT not in settings.ORG_PLACEMENTS:
        return [
            Error(
                f"ORG_PLACEMENTS {settings.ORG_PLACEMENTS!r} must list only "
                f"{', '.join(placement.PLACEMENTS)} and include ORG_PLACEMENT "
                f"{settings.ORG_PLACEMENT!r}.",
                id="tenancy.E003",
            )
        ]
    return []


@register()
def check_privileges(app_configs, **kwargs):
    """On a real MongoDB, the connected user holds every privilege the enabled placements need
    (tenancy.privileges); litemongo and mongomock have no users and are skipped."""
    try:
        if engine() != "mongodb":
            return []
        missing = privileges.missing_privileges(max_age=0)
    except (ValueError, Unavailable) as exc:
        return [CheckWarning(f"Could not check MongoDB privileges: {exc}", id="tenancy.W001")]
    if not missing:
        return []
    return [
        Error(
            f"The MongoDB user lacks privileges the enabled placements "
            f"({', '.join(placement.enabled())}) need: {'; '.join(missing)}.",
            hint="Grant the roles of the README (MongoDB user and roles), or narrow "
            "ORG_PLACEMENTS.",
            id="tenancy.E004",
        )
    ]
