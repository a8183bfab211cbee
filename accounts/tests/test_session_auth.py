"""The browsable API for org admins: a login page (email + password), a session holding only the
admin's id and token version, CSRF on unsafe methods, logout, and invalidation when the admin's
credentials change or the admin is deleted."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts import services as accounts
from accounts.session_auth import ADMIN_ID, TOKEN_VERSION
from accounts.tests.conftest import EMAIL
from conftest import PASSWORD
from organizations.orgs import services
from tenancy import admins, audit

LOGIN = "/api-auth/login/"
LOGOUT = "/api-auth/logout/"
RECORDS = "/api/v1/orgs/acme-corp/records/"


def _csrf(client: Client) -> str:
    return client.cookies["csrftoken"].value


@pytest.fixture
def browser(db, admin_org) -> Client:
    """A browser (CSRF enforced) that has loaded the login page."""
    client = Client(enforce_csrf_checks=True)
    assert client.get(LOGIN, {"next": RECORDS}).status_code == 200
    return client


def _log_in(client: Client, password: str = PASSWORD, next_url: str = RECORDS):
    data = {
        "email": EMAIL,
        "password": password,
        "next": next_url,
        "csrfmiddlewaretoken": _csrf(client),
    }
    return client.post(LOGIN, data)


@pytest.fixture
def logged_in(browser) -> Client:
    response = _log_in(browser)
    assert response.status_code == 302 and response["Location"] == RECORDS
    return browser


def _create(client: Client, **headers):
    return client.post(RECORDS, '{"title": "note"}', content_type="application/json", **headers)


def test_without_a_session_the_records_page_answers_401(browser):
    response = browser.get(RECORDS, HTTP_ACCEPT="text/html")
    assert response.status_code == 401
    assert f"{LOGIN}?next={RECORDS}" in response.content.decode()


def test_a_wrong_password_shows_an_error_and_starts_no_session(browser):
    response = _log_in(browser, password="Wrong-Horse-1-Battery")
    assert response.status_code == 401
    assert "Invalid email or password." in response.content.decode()
    assert ADMIN_ID not in browser.session
    assert browser.get(RECORDS).status_code == 401


def test_the_login_form_needs_its_csrf_token(browser):
    response = browser.post(LOGIN, {"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 403
    assert ADMIN_ID not in browser.session


def test_after_login_the_session_holds_only_the_admin_id_and_token_version(logged_in, admin_org):
    (admin,) = admins.for_org(admin_org.id)
    ours = {k: v for k, v in logged_in.session.items() if not k.startswith("_")}
    assert ours == {ADMIN_ID: admin.id, TOKEN_VERSION: admin.token_version}
    page = logged_in.get(RECORDS, HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    body = page.content.decode()
    assert EMAIL in body and 'name="_content"' in body and "Log out" in body
    assert logged_in.get("/api/v1/", HTTP_ACCEPT="text/html").status_code == 200


def test_the_login_rotates_the_session_key(browser):
    browser.session.save()
    before = browser.cookies["sessionid"].value
    _log_in(browser)
    assert browser.cookies["sessionid"].value != before


def test_an_unsafe_method_needs_the_csrf_token(logged_in):
    assert _create(logged_in).status_code == 403
    created = _create(logged_in, HTTP_X_CSRFTOKEN=_csrf(logged_in))
    assert created.status_code == 201
    listed = logged_in.get(RECORDS).json()["results"]
    assert [r["title"] for r in listed] == ["note"]


def test_a_session_reaches_only_its_own_orgs_records(logged_in, make_org):
    make_org("Globex")
    assert logged_in.get("/api/v1/orgs/globex/records/").status_code == 404


def test_the_next_url_must_stay_on_this_site(browser):
    response = _log_in(browser, next_url="https://evil.example/")
    assert response.status_code == 302 and response["Location"] == "/api/v1/"


def test_a_password_change_ends_the_browser_session(logged_in, admin_org):
    (admin,) = admins.for_org(admin_org.id)
    accounts.change_credentials(member_id=admin.id, password="Fresh-Battery-7-Staple")
    assert logged_in.get(RECORDS).status_code == 401
    assert ADMIN_ID not in logged_in.session


def test_deleting_the_org_ends_its_admins_browser_session(logged_in, admin_org):
    services.organization_delete(org_id=admin_org.id)
    assert logged_in.get(RECORDS).status_code == 401
    assert ADMIN_ID not in logged_in.session


def test_logout_needs_a_post_with_csrf_then_ends_the_session(logged_in, admin_org):
    assert logged_in.get(LOGOUT).status_code == 405
    assert logged_in.post(LOGOUT).status_code == 403
    response = logged_in.post(f"{LOGOUT}?next={RECORDS}", {"csrfmiddlewaretoken": _csrf(logged_in)})
    assert response.status_code == 302 and response["Location"] == RECORDS
    assert logged_in.get(RECORDS).status_code == 401
    events = [e["event"] for e in audit.recent(org_id=admin_org.id)]
    assert events[:2] == ["logout", "login"]


def test_a_staff_login_to_the_admin_site_does_not_open_the_api(db, admin_org, django_user_model):
    staff = django_user_model.objects.create_superuser("root", "r@staff.example", PASSWORD)
    client = Client()
    client.force_login(staff)
    assert client.get(RECORDS).status_code == 401


def test_browser_logins_are_throttled_like_api_logins(browser, settings):
    settings.LOGIN_RATE_PER_EMAIL = "2/min"
    statuses = [_log_in(browser, password="Wrong-Horse-1-Battery").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
