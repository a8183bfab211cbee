"""In a real browser (Debian's chromium, Playwright) against gunicorn as `make run` starts it:
a staff user manages an org in the admin panel; an org admin uses the browsable API."""

from __future__ import annotations

import re

import pytest
import requests

from conftest import PASSWORD
from organizations.tests.browser import browser_steps, require_chromium
from orgservice.testing import ROOT, gunicorn, manage

pytestmark = pytest.mark.slow

STAFF = ("staff", "Staff-Pass-9-Horse")
NEW_PASSWORD = "Fresh-Battery-7-Staple"


def _collect_static(data_dir) -> None:
    """`make test` collects static files first; a bare pytest run does it here."""
    if not (ROOT / "staticfiles" / "admin" / "css" / "base.css").exists():
        result = manage(data_dir, "collectstatic", "--noinput", "-v", "0")
        assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    data_dir = tmp_path_factory.mktemp("browser")
    _collect_static(data_dir)
    with gunicorn(data_dir) as base:
        created = manage(
            data_dir,
            "createsuperuser",
            "--noinput",
            "--username",
            STAFF[0],
            "--email",
            "staff@example.com",
            DJANGO_SUPERUSER_PASSWORD=STAFF[1],
        )
        assert created.returncode == 0, created.stderr
        yield base


def _sign_up(base: str, name: str, email: str) -> dict:
    body = {"organization_name": name, "email": email, "password": PASSWORD}
    response = requests.post(f"{base}/org/create", json=body, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def _api_login(base: str, email: str, password: str) -> int:
    body = {"email": email, "password": password}
    return requests.post(f"{base}/admin/login", json=body, timeout=10).status_code


def test_admin_panel_is_styled_under_gunicorn(server):
    css = requests.get(f"{server}/static/admin/css/base.css", timeout=10)
    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")


def test_staff_creates_finds_renames_resets_and_deletes_an_org(server):
    _sign_up(server, "Initech", "boss@initech.example")
    _sign_up(server, "Umbrella Corp", "boss@umbrella.example")
    with browser_steps() as steps:
        page = steps.page
        page.goto(f"{server}/admin/")
        steps.shot("01-admin-login")
        page.fill("#id_username", STAFF[0])
        page.fill("#id_password", STAFF[1])
        page.click("input[type=submit]")
        page.wait_for_selector("text=Organizations")
        steps.shot("02-admin-index-with-organizations")

        page.click("#content-main a[href='/admin/organizations/organization/']")
        page.wait_for_url(f"{server}/admin/organizations/organization/")
        page.click(".object-tools a.addlink")
        page.wait_for_url(f"{server}/admin/organizations/organization/add/")
        page.fill("#id_name", "Globex Corporation")
        page.fill("#id_email", "hank@globex.example")
        page.fill("#id_password", PASSWORD)
        page.fill("#id_password2", PASSWORD)
        steps.shot("03-create-form-filled")
        page.click("input[type=submit]")
        page.wait_for_selector("ul.messagelist li.success")
        assert "Created organization “Globex Corporation” (globex-corporation)." in page.inner_text(
            "ul.messagelist"
        )
        assert page.inner_text("#org-admins").count("hank@globex.example") == 1
        steps.shot("04-org-created-detail")

        page.click(".breadcrumbs a[href='/admin/organizations/organization/']")
        page.fill("#searchbar", "glob")
        page.press("#searchbar", "Enter")
        page.wait_for_url(re.compile(r"q=glob"))
        rows = page.locator("#result_list tbody tr")
        assert rows.count() == 1 and "Globex Corporation" in rows.first.inner_text()
        steps.shot("05-search-finds-the-org")

        page.click("#result_list a:has-text('Globex Corporation')")
        page.wait_for_selector("#org-metadata")
        page.click(".object-tools a:has-text('Rename')")
        page.wait_for_url(re.compile(r"/rename/$"))
        page.fill("#id_name", "Globex Worldwide")
        steps.shot("06-rename-form")
        page.click("input[type=submit]")
        page.wait_for_selector("ul.messagelist li.success")
        assert "globex-worldwide" in page.inner_text("#org-metadata")
        assert "org_globex-worldwide" in page.inner_text("#org-data")
        steps.shot("07-renamed-detail")

        page.click(".object-tools a:has-text('Reset admin password')")
        page.wait_for_url(re.compile(r"/password/$"))
        page.fill("#id_password", NEW_PASSWORD)
        page.fill("#id_password2", NEW_PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("ul.messagelist li.success")
        assert NEW_PASSWORD not in page.content()
        steps.shot("08-password-reset")
        assert _api_login(server, "hank@globex.example", NEW_PASSWORD) == 200
        assert _api_login(server, "hank@globex.example", PASSWORD) == 401

        page.click(".object-tools a.deletelink")
        page.wait_for_url(re.compile(r"/delete/$"))
        page.fill("#id_confirmation", "Globex")
        page.click("input[type=submit]")
        page.wait_for_selector(".errornote")
        page.fill("#id_confirmation", "Globex Worldwide")
        steps.shot("09-delete-confirmation-typed")
        page.click("input[type=submit]")
        page.wait_for_selector("ul.messagelist li.success")
        assert "Deleted organization “Globex Worldwide”" in page.inner_text("ul.messagelist")
        assert "Globex" not in page.inner_text("#result_list")
        steps.shot("10-deleted-back-on-the-list")
    gone = requests.get(
        f"{server}/org/get", params={"organization_name": "Globex Worldwide"}, timeout=10
    )
    assert gone.status_code == 404


def test_org_admin_logs_in_creates_a_record_in_the_browsable_api_and_logs_out(server):
    org = _sign_up(server, "Hooli", "gavin@hooli.example")
    records = f"{server}/api/v1/orgs/{org['slug']}/records/"
    with browser_steps() as steps:
        page = steps.page
        page.goto(records)
        assert "HTTP 401 Unauthorized" in page.inner_text(".response-info")
        steps.shot("11-api-records-need-login")

        page.click("a:has-text('Log in')")
        page.wait_for_url(re.compile(r"/api-auth/login/"))
        page.fill("#id_email", "gavin@hooli.example")
        page.fill("#id_password", PASSWORD)
        steps.shot("12-api-login-form")
        page.click("#login-submit")
        page.wait_for_url(records)
        assert "HTTP 200 OK" in page.inner_text(".response-info")
        steps.shot("13-api-records-empty")

        page.fill("#id__content", '{"title": "First note", "stars": 5}')
        page.click("#post-generic-content-form button:has-text('POST')")
        page.wait_for_selector(".response-info:has-text('HTTP 201 Created')")
        steps.shot("14-api-record-created")

        page.goto(records)
        listed = page.inner_text(".response-info")
        assert "HTTP 200 OK" in listed and '"title": "First note"' in listed
        steps.shot("15-api-record-listed")

        page.click(".navbar .dropdown-toggle")
        page.click("a:has-text('Log out')")
        page.wait_for_selector(".response-info:has-text('HTTP 401 Unauthorized')")
        steps.shot("16-api-logged-out")
        page.goto(records)
        assert "HTTP 401 Unauthorized" in page.inner_text(".response-info")
        assert "First note" not in page.content()
