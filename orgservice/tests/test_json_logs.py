"""The JSON log: one parseable line per request, the right fields, and never a secret."""

import logging

from conftest import PASSWORD
from kernel.redaction import MASK, redact, scrub
from tenancy import admins

NEW_PASSWORD = "Another-Horse-7-Staple"


def _flow(api, json_log) -> dict:
    """Create, log in, change the password and rename over the API; returns the secrets seen."""
    body = {"organization_name": "Acme Corp", "email": "boss@acme.example", "password": PASSWORD}
    assert api.post("/org/create", body, format="json").status_code == 201
    tokens = api.post(
        "/admin/login", {"email": body["email"], "password": PASSWORD}, format="json"
    ).json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    updated = api.put(
        "/org/update",
        {"organization_name": "Acme Two", "password": NEW_PASSWORD, "current_password": PASSWORD},
        format="json",
    )
    assert updated.status_code == 200, updated.content
    wrong = api.post("/admin/login", {"email": body["email"], "password": PASSWORD}, format="json")
    assert wrong.status_code == 401
    return {
        "password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "access_token": tokens["access_token"],
        "refresh_token": tokens["refresh_token"],
        "password_hash": admins.get_by_email(body["email"]).password_hash,
    }


def test_each_request_writes_one_json_access_line_with_its_fields(api, json_log):
    _flow(api, json_log)
    lines = json_log.access()
    assert [(r["method"], r["route"], r["status"]) for r in lines] == [
        ("POST", "org/create", 201),
        ("POST", "admin/login", 200),
        ("PUT", "org/update", 200),
        ("POST", "admin/login", 401),
    ]
    for line in lines:
        assert line["level"] == "INFO" and line["message"] == "request"
        assert line["path"].startswith("/") and isinstance(line["duration_ms"], float)
        assert len(line["request_id"]) == 32 and line["ts"].endswith("+00:00")


def test_the_access_line_names_the_org_only_when_an_admin_is_authenticated(api, json_log):
    _flow(api, json_log)
    org_ids = [r["org_id"] for r in json_log.access()]
    assert org_ids[0] is None and org_ids[1] is None
    assert isinstance(org_ids[2], str) and len(org_ids[2]) == 24


def test_no_password_hash_or_token_reaches_the_log_in_a_full_flow(api, json_log):
    secrets = _flow(api, json_log)
    assert len(json_log.records()) >= 4
    for name, value in secrets.items():
        text = value.decode() if isinstance(value, bytes) else value
        assert text not in json_log.text, name


def test_a_careless_line_is_masked_but_kept(json_log):
    logging.getLogger("orgservice.test").warning(
        "login with %s",
        {"email": "a@b.example", "password": "hunter2-hunter2"},
        extra={"headers": {"Authorization": "Bearer abc.def.ghi"}, "token": "t0ken"},
    )
    (record,) = json_log.records()
    assert "hunter2" not in json_log.text and "t0ken" not in json_log.text
    assert "abc.def.ghi" not in json_log.text
    assert record["headers"] == {"Authorization": MASK} and record["token"] == MASK
    assert "a@b.example" in record["message"]


def test_scrub_masks_bearer_tokens_jwts_bcrypt_hashes_and_password_pairs():
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJhZG1pbl9pZCI6IjEifQ.c2lnbmF0dXJl"
    bcrypt_hash = "$2b$12$" + "a" * 53
    text = f'Bearer xyz {jwt} {bcrypt_hash} password=hunter2 "token": "t0k"'
    scrubbed = scrub(text)
    for secret in ("xyz", jwt, bcrypt_hash, "hunter2", "t0k"):
        assert secret not in scrubbed


def test_redact_masks_secret_keys_at_any_depth_and_keeps_the_rest():
    value = {"user": {"email": "a@b.example", "password_hash": b"$2b$"}, "items": [{"api_key": 1}]}
    assert redact(value) == {
        "user": {"email": "a@b.example", "password_hash": MASK},
        "items": [{"api_key": MASK}],
    }


def test_an_exception_traceback_is_one_json_line_and_scrubbed(json_log):
    try:
        raise ValueError("bad token=s3cr3t-value")
    except ValueError:
        logging.getLogger("orgservice.test").exception("failed")
    (record,) = json_log.records()
    assert "ValueError" in record["exc"] and "s3cr3t-value" not in json_log.text
