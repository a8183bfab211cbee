"""The panel's org page counts and sizes that org's records only, in every placement: a shared
org is not credited with its neighbours' records, a database org is measured in its database."""

from __future__ import annotations

from types import SimpleNamespace

import bson
import pytest
from django.urls import reverse

from tenancy import placement
from tenancy.record_store import for_principal

PLACEMENTS = {"Acme Corp": "shared", "Umbrella Corp": "shared", "Globex Corp": "database"}
RECORDS = {"Acme Corp": 3, "Umbrella Corp": 7, "Globex Corp": 4}


@pytest.fixture
def orgs(backend, make_org):
    made = {}
    for name, where in PLACEMENTS.items():
        org, _, _ = make_org(name, placement=where)
        records = for_principal(SimpleNamespace(org_id=org.id))
        records.insert_many([{"name": name, "n": n, "pad": "x" * n} for n in range(RECORDS[name])])
        made[name] = org
    return made


def _stored_bytes(org) -> int:
    """The BSON size of the org's own stored documents, read straight from its location."""
    docs = placement.open_records(placement.of(org)).find({})
    return sum(len(bson.encode(doc)) for doc in docs)


def _detail(staff_client, org):
    url = reverse("admin:organizations_organization_detail", args=[org.id])
    response = staff_client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("name", list(PLACEMENTS))
def test_the_org_page_shows_only_that_orgs_record_count_and_size(staff_client, orgs, name):
    response = _detail(staff_client, orgs[name])
    assert f'<td id="record-count">{RECORDS[name]}</td>' in response.content.decode()
    stats = response.context["detail"].stats
    assert stats.documents == RECORDS[name]
    assert stats.data_bytes == _stored_bytes(orgs[name])  # a sample of <= 100 is exact


def test_a_shared_org_is_not_credited_with_its_neighbours_records(staff_client, orgs):
    acme = _detail(staff_client, orgs["Acme Corp"]).context["detail"].stats
    umbrella = _detail(staff_client, orgs["Umbrella Corp"]).context["detail"].stats
    assert (acme.documents, umbrella.documents) == (3, 7)
    assert acme.data_bytes < umbrella.data_bytes
    assert acme.estimated  # no server figure exists for one org's share of a collection


def test_a_database_org_is_measured_in_its_own_database_not_the_master(staff_client, orgs):
    globex = orgs["Globex Corp"]
    assert globex.database and globex.collection == "records"
    stats = _detail(staff_client, globex).context["detail"].stats
    assert stats.documents == 4 and stats.data_bytes > 0
