"""The browser tests cannot silently vanish: without chromium they fail in CI and skip, saying
why, elsewhere."""

from __future__ import annotations

import pytest

from organizations.tests import browser


def test_a_missing_chromium_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="in CI the browser tests must run"):
        browser.require_chromium()


def test_a_missing_chromium_skips_outside_ci_with_the_reason(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        browser.require_chromium()
