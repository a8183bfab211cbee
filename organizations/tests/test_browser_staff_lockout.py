"""In a real browser against gunicorn as `make run` starts it: guessing a staff password at
/admin/login/ locks that username out from this address (django-axes); another staff member
sees the lockout in the panel and removes it, and the right password works again."""

from __future__ import annotations

import pytest

from organizations.tests.browser import browser_steps, require_chromium
from organizations.tests.test_browser_flows import _collect_static
from orgservice.testing import gunicorn, manage

pytestmark = pytest.mark.slow

STAFF = ("staff", "Staff-Pass-9-Horse")
INTERN = ("intern", "Intern-Pass-7-Staple")
LIMIT = 3


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    data_dir = tmp_path_factory.mktemp("lockout")
    _collect_static(data_dir)
    with gunicorn(data_dir, STAFF_LOGIN_FAILURE_LIMIT=str(LIMIT)) as base:
        for username, password in (STAFF, INTERN):
            created = manage(
                data_dir,
                "createsuperuser",
                "--noinput",
                "--username",
                username,
                "--email",
                f"{username}@example.com",
                DJANGO_SUPERUSER_PASSWORD=password,
            )
            assert created.returncode == 0, created.stderr
        yield base


def _submit_login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")


def test_a_locked_out_staff_login_is_seen_and_removed_in_the_panel(server):
    with browser_steps() as steps:
        page = steps.page
        for attempt in range(1, LIMIT):
            _submit_login(page, server, INTERN[0], f"guess-{attempt}")
            page.wait_for_selector(".errornote")
        _submit_login(page, server, INTERN[0], "guess-last")
        page.wait_for_selector("#staff-locked-out")
        steps.shot("lockout-01-locked-after-guesses")
        _submit_login(page, server, *INTERN)
        page.wait_for_selector("#staff-locked-out")
        assert "Site administration" not in page.content()
        steps.shot("lockout-02-right-password-still-locked")

        _submit_login(page, server, *STAFF)  # another username from the same address
        page.wait_for_selector("text=Site administration")
        page.goto(f"{server}/admin/axes/accessattempt/")
        row = page.locator("#result_list tbody tr")
        assert row.count() == 1
        assert "intern" in row.first.inner_text() and "Locked Out" in row.first.inner_text()
        assert "guess-" not in page.content()
        steps.shot("lockout-03-staff-sees-the-lockout")
        page.check("#result_list input[name=_selected_action]")
        page.select_option("select[name=action]", "delete_selected")
        page.click("button[name=index]")
        page.click("input[type=submit]")  # "Yes, I'm sure"
        page.wait_for_selector("ul.messagelist li.success")
        steps.shot("lockout-04-lockout-removed")
        page.click("#logout-form button")
        page.wait_for_selector("text=Logged out")

        _submit_login(page, server, *INTERN)
        page.wait_for_selector("text=Site administration")
        steps.shot("lockout-05-intern-logs-in-again")
