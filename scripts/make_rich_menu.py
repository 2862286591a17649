"""Write raksa/messaging/rich_menu.png (2500 × 1686, LINE's large rich menu) from rich_menu.html, drawn
by Chromium (Thai shaped by its HarfBuzz; no image library needed). Run it after changing the labels:
`.venv/bin/python scripts/make_rich_menu.py`. LINE takes at most 1 MB: the flat colours keep it small."""

from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent.parent / "raksa/messaging"


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        page = browser.new_page(viewport={"width": 2500, "height": 1686})
        page.set_content((HERE / "rich_menu.html").read_text(encoding="utf-8"))
        png = page.screenshot(type="png")
        browser.close()
    assert len(png) < 1_000_000, f"{len(png)} bytes: LINE takes at most 1 MB"
    (HERE / "rich_menu.png").write_bytes(png)
    print(f"raksa/messaging/rich_menu.png: {len(png)} bytes")


if __name__ == "__main__":
    main()
