"""In a real browser (Debian's chromium, Playwright) against gunicorn as `make run` starts it, with
every request to another host blocked: Swagger UI and ReDoc render the operations, need nothing
from elsewhere and break none of their own CSP."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from organizations.tests.browser import browser_steps
from orgservice.testing import ROOT, gunicorn, manage

pytestmark = pytest.mark.slow

# ReDoc's bundle hard-codes its vendor's logo (https://cdn.redoc.ly/redoc/logo-mini.svg) in the
# sidebar footer, with no option to turn it off: our CSP (img-src 'self') stops the browser from
# fetching it, which the console reports; the image hides itself when it does not load.
REDOCLY_LOGO_BLOCKED = "'https://cdn.redoc.ly/redoc/logo-mini.svg' violates the following Content"
BUNDLE = "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
OPERATIONS = ["/org/create", "/org/get", "/admin/login", "/api/v1/orgs/"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("docs")
    if not (ROOT / "staticfiles" / BUNDLE.removeprefix("/static/")).exists():
        # `make test` collects static files first; a bare pytest run does it here.
        result = manage(data_dir, "collectstatic", "--noinput", "-v", "0")
        assert result.returncode == 0, result.stderr
    with gunicorn(data_dir) as base:
        yield base


class Offline:
    """Routes the page so only the service answers; records what else was asked for and every
    console error (a CSP violation is one)."""

    def __init__(self, page, base: str):
        self.host = urlsplit(base).hostname
        self.elsewhere: list[str] = []
        self.errors: list[str] = []
        self.failed: list[str] = []
        page.route("**/*", self._route)
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(r.url))

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname == self.host:
            route.continue_()
        else:
            self.elsewhere.append(url)
            route.abort("internetdisconnected")

    def assert_self_contained(self, *, expected_error: str = "") -> None:
        assert self.elsewhere == [], self.elsewhere
        assert self.failed == [], self.failed
        errors = [e for e in self.errors if not (expected_error and expected_error in e)]
        assert errors == [], errors


def test_the_docs_assets_are_served_by_the_service(server):
    bundle = requests.get(f"{server}{BUNDLE}", timeout=10)
    assert bundle.status_code == 200
    assert "javascript" in bundle.headers["Content-Type"]
    assert "SwaggerUIBundle" in bundle.text


def test_swagger_ui_renders_the_operations_with_no_network_beyond_the_service(server):
    with browser_steps() as steps:
        page = steps.page
        offline = Offline(page, server)
        page.goto(f"{server}/api/docs/")
        for path in OPERATIONS:
            page.locator(f".opblock-summary-path[data-path='{path}']").first.wait_for()
        steps.shot("docs-01-swagger-ui-offline")
        page.locator(".opblock-summary-path[data-path='/org/create']").first.click()
        page.get_by_role("button", name="Try it out").first.wait_for()
        steps.shot("docs-02-swagger-ui-operation-open")
        offline.assert_self_contained()


def test_redoc_renders_the_operations_with_no_network_beyond_the_service(server):
    with browser_steps() as steps:
        page = steps.page
        offline = Offline(page, server)
        page.goto(f"{server}/api/redoc/")
        page.locator("h1", has_text="orgservice API").wait_for()
        for path in OPERATIONS:
            page.get_by_text(path, exact=True).first.wait_for()
        assert page.locator("img[alt='redocly logo']").count() == 0
        # The viewport only: ReDoc lays out every operation on one page, and a full-page
        # screenshot of it outgrew the 15 s step timeout on a loaded machine as routes were added.
        steps.shot("docs-03-redoc-offline", full_page=False)
        offline.assert_self_contained(expected_error=REDOCLY_LOGO_BLOCKED)
