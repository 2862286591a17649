"""Write interfaces/portal/static/portal/favicon.ico (16, 32 and 48 px) from favicon.svg, drawn by Chromium.

Run it after changing favicon.svg: `.venv/bin/python scripts/make_favicon.py`. An ICO file may hold PNG
images (every browser since 2007 reads them), so no image library is needed: Chromium draws the PNGs.
"""

import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC = Path(__file__).resolve().parent.parent / "interfaces/portal/static/portal"
SIZES = (16, 32, 48)


def png(page, svg: str, size: int) -> bytes:
    page.set_viewport_size({"width": size, "height": size})
    page.set_content(f'<body style="margin:0">{svg.replace("<svg ", f"<svg width={size} height={size} ", 1)}</body>')
    return page.screenshot(omit_background=True)


def ico(images: list[tuple[int, bytes]]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(images))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(images)
    entries, data = b"", b""
    for size, image in images:
        # width, height (0 means 256), colours, reserved, planes, bits per pixel, bytes, offset
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset + len(data))
        data += image
    return header + entries + data


def main() -> None:
    svg = (STATIC / "favicon.svg").read_text().strip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        page = browser.new_page()
        images = [(size, png(page, svg, size)) for size in SIZES]
        browser.close()
    (STATIC / "favicon.ico").write_bytes(ico(images))


if __name__ == "__main__":
    main()
