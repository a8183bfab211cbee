"""Email addresses as the service stores and compares them (trimmed, lower-cased)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from orgservice.errors import InvalidInput

MAX_LENGTH = 254


def normalize_email(raw: object) -> str:
    """The canonical form of an email; raises InvalidInput when it is not one.

    The whole address is lower-cased: two addresses that differ only in case are one account
    (virtually every mail provider treats them so, and users expect it at login).
    """
    if not isinstance(raw, str):
        raise InvalidInput("The email must be a string.", code="invalid_email")
    email = raw.strip().lower()
    if not email or len(email) > MAX_LENGTH:
        raise InvalidInput("Enter a valid email address.", code="invalid_email")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput("Enter a valid email address.", code="invalid_email") from exc
    return email
