"""GET /org/get answered by organizations.orgs.fast_get: the same answer as the full DRF stack."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from conftest import PASSWORD

FAST = "organizations.orgs.fast_get.FastOrgGetMiddleware"
SAME = (
    "Content-Type",
    "Vary",
    "Allow",
    "X-Frame-Options",
    "Content-Length",
    "X-Content-Type-Options",
    "Referrer-Policy",
)


@pytest.fixture
def org(api):
    body = {"organization_name": "Fast Lane", "email": "fast@example.com", "password": PASSWORD}
    assert api.post("/org/create", body, format="json").status_code == 201


def _get(query: dict, **headers):
    response = APIClient().get("/org/get", query, **headers)
    return response.status_code, response.content, {h: response.get(h) for h in SAME}


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ({"organization_name": "fast lane"}, {}),
        ({"organization_name": "fast lane"}, {"HTTP_ACCEPT": "application/json"}),
        ({"organization_name": "Nobody"}, {}),
        ({}, {}),
    ],
)
def test_the_fast_lane_answers_exactly_as_the_drf_view(org, query, headers):
    fast = _get(query, **headers)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "MIDDLEWARE", [m for m in settings.MIDDLEWARE if m != FAST])
        full = _get(query, **headers)
    assert fast == full


def test_a_fast_answer_keeps_the_request_id_and_the_access_line(org, caplog):
    with caplog.at_level(logging.INFO, logger="orgservice.access"):
        response = APIClient().get(
            "/org/get", {"organization_name": "Fast Lane"}, HTTP_X_REQUEST_ID="fast-1"
        )
    assert response["X-Request-ID"] == "fast-1"
    line = next(r for r in caplog.records if r.name == "orgservice.access")
    assert (line.route, line.status, line.request_id) == ("org/get", 200, "fast-1")


def test_a_browser_asking_for_html_still_gets_the_browsable_api(org):
    response = APIClient().get(
        "/org/get", {"organization_name": "Fast Lane"}, HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_org_times_read_as_the_drf_serializer_writes_them(org):
    from organizations.orgs.serializers import OrgOutput, org_body
    from tenancy import orgs

    found = orgs.get_by_slug("fast-lane")
    assert org_body(found) == OrgOutput(found).data
