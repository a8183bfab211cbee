"""The state machine as users meet it: the declared steps are the failpoints, a paused rename's
reads answer 409 org_busy with Retry-After over the API and the panel does not count a moving
collection, an export cut by a rename never ends complete-looking, and PUT /org/update is all
or nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import PASSWORD
from kernel import failpoints
from kernel.errors import Busy
from organizations.orgs import orgstate, services
from organizations.records.services import record_export, records_for
from organizations.tests.steps import Paused, Principal, seed, stored_ids
from tenancy import admins, orgs

EMAIL = "boss@acme.example"


def test_every_declared_step_is_a_failpoint_and_every_failpoint_a_declared_step():
    declared = [f"{op}.{step.name}" for op, steps in orgstate.OPERATIONS.items() for step in steps]
    assert declared == list(failpoints.NAMES)


def test_a_paused_collection_rename_refuses_reads_with_retry_after_then_serves_them(
    backend, authed
):
    org = seed("collection")
    before = sorted(stored_ids(org))
    client = authed(EMAIL)
    paused = Paused(
        "rename.collection_renamed",
        lambda: services.organization_rename(org_id=org.id, new_name="Acme Two"),
    ).start()
    for url in ("/api/v1/orgs/acme-corp/records/", "/api/v1/orgs/acme-corp/export/"):
        response = client.get(url)
        assert response.status_code == 409, url
        assert response.json()["code"] == "org_busy" and int(response["Retry-After"]) >= 1
    paused.finish()
    response = client.get("/api/v1/orgs/acme-two/records/?limit=100")
    assert sorted(r["id"] for r in response.json()["results"]) == before


@pytest.mark.django_db
def test_the_panel_does_not_count_a_collection_that_is_being_renamed(staff_client):
    org = seed("collection")
    url = reverse("admin:organizations_organization_detail", args=[org.id])
    paused = Paused(
        "rename.collection_renamed",
        lambda: services.organization_rename(org_id=org.id, new_name="Acme Two"),
    ).start()
    page = staff_client.get(url).content.decode()
    assert '<td id="record-count">0</td>' not in page and "not counted while" in page
    paused.finish()
    assert '<td id="record-count">12</td>' in staff_client.get(url).content.decode()


def test_a_move_is_read_from_its_source_until_the_switch(backend):
    org = seed("collection")
    before = sorted(stored_ids(org))
    paused = Paused(
        "move.copied", lambda: services.organization_move(org_id=org.id, to="shared")
    ).start()
    exported = [r.id for r in record_export(records_for(Principal(org.id), "acme-corp"))]
    assert orgs.get(org.id).pending["phase"] == "copying"
    paused.finish()
    assert sorted(exported) == before


def test_an_export_that_a_rename_overtakes_is_cut_not_ended_short(backend):
    org = seed("collection")
    stream = record_export(records_for(Principal(org.id), "acme-corp"))
    head = [next(stream) for _ in range(3)]
    services.organization_rename(org_id=org.id, new_name="Acme Two")
    with pytest.raises(Busy):
        head += list(stream)
    assert len(head) < 12


def _update(client, body: dict):
    return client.put("/org/update", body, format="json")


def test_update_with_a_new_email_and_a_taken_name_changes_nothing_and_revokes_nothing(
    backend, make_org, authed, login
):
    org, email, _ = make_org("Acme Corp", email=EMAIL)
    make_org("Other Org", email="o@other.example")
    client = authed(email)
    response = _update(
        client,
        {
            "organization_name": "other org",
            "email": "new@acme.example",
            "current_password": PASSWORD,
        },
    )
    assert response.status_code == 409 and response.json()["code"] == "org_name_taken"
    assert (
        admins.get_by_email(EMAIL) is not None and admins.get_by_email("new@acme.example") is None
    )
    assert client.get("/api/v1/orgs/acme-corp/records/").status_code == 200  # token still good
    assert login(EMAIL)["access_token"]
    assert orgs.get(org.id).slug == "acme-corp" and orgs.slug_claim("other-org") is not None


def test_update_with_a_taken_email_and_a_free_name_changes_nothing(backend, make_org, authed):
    org, email, _ = make_org("Acme Corp", email=EMAIL)
    make_org("Other Org", email="o@other.example")
    client = authed(email)
    response = _update(
        client,
        {"organization_name": "Acme Two", "email": "o@other.example", "current_password": PASSWORD},
    )
    assert response.status_code == 409 and response.json()["code"] == "email_taken"
    assert orgs.get(org.id).slug == "acme-corp" and orgs.slug_claim("acme-two") is None
    assert client.get("/api/v1/orgs/acme-corp/records/").status_code == 200


def test_update_whose_credentials_lose_a_race_undoes_the_rename(
    backend, make_org, authed, monkeypatch
):
    org, email, _ = make_org("Acme Corp", email=EMAIL)
    client = authed(email)
    # The email is free when checked, then another org's admin takes it before the change.
    make_org("Other Org", email="o@other.example")
    monkeypatch.setattr(services, "_check_email_free", lambda email, *, member_id: None)
    response = _update(
        client,
        {"organization_name": "Acme Two", "email": "o@other.example", "current_password": PASSWORD},
    )
    assert response.status_code == 409 and response.json()["code"] == "email_taken"
    after = orgs.get(org.id)
    assert (after.slug, after.pending, after.status) == ("acme-corp", None, "active")
    assert orgs.slug_claim("acme-two") is None
    assert client.get("/api/v1/orgs/acme-corp/records/").status_code == 200


def test_update_of_name_email_and_password_applies_all_of_them(backend, make_org, authed, login):
    org, email, _ = make_org("Acme Corp", email=EMAIL)
    body = {
        "organization_name": "Acme Two",
        "email": "new@acme.example",
        "password": PASSWORD + "x",
        "current_password": PASSWORD,
    }
    assert _update(authed(email), body).status_code == 200
    assert orgs.get(org.id).slug == "acme-two"
    assert login("new@acme.example", PASSWORD + "x")["access_token"]
