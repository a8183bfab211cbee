"""Passwords hashed by Django's bcrypt_sha256; older hashes (raw bcrypt, other cost) upgraded at
login."""

from __future__ import annotations

import bcrypt
from rest_framework.test import APIClient

from accounts.tests.conftest import EMAIL, authenticated_call
from conftest import PASSWORD
from tenancy import admins
from tenancy.indexes import ADMINS
from tenancy.stores.client import master_db

LONG = "Correct-Horse-9-" + "x" * 100  # 116 bytes: past bcrypt's own 72


def _login(password: str = PASSWORD, email: str = EMAIL):
    return APIClient().post("/admin/login", {"email": email, "password": password}, format="json")


def _stored() -> bytes:
    return admins.get_by_email(EMAIL).password_hash


def _store_raw_bcrypt(password: str, rounds: int = 4) -> bytes:
    """What earlier versions stored: bcrypt's own output, with no algorithm prefix."""
    raw = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=rounds))
    master_db()[ADMINS].update_one({"email": EMAIL}, {"$set": {"password_hash": raw}})
    return raw


def test_new_hashes_are_bcrypt_sha256_at_the_configured_cost(admin_org):
    stored = _stored()
    assert stored.startswith(b"bcrypt_sha256$$2b$04$")
    assert PASSWORD.encode() not in stored


def test_a_raw_bcrypt_hash_of_an_earlier_version_logs_in_and_is_upgraded(admin_org):
    raw = _store_raw_bcrypt(PASSWORD)
    tokens = _login().json()
    assert "access_token" in tokens
    assert raw.decode() not in repr(tokens)  # no hash in an answer (invariant 4)
    upgraded = _stored()
    assert upgraded.startswith(b"bcrypt_sha256$$2b$04$")
    # The upgrade changes no password and revokes no token.
    assert authenticated_call(tokens["access_token"]).status_code == 200
    assert _login().status_code == 200
    assert _stored() == upgraded  # once upgraded, not re-hashed again


def test_a_wrong_password_neither_logs_in_nor_upgrades_a_raw_bcrypt_hash(admin_org):
    raw = _store_raw_bcrypt(PASSWORD)
    assert _login("Wrong-pass-1").status_code == 401
    assert _login(LONG).status_code == 401  # bcrypt itself refuses > 72 bytes: still just 401
    assert _stored() == raw


def test_a_cost_change_re_hashes_at_the_next_login(admin_org, settings):
    settings.BCRYPT_ROUNDS = 5
    assert _login("Wrong-pass-1").status_code == 401
    assert _stored().startswith(b"bcrypt_sha256$$2b$04$")
    assert _login().status_code == 200
    assert _stored().startswith(b"bcrypt_sha256$$2b$05$")
    assert _login().status_code == 200


def test_passwords_longer_than_72_bytes_count_in_full(make_org):
    make_org("Acme Corp", email=EMAIL, password=LONG)
    assert _login(LONG).status_code == 200
    assert _login(LONG[:72]).status_code == 401
    assert _login(LONG[:-1] + "y").status_code == 401
