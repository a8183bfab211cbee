"""Org name rules: which display names are accepted, and the slug each one gets.

A display name is kept as given (trimmed, 1-100 characters, no control characters, no ``$``).
Its slug is the URL and collection key: Unicode is decomposed (NFKD) and accents are dropped, so
"Café Zürich" becomes ``cafe-zurich``; every other run of characters that are not ASCII letters
or digits becomes one hyphen. A name whose slug would be shorter than 3 characters (e.g. a name
written only in a non-Latin script) is refused: we never invent an opaque slug for it, because
the slug is how people address their org. Names that could impersonate another are refused:
format and invisible characters (bidi overrides, zero-width spaces, soft hyphens), and letters or
digits that the slug would silently drop, other than the European Latin letters without an ASCII
form such as "ß" ("RТ Zürich" with a Cyrillic "Т" would otherwise display as "RT Zürich" under a
different slug). The slug's characters and the collection name
derived from it are storage's (tenancy.names).
"""

from __future__ import annotations

import unicodedata

from kernel.errors import InvalidInput
from kernel.invisible import has_invisible
from tenancy.names import SLUG_MAX, SLUG_MIN, slug_text

NAME_MAX = 100
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "auth",
        "config",
        "local",
        "master",
        "new",
        "null",
        "org",
        "orgs",
        "restore",  # POST /api/v1/orgs/restore/ (organizations.orgs.restore_views)
        "root",
        "static",
        "system",
        "undefined",
    }
)
_EUROPEAN_LATIN_FIRST, _EUROPEAN_LATIN_LAST = 0x00C0, 0x017F


def clean_name(raw: object) -> str:
    """The display name as stored: trimmed; raises InvalidInput for anything unsafe."""
    if not isinstance(raw, str):
        raise InvalidInput("The organization name must be a string.", code="invalid_name")
    name = raw.strip()
    if not name or len(name) > NAME_MAX:
        raise InvalidInput(
            f"The organization name must have 1 to {NAME_MAX} characters.", code="invalid_name"
        )
    if "$" in name or any(unicodedata.category(ch) == "Cc" for ch in name):
        raise InvalidInput(
            "The organization name may not contain '$' or control characters.",
            code="invalid_name",
        )
    if has_invisible(name):
        raise InvalidInput(
            "The organization name may not contain invisible or text-direction characters.",
            code="name_invisible_characters",
        )
    _refuse_mixed_script(name)
    if name.lower().startswith("system."):
        raise InvalidInput("Names starting with 'system.' are reserved.", code="reserved_name")
    return name


def _survives_slug(ch: str) -> bool:
    """Whether a letter or digit of a decomposed name is kept by the slug, or is one of the
    European Latin letters without an ASCII form (Latin-1 Supplement and Latin Extended-A: "ß",
    "ø", "ł", "ı"...), which the slug drops as it always has."""
    return ch.isascii() or (_EUROPEAN_LATIN_FIRST <= ord(ch) <= _EUROPEAN_LATIN_LAST)


def _refuse_mixed_script(name: str) -> None:
    """Refuse letters and digits the slug would drop (other scripts, IPA letters, small capitals,
    non-ASCII digits): a lookalike ("RТ" with a Cyrillic "Т") would display as another org's
    name under a different slug."""
    for ch in unicodedata.normalize("NFKD", name):
        if unicodedata.category(ch)[0] in "LN" and not _survives_slug(ch):
            raise InvalidInput(
                "The organization name may use only Latin letters (accents allowed) and digits;"
                f" U+{ord(ch):04X} {unicodedata.name(ch, '')} is not one.",
                code="name_mixed_script",
            )


def slugify(name: str) -> str:
    """The slug for a cleaned display name; raises InvalidInput if no safe slug results."""
    slug = slug_text(name)
    if len(slug) < SLUG_MIN:
        raise InvalidInput(
            "The organization name needs at least 3 Latin letters or digits.",
            code="invalid_name",
        )
    if len(slug) > SLUG_MAX:
        raise InvalidInput(
            f"The organization name gives a slug over {SLUG_MAX} characters.", code="invalid_name"
        )
    if slug in RESERVED_SLUGS:
        raise InvalidInput(f"The name {slug!r} is reserved.", code="reserved_name")
    return slug
