"""Forged, tampered, expired and misused tokens are refused with 401 (never 500)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import jwt
import pytest
import time_machine
from django.conf import settings

from accounts.tests.conftest import authenticated_call, refresh
from accounts.tokens import key_id
from organizations.orgs.services import organization_delete


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _forge(payload: dict, *, key: str, algorithm: str = "HS256", kid: str | None = None) -> str:
    headers = {"kid": kid if kid is not None else key_id(settings.JWT_SIGNING_KEY)}
    return jwt.encode(payload, key, algorithm=algorithm, headers=headers)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_genuine_access_token_is_accepted(tokens):
    assert authenticated_call(tokens["access_token"]).status_code == 200


def test_an_alg_none_token_is_refused(tokens):
    header = {"alg": "none", "typ": "JWT", "kid": key_id(settings.JWT_SIGNING_KEY)}
    claims = _claims(tokens["access_token"])
    unsigned = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}."
    response = authenticated_call(unsigned)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.parametrize("algorithm", ["HS384", "HS512"])
def test_a_token_under_another_algorithm_with_the_right_key_is_refused(tokens, algorithm):
    claims = _claims(tokens["access_token"])
    forged = _forge(claims, key=settings.JWT_SIGNING_KEY, algorithm=algorithm)
    assert authenticated_call(forged).status_code == 401


def test_a_token_signed_with_another_key_is_refused(tokens):
    forged = _forge(_claims(tokens["access_token"]), key="an-attacker-key-" + "z" * 40)
    assert authenticated_call(forged).status_code == 401


def test_a_token_naming_an_unknown_key_or_none_is_refused(tokens):
    claims = _claims(tokens["access_token"])
    unknown = _forge(claims, key=settings.JWT_SIGNING_KEY, kid="0123456789abcdef")
    assert authenticated_call(unknown).status_code == 401
    no_kid = jwt.encode(claims, settings.JWT_SIGNING_KEY, algorithm="HS256")
    assert authenticated_call(no_kid).status_code == 401


def test_a_tampered_payload_fails_the_signature_check(tokens, make_org):
    other, _, _ = make_org("Other Org", email="boss@other.example")
    header, payload, signature = tokens["access_token"].split(".")
    claims = _claims(tokens["access_token"])
    claims["org_id"] = other.id
    tampered = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
    assert authenticated_call(tampered, slug="other-org").status_code == 401
    assert authenticated_call(tampered).status_code == 401


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "eyJhbGciOiJIUzI1NiJ9..", "x" * 5000])
def test_garbage_in_place_of_a_token_is_401(admin_org, garbage):
    assert authenticated_call(garbage).status_code == 401


def test_an_access_token_expires_after_its_lifetime(tokens):
    with time_machine.travel(timedelta(minutes=14, seconds=50)):
        assert authenticated_call(tokens["access_token"]).status_code == 200
    with time_machine.travel(settings.ACCESS_TOKEN_LIFETIME + timedelta(seconds=1)):
        assert authenticated_call(tokens["access_token"]).status_code == 401


def test_a_refresh_token_expires_after_its_lifetime(tokens):
    with time_machine.travel(settings.REFRESH_TOKEN_LIFETIME + timedelta(seconds=1)):
        response = refresh(tokens["refresh_token"])
    assert (response.status_code, response.json()["code"]) == (401, "invalid_token")


def test_tokens_of_a_deleted_org_admin_are_refused(tokens, admin_org):
    organization_delete(org_id=admin_org.id)
    response = authenticated_call(tokens["access_token"])
    assert (response.status_code, response.json()["code"]) == (401, "authentication_failed")
    assert refresh(tokens["refresh_token"]).status_code == 401


def test_a_refresh_token_is_not_an_access_token(tokens):
    response = authenticated_call(tokens["refresh_token"])
    assert response.status_code == 401


def test_an_access_token_is_not_a_refresh_token(tokens):
    response = refresh(tokens["access_token"])
    assert (response.status_code, response.json()["code"]) == (401, "invalid_token")
