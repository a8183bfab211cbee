"""The REST API for organizations under /api/v1/orgs/ (by slug), and the OpenAPI docs."""

from conftest import PASSWORD
from tenancy import collection_ops, orgs


def _signup(api, name="Acme Corp", email="boss@acme.example"):
    return api.post(
        "/api/v1/orgs/",
        {"organization_name": name, "email": email, "password": PASSWORD},
        format="json",
    )


def test_signup_and_retrieve_by_slug(api):
    created = _signup(api)
    assert created.status_code == 201
    fetched = api.get("/api/v1/orgs/acme-corp/")
    assert fetched.status_code == 200
    assert fetched.json()["id"] == created.json()["id"]
    assert api.get("/api/v1/orgs/no-such-org/").status_code == 404
    assert api.get("/api/v1/orgs/Not A Slug/").status_code == 404


def test_login_through_the_rest_auth_route(api):
    _signup(api)
    response = api.post(
        "/api/v1/auth/login/", {"email": "boss@acme.example", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["token_type"] == "Bearer"


def test_patch_renames_and_moves_the_collection(api, authed):
    _signup(api)
    client = authed("boss@acme.example")
    response = client.patch("/api/v1/orgs/acme-corp/", {"name": "Acme Next"}, format="json")
    assert response.status_code == 200
    assert response.json()["slug"] == "acme-next"
    assert api.get("/api/v1/orgs/acme-corp/").status_code == 404
    assert collection_ops.exists("org_acme-next")


def test_patch_or_delete_of_another_org_is_403_and_changes_nothing(api, authed):
    _signup(api)
    _signup(api, "Other Org", "o@other.example")
    client = authed("o@other.example")
    assert (
        client.patch("/api/v1/orgs/acme-corp/", {"name": "Hijacked"}, format="json").status_code
        == 403
    )
    assert client.delete("/api/v1/orgs/acme-corp/").status_code == 403
    assert orgs.get_by_slug("acme-corp").name == "Acme Corp"


def test_patch_and_delete_need_a_token(api):
    _signup(api)
    assert (
        api.patch("/api/v1/orgs/acme-corp/", {"name": "X Corp"}, format="json").status_code == 401
    )
    assert api.delete("/api/v1/orgs/acme-corp/").status_code == 401


def test_delete_own_org_is_204(api, authed):
    _signup(api)
    client = authed("boss@acme.example")
    assert client.delete("/api/v1/orgs/acme-corp/").status_code == 204
    assert api.get("/api/v1/orgs/acme-corp/").status_code == 404


def test_browsable_api_renders_html(api):
    _signup(api)
    response = api.get("/api/v1/orgs/acme-corp/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Acme Corp" in response.content and b"<html" in response.content


def test_openapi_schema_covers_the_assignment_routes_and_the_rest_api(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/org/create",
        "/org/get",
        "/org/update",
        "/org/delete",
        "/admin/login",
        "/api/v1/orgs/",
        "/api/v1/orgs/{slug}/",
        "/api/v1/auth/login/",
    ]:
        assert path in paths
    assert api.get("/api/docs/").status_code == 200
