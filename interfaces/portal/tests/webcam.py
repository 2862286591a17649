"""Chromium with a fake webcam for the portal's browser tests: a y4m clip (what
``--use-file-for-fake-video-capture`` plays in a loop) and a page in a browser launched with it.

The y4m writer is small on purpose: 640 × 480, 4:2:0 planar, full-range (JPEG) YCbCr, header
``YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

from raksa.testing.browser import CHROMIUM, CHROMIUM_ARGS

WIDTH, HEIGHT = 640, 480


def qr_frame(payload: str) -> Image.Image:
    """A 640 × 480 picture of the QR code of ``payload`` held in front of the camera (light-grey background)."""
    import segno

    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=7, border=4)
    buffer.seek(0)
    code = Image.open(buffer).convert("RGB")
    frame = Image.new("RGB", (WIDTH, HEIGHT), (215, 218, 222))
    frame.paste(code, ((WIDTH - code.width) // 2, (HEIGHT - code.height) // 2))
    return frame


def write_y4m(frames: list[Image.Image], path: str | Path, fps: int = 10) -> Path:
    """``frames`` (RGB, any size: fitted to 640 × 480) as a y4m clip Chromium's fake webcam plays."""
    path = Path(path)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in frames:
            y, cb, cr = frame.convert("RGB").resize((WIDTH, HEIGHT)).convert("YCbCr").split()
            out.write(b"FRAME\n")
            out.write(y.tobytes())
            out.write(cb.resize((WIDTH // 2, HEIGHT // 2)).tobytes())
            out.write(cr.resize((WIDTH // 2, HEIGHT // 2)).tobytes())
    return path


@contextmanager
def camera_page(monkeypatch, clip: Path, viewport: dict[str, int]) -> Iterator:
    """A Thai-locale page in a Chromium whose webcam plays ``clip`` (permission granted without asking)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={clip}"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        context = browser.new_context(locale="th-TH", viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()
        connections.close_all()
