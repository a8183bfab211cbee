"""The audit log API over real HTTP (gunicorn, litemongo on disk): owners and admins list the
org's events with filters and cursor pages, and export them streamed as NDJSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
import requests

from organizations.audit.exports import CSV_COLUMNS
from organizations.tests.http_org import HttpOrg
from orgservice.testing import GENEROUS_RATES, gunicorn

FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Iterator[str]:
    with gunicorn(tmp_path_factory.mktemp("audit"), workers=2, **GENEROUS_RATES) as url:
        yield url


@pytest.fixture
def org(base) -> HttpOrg:
    """An org whose owner and admin each created keys; the owner revoked one."""
    org = HttpOrg.create(base)
    org.add_member("admin")
    org.add_member("member")
    first = org.new_key(["records:read"], name='=HYPERLINK("http://evil")')
    org.new_key(["records:read"], who="admin")
    org.new_key(["members:read"])
    assert org.delete("owner", f"api-keys/{first['id']}/").status_code == 204
    return org


def _all(org: HttpOrg, who: str = "owner", **params: str) -> list[dict]:
    response = org.get(who, "audit/", params={"limit": "1000", **params})
    assert response.status_code == 200, response.text
    assert response.json()["next"] is None
    return response.json()["results"]


def test_owners_and_admins_read_the_log_newest_first(org):
    events = _all(org)
    assert [e["at"] for e in events] == sorted((e["at"] for e in events), reverse=True)
    names = [e["event"] for e in events]
    assert names[0] == "api_key_revoked" and names.count("api_key_created") == 3
    assert "org_created" in names and "login" in names
    assert _all(org, "admin") == events
    created = next(e for e in events if e["event"] == "api_key_created")
    assert created["org_id"] == org.id and created["details"]["scopes"] == ["members:read"]


def test_members_and_other_orgs_are_refused(org, base):
    for path in ("audit/", "audit/export/"):
        refused = org.get("member", path)
        assert (refused.status_code, refused.json()["code"]) == (403, "role_forbidden")
    outsider = HttpOrg.create(base)
    refused = requests.get(org.url("audit/"), headers=outsider.auth("owner"), timeout=30)
    assert (refused.status_code, refused.json()["code"]) == (404, "org_not_found")
    assert all(e["org_id"] == outsider.id for e in _all(outsider))


def test_filters_by_event_and_actor(org):
    created = _all(org, event="api_key_created")
    assert len(created) == 3 and {e["event"] for e in created} == {"api_key_created"}
    by_admin = _all(org, actor=org.member_ids["admin"])
    assert by_admin and {e["actor"] for e in by_admin} == {org.member_ids["admin"]}
    assert "api_key_created" in {e["event"] for e in by_admin}
    # auth events name their member as admin_id; the filter finds them as the actor too
    assert "login" in {e["event"] for e in by_admin}
    both = _all(org, actor=org.member_ids["admin"], event="api_key_created")
    assert len(both) == 1


def test_filters_by_time_window_from_inclusive_to_exclusive(org):
    events = _all(org)
    middle = events[len(events) // 2]["at"]
    newer = _all(org, **{"from": middle})
    older = _all(org, to=middle)
    assert newer[-1]["at"] == middle and all(e["at"] >= middle for e in newer)
    assert all(e["at"] < middle for e in older)
    assert len(newer) + len(older) == len(events)
    assert _all(org, **{"from": middle, "to": middle}) == []


def test_pages_follow_the_cursor_through_every_event_once(org):
    expected = [e["id"] for e in _all(org)]
    seen, url, pages = [], org.url("audit/?limit=2"), 0
    while url:
        response = requests.get(url, headers=org.auth("owner"), timeout=30)
        assert response.status_code == 200
        page = response.json()
        assert len(page["results"]) <= 2
        seen += [e["id"] for e in page["results"]]
        url, pages = page["next"], pages + 1
    assert seen == expected and pages == (len(expected) + 1) // 2


def test_the_cursor_keeps_the_filters(org):
    first = org.get("owner", "audit/", params={"event": "api_key_created", "limit": "2"}).json()
    assert "event=api_key_created" in first["next"]
    rest = requests.get(first["next"], headers=org.auth("owner"), timeout=30).json()
    assert len(first["results"] + rest["results"]) == 3 and rest["next"] is None


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"from": "yesterday"}, "invalid_filter"),
        ({"to": "2026-13-40T00:00:00Z"}, "invalid_filter"),
        ({"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "invalid_filter"),
        ({"event": "$ne"}, "invalid_filter"),
        ({"actor": "a\x00b"}, "invalid_filter"),
        ({"cursor": "bm90LWEtY3Vyc29y"}, "invalid_cursor"),
        ({"limit": "0"}, "invalid_limit"),
        ({"event": ["login", "logout"]}, "invalid_query"),
        ({"org_id": "x"}, "invalid_query"),
    ],
)
def test_bad_filters_are_a_400(org, params, code):
    for path in ("audit/", "audit/export/") if "cursor" not in params else ("audit/",):
        if path.endswith("export/") and "limit" in params:
            continue
        response = org.get("owner", path, params=params, headers={"Accept": "application/json"})
        assert response.status_code == 400, (path, response.text)
        assert response.json()["code"] == code


def test_ndjson_export_streams_every_matching_event_oldest_first(org):
    response = org.get("owner", "audit/export/", params={"format": "ndjson"}, stream=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/x-ndjson"
    assert response.headers.get("Transfer-Encoding") == "chunked"  # streamed, no length
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert lines == list(reversed(_all(org)))
    keys_only = org.get("owner", "audit/export/", params={"event": "api_key_created"})
    assert [json.loads(x)["event"] for x in keys_only.text.splitlines()] == ["api_key_created"] * 3


def test_csv_export_has_a_header_and_no_cell_a_spreadsheet_would_run(org):
    response = org.get("owner", "audit/export/", params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert 'filename="' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    events = list(reversed(_all(org)))
    assert [r[0] for r in rows[1:]] == [e["id"] for e in events]
    assert all(not cell.startswith(FORMULA) for row in rows for cell in row)
    created = [json.loads(r[5]) for r in rows[1:] if r[3] == "api_key_created"]
    assert created[0]["key_name"] == '=HYPERLINK("http://evil")'


def test_accept_header_chooses_csv_too(org):
    response = org.get("owner", "audit/export/", headers={"Accept": "text/csv"})
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.text.splitlines()[0] == ",".join(CSV_COLUMNS)
