"""The messages a citizen receives in LINE, in Thai: Flex bubbles (LINE's JSON, camelCase, as in
messaging-api.yml) each with a plain ``altText`` (shown in the chat list and by phones that cannot draw
Flex). Dates carry the Buddhist year; times are Bangkok time.

Buttons to Raksa's LIFF pages use LIFF URLs (``https://liff.line.me/{LINE_LIFF_ID}/<path>``: LINE, and the
stand-in's viewer, open the LIFF app's endpoint URL plus the path, ``/liff/<path>``). Postback
data is ``action=confirm|decline|cancel&booking=<reference>`` (read by ``postbacks.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings

from raksa.core.thaidate import format_date
from raksa.core.timeutil import BANGKOK

GREEN = "#06C755"  # LINE green: the main action
GREY = "#8C8C8C"
RED = "#D93025"


@dataclass(frozen=True)
class BookingView:
    """What a message says about a booking (plain values; built by ``notify.booking_views``)."""

    reference: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    unit_name: str
    unit_address: str
    unit_phone: str
    latitude: Decimal | None
    longitude: Decimal | None
    service_name: str
    expires_at: dt.datetime | None = None

    @property
    def date_th(self) -> str:
        return format_date(self.starts_at)  # 26 พฤศจิกายน 2569

    @property
    def time_th(self) -> str:
        start, end = self.starts_at.astimezone(BANGKOK), self.ends_at.astimezone(BANGKOK)
        return f"{start:%H:%M}–{end:%H:%M} น."

    @property
    def map_url(self) -> str:
        if self.latitude is not None and self.longitude is not None:
            return f"https://www.google.com/maps/search/?api=1&query={self.latitude},{self.longitude}"
        return f"https://www.google.com/maps/search/?api=1&query={quote(f'{self.unit_name} {self.unit_address}')}"


@dataclass(frozen=True)
class ClaimView:
    """What the message about a claim sent in a citizen's name says (built by ``notify._claim_sent``)."""

    claim_id: int
    unit_name: str
    service_name: str
    service_date: dt.date
    amount: Decimal

    @property
    def amount_th(self) -> str:
        return f"{self.amount:,.2f} บาท"


def liff_url(path: str = "") -> str:
    """A LIFF page's address for a button: the LIFF URL, which LINE opens at the LIFF app's endpoint URL
    (Raksa's ``/liff/``) plus the path. The stand-in's chat viewer does the same (it opens
    ``{RAKSA_URL}/liff/<path>`` in its phone frame), so the demo needs no other address."""
    return f"https://liff.line.me/{settings.LINE_LIFF_ID}/{path.lstrip('/')}"


def postback_data(action: str, reference: str) -> str:
    return f"action={action}&booking={reference}"


def _text(text: str, *, size: str = "md", color: str | None = None, bold: bool = False, wrap: bool = True) -> dict:
    box: dict = {"type": "text", "text": text, "size": size, "wrap": wrap}
    if color:
        box["color"] = color
    if bold:
        box["weight"] = "bold"
    return box


def _row(label: str, value: str) -> dict:
    return {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
        _text(label, size="sm", color=GREY, wrap=False) | {"flex": 2},
        _text(value, size="md") | {"flex": 5}]}


def _uri_button(label: str, uri: str, *, primary: bool = False) -> dict:
    button = {"type": "button", "height": "md", "action": {"type": "uri", "label": label, "uri": uri}}
    button["style"] = "primary" if primary else "secondary"
    if primary:
        button["color"] = GREEN
    return button


def _postback_button(label: str, data: str, display_text: str, *, style: str = "secondary") -> dict:
    button = {"type": "button", "height": "md", "style": style,
              "action": {"type": "postback", "label": label, "data": data, "displayText": display_text}}
    if style == "primary":
        button["color"] = GREEN
    return button


def _bubble(title: str, body: list[dict], footer: list[dict] | None = None, *, color: str = GREEN) -> dict:
    bubble: dict = {
        "type": "bubble",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": color, "paddingAll": "lg",
                   "contents": [_text(title, size="lg", color="#FFFFFF", bold=True)]},
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": body},
    }
    if footer:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": footer}
    return bubble


def _flex(alt_text: str, bubble: dict) -> dict:
    return {"type": "flex", "altText": alt_text[:400], "contents": bubble}


def _booking_rows(b: BookingView) -> list[dict]:
    return [_row("วันที่", b.date_th), _row("เวลา", b.time_th), _row("หน่วยบริการ", b.unit_name),
            _row("บริการ", b.service_name), _row("เลขที่จอง", b.reference)]


def booking_confirmed(b: BookingView) -> list[dict]:
    alt = f"จองคิวสำเร็จ {b.date_th} เวลา {b.time_th} ที่ {b.unit_name} (เลขที่จอง {b.reference})"
    body = [*_booking_rows(b),
            _text("เมื่อถึงหน่วยบริการ กด \"QR ยืนยันสิทธิ์\" แล้วแสดงให้เจ้าหน้าที่สแกน", size="sm", color=GREY)]
    footer = [_uri_button("QR ยืนยันสิทธิ์", liff_url("qr"), primary=True), _uri_button("ดูแผนที่", b.map_url),
              _postback_button("ยกเลิกนัด", postback_data("cancel", b.reference), f"ยกเลิกนัด {b.reference}")]
    return [_flex(alt, _bubble("จองคิวสำเร็จ", body, footer))]


def booking_awaiting(b: BookingView) -> list[dict]:
    until = ""
    if b.expires_at:
        local = b.expires_at.astimezone(BANGKOK)
        until = f"กรุณายืนยันภายใน {format_date(local, short=True)} เวลา {local:%H:%M} น."
    alt = f"{b.unit_name} จองคิวให้คุณ {b.date_th} เวลา {b.time_th} กรุณายืนยันหรือปฏิเสธ (เลขที่จอง {b.reference})"
    body = [_text(f"{b.unit_name} จองคิวให้คุณ กรุณายืนยันว่าจะมาตามนัด", bold=True), *_booking_rows(b)]
    if until:
        body.append(_text(until, size="sm", color=RED))
    footer = [_postback_button("ยืนยันนัด", postback_data("confirm", b.reference), f"ยืนยันนัด {b.reference}",
                               style="primary"),
              _postback_button("ปฏิเสธนัด", postback_data("decline", b.reference), f"ปฏิเสธนัด {b.reference}"),
              _uri_button("ดูแผนที่", b.map_url)]
    return [_flex(alt, _bubble("หน่วยบริการจองคิวให้คุณ", body, footer))]


def waitlist_offer(b: BookingView) -> list[dict]:
    messages = booking_awaiting(b)
    messages[0]["altText"] = (f"มีที่ว่างแล้ว {b.date_th} เวลา {b.time_th} ที่ {b.unit_name} "
                              f"กรุณายืนยันเพื่อรับคิว (เลขที่จอง {b.reference})")[:400]
    bubble = messages[0]["contents"]
    bubble["header"]["contents"][0]["text"] = "มีที่ว่างจากรายชื่อรอ"
    bubble["body"]["contents"][0]["text"] = "มีที่ว่างในเวลาที่คุณลงชื่อรอไว้ กรุณายืนยันเพื่อรับคิวนี้"
    return messages


def reminder(b: BookingView, *, hour_before: bool) -> list[dict]:
    when = "อีกประมาณ 1 ชั่วโมง" if hour_before else "พรุ่งนี้"
    alt = f"เตือนนัด{when}: {b.date_th} เวลา {b.time_th} ที่ {b.unit_name} (เลขที่จอง {b.reference})"
    body = [_text(f"คุณมีนัด{when}", bold=True), *_booking_rows(b)]
    footer = [_uri_button("QR ยืนยันสิทธิ์", liff_url("qr"), primary=True), _uri_button("ดูแผนที่", b.map_url),
              _postback_button("ยกเลิกนัด", postback_data("cancel", b.reference), f"ยกเลิกนัด {b.reference}")]
    return [_flex(alt, _bubble("เตือนนัดหมาย", body, footer))]


def your_turn(*, ticket_label: str, unit_name: str) -> list[dict]:
    alt = f"ถึงคิวของคุณแล้ว หมายเลข {ticket_label} ที่ {unit_name} กรุณาไปที่จุดให้บริการ"
    body = [_text(ticket_label, size="3xl", bold=True) | {"align": "center"},
            _text(f"ที่ {unit_name}"),
            _text("กรุณาไปที่จุดให้บริการ", size="sm", color=GREY)]
    return [_flex(alt, _bubble("ถึงคิวของคุณแล้ว", body))]


def cancelled_by_unit(b: BookingView) -> list[dict]:
    alt = f"{b.unit_name} ยกเลิกนัดของคุณ {b.date_th} เวลา {b.time_th} (เลขที่จอง {b.reference})"
    phone = [_row("โทร", b.unit_phone)] if b.unit_phone else []
    body = [_text(f"{b.unit_name} ยกเลิกนัดนี้ ขออภัยในความไม่สะดวก", bold=True), *_booking_rows(b), *phone]
    footer = [_uri_button("จองคิวใหม่", liff_url("book"), primary=True)]
    return [_flex(alt, _bubble("นัดหมายถูกยกเลิก", body, footer, color=RED))]


def claim_sent(c: ClaimView) -> list[dict]:
    """A unit sent a claim in the citizen's name: what, where, how much, and the way to say "not me"."""
    day = format_date(c.service_date)
    alt = f"{c.unit_name} ส่งเคลม {c.service_name} วันที่ {day} จำนวน {c.amount_th} ในนามของคุณ"
    body = [_text(f"{c.unit_name} เบิกค่าบริการจากสิทธิบัตรทองของคุณ", bold=True),
            _row("วันที่", day), _row("หน่วยบริการ", c.unit_name), _row("บริการ", c.service_name),
            _row("จำนวนเงิน", c.amount_th),
            _text("หากคุณไม่ได้รับบริการนี้ กรุณาแจ้งเรา เจ้าหน้าที่จะตรวจสอบก่อนจ่ายเงิน", size="sm", color=GREY)]
    footer = [_uri_button("ดูเคลมในนามของฉัน", liff_url("claims"), primary=True),
              _uri_button("ไม่ได้รับบริการนี้", liff_url(f"claims/{c.claim_id}/report"))]
    return [_flex(alt, _bubble("มีการเบิกค่าบริการในนามของคุณ", body, footer))]


def greeting() -> list[dict]:
    alt = "ยินดีต้อนรับสู่รักษา กรุณายืนยันตัวตนเพื่อจองคิวและรับการแจ้งเตือนนัดหมาย"
    body = [_text("ยินดีต้อนรับสู่รักษา", size="lg", bold=True),
            _text("จองคิวร้านยาและคลินิกใกล้บ้าน รับการแจ้งเตือนนัด และแสดง QR ยืนยันสิทธิ์ได้ในไลน์"),
            _text("เริ่มต้นด้วยการยืนยันตัวตน: ใช้เลขประจำตัวประชาชน วันเกิด และเลขหลังบัตร", size="sm", color=GREY)]
    footer = [_uri_button("ยืนยันตัวตน", liff_url("link"), primary=True)]
    return [_flex(alt, _bubble("รักษา", body, footer))]


def link_invitation(reason: str) -> list[dict]:
    alt = f"{reason} กรุณายืนยันตัวตนก่อน"
    body = [_text(reason, bold=True), _text("กรุณายืนยันตัวตนก่อน แล้วลองอีกครั้ง")]
    return [_flex(alt, _bubble("ยืนยันตัวตน", body, [_uri_button("ยืนยันตัวตน", liff_url("link"), primary=True)]))]


def help_text() -> list[dict]:
    return [{"type": "text", "text": (
        "สวัสดีค่ะ ใช้เมนูด้านล่างได้เลย:\n"
        "• จองคิว: หาหน่วยบริการและจองเวลา\n"
        "• นัดของฉัน: ดู ยืนยัน หรือยกเลิกนัด\n"
        "• QR ยืนยันสิทธิ์: แสดงให้เจ้าหน้าที่สแกนเมื่อถึงหน่วยบริการ\n"
        "• สิทธิของฉัน: ดูสิทธิการรักษา\n"
        "บัญชีนี้ตอบข้อความอัตโนมัติ หากต้องการคุยกับเจ้าหน้าที่ โทร 1330")}]


def are_you_sure(b: BookingView, *, action: str) -> list[dict]:
    """Before a decline or a cancel (neither can be undone): the booking, and "yes" as a second tap."""
    verb = "ยกเลิกนัด" if action == "cancel" else "ปฏิเสธนัด"
    question = f"{verb}นี้ใช่หรือไม่? ทำแล้วย้อนกลับไม่ได้"
    yes = _postback_button(f"ใช่ {verb}", postback_data(f"{action}_yes", b.reference), f"ใช่ {verb} {b.reference}",
                           style="primary") | {"color": RED}
    footer = [yes, _uri_button("ไม่ใช่ ดูนัดของฉัน", liff_url(f"bookings/{b.reference}"))]
    return [_flex(f"{question} {b.date_th} เวลา {b.time_th} ที่ {b.unit_name} (เลขที่จอง {b.reference})",
                  _bubble(question, _booking_rows(b), footer, color=RED))]


def text(message: str) -> list[dict]:
    return [{"type": "text", "text": message}]
