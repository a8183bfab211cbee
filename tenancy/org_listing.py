"""Org listings for the staff panel: a slug-prefix filter and a sort, both on indexes, paged with
skip/limit, so a page of 10,000 orgs never reads more than that page's documents."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING

from tenancy.documents import Org
from tenancy.driver_errors import translate
from tenancy.indexes import ORGS
from tenancy.names import slug_text
from tenancy.stores.client import master_db

# Sort keys staff may ask for, each backed by an index (slug_unique, created_at).
SORTS = {"slug": [("slug",)], "created_at": [("created_at",), ("_id",)]}


def slug_prefix(text: str) -> str:
    """What a search text is as the start of a slug, by the slug rules of tenancy.names: accents
    dropped, lower-cased, other runs of characters made one hyphen. "Café Zü" -> "cafe-zu"."""
    return slug_text(text)


def _query(prefix: str) -> dict[str, Any]:
    # The prefix holds only [a-z0-9-]: a range on the unique slug index, no regex.
    return {"slug": {"$gte": prefix, "$lt": prefix + "\uffff"}} if prefix else {}


def page(
    *,
    prefix: str = "",
    sort: str = "slug",
    descending: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> list[Org]:
    """Orgs whose slug starts with ``prefix``, sorted by ``sort`` (a key of SORTS)."""
    direction = DESCENDING if descending else ASCENDING
    order = [(field, direction) for (field,) in SORTS[sort]]
    with translate():
        cursor = _orgs().find(_query(prefix)).sort(order).skip(offset).limit(limit)
        return [Org.from_doc(d) for d in cursor]


def count(*, prefix: str = "") -> int:
    """How many orgs have a slug starting with ``prefix``."""
    with translate():
        return _orgs().count_documents(_query(prefix))


def _orgs():
    return master_db()[ORGS]
