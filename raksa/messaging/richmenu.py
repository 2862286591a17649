"""Raksa's rich menu: four large buttons under the chat (2 × 2, for thumbs and older eyes), each opening a
LIFF page (interfaces/line/liff_urls.py: /liff/book, /liff/bookings, /liff/qr, /liff/rights). The picture
is ``rich_menu.png`` (2500 × 1686, drawn by Chromium from ``rich_menu.html`` by
``scripts/make_rich_menu.py``; redraw it after changing the labels); ``manage.py line_rich_menu`` uploads
both and makes the menu every user's default."""

from __future__ import annotations

from pathlib import Path

from raksa.messaging.flex import liff_url

WIDTH, HEIGHT = 2500, 1686
IMAGE = Path(__file__).resolve().parent / "rich_menu.png"

# (label, LIFF page) in reading order: top left, top right, bottom left, bottom right.
BUTTONS = [("จองคิว", "book"), ("นัดของฉัน", "bookings"), ("QR ยืนยันสิทธิ์", "qr"), ("สิทธิของฉัน", "rights")]


def rich_menu_definition() -> dict:
    """The menu as LINE's API takes it (messaging-api.yml RichMenuRequest)."""
    half_w, half_h = WIDTH // 2, HEIGHT // 2
    areas = []
    for i, (label, page) in enumerate(BUTTONS):
        x, y = (i % 2) * half_w, (i // 2) * half_h
        areas.append({"bounds": {"x": x, "y": y, "width": half_w, "height": half_h},
                      "action": {"type": "uri", "label": label, "uri": liff_url(page)}})
    return {"size": {"width": WIDTH, "height": HEIGHT}, "selected": True, "name": "Raksa main menu",
            "chatBarText": "เมนูรักษา", "areas": areas}
