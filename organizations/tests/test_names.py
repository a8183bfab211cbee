"""Name and slug rules."""

import pytest

from kernel.errors import InvalidInput
from organizations.orgs.name_rules import clean_name, slugify
from tenancy.names import collection_for, is_tenant_collection


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Acme Corp", "acme-corp"),
        ("  Acme   Corp  ", "acme-corp"),
        ("Café Zürich", "cafe-zurich"),
        ("ACME_corp!!", "acme-corp"),
        ("x" * 63, "x" * 63),
    ],
)
def test_slug_is_lowercase_ascii_with_hyphens(name, slug):
    assert slugify(clean_name(name)) == slug


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "ab",
        "東京",
        "a$b corp",
        "acme\x00corp",
        "system.users",
        "admin",
        "x" * 64,
        "x" * 101,
    ],
)
def test_unsafe_or_unsluggable_names_are_refused(name):
    with pytest.raises(InvalidInput):
        slugify(clean_name(name))


@pytest.mark.parametrize("value", [None, 12, {"$ne": None}, ["a"]])
def test_names_must_be_strings(value):
    with pytest.raises(InvalidInput):
        clean_name(value)


def test_display_name_is_kept_as_given_but_trimmed():
    assert clean_name("  Café Zürich ") == "Café Zürich"


def test_collection_names_come_only_from_valid_slugs():
    assert collection_for("acme-corp") == "org_acme-corp"
    assert is_tenant_collection("org_acme-corp")
    assert not is_tenant_collection("organizations")
    with pytest.raises(ValueError):
        collection_for("Acme Corp")
