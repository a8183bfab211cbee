"""Django system checks: a misconfigured MongoDB setting is reported at start-up."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

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
