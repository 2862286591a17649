"""Test helpers for the booking and queue pages."""

from __future__ import annotations

import datetime as dt

from django.contrib.messages import get_messages

from raksa.booking.models import Booking, QueueTicket, Slot
from raksa.core.timeutil import BANGKOK, service_day


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BANGKOK)


def tomorrow() -> dt.date:
    return service_day() + dt.timedelta(days=1)


def slot_at(unit, when: dt.datetime) -> Slot:
    return Slot.objects.get(unit=unit, starts_at=when)


def book(citizen, slot, *, channel="line", now=None) -> Booking:
    """A booking made through the domain, ``now`` before the slot (so any slot of today can be used)."""
    from raksa.booking.services import booking_create

    return booking_create(actor=None, citizen=citizen, slot_id=slot.pk, channel=channel,
                          now=now or slot.starts_at - dt.timedelta(hours=1))


def find(client, national_id) -> str:
    """Booking step 1: the signed person reference that step 2's links and forms carry ("" if refused)."""
    from urllib.parse import parse_qs, urlsplit

    response = client.post("/portal/book/", {"action": "find", "national_id": national_id})
    if response.status_code != 302:
        return ""
    return parse_qs(urlsplit(response["Location"]).query)["p"][0]


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def state() -> tuple:
    """Everything the booking pages could change, to compare before and after a refused request."""
    from raksa.audit.models import AuditEntry

    return (
        sorted(Booking.objects.values_list("pk", "status", "slot_id")),
        sorted(QueueTicket.objects.values_list("pk", "status")),
        sorted(Slot.objects.values_list("pk", "booked", "withdrawn")),
        AuditEntry.objects.count(),
    )


def log_in(page, live_server, username):
    """Log in to the portal in the browser (password: the factories' PASSWORD)."""
    from playwright.sync_api import expect

    from raksa.testing.factories import PASSWORD

    page.goto(f"{live_server.url}/portal/")
    expect(page).to_have_url(f"{live_server.url}/portal/login/?next=/portal/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
