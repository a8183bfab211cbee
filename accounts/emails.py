"""Email addresses as the service stores and compares them: one mailbox, one canonical form."""

from __future__ import annotations

import unicodedata

import idna
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from kernel.errors import InvalidInput
from kernel.invisible import has_invisible

MAX_LENGTH = 254


def _invalid() -> InvalidInput:
    return InvalidInput("Enter a valid email address.", code="invalid_email")


def _canonical_domain(domain: str) -> tuple[str, str]:
    """The domain as IDNA A-label (ASCII, for validation) and U-label (stored); UTS #46 maps
    full-width and compatibility forms, so "ｅxample.com" is "example.com"."""
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode("ascii")
        return ascii_domain, idna.decode(ascii_domain)
    except (idna.IDNAError, UnicodeError) as exc:
        raise _invalid() from exc


def normalize_email(raw: object) -> str:
    """The canonical form of an email; raises InvalidInput (``invalid_email``, or
    ``email_invisible_characters`` for format characters such as a soft hyphen or a zero-width
    space) when it is not one.

    Two spellings of one mailbox are one account: the address is NFKC-normalised (full-width and
    compatibility characters become their plain forms) and lower-cased (virtually every mail
    provider treats case so, and users expect it at login), and the domain is put in its IDNA
    form, stored as Unicode (``bücher.example`` and ``xn--bcher-kva.example`` are one domain).
    """
    if not isinstance(raw, str):
        raise InvalidInput("The email must be a string.", code="invalid_email")
    if has_invisible(raw):
        raise InvalidInput(
            "The email may not contain invisible or format characters.",
            code="email_invisible_characters",
        )
    email = unicodedata.normalize("NFKC", raw).strip().lower()
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain or len(email) > MAX_LENGTH:
        raise _invalid()
    ascii_domain, unicode_domain = _canonical_domain(domain)
    try:
        validate_email(f"{local}@{ascii_domain}")
    except ValidationError as exc:
        raise _invalid() from exc
    return f"{local}@{unicode_domain}"
