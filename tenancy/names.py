"""Slug characters and the tenant collection names derived from slugs (``org_<slug>``).

Collection names are computed once at creation or rename and stored in the org's record, never
recomputed from a display name. Which display names are accepted is organizations.orgs.name_rules.
"""

from __future__ import annotations

import re
import unicodedata

SLUG_MIN = 3
SLUG_MAX = 63
COLLECTION_PREFIX = "org_"
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def slug_text(text: str) -> str:
    """Text as slug characters: accents dropped, lower-cased, other runs made one hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")


def is_slug(value: str) -> bool:
    """Whether ``value`` has a slug's shape (for URL lookups; no database access)."""
    return SLUG_MIN <= len(value) <= SLUG_MAX and bool(_SLUG.match(value))


def collection_for(slug: str) -> str:
    """The tenant collection for a validated slug; ValueError for anything else."""
    if not is_slug(slug):
        raise ValueError(f"Not a valid slug: {slug!r}")
    return COLLECTION_PREFIX + slug


def is_tenant_collection(name: str) -> bool:
    """Whether a collection name is one of ours (``org_<slug>``)."""
    return name.startswith(COLLECTION_PREFIX) and is_slug(name[len(COLLECTION_PREFIX) :])
