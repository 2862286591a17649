"""Chromium with a fake webcam for the portal's browser tests: a page in a browser whose camera plays a y4m clip
(raksa.testing.faces writes them: faces.write_y4m, faces.y4m_from_image), and a QR code held up to it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from raksa.testing import faces
from raksa.testing.browser import CHROMIUM, CHROMIUM_ARGS


def qr_picture(payload: str) -> np.ndarray:
    """The QR code of ``payload`` as an RGB array (``faces.y4m_from_image`` puts it on a grey 640 × 480 frame)."""
    import segno
    from PIL import Image

    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=7, border=4)
    buffer.seek(0)
    return np.asarray(Image.open(buffer).convert("RGB"))


@contextmanager
def camera_page(monkeypatch, clip: Path, viewport: dict[str, int]) -> Iterator:
    """A Thai-locale page in a Chromium whose webcam plays ``clip`` (permission granted without asking)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS + faces.fake_webcam_args(clip))
        context = browser.new_context(locale="th-TH", viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()
        connections.close_all()
