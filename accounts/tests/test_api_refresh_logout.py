"""Refresh rotates the refresh token, reuse of a rotated one logs the admin out everywhere,
and logout revokes the refresh token and the access token that asked."""

from __future__ import annotations

from datetime import timedelta

import jwt
import time_machine
from django.conf import settings

from accounts.tests.conftest import authenticated_call, bearer, refresh
from tenancy import revocations
from tenancy.indexes import REVOKED_TOKENS
from tenancy.stores.client import master_db

LOGIN_KEYS = {"access_token", "refresh_token", "token_type", "expires_in"}


def _logout(access_token: str, refresh_token: str):
    return bearer(access_token).post(
        "/api/v1/auth/logout/", {"refresh_token": refresh_token}, format="json"
    )


def test_refresh_answers_the_login_body_with_new_working_tokens(tokens):
    response = refresh(tokens["refresh_token"])
    assert response.status_code == 200
    body = response.json()
    assert set(body) == LOGIN_KEYS
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 15 * 60)
    assert body["refresh_token"] != tokens["refresh_token"]
    assert authenticated_call(body["access_token"]).status_code == 200
    assert refresh(body["refresh_token"]).status_code == 200


def test_a_rotated_refresh_token_refreshes_nothing(tokens):
    assert refresh(tokens["refresh_token"]).status_code == 200
    again = refresh(tokens["refresh_token"])
    assert (again.status_code, again.json()["code"]) == (401, "invalid_token")


def test_reuse_of_a_rotated_refresh_token_revokes_every_token_of_the_admin(tokens, login):
    rotated = refresh(tokens["refresh_token"]).json()
    assert refresh(tokens["refresh_token"]).status_code == 401
    assert authenticated_call(rotated["access_token"]).status_code == 401
    assert refresh(rotated["refresh_token"]).status_code == 401
    fresh = login("boss@acme.example")
    assert authenticated_call(fresh["access_token"]).status_code == 200


def test_logout_is_204_and_the_refresh_token_then_refreshes_nothing(tokens):
    response = _logout(tokens["access_token"], tokens["refresh_token"])
    assert (response.status_code, response.content) == (204, b"")
    after = refresh(tokens["refresh_token"])
    assert (after.status_code, after.json()["code"]) == (401, "invalid_token")


def test_logout_also_revokes_the_access_token_that_asked(tokens):
    assert _logout(tokens["access_token"], tokens["refresh_token"]).status_code == 204
    assert authenticated_call(tokens["access_token"]).status_code == 401


def test_logout_leaves_the_admins_other_sessions_working(tokens, login):
    other = login("boss@acme.example")
    assert _logout(tokens["access_token"], tokens["refresh_token"]).status_code == 204
    assert authenticated_call(other["access_token"]).status_code == 200
    assert refresh(other["refresh_token"]).status_code == 200


def test_logout_twice_is_still_204_and_not_taken_for_reuse(tokens, login):
    other = login("boss@acme.example")
    assert _logout(tokens["access_token"], tokens["refresh_token"]).status_code == 204
    assert _logout(other["access_token"], tokens["refresh_token"]).status_code == 204
    assert refresh(other["refresh_token"]).status_code == 200


def test_logout_needs_the_bearer_token(tokens, api):
    response = api.post(
        "/api/v1/auth/logout/", {"refresh_token": tokens["refresh_token"]}, format="json"
    )
    assert response.status_code == 401
    assert refresh(tokens["refresh_token"]).status_code == 200


def test_logout_with_another_admins_refresh_token_is_403_and_revokes_nothing(
    tokens, make_org, login
):
    make_org("Other Org", email="boss@other.example")
    victim = login("boss@other.example")
    response = _logout(tokens["access_token"], victim["refresh_token"])
    assert (response.status_code, response.json()["code"]) == (403, "not_your_token")
    assert refresh(victim["refresh_token"]).status_code == 200
    assert authenticated_call(tokens["access_token"]).status_code == 200


def test_logout_with_an_access_token_in_place_of_the_refresh_token_is_401(tokens):
    response = _logout(tokens["access_token"], tokens["access_token"])
    assert (response.status_code, response.json()["code"]) == (401, "invalid_token")


def test_refresh_and_logout_reject_non_string_tokens_with_400(tokens):
    for bad in ({"$ne": None}, 123, ["x"], None):
        assert refresh_raw({"refresh_token": bad}).status_code == 400
    assert refresh_raw({}).status_code == 400
    assert _logout(tokens["access_token"], {"$ne": None}).status_code == 400


def refresh_raw(body: dict):
    from rest_framework.test import APIClient

    return APIClient().post("/api/v1/auth/refresh/", body, format="json")


def test_a_revocation_is_kept_until_the_token_expires_and_indexed_for_ttl(tokens):
    assert _logout(tokens["access_token"], tokens["refresh_token"]).status_code == 204
    docs = list(master_db()[REVOKED_TOKENS].find({}))
    assert {d["reason"] for d in docs} == {revocations.LOGOUT}
    claims = [
        jwt.decode(tokens[k], options={"verify_signature": False})
        for k in ("access_token", "refresh_token")
    ]
    kept_until = {d["_id"]: round(d["expires_at"].timestamp()) for d in docs}
    assert kept_until == {c["jti"]: c["exp"] for c in claims}
    lifetimes = sorted(c["exp"] - c["iat"] for c in claims)
    expected = [settings.ACCESS_TOKEN_LIFETIME, settings.REFRESH_TOKEN_LIFETIME]
    assert lifetimes == [round(t.total_seconds()) for t in expected]
    ttl = master_db()[REVOKED_TOKENS].index_information()["expires_ttl"]
    assert (ttl["key"], ttl["expireAfterSeconds"]) == ([("expires_at", 1)], 0)


def test_a_refreshed_pair_expires_on_its_own_schedule(tokens):
    with time_machine.travel(timedelta(days=6)):
        rotated = refresh(tokens["refresh_token"]).json()
    with time_machine.travel(timedelta(days=8)):
        assert refresh(rotated["refresh_token"]).status_code == 200
