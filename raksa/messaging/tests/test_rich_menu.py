"""manage.py line_rich_menu: four buttons to the LIFF pages, over a 2500 × 1686 picture under LINE's 1 MB."""

import struct
from io import StringIO

from django.core.management import call_command
from linebot.v3.messaging import RichMenuRequest


def test_the_command_sends_the_menu_and_its_picture(monkeypatch):
    sent = {}

    def setup(*, menu, image_png):
        sent.update(menu=menu, image=image_png)
        return "richmenu-0001"
    monkeypatch.setattr("raksa.messaging.line_api.rich_menu_setup", setup)
    out = StringIO()
    call_command("line_rich_menu", stdout=out)
    assert out.getvalue().startswith("rich menu richmenu-0001: จองคิว -> https://liff.line.me/1650000001-raksa/book")
    menu, image = sent["menu"], sent["image"]
    assert [a["action"]["label"] for a in menu["areas"]] == ["จองคิว", "นัดของฉัน", "QR ยืนยันสิทธิ์", "สิทธิของฉัน"]
    assert [a["action"]["uri"].rsplit("/", 1)[1] for a in menu["areas"]] == ["book", "bookings", "qr", "rights"]
    covered = sum(a["bounds"]["width"] * a["bounds"]["height"] for a in menu["areas"])
    assert RichMenuRequest.from_dict(menu).size.width == 2500  # LINE's own model takes it
    assert covered == 2500 * 1686 and menu["chatBarText"] == "เมนูรักษา"
    assert image[:8] == b"\x89PNG\r\n\x1a\n" and len(image) < 1_000_000
    assert struct.unpack(">II", image[16:24]) == (2500, 1686)


def test_wait_tries_again_while_line_is_away_and_gives_up_on_a_refusal(monkeypatch, line_errors):
    import pytest
    from django.core.management.base import CommandError

    from raksa.messaging.tests.conftest import api_error

    tries = []

    def setup(*, menu, image_png):
        tries.append(1)
        if len(tries) < 3:
            raise api_error(line_errors, retryable=True, status=None, detail="connection refused")
        return "richmenu-0002"
    monkeypatch.setattr("raksa.messaging.line_api.rich_menu_setup", setup)
    monkeypatch.setattr("time.sleep", lambda s: None)
    out = StringIO()
    call_command("line_rich_menu", "--wait", "10", stdout=out)
    assert len(tries) == 3 and out.getvalue().startswith("rich menu richmenu-0002")

    monkeypatch.setattr("raksa.messaging.line_api.rich_menu_setup",
                        lambda **kw: (_ for _ in ()).throw(api_error(line_errors, retryable=False, status=400)))
    with pytest.raises(CommandError, match="line_rich_menu"):
        call_command("line_rich_menu", "--wait", "10", stdout=StringIO())
