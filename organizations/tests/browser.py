"""Test support: Debian's chromium driven by Playwright (never a downloaded browser), with a
screenshot per step under test-artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from orgservice.testing import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def require_chromium() -> None:
    """Fail in CI (CI=true) and skip elsewhere when chromium is not installed."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: in CI the browser tests must run (.ci/run installs)")
    pytest.skip(f"{CHROMIUM} is missing: `apt-get install chromium` to run the browser tests")


class Steps:
    """Takes the numbered screenshot of each step of a flow."""

    def __init__(self, page):
        self.page = page
        self.last = "start"

    def shot(self, name: str, *, full_page: bool = True) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
        self.last = name


@contextmanager
def browser_steps() -> Iterator[Steps]:
    """A fresh headless browser page; a failure leaves NN-...-failed.png of where it stopped."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.set_default_timeout(15_000)
            steps = Steps(page)
            try:
                yield steps
            except BaseException:
                steps.shot(f"{steps.last}-then-failed")
                raise
        finally:
            browser.close()
