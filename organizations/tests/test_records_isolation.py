"""A token of org B can do nothing to org A's records, and cannot even tell that A exists.

The matrix: 4 routes (list, detail with A's record id, bulk, export) x 7 methods (GET, HEAD,
POST, PUT, PATCH, DELETE, OPTIONS) = 28 requests with B's token against A's slug, each compared
with the same request against a slug no org has; plus B's own slug with A's record id x the 4
detail methods. A's records, its org document and the set of collections are unchanged."""

import pytest

from organizations.tests.invariants import stored
from tenancy import orgs, placement
from tenancy.stores.client import master_db

pytestmark = pytest.mark.usefixtures("placement")

METHODS = ["get", "head", "post", "put", "patch", "delete", "options"]
ROUTES = ["records/", "records/{id}/", "records/bulk/", "export/"]
BODY = {"records": [{"stolen": True}], "stolen": True}


@pytest.fixture
def orgs_ab(make_org, authed):
    make_org("Alpha Org")
    _, b_email, _ = make_org("Bravo Org")
    a_client = authed("admin@alphaorg.example")
    a_ids = [
        a_client.post(
            "/api/v1/orgs/alpha-org/records/", {"secret": i, "tag": "x"}, format="json"
        ).json()["id"]
        for i in range(3)
    ]
    return a_ids, authed(b_email)


def _snapshot() -> str:
    db = master_db()
    return repr(
        (
            stored(orgs.get_by_slug("alpha-org")),
            db["organizations"].find_one({"slug": "alpha-org"}),
            sorted(db.list_collection_names()),
            sorted(placement.tenant_databases()),
            db[placement.SHARED_COLLECTION].count_documents({}),
        )
    )


def _call(client, method: str, url: str):
    if method in ("post", "put", "patch"):
        return getattr(client, method)(url, BODY, format="json")
    return getattr(client, method)(url)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("route", ROUTES)
def test_another_orgs_token_gets_the_unknown_org_404_and_changes_nothing(orgs_ab, route, method):
    a_ids, b_client = orgs_ab
    before = _snapshot()
    path = route.format(id=a_ids[0])
    response = _call(b_client, method, f"/api/v1/orgs/alpha-org/{path}?tag=x")
    unknown = _call(b_client, method, f"/api/v1/orgs/no-such-org/{path}?tag=x")
    assert response.status_code == 404
    assert response.content == unknown.content
    assert b"secret" not in response.content
    assert _snapshot() == before


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_orgs_record_id_under_ones_own_slug_is_not_found(orgs_ab, method):
    a_ids, b_client = orgs_ab
    before = _snapshot()
    response = _call(b_client, method, f"/api/v1/orgs/bravo-org/records/{a_ids[1]}/")
    assert (response.status_code, response.json()["code"]) == (404, "record_not_found")
    assert _snapshot() == before


def test_own_list_and_export_never_include_another_orgs_records(orgs_ab):
    _, b_client = orgs_ab
    b_client.post("/api/v1/orgs/bravo-org/records/", {"mine": 1}, format="json")
    listed = b_client.get("/api/v1/orgs/bravo-org/records/?limit=1000").json()["results"]
    exported = b"".join(b_client.get("/api/v1/orgs/bravo-org/export/").streaming_content)
    assert [r["mine"] for r in listed] == [1]
    assert exported.count(b"\n") == 1 and b"secret" not in exported
