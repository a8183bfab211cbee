"""The admin panel's actions: each goes through the API's services, is audited with the staff
user's name, reports through the admin's messages, and shows application errors as messages
(never a 500). No admin page ever shows a password or its hash."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import PASSWORD
from kernel.errors import NotFound, Unavailable
from organizations.orgs import services
from organizations.staff import services as staff
from organizations.tests.invariants import assert_consistent
from tenancy import admins, audit, collection_ops, orgs
from tenancy.stores.client import master_db

NEW = "Fresh-Battery-7-Staple"


def _url(name: str, *args: str) -> str:
    return reverse(f"admin:organizations_organization_{name}", args=args)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _events(org_id: str, event: str) -> list[dict]:
    return [e for e in audit.recent(org_id=org_id, limit=100) if e["event"] == event]


@pytest.fixture
def acme(make_org, authed):
    """Acme Corp with two records written through the records API."""
    org, email, _ = make_org("Acme Corp", email="boss@acme.example")
    client = authed(email)
    for title in ("one", "two"):
        assert (
            client.post(
                f"/api/v1/orgs/{org.slug}/records/", {"title": title}, format="json"
            ).status_code
            == 201
        )
    return org


def test_creating_an_org_makes_its_admin_able_to_log_in_and_is_audited(staff_client, login):
    response = staff_client.post(
        _url("add"),
        {
            "name": "Globex",
            "email": "Hank@Globex.example",
            "password": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    org = orgs.get_by_slug("globex")
    assert response.redirect_chain[-1][0] == _url("detail", org.id)
    assert _messages(response) == ["Created organization “Globex” (globex)."]
    assert login("hank@globex.example")["access_token"]
    assert [e["actor"] for e in _events(org.id, "org_created")] == ["staff:root"]
    assert_consistent()


def test_creating_an_org_with_a_taken_name_or_bad_input_shows_the_error_and_creates_nothing(
    staff_client, acme
):
    taken = staff_client.post(
        _url("add"),
        {"name": "ACME corp", "email": "x@y.example", "password": PASSWORD, "password2": PASSWORD},
    )
    assert taken.status_code == 200
    assert "An organization with this name exists." in taken.context["form"].errors["name"]
    assert _messages(taken) == ["An organization with this name exists."]
    weak = staff_client.post(
        _url("add"),
        {"name": "Globex", "email": "not-an-email", "password": "123", "password2": "124"},
    )
    assert weak.status_code == 200 and weak.context["form"].errors["password2"]
    assert [o.slug for o in orgs.all_orgs()] == ["acme-corp"]


def test_renaming_moves_the_records_and_is_audited_with_the_staff_user(staff_client, acme):
    response = staff_client.post(_url("rename", acme.id), {"name": "Acme Two"}, follow=True)
    assert _messages(response) == ["Renamed “Acme Corp” to “Acme Two” (acme-two)."]
    renamed = orgs.get(acme.id)
    assert (renamed.slug, renamed.collection) == ("acme-two", "org_acme-two")
    assert master_db()["org_acme-two"].count_documents({}) == 2 and not collection_ops.exists(
        "org_acme-corp"
    )
    (event,) = _events(acme.id, "org_renamed")
    assert (event["actor"], event["old"], event["new"]) == ("staff:root", "acme-corp", "acme-two")


def test_a_rename_to_a_taken_name_is_an_error_message_not_a_500(staff_client, acme, make_org):
    make_org("Globex")
    response = staff_client.post(_url("rename", acme.id), {"name": "globex"})
    assert response.status_code == 200
    assert _messages(response) == ["An organization with this name exists."]
    assert orgs.get(acme.id).slug == "acme-corp"


def test_resetting_the_password_locks_out_the_old_one_and_every_earlier_token(
    staff_client, acme, api, login
):
    (admin,) = admins.for_org(acme.id)
    old_token = login("boss@acme.example")["access_token"]
    response = staff_client.post(
        _url("password", acme.id),
        {"admin": admin.id, "password": NEW, "password2": NEW},
        follow=True,
    )
    assert _messages(response) == [
        "Password of boss@acme.example reset; their earlier sessions and tokens no longer work."
    ]
    assert login("boss@acme.example", NEW)["access_token"]
    old = api.post(
        "/admin/login", {"email": "boss@acme.example", "password": PASSWORD}, format="json"
    )
    assert old.status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {old_token}")
    assert api.get(f"/api/v1/orgs/{acme.slug}/records/").status_code == 401
    assert [e["actor"] for e in _events(acme.id, "staff_reset_password")] == ["staff:root"]


def test_a_password_reset_for_another_orgs_admin_or_a_weak_password_changes_nothing(
    staff_client, acme, make_org
):
    other, _, _ = make_org("Globex")
    (stranger,) = admins.for_org(other.id)
    refused = staff_client.post(
        _url("password", acme.id), {"admin": stranger.id, "password": NEW, "password2": NEW}
    )
    assert refused.status_code == 200 and refused.context["form"].errors["admin"]
    (admin,) = admins.for_org(acme.id)
    weak = staff_client.post(
        _url("password", acme.id),
        {"admin": admin.id, "password": "password", "password2": "password"},
    )
    assert weak.status_code == 200 and weak.context["form"].errors["password"]
    with pytest.raises(NotFound):
        staff.reset_password(username="root", org_id=acme.id, member_id=stranger.id, password=NEW)
    assert admins.get(admin.id).token_version == admin.token_version
    assert admins.get(stranger.id).token_version == stranger.token_version


def test_delete_needs_the_name_or_slug_typed_then_removes_everything_and_is_audited(
    staff_client, acme
):
    for wrong in ("acme", "Acme corp", ""):
        response = staff_client.post(_url("delete", acme.id), {"confirmation": wrong})
        assert response.status_code == 200 and response.context["form"].errors
    assert orgs.get(acme.id) is not None
    response = staff_client.post(
        _url("delete", acme.id), {"confirmation": "acme-corp"}, follow=True
    )
    assert response.redirect_chain[-1][0] == _url("changelist")
    assert _messages(response) == [
        "Deleted organization “Acme Corp” (acme-corp) with its admins and records."
    ]
    assert orgs.get(acme.id) is None and admins.for_org(acme.id) == []
    assert not collection_ops.exists("org_acme-corp")
    assert [e["actor"] for e in _events(acme.id, "org_deleted")] == ["staff:root"]
    assert_consistent()


def test_an_unknown_org_is_an_error_message_on_the_list(staff_client):
    response = staff_client.get(_url("detail", "0" * 24), follow=True)
    assert response.redirect_chain[-1][0] == _url("changelist")
    assert _messages(response) == ["Organization not found."]


def test_a_database_outage_on_the_list_is_an_error_message(staff_client, monkeypatch):
    def down(query):
        raise Unavailable("The database is not reachable.", code="database_unavailable")

    monkeypatch.setattr("organizations.staff.selectors.org_page", down)
    response = staff_client.get(_url("changelist"))
    assert response.status_code == 200
    assert _messages(response) == ["The database is not reachable."]


def test_the_detail_page_shows_metadata_admin_collection_size_and_audit(staff_client, acme):
    page = staff_client.get(_url("detail", acme.id)).content.decode()
    for shown in (
        "Acme Corp",
        "acme-corp",
        acme.id,
        "boss@acme.example",
        "org_acme-corp",
        '<td id="record-count">2</td>',
        "org_created",
        "login",
    ):
        assert shown in page, shown
    detail = staff_client.get(_url("detail", acme.id)).context["detail"]
    assert detail.stats.documents == 2 and detail.stats.data_bytes > 0


def _interrupt_rename(org, monkeypatch) -> None:
    def crash(step: str) -> None:
        if step == "rename.intent_recorded":
            raise RuntimeError(step)

    monkeypatch.setattr("kernel.failpoints.hit", crash)
    with pytest.raises(RuntimeError):
        services.organization_rename(org_id=org.id, new_name="Acme Two")
    monkeypatch.setattr("kernel.failpoints.hit", lambda step: None)


def test_reconciling_one_org_finishes_its_interrupted_operation_after_the_grace(
    staff_client, acme, monkeypatch, settings
):
    _interrupt_rename(acme, monkeypatch)
    settings.LIFECYCLE_GRACE_SECONDS = 3600
    pending = staff_client.get(_url("detail", acme.id)).content.decode()
    assert "to_slug" in pending and "acme-two" in pending and "It may still be running" in pending
    early = staff_client.post(_url("reconcile", acme.id), follow=True)
    assert "left alone" in _messages(early)[0]
    assert orgs.get(acme.id).pending is not None
    settings.LIFECYCLE_GRACE_SECONDS = 0
    done = staff_client.post(_url("reconcile", acme.id), follow=True)
    assert _messages(done) == ["Reconcile: rename finished."]
    assert (
        orgs.get(acme.id).slug == "acme-two"
        and master_db()["org_acme-two"].count_documents({}) == 2
    )
    outcomes = [e["outcome"] for e in _events(acme.id, "staff_reconciled_org")]
    assert outcomes[0] == "rename finished" and len(outcomes) == 2
    assert {e["actor"] for e in _events(acme.id, "staff_reconciled_org")} == {"staff:root"}
    assert_consistent()


def test_reconciling_one_org_needs_a_post(staff_client, acme):
    assert staff_client.get(_url("reconcile", acme.id)).status_code == 405


def test_reconciling_every_org_drops_orphan_collections_and_is_audited(staff_client, acme):
    master_db()["org_leftover"].insert_one({"x": 1})
    response = staff_client.post(_url("reconcile_all"), {}, follow=True)
    assert _messages(response) == [
        "Reconciled every organization: dropped orphan collection org_leftover."
    ]
    assert not collection_ops.exists("org_leftover")
    (event,) = [e for e in audit.recent(limit=50) if e["event"] == "staff_reconciled_all"]
    assert event["actor"] == "staff:root" and event["dropped"] == ["org_leftover"]


def test_no_admin_page_shows_a_password_or_its_hash(staff_client, acme):
    (admin,) = admins.for_org(acme.id)
    staff_client.post(
        _url("password", acme.id), {"admin": admin.id, "password": NEW, "password2": "typo-" + NEW}
    )
    hashes = [admin.password_hash.decode(), admins.get(admin.id).password_hash.decode()]
    pages = [
        _url("changelist"),
        _url("add"),
        _url("reconcile_all"),
        _url("detail", acme.id),
        _url("rename", acme.id),
        _url("password", acme.id),
        _url("delete", acme.id),
        f"{_url('changelist')}?q=boss@acme.example",
    ]
    responses = [staff_client.get(url) for url in pages]
    responses.append(
        staff_client.post(
            _url("password", acme.id),
            {"admin": admin.id, "password": NEW, "password2": "typo-" + NEW},
        )
    )
    for response in responses:
        body = response.content.decode()
        assert response.status_code == 200
        for secret in (PASSWORD, NEW, *hashes, "$2b$"):
            assert secret not in body
