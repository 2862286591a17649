"""Debian Chromium through Playwright for the browser tests (never `playwright install`: no downloads).

The ``page`` (1280 × 900) and ``phone`` (360 × 740) fixtures in the root conftest.py open a page in a fresh
browser; test modules mark themselves with ``BROWSER_MARKS``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


@contextmanager
def chromium_page(monkeypatch, viewport: dict[str, int]) -> Iterator:
    """A Thai-locale page in a new headless Chromium, closed afterwards with Django's connections."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls
    # (the factories in the tests) while it runs.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(locale="th-TH", viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()
        # While the loop runs, Django's connections are per asyncio context: close the ones the test
        # opened here, or they outlive the test and block dropping the test database.
        connections.close_all()
