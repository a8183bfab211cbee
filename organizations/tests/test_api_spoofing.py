"""Over HTTP: lookalike org names and lookalike email addresses never make a second identity."""

import pytest

from conftest import PASSWORD


def test_the_cyrillic_lookalike_cannot_be_created_next_to_the_real_org(api):
    real = {"organization_name": "RT Zürich", "email": "a@rt.example", "password": PASSWORD}
    fake = {**real, "organization_name": "R\u0422 Zürich", "email": "b@rt.example"}
    assert api.post("/org/create", real, format="json").status_code == 201
    response = api.post("/org/create", fake, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "name_mixed_script"
    listed = api.get("/org/get", {"organization_name": "RT Zürich"}).json()
    assert listed["slug"] == "rt-zurich"


def test_a_bidi_override_in_a_rename_is_refused_and_changes_nothing(api, make_org, authed):
    org, email, _ = make_org("Acme Corp")
    client = authed(email)
    response = client.put("/org/update", {"organization_name": "Acme\u202eCorp"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "name_invisible_characters"
    assert api.get("/org/get", {"organization_name": "Acme Corp"}).json()["name"] == "Acme Corp"


def _signup(api, name: str, email: str):
    body = {"organization_name": name, "email": email, "password": PASSWORD}
    return api.post("/org/create", body, format="json")


def test_a_full_width_letter_in_the_domain_is_the_same_mailbox_at_sign_up(api):
    assert _signup(api, "Acme Corp", "user@example.com").status_code == 201
    response = _signup(api, "Other Corp", "user@\uff45xample.com")  # FULLWIDTH LATIN SMALL E
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


def test_login_with_either_spelling_finds_the_one_account(api, authed):
    created = _signup(api, "Acme Corp", "user@\uff45xample.com").json()
    for spelling in ("user@example.com", "user@\uff45xample.com", "USER@EXAMPLE.COM"):
        body = {"email": spelling, "password": PASSWORD}
        response = api.post("/admin/login", body, format="json")
        assert response.status_code == 200, spelling
    listed = authed("user@example.com").get(f"/api/v1/orgs/{created['slug']}/members/").json()
    assert [m["email"] for m in listed] == ["user@example.com"]


def test_a_punycode_and_a_unicode_domain_are_one_mailbox(api):
    assert _signup(api, "Acme Corp", "user@b\u00fccher.example").status_code == 201
    response = _signup(api, "Other Corp", "user@xn--bcher-kva.example")
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


@pytest.mark.parametrize(
    "email",
    [
        "user@exam\u00adple.com",  # SOFT HYPHEN
        "user@exa\u200bmple.com",  # ZERO WIDTH SPACE
        "us\u200der@example.com",  # ZERO WIDTH JOINER
        "user@example.com\u202e",  # RIGHT-TO-LEFT OVERRIDE
    ],
)
def test_an_invisible_character_in_an_email_is_refused_and_creates_nothing(api, email):
    response = _signup(api, "Acme Corp", email)
    assert response.status_code == 400
    assert response.json()["code"] == "email_invisible_characters"
    assert api.get("/org/get", {"organization_name": "Acme Corp"}).status_code == 404
