"""Export: every record as one NDJSON line, oldest first, streamed while it is read."""

import json

import pytest
import requests

from conftest import PASSWORD
from organizations.records import views
from orgservice.testing import gunicorn
from tenancy import record_store as tenant_records
from tenancy.stores.client import master_db

pytestmark = pytest.mark.usefixtures("placement")

URL = "/api/v1/orgs/acme-corp/export/"


@pytest.fixture
def client(make_org, authed):
    _, email, _ = make_org("Acme Corp")
    return authed(email)


def _bulk(client, count: int, start: int = 0) -> list[dict]:
    body = {"records": [{"i": i, "text": f"naïve ✓ {i}"} for i in range(start, start + count)]}
    response = client.post("/api/v1/orgs/acme-corp/records/bulk/", body, format="json")
    assert response.status_code == 201
    return response.json()["results"]


def test_export_streams_every_record_as_one_json_line_oldest_first(client):
    created = _bulk(client, 450)
    response = client.get(URL, HTTP_ACCEPT="application/x-ndjson")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [json.loads(line) for line in lines] == created


def test_export_reads_the_collection_batch_by_batch_as_it_streams(client, monkeypatch):
    _bulk(client, 1000)
    monkeypatch.setattr(tenant_records, "EXPORT_BATCH", 50)
    read = []
    original = tenant_records.Record.from_doc
    monkeypatch.setattr(
        tenant_records.Record,
        "from_doc",
        classmethod(lambda cls, doc: read.append(1) or original(doc)),
    )
    chunks = iter(client.get(URL).streaming_content)
    first = next(chunks)
    assert first.count(b"\n") == views.EXPORT_CHUNK
    assert len(read) <= views.EXPORT_CHUNK + 50
    rest = b"".join(chunks)
    assert (first + rest).count(b"\n") == len(read) == 1000


def test_export_still_answers_while_a_rename_is_in_flight(client):
    _bulk(client, 3)
    master_db()["organizations"].update_one({"slug": "acme-corp"}, {"$set": {"status": "renaming"}})
    lines = b"".join(client.get(URL).streaming_content).splitlines()
    assert len(lines) == 3


@pytest.mark.slow
def test_export_over_real_http_returns_every_record_as_ndjson(tmp_path, placement):
    body = {"organization_name": "Acme Corp", "email": "boss@acme.example", "password": PASSWORD}
    # One worker: ObjectIds made by two processes within one second do not sort by time.
    with gunicorn(tmp_path, workers=1, ORG_PLACEMENT=placement) as base:
        assert requests.post(f"{base}/org/create", json=body, timeout=10).status_code == 201
        token = requests.post(
            f"{base}/admin/login", timeout=10, json={"email": body["email"], "password": PASSWORD}
        ).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        created = []
        for start in range(0, 2500, 1000):
            batch = [
                {"i": i, "text": f"naïve ✓ {i}"} for i in range(start, min(start + 1000, 2500))
            ]
            response = requests.post(
                f"{base}/api/v1/orgs/acme-corp/records/bulk/",
                timeout=30,
                json={"records": batch},
                headers=auth,
            )
            assert response.status_code == 201, response.text
            created += response.json()["results"]
        with requests.get(
            f"{base}{URL}",
            headers={**auth, "Accept": "application/x-ndjson"},
            stream=True,
            timeout=30,
        ) as response:
            assert response.status_code == 200
            assert response.headers["Content-Type"] == "application/x-ndjson"
            exported = [json.loads(line) for line in response.iter_lines() if line]
    assert exported == created
