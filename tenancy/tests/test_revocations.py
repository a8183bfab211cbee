"""Revoked token ids: one winner per token under races, kept until the token expires."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine

from conftest import use_backend
from tenancy import expiry, revocations
from tenancy.documents import utcnow
from tenancy.stores.client import reset_clients


def _revoke(jti: str, reason: str = revocations.ROTATED, ttl: timedelta = timedelta(days=1)):
    return revocations.revoke(jti, member_id="a1", expires_at=utcnow() + ttl, reason=reason)


def test_the_first_revocation_wins_and_later_ones_learn_the_first_reason(backend):
    assert not revocations.is_revoked("jti-1")
    assert _revoke("jti-1", revocations.LOGOUT) is None
    assert _revoke("jti-1", revocations.ROTATED) == revocations.LOGOUT
    assert revocations.is_revoked("jti-1")
    assert not revocations.is_revoked("jti-2")


def test_racing_revocations_of_one_token_have_exactly_one_winner(backend):
    def _race(_: int) -> str | None:
        try:
            return _revoke("contested")
        finally:
            if backend == "litemongo":
                reset_clients()  # this worker thread's own client

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(_race, range(24)))
    assert results.count(None) == 1
    assert set(results) == {None, revocations.ROTATED}


@pytest.mark.parametrize("engine", ["mongomock", "litemongo"])
def test_a_revocation_is_dropped_once_its_token_has_expired(settings, tmp_path, engine):
    # mongomock applies a TTL index on read; on the embedded store the background worker's
    # sweep (tenancy.expiry) removes it, as MongoDB's TTL monitor does within a minute of
    # expires_at (not testable by time travel). Moving the clock shows both.
    use_backend(settings, engine, tmp_path)
    _revoke("short", ttl=timedelta(minutes=15))
    with time_machine.travel(timedelta(minutes=14)):
        expiry.sweep()
        assert revocations.is_revoked("short")
    with time_machine.travel(timedelta(minutes=16)):
        expiry.sweep()
        assert not revocations.is_revoked("short")
