"""Concurrent lifecycle operations on one org over real HTTP (gunicorn, threads): one wins,
the others get a clean 4xx, and the stored state is never corrupted."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import PASSWORD
from organizations.tests.invariants import assert_consistent, stored
from orgservice.testing import gunicorn
from tenancy import orgs
from tenancy.stores.client import reset_clients

pytestmark = pytest.mark.slow

EMAIL = "boss@acme.example"


def _setup(base: str) -> dict:
    body = {"organization_name": "Acme Corp", "email": EMAIL, "password": PASSWORD}
    assert requests.post(f"{base}/org/create", json=body, timeout=10).status_code == 201
    token = requests.post(
        f"{base}/admin/login", json={"email": EMAIL, "password": PASSWORD}, timeout=10
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _together(*calls):
    with ThreadPoolExecutor(len(calls)) as pool:
        return [f.result() for f in [pool.submit(c) for c in calls]]


def test_racing_renames_one_wins_and_the_state_stays_whole(disk):
    with gunicorn(disk, workers=2) as base:
        auth = _setup(base)
        statuses = []
        for round_ in range(4):
            names = [f"Acme R{round_} A", f"Acme R{round_} B"]
            responses = _together(
                *[
                    lambda n=n: requests.put(
                        f"{base}/org/update",
                        json={"organization_name": n},
                        headers=auth,
                        timeout=30,
                    )
                    for n in names
                ]
            )
            statuses += [r.status_code for r in responses]
            assert {r.status_code for r in responses} <= {200, 409}
            assert 200 in {r.status_code for r in responses}
    reset_clients()
    assert_consistent()
    (org,) = orgs.all_orgs()
    assert org.name.startswith("Acme R3")


def test_rename_racing_delete_ends_renamed_or_deleted_never_half(disk):
    with gunicorn(disk, workers=2) as base:
        auth = _setup(base)
        renamed, deleted = _together(
            lambda: requests.put(
                f"{base}/org/update",
                json={"organization_name": "Acme Two"},
                headers=auth,
                timeout=30,
            ),
            lambda: requests.delete(
                f"{base}/org/delete",
                json={"organization_name": "Acme Corp"},
                headers=auth,
                timeout=30,
            ),
        )
        assert renamed.status_code in {200, 404, 409, 401}
        assert deleted.status_code in {200, 404, 409}
    reset_clients()
    assert_consistent()
    assert orgs.count() in (0, 1)


def test_credential_change_racing_delete_never_leaves_an_orphan_admin(disk):
    with gunicorn(disk, workers=2) as base:
        auth = _setup(base)
        changed, deleted = _together(
            lambda: requests.put(
                f"{base}/org/update",
                json={"password": PASSWORD + "-new", "current_password": PASSWORD},
                headers=auth,
                timeout=30,
            ),
            lambda: requests.delete(
                f"{base}/org/delete",
                json={"organization_name": "Acme Corp"},
                headers=auth,
                timeout=30,
            ),
        )
        assert changed.status_code in {200, 401, 404, 409}
        assert deleted.status_code in {200, 401, 409}
    reset_clients()
    assert_consistent()


def _write_records(base: str, slug_of: list[str], auth: dict, count: int) -> list:
    """POST ``count`` records one by one to the org's current slug; (status, id) of each."""
    session = requests.Session()
    results = []
    for i in range(count):
        response = session.post(
            f"{base}/api/v1/orgs/{slug_of[0]}/records/", json={"i": i}, headers=auth, timeout=30
        )
        if response.status_code == 404 and slug_of[0] != slug_of[-1]:
            slug_of[0] = slug_of[-1]  # the rename finished: the client follows the new name
        results.append((response.status_code, response.json().get("id")))
    return results


def test_record_writes_racing_a_rename_are_refused_or_kept_never_lost(disk):
    with gunicorn(disk, workers=2) as base:
        auth = _setup(base)
        slug_of = ["acme-corp", "acme-two"]
        writes, renamed = _together(
            lambda: _write_records(base, slug_of, auth, 40),
            lambda: requests.put(
                f"{base}/org/update",
                json={"organization_name": "Acme Two"},
                headers=auth,
                timeout=30,
            ),
        )
        assert renamed.status_code == 200
        assert {status for status, _ in writes} <= {201, 404, 409}
    reset_clients()
    assert_consistent()
    (org,) = orgs.all_orgs()
    kept = {str(doc["_id"]) for doc in stored(org)}
    assert {record_id for status, record_id in writes if status == 201} <= kept


def test_record_writes_racing_a_delete_leave_nothing_behind(disk):
    with gunicorn(disk, workers=2) as base:
        auth = _setup(base)
        writes, deleted = _together(
            lambda: _write_records(base, ["acme-corp"], auth, 40),
            lambda: requests.delete(
                f"{base}/org/delete",
                json={"organization_name": "Acme Corp"},
                headers=auth,
                timeout=30,
            ),
        )
        assert deleted.status_code == 200
        assert {status for status, _ in writes} <= {201, 401, 404, 409}
    reset_clients()
    assert_consistent()
    assert orgs.count() == 0
