"""Staff listings of orgs: search text as a slug prefix, index-backed sorts, skip/limit pages."""

from __future__ import annotations

import pytest

from tenancy import org_listing


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        ("Café Zü", "cafe-zu"),
        ("  ACME  corp ", "acme-corp"),
        ("acme-", "acme"),
        ("日本", ""),
        ('{"$ne": null}', "ne-null"),
        ("a.b*c", "a-b-c"),
    ],
)
def test_a_search_text_becomes_the_start_of_a_slug(text, prefix):
    assert org_listing.slug_prefix(text) == prefix


def test_pages_count_and_sort_on_a_slug_prefix(backend, make_org):
    for name in ("Acme One", "Acme Two", "Acme Three", "Globex"):
        make_org(name)
    assert org_listing.count(prefix="acme") == 3
    assert org_listing.count() == 4
    slugs = [o.slug for o in org_listing.page(prefix="acme", offset=1, limit=1)]
    assert slugs == ["acme-three"]
    newest = org_listing.page(sort="created_at", descending=True, limit=2)
    assert [o.slug for o in newest] == ["globex", "acme-three"]
