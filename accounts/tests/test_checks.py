"""Start-up checks catch malformed rates and unusable JWT keys."""

from __future__ import annotations

from accounts.checks import check_auth_settings

GOOD_KEY = "k" * 40


def _ids() -> list[str]:
    return [error.id for error in check_auth_settings(None)]


def test_the_configured_settings_pass(settings):
    settings.JWT_SIGNING_KEY = GOOD_KEY
    assert _ids() == []


def test_a_malformed_rate_is_reported(settings):
    settings.JWT_SIGNING_KEY = GOOD_KEY
    settings.LOGIN_RATE_PER_IP = "thirty a minute"
    assert _ids() == ["accounts.E001"]


def test_a_short_previous_key_is_reported(settings):
    settings.JWT_SIGNING_KEY = GOOD_KEY
    settings.JWT_PREVIOUS_SIGNING_KEYS = [GOOD_KEY + "2", "old"]
    assert _ids() == ["accounts.E003"]


def test_an_asymmetric_algorithm_is_reported(settings):
    settings.JWT_SIGNING_KEY = GOOD_KEY
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "ALGORITHM": "RS256"}
    assert _ids() == ["accounts.E002"]
