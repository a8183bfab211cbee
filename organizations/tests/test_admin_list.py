"""The admin panel's list of organizations: search, sort and pagination, validated and paged
on indexes (a page of 10,000 orgs reads only its own documents)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tenancy import documents
from tenancy.documents import new_id, utcnow
from tenancy.indexes import ORGS
from tenancy.stores.client import master_db

LIST = reverse("admin:organizations_organization_changelist")


def _names(response) -> list[str]:
    assert response.status_code == 200
    rows = r'<th class="field-name"><a href="[^"]+">([^<]+)</a>'
    return re.findall(rows, response.content.decode())


@pytest.fixture
def three(make_org):
    made = [make_org(name)[0] for name in ("Zeta Labs", "Café Zürich", "Acme Corp")]
    return made


def test_the_list_shows_every_org_sorted_by_slug(staff_client, three):
    assert _names(staff_client.get(LIST)) == ["Acme Corp", "Café Zürich", "Zeta Labs"]


def test_search_matches_a_name_prefix_whatever_its_case_and_accents(staff_client, three):
    assert _names(staff_client.get(LIST, {"q": "CAFÉ zü"})) == ["Café Zürich"]
    assert _names(staff_client.get(LIST, {"q": "cafe-zur"})) == ["Café Zürich"]
    assert _names(staff_client.get(LIST, {"q": "ze"})) == ["Zeta Labs"]


def test_search_by_an_admins_email_finds_exactly_that_admins_org(staff_client, make_org, three):
    make_org("Globex", email="hank@globex.example")
    assert _names(staff_client.get(LIST, {"q": " Hank@Globex.example "})) == ["Globex"]
    assert _names(staff_client.get(LIST, {"q": "hank@globex"})) == []
    assert _names(staff_client.get(LIST, {"q": "nobody@globex.example"})) == []


def test_a_search_with_no_latin_letter_or_digit_matches_nothing(staff_client, three):
    assert _names(staff_client.get(LIST, {"q": "日本"})) == []
    assert _names(staff_client.get(LIST, {"q": "{$ne: null}"})) == []


def test_sort_by_slug_or_creation_either_way_and_an_unknown_sort_falls_back_to_slug(
    staff_client, three
):
    assert _names(staff_client.get(LIST, {"sort": "-slug"})) == [
        "Zeta Labs",
        "Café Zürich",
        "Acme Corp",
    ]
    assert _names(staff_client.get(LIST, {"sort": "created_at"})) == [
        "Zeta Labs",
        "Café Zürich",
        "Acme Corp",
    ]
    assert _names(staff_client.get(LIST, {"sort": "-created_at"})) == [
        "Acme Corp",
        "Café Zürich",
        "Zeta Labs",
    ]
    for bad in ("name", "password_hash", "$where", ""):
        assert _names(staff_client.get(LIST, {"sort": bad})) == [
            "Acme Corp",
            "Café Zürich",
            "Zeta Labs",
        ]


def _insert_orgs(count: int) -> None:
    now = utcnow()
    master_db()[ORGS].insert_many(
        {
            "_id": new_id(),
            "name": f"Org {i:05d}",
            "slug": f"org-{i:05d}",
            "collection": f"org_org-{i:05d}",
            "status": "active",
            "pending": None,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(count)
    )


def test_a_page_of_ten_thousand_orgs_reads_only_that_pages_documents(
    staff_client, disk, monkeypatch
):
    # On litemongo (the default store): mongomock checks a unique index in O(n) per insert.
    _insert_orgs(10_000)
    built = []
    original = documents.Org.from_doc.__func__

    def counting(cls, doc):
        built.append(1)
        return original(cls, doc)

    monkeypatch.setattr(documents.Org, "from_doc", classmethod(counting))
    response = staff_client.get(LIST, {"p": "120"})
    assert _names(response)[0] == "Org 05950" and len(_names(response)) == 50
    assert "Page 120 of 200" in response.content.decode()
    assert len(built) == 50


def test_a_bad_page_number_shows_the_first_page_and_one_past_the_end_the_last(staff_client):
    _insert_orgs(120)
    for bad in ("abc", "0", "-3", "1.5", "９", "9" * 5000, ""):
        response = staff_client.get(LIST, {"p": bad})
        assert _names(response)[0] == "Org 00000", bad
    last = staff_client.get(LIST, {"p": "999"})
    assert _names(last)[0] == "Org 00100" and "Page 3 of 3" in last.content.decode()


def test_page_links_keep_the_search_and_the_sort(staff_client):
    _insert_orgs(120)
    page = staff_client.get(LIST, {"q": "org", "sort": "-slug", "p": "2"}).content.decode()
    assert "?q=org&amp;sort=-slug&amp;p=3" in page
    assert "?q=org&amp;sort=-slug&amp;p=1" in page
