"""Idempotency-Key over real HTTP (gunicorn on litemongo on disk): racing requests with one key
run once, and a lock left by a worker killed mid-request is recovered."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import PASSWORD
from orgservice.testing import gunicorn
from tenancy import orgs
from tenancy.stores.client import reset_clients

pytestmark = pytest.mark.slow

RACERS = 8
SIGNUP = {"organization_name": "Acme Corp", "email": "boss@acme.example", "password": PASSWORD}


def _race(post) -> list[requests.Response]:
    """``post()`` from RACERS threads released together by a barrier."""
    start = threading.Barrier(RACERS)

    def one():
        start.wait(timeout=30)
        return post()

    with ThreadPoolExecutor(RACERS) as pool:
        return [f.result() for f in [pool.submit(one) for _ in range(RACERS)]]


def _check_one_ran(responses: list[requests.Response]) -> dict:
    """Exactly one response ran the request; the others replayed it or were told to retry."""
    ran = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" not in r.headers]
    assert len(ran) == 1, [(r.status_code, r.text) for r in responses]
    for r in responses:
        if r.status_code == 409:
            assert r.json()["code"] == "idempotency_in_progress" and r.headers["Retry-After"]
        else:
            assert (r.status_code, r.json()) == (201, ran[0].json())
    return ran[0].json()


def test_racing_signups_with_one_key_create_one_org_and_agree_on_it(disk):
    with gunicorn(disk, workers=2) as base:
        for round_ in range(3):
            body = {
                **SIGNUP,
                "organization_name": f"Acme {round_}",
                "email": f"b{round_}@a.example",
            }
            headers = {"Idempotency-Key": f"signup-{round_}"}
            responses = _race(
                lambda b=body, h=headers: requests.post(
                    f"{base}/org/create", json=b, headers=h, timeout=30
                )
            )
            created = _check_one_ran(responses)
            again = requests.post(f"{base}/org/create", json=body, headers=headers, timeout=30)
            assert again.json() == created and again.headers["Idempotent-Replayed"] == "true"
    reset_clients()
    assert orgs.count() == 3


def test_racing_record_creates_with_one_key_store_one_record(disk):
    with gunicorn(disk, workers=2) as base:
        assert requests.post(f"{base}/org/create", json=SIGNUP, timeout=30).status_code == 201
        token = requests.post(
            f"{base}/admin/login", json={"email": SIGNUP["email"], "password": PASSWORD}, timeout=30
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        url = f"{base}/api/v1/orgs/acme-corp/records/"
        for round_ in range(3):
            headers = {**auth, "Idempotency-Key": f"rec-{round_}"}
            _check_one_ran(
                _race(
                    lambda h=headers, n=round_: requests.post(
                        url, json={"n": n}, headers=h, timeout=30
                    )
                )
            )
        listed = requests.get(url, headers=auth, timeout=30).json()["results"]
        assert sorted(r["n"] for r in listed) == [0, 1, 2]


def _post_signup(base: str) -> requests.Response:
    headers = {"Idempotency-Key": "crash-1"}
    return requests.post(f"{base}/org/create", json=SIGNUP, headers=headers, timeout=30)


def test_a_worker_killed_holding_a_key_leaves_a_lock_that_is_taken_over_after_its_time(disk):
    with gunicorn(disk, workers=1, ORGSERVICE_FAILPOINTS="idempotency.key_held") as base:
        with pytest.raises(requests.ConnectionError):
            _post_signup(base)  # the worker dies right after taking the key
        held = _post_signup(base)
        assert (held.status_code, held.json()["code"]) == (409, "idempotency_in_progress")
    with gunicorn(disk, workers=1, IDEMPOTENCY_LOCK_SECONDS="0") as base:
        first = _post_signup(base)
        assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
        again = _post_signup(base)
        assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    reset_clients()
    assert orgs.count() == 1


def test_a_worker_killed_after_the_work_but_before_storing_runs_it_again_on_recovery(disk):
    """No recovery points: a crash between the create and storing its answer means the retry
    runs the create again and meets its own org (409 org_name_taken, stored as final)."""
    armed = {"ORGSERVICE_FAILPOINTS": "idempotency.executed"}
    with gunicorn(disk, workers=1, **armed) as base, pytest.raises(requests.ConnectionError):
        _post_signup(base)
    with gunicorn(disk, workers=1, IDEMPOTENCY_LOCK_SECONDS="0") as base:
        retried = _post_signup(base)
        assert (retried.status_code, retried.json()["code"]) == (409, "org_name_taken")
    reset_clients()
    assert orgs.count() == 1
