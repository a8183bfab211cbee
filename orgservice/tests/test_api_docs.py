"""The API docs pages (Swagger UI at /api/docs/, ReDoc at /api/redoc/) name only our own assets
and carry a CSP that forbids inline and third-party scripts."""

from __future__ import annotations

import re

from django.test import Client

SIDECAR = "/static/drf_spectacular_sidecar/"


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_swagger_ui_loads_its_assets_from_our_static_files_not_a_cdn():
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = _asset_urls(html)
    assert f"{SIDECAR}swagger-ui-dist/swagger-ui-bundle.js" in urls
    assert f"{SIDECAR}swagger-ui-dist/swagger-ui.css" in urls
    assert all(url.startswith((SIDECAR, "/api/docs/?")) for url in urls), urls
    assert "cdn.jsdelivr.net" not in html and "<script>" not in html


def test_swagger_ui_start_up_script_is_a_same_origin_script_pointing_at_the_schema():
    response = Client().get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert '"/api/schema/"' in response.content.decode()


def test_redoc_loads_only_our_bundle_and_no_web_fonts():
    response = Client().get("/api/redoc/")
    assert response.status_code == 200
    html = response.content.decode()
    assert _asset_urls(html) == [f"{SIDECAR}redoc/bundles/redoc.standalone.js"]
    assert 'spec-url="/api/schema/"' in html
    assert "googleapis" not in html and "gstatic" not in html


def test_both_docs_pages_forbid_inline_and_third_party_scripts():
    for path in ["/api/docs/", "/api/docs/?script=", "/api/redoc/"]:
        policy = Client().get(path)["Content-Security-Policy"]
        assert "script-src 'self';" in policy, path
        assert "connect-src 'self'" in policy and "unsafe-eval" not in policy
