"""Who may use the admin panel's Organizations section: staff only, CSRF on every action, and
the destructive actions only with the manage_organizations permission."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from organizations.tests.conftest import STAFF_PASSWORD
from tenancy import admins, orgs


def _url(name: str, *args: str) -> str:
    return reverse(f"admin:organizations_organization_{name}", args=args)


@pytest.fixture
def acme(make_org):
    org, _, _ = make_org("Acme Corp")
    return org


def _pages(org_id: str) -> list[str]:
    return [
        _url("changelist"),
        _url("add"),
        _url("reconcile_all"),
        _url("detail", org_id),
        _url("rename", org_id),
        _url("password", org_id),
        _url("delete", org_id),
    ]


def test_anonymous_visitors_are_sent_to_the_admin_login_from_every_page(db, acme):
    for url in _pages(acme.id):
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login"))


def test_a_user_who_is_not_staff_is_sent_to_the_login_and_sees_no_organization(
    db, django_user_model, acme
):
    user = django_user_model.objects.create_user("visitor", password=STAFF_PASSWORD)
    client = Client()
    client.force_login(user)
    for url in _pages(acme.id):
        response = client.get(url)
        assert response.status_code == 302, url
        assert b"Acme" not in response.content
    assert client.post(_url("delete", acme.id), {"confirmation": "Acme Corp"}).status_code == 302
    assert orgs.get(acme.id) is not None


def test_the_admin_index_shows_the_organizations_section_to_staff(helper_client):
    page = helper_client.get(reverse("admin:index")).content.decode()
    assert _url("changelist") in page
    assert _url("add") in page


def test_staff_without_the_manage_permission_may_not_delete_or_reset_a_password(
    helper_client, acme
):
    (admin,) = admins.for_org(acme.id)
    assert helper_client.get(_url("delete", acme.id)).status_code == 403
    refused = helper_client.post(_url("delete", acme.id), {"confirmation": "Acme Corp"})
    assert refused.status_code == 403
    reset = {"admin": admin.id, "password": "Other-Pass-8-Word", "password2": "Other-Pass-8-Word"}
    assert helper_client.post(_url("password", acme.id), reset).status_code == 403
    assert helper_client.post(_url("reconcile_all"), {}).status_code == 403
    assert orgs.get(acme.id) is not None
    assert admins.get(admin.id).password_hash == admin.password_hash
    detail = helper_client.get(_url("detail", acme.id)).content.decode()
    assert _url("delete", acme.id) not in detail and _url("password", acme.id) not in detail


def test_staff_without_the_manage_permission_may_rename(helper_client, acme):
    response = helper_client.post(_url("rename", acme.id), {"name": "Acme Two"})
    assert response.status_code == 302
    assert orgs.get(acme.id).slug == "acme-two"


def test_every_action_refuses_a_post_without_the_csrf_token(superuser, acme, make_org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    (admin,) = admins.for_org(acme.id)
    posts = {
        _url("add"): {
            "name": "Globex",
            "email": "g@globex.example",
            "password": PASSWORD,
            "password2": PASSWORD,
        },
        _url("rename", acme.id): {"name": "Acme Two"},
        _url("password", acme.id): {
            "admin": admin.id,
            "password": "Other-Pass-8-Word",
            "password2": "Other-Pass-8-Word",
        },
        _url("delete", acme.id): {"confirmation": "Acme Corp"},
        _url("reconcile", acme.id): {},
        _url("reconcile_all"): {},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    assert [o.slug for o in orgs.all_orgs()] == ["acme-corp"]
    assert admins.get(admin.id).token_version == admin.token_version
