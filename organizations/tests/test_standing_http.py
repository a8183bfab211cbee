"""Suspend, resume, delete with a restore window, restore and purge over real HTTP (gunicorn, as
`make run` serves it, litemongo on disk): what a member's client and a staff user's browser
session see on the assignment's routes and the REST API."""

from __future__ import annotations

import pytest
import requests

from conftest import PASSWORD
from organizations.tests.steps import expire
from orgservice.testing import gunicorn, manage
from tenancy import orgs
from tenancy.stores.client import reset_clients

pytestmark = pytest.mark.slow

EMAIL = "boss@acme.example"
STAFF_PASSWORD = "Staff-Pass-9-Horse"
ORG = {"organization_name": "Acme Corp"}


def _staff_session(base: str, disk) -> requests.Session:
    """A staff user logged in to the admin site; unsafe requests carry its CSRF token."""
    made = manage(
        disk,
        "createsuperuser",
        "--noinput",
        DJANGO_SUPERUSER_USERNAME="root",
        DJANGO_SUPERUSER_EMAIL="root@staff.example",
        DJANGO_SUPERUSER_PASSWORD=STAFF_PASSWORD,
    )
    assert made.returncode == 0, made.stderr
    session = requests.Session()
    session.get(f"{base}/admin/login/", timeout=10)
    form = {"username": "root", "password": STAFF_PASSWORD, "next": "/admin/"}
    form["csrfmiddlewaretoken"] = session.cookies["csrftoken"]
    assert session.post(f"{base}/admin/login/", data=form, timeout=10).url.endswith("/admin/")
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    return session


def _member_calls(base: str, auth: dict) -> dict[str, requests.Response]:
    records = f"{base}/api/v1/orgs/acme-corp/records/"
    return {
        "PUT /org/update": requests.put(f"{base}/org/update", json=ORG, headers=auth, timeout=10),
        "DELETE /org/delete": requests.delete(
            f"{base}/org/delete", json=ORG, headers=auth, timeout=10
        ),
        "GET records": requests.get(records, headers=auth, timeout=10),
        "POST records": requests.post(records, json={"a": 1}, headers=auth, timeout=10),
    }


def _login(base: str) -> requests.Response:
    return requests.post(
        f"{base}/admin/login", json={"email": EMAIL, "password": PASSWORD}, timeout=10
    )


def _codes(responses: dict[str, requests.Response]) -> dict[str, tuple[int, str]]:
    return {k: (r.status_code, r.json().get("code")) for k, r in responses.items()}


def test_suspend_resume_delete_restore_and_purge_over_http(disk):
    # More than the 5 logins a minute per account: this test logs in and restores 7 times.
    env = {"ORG_DELETE_RETENTION": "1h", "LOGIN_RATE_PER_EMAIL": "50/min"}
    with gunicorn(disk, workers=2, **env) as base:
        body = {**ORG, "email": EMAIL, "password": PASSWORD}
        assert requests.post(f"{base}/org/create", json=body, timeout=10).status_code == 201
        auth = {"Authorization": f"Bearer {_login(base).json()['access_token']}"}
        records = f"{base}/api/v1/orgs/acme-corp/records/"
        assert requests.post(records, json={"kept": 1}, headers=auth, timeout=10).ok
        staff = _staff_session(base, disk)
        org_url = f"{base}/api/v1/orgs/acme-corp"

        suspended = staff.post(f"{org_url}/suspend/", json={"reason": "Unpaid"}, timeout=10)
        assert suspended.status_code == 200, suspended.text
        refused = _codes(_member_calls(base, auth))
        assert set(refused.values()) == {(401, "org_suspended")}, refused
        assert (_login(base).status_code, _login(base).json()["code"]) == (403, "org_suspended")
        shown = requests.get(f"{base}/org/get", params=ORG, timeout=10).json()
        assert shown["status"] == "suspended" and shown["suspension"]["reason"] == "Unpaid"
        member_tries = requests.post(f"{org_url}/resume/", headers=auth, timeout=10)
        assert member_tries.status_code == 403

        assert staff.post(f"{org_url}/resume/", timeout=10).json()["status"] == "active"
        assert len(requests.get(records, headers=auth, timeout=10).json()["results"]) == 1

        deleted = requests.delete(f"{base}/org/delete", json=ORG, headers=auth, timeout=10)
        assert deleted.json()["status"] == "deleted"
        assert set(_codes(_member_calls(base, auth)).values()) == {(401, "org_deleted")}
        assert requests.get(f"{base}/org/get", params=ORG, timeout=10).status_code == 404
        taken = requests.post(f"{base}/org/create", json={**body, "email": "x@o.example"})
        assert taken.json()["code"] == "org_name_taken"
        restore = f"{base}/api/v1/orgs/restore/"
        wrong = requests.post(restore, json={**body, "password": "Wrong-Pass-9"}, timeout=10)
        assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_credentials")
        assert requests.post(restore, json=body, timeout=10).json()["status"] == "active"
        assert len(requests.get(records, headers=auth, timeout=10).json()["results"]) == 1

        requests.delete(f"{org_url}/", headers=auth, timeout=10)
        assert staff.post(f"{org_url}/restore/", timeout=10).json()["status"] == "active"
        requests.delete(f"{org_url}/", headers=auth, timeout=10)
        reset_clients()
        expire(orgs.get_by_slug("acme-corp"))
        late = requests.post(restore, json=body, timeout=10)
        assert (late.status_code, late.json()["code"]) == (410, "restore_window_expired")
        purged = manage(disk, "purge_orgs", "--no-input", ORG_DELETE_RETENTION="1h")
        assert "acme-corp: purged" in purged.stdout, purged.stderr
        assert requests.post(f"{base}/org/create", json=body, timeout=10).status_code == 201
