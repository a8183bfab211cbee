"""Listing records: newest first, cursor pages with absolute next links, equality filters."""

import pytest

from accounts.principal import MemberPrincipal
from organizations.records.query import MAX_LIMIT
from tenancy.record_store import for_principal

pytestmark = pytest.mark.usefixtures("placement")

BASE = "/api/v1/orgs/acme-corp/records/"


@pytest.fixture
def org_client(make_org, authed):
    org, email, _ = make_org("Acme Corp")
    return org, authed(email)


def _handle(org):
    return for_principal(MemberPrincipal(member_id="", org_id=org.id, email=""))


def _walk(client, url):
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        pages.append(response.json()["results"])
        url = response.json()["next"]
    return pages


def test_pages_walk_every_record_once_newest_first(org_client):
    org, client = org_client
    _handle(org).insert_many([{"i": i} for i in range(25)])
    pages = _walk(client, f"{BASE}?limit=10")
    assert [len(p) for p in pages] == [10, 10, 5]
    assert [r["i"] for p in pages for r in p] == list(range(24, -1, -1))


def test_next_is_an_absolute_url_and_null_on_the_last_page(org_client):
    org, client = org_client
    _handle(org).insert_many([{"i": i} for i in range(3)])
    first = client.get(f"{BASE}?limit=2").json()
    assert first["next"].startswith("http://testserver/api/v1/orgs/acme-corp/records/?")
    assert client.get(first["next"]).json()["next"] is None
    assert client.get(f"{BASE}?limit=3").json()["next"] is None


def test_records_added_while_paging_never_repeat_or_hide_existing_ones(org_client):
    org, client = org_client
    handle = _handle(org)
    handle.insert_many([{"i": i} for i in range(30)])
    seen, url = [], f"{BASE}?limit=7"
    while url:
        body = client.get(url).json()
        seen += [r["i"] for r in body["results"]]
        handle.insert_many([{"i": 1000 + len(seen)}])
        client.post(BASE, {"i": 2000 + len(seen)}, format="json")
        url = body["next"]
    assert len(seen) == len(set(seen))
    assert [i for i in seen if i < 1000] == list(range(29, -1, -1))


def test_limit_defaults_to_50_and_is_capped_at_1000(org_client):
    org, client = org_client
    _handle(org).insert_many([{"i": i} for i in range(MAX_LIMIT + 5)])
    assert len(client.get(BASE).json()["results"]) == 50
    capped = client.get(f"{BASE}?limit=99999999999999999999").json()
    assert len(capped["results"]) == MAX_LIMIT and capped["next"]


def test_filters_match_strings_and_the_numbers_or_booleans_they_spell(org_client):
    org, client = org_client
    _handle(org).insert_many(
        [
            {"k": "a", "n": 5},
            {"k": "b", "n": "5"},
            {"k": "c", "n": 5.0},
            {"k": "d", "n": 6},
            {"k": "e", "n": [5]},
            {"k": "f", "n": {"v": 5}},
            {"k": "g"},
            {"k": "h", "flag": True},
            {"k": "i", "flag": "true"},
            {"k": "j", "flag": False},
        ]
    )

    def keys(query):
        return sorted(r["k"] for r in client.get(f"{BASE}?{query}").json()["results"])

    # Arrays and objects never match a scalar filter.
    assert keys("n=5") == ["a", "b", "c"]
    assert keys("n=5.0") == ["a", "c"]
    assert keys("n=6&k=d") == ["d"]
    assert keys("n=6&k=a") == []
    assert keys("flag=true") == ["h", "i"]
    assert keys("k=zzz") == []


def test_filters_carry_into_the_next_link(org_client):
    org, client = org_client
    _handle(org).insert_many([{"c": "red" if i % 2 else "blue", "i": i} for i in range(10)])
    pages = _walk(client, f"{BASE}?c=red&limit=2")
    assert [r["i"] for p in pages for r in p] == [9, 7, 5, 3, 1]
