"""Name rules: display names, slugs and the collection names derived from them.

A display name is kept as given (trimmed, 1-100 characters, no control characters, no ``$``).
Its slug is the URL and collection key: Unicode is decomposed (NFKD) and accents are dropped, so
"Café Zürich" becomes ``cafe-zurich``; every other run of characters that are not ASCII letters
or digits becomes one hyphen. A name whose slug would be shorter than 3 characters (e.g. a name
written only in a non-Latin script) is refused: we never invent an opaque slug for it, because
the slug is how people address their org. Collection names are ``org_<slug>``, computed once at
creation or rename and stored in the org's record, never recomputed from a display name.
"""

from __future__ import annotations

import re
import unicodedata

from orgservice.errors import InvalidInput

NAME_MAX = 100
SLUG_MIN = 3
SLUG_MAX = 63
COLLECTION_PREFIX = "org_"
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
        "root",
        "static",
        "system",
        "undefined",
    }
)
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


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
    if name.lower().startswith("system."):
        raise InvalidInput("Names starting with 'system.' are reserved.", code="reserved_name")
    return name


def slugify(name: str) -> str:
    """The slug for a cleaned display name; raises InvalidInput if no safe slug results."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", ascii_name.lower()).strip("-")
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


def is_slug(value: str) -> bool:
    """Whether ``value`` has a slug's shape (for URL lookups; no database access)."""
    return SLUG_MIN <= len(value) <= SLUG_MAX and bool(_SLUG.match(value))


def collection_for(slug: str) -> str:
    """The tenant collection for a validated slug."""
    if not is_slug(slug):
        raise InvalidInput("Not a valid slug.", code="invalid_slug")
    return COLLECTION_PREFIX + slug


def is_tenant_collection(name: str) -> bool:
    """Whether a collection name is one of ours (``org_<slug>``)."""
    return name.startswith(COLLECTION_PREFIX) and is_slug(name[len(COLLECTION_PREFIX) :])
