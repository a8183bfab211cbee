"""System checks refusing unsafe production settings; also run when a gunicorn worker boots."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.checks import Error, Tags, register, run_checks
from django.core.exceptions import ImproperlyConfigured

STARTUP = "startup"
MIN_LENGTH = 50
MIN_DISTINCT = 5
_PLACEHOLDERS = (
    "change-me",
    "changeme",
    "django-insecure",
    "replace-me",
    "your-secret",
    "placeholder",
    "example",
)


def weakness(key: object) -> str | None:
    """Why ``key`` is unfit to sign anything in production, or None when it is fit."""
    if not isinstance(key, str) or len(key) < MIN_LENGTH:
        return f"shorter than {MIN_LENGTH} characters"
    if len(set(key)) < MIN_DISTINCT:
        return f"fewer than {MIN_DISTINCT} distinct characters"
    if any(marker in key.lower() for marker in _PLACEHOLDERS):
        return "a known placeholder"
    return None


@register(Tags.security, STARTUP)
def check_secret_keys(app_configs, **kwargs) -> list[Error]:
    """With DEBUG off, SECRET_KEY and JWT_SIGNING_KEY must be long and random."""
    if settings.DEBUG:
        return []
    errors = []
    keys = (("SECRET_KEY", "orgservice.E001"), ("JWT_SIGNING_KEY", "orgservice.E002"))
    for name, check_id in keys:
        reason = weakness(getattr(settings, name, settings.SECRET_KEY))
        if reason:
            errors.append(
                Error(
                    f"{name} is {reason}; refusing to run with DEBUG off.",
                    hint=f'Set {name} to a random value, e.g. python -c "import secrets; '
                    'print(secrets.token_urlsafe(50))".',
                    id=check_id,
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_separate_keys(app_configs, **kwargs) -> list[checks.Warning]:
    """``check --deploy`` warns when one secret serves two purposes: whoever learns SECRET_KEY
    (sessions, CSRF, password-reset links) could then also forge API tokens, and the other way
    round."""
    if settings.JWT_SIGNING_KEY != settings.SECRET_KEY:
        return []
    return [
        checks.Warning(
            "JWT_SIGNING_KEY equals SECRET_KEY: one leaked secret would forge both sessions and "
            "API tokens.",
            hint="Set JWT_SIGNING_KEY to its own random value; to keep issued tokens working, "
            "list the old value in JWT_PREVIOUS_SIGNING_KEYS until they expire.",
            id="orgservice.W001",
        )
    ]


def refuse_unsafe_start() -> None:
    """Raise ImproperlyConfigured when a start-up check fails. gunicorn's worker then fails to
    boot and the arbiter exits: the service does not start on unsafe settings."""
    errors = [e for e in run_checks(tags=[STARTUP]) if e.is_serious()]
    if errors:
        raise ImproperlyConfigured("; ".join(f"{e.id}: {e.msg}" for e in errors))
