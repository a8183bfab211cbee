"""Signing-key rotation: new tokens use the new key, tokens under a previous key keep working
until they expire or the key is dropped from JWT_PREVIOUS_SIGNING_KEYS."""

from __future__ import annotations

from datetime import timedelta

import jwt
import time_machine

from accounts.tests.conftest import authenticated_call, refresh
from accounts.tokens import key_id

OLD_KEY = "old-signing-key-" + "o" * 40
NEW_KEY = "new-signing-key-" + "n" * 40


def _kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def _rotate(settings, *previous: str) -> None:
    settings.JWT_SIGNING_KEY = NEW_KEY
    settings.JWT_PREVIOUS_SIGNING_KEYS = list(previous)


def test_tokens_name_the_current_key_and_verify_with_it(settings, admin_org, login):
    settings.JWT_SIGNING_KEY = OLD_KEY
    body = login("boss@acme.example")
    assert _kid(body["access_token"]) == _kid(body["refresh_token"]) == key_id(OLD_KEY)
    jwt.decode(body["access_token"], OLD_KEY, algorithms=["HS256"])
    assert OLD_KEY not in _kid(body["access_token"])


def test_after_rotation_old_tokens_still_work_and_new_ones_use_the_new_key(
    settings, admin_org, login
):
    settings.JWT_SIGNING_KEY = OLD_KEY
    old = login("boss@acme.example")
    _rotate(settings, OLD_KEY)
    assert authenticated_call(old["access_token"]).status_code == 200
    rotated = refresh(old["refresh_token"]).json()
    assert _kid(rotated["access_token"]) == key_id(NEW_KEY)
    jwt.decode(rotated["access_token"], NEW_KEY, algorithms=["HS256"])
    assert authenticated_call(rotated["access_token"]).status_code == 200


def test_a_dropped_previous_key_verifies_nothing(settings, admin_org, login):
    settings.JWT_SIGNING_KEY = OLD_KEY
    old = login("boss@acme.example")
    _rotate(settings)
    assert authenticated_call(old["access_token"]).status_code == 401
    assert refresh(old["refresh_token"]).status_code == 401


def test_tokens_under_a_previous_key_still_expire(settings, admin_org, login):
    settings.JWT_SIGNING_KEY = OLD_KEY
    old = login("boss@acme.example")
    _rotate(settings, OLD_KEY)
    with time_machine.travel(timedelta(days=7, seconds=1)):
        assert refresh(old["refresh_token"]).status_code == 401
        assert authenticated_call(old["access_token"]).status_code == 401


def test_a_token_forged_with_a_previous_keys_kid_but_the_new_key_is_refused(
    settings, admin_org, login
):
    settings.JWT_SIGNING_KEY = OLD_KEY
    old = login("boss@acme.example")
    _rotate(settings, OLD_KEY)
    claims = jwt.decode(old["access_token"], options={"verify_signature": False})
    mixed = jwt.encode(claims, NEW_KEY, algorithm="HS256", headers={"kid": key_id(OLD_KEY)})
    assert authenticated_call(mixed).status_code == 401
