"""Home, my rights, find a unit, book, my bookings and the rights QR, each with its refusals."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from raksa.audit.models import AuditEntry
from raksa.booking.models import Booking, BookingChannel, BookingStatus, Slot
from raksa.booking.services import booking_create
from raksa.core.errors import DomainError
from raksa.core.timeutil import service_day
from raksa.people.models import Scheme
from raksa.testing.factories import CitizenFactory, CoverageFactory, ProvinceFactory, UnitFactory, UnitServiceFactory

from .conftest import ALL_DAY, LINE_USER, sign_in

pytestmark = pytest.mark.django_db


def _free_slot(schedule, days_ahead=1):
    day = service_day() + dt.timedelta(days=days_ahead)
    return Slot.objects.filter(schedule=schedule, day=day).order_by("starts_at")[3]


def test_home_is_the_menu_of_the_four_rich_menu_destinations(client, linked):
    body = client.get("/liff/").content.decode()
    for text, href in (("จองคิว", "/liff/book"), ("นัดของฉัน", "/liff/bookings"), ("QR ยืนยันสิทธิ์", "/liff/qr"),
                       ("สิทธิของฉัน", "/liff/rights")):
        assert f'href="{href}">{text}</a>' in body
    assert "สวัสดีคุณมาลี" in body


def test_home_says_when_a_unit_booking_waits_for_confirmation(client, linked, schedule):
    booking_create(actor=None, citizen=linked, slot_id=_free_slot(schedule).pk, channel=BookingChannel.PORTAL)
    assert "กรุณายืนยัน" in client.get("/liff/").content.decode()


def test_english_is_available(client, linked):
    client.cookies["django_language"] = "en"
    body = client.get("/liff/").content.decode()
    assert 'lang="en"' in body and "Book a queue" in body and "My rights" in body


def test_my_rights_in_plain_thai_with_the_buddhist_year(client, linked, unit):
    linked.coverages.update(main_unit=unit, valid_from=dt.date(2020, 1, 1))
    body = client.get("/liff/rights").content.decode()
    assert "หลักประกันสุขภาพแห่งชาติ" in body or "บัตรทอง" in body
    assert unit.name in body
    assert "ตั้งแต่ 1 มกราคม 2563 ไม่มีวันสิ้นสุด" in body
    assert "ได้โดยไม่เสียค่าใช้จ่าย" in body


def test_my_rights_for_another_scheme_or_none(client, db):
    other = CitizenFactory(line_user_id="U" + "e" * 32)
    CoverageFactory(citizen=other, scheme=Scheme.OFC)
    sign_in(client, other.line_user_id)
    assert "ให้บริการเฉพาะผู้มีสิทธิบัตรทอง" in client.get("/liff/rights").content.decode()
    nobody = CitizenFactory(line_user_id="U" + "f" * 32)
    sign_in(client, nobody.line_user_id)
    assert "ไม่พบข้อมูลสิทธิการรักษาของคุณ" in client.get("/liff/rights").content.decode()


def test_find_a_unit_nearest_first_open_now_and_next_free_time(client, linked, unit, service, schedule):
    from raksa.booking.services import schedule_set

    far = UnitFactory(name="ร้านยาเชียงใหม่", hcode="50001", latitude="18.787700", longitude="98.993100",
                      opening_hours={}, province=ProvinceFactory(code="50", name_th="เชียงใหม่", name_en="Chiang Mai"),
                      district="เมืองเชียงใหม่")
    UnitServiceFactory(unit=far, service=service)
    schedule_set(actor=None, unit=far, service=service, weekly_hours=ALL_DAY, slot_minutes=60, seats_per_slot=1,
                 book_ahead_days=7, min_notice_minutes=0)
    # Near Chiang Mai: the Chiang Mai unit first.
    response = client.get("/liff/book", {"service": "PH001", "lat": "18.79", "lon": "98.98"})
    units = [u.unit.hcode for u in response.context["units"]]
    assert units == ["50001", "12345"]
    body = response.content.decode()
    assert body.index("ร้านยาเชียงใหม่") < body.index("ร้านยารักษ์สุขภาพ")
    assert "ห่าง 1.4 กม." in body
    assert "เปิดอยู่ตอนนี้" in body and "ปิดอยู่ตอนนี้" in body  # Bangkok open all day; Chiang Mai no hours
    assert "เวลาว่างถัดไป:" in body
    # Near Bangkok: Bangkok first.
    near_bangkok = client.get("/liff/book", {"service": "PH001", "lat": "13.75", "lon": "100.5"})
    assert [u.unit.hcode for u in near_bangkok.context["units"]] == ["12345", "50001"]
    # By province.
    only = client.get("/liff/book", {"service": "PH001", "province": "50"})
    assert [u.unit.hcode for u in only.context["units"]] == ["50001"]
    assert "เมืองเชียงใหม่" in only.content.decode()  # the province's districts to choose from


def _bookable(service, **unit_fields):
    from raksa.booking.services import schedule_set

    other = UnitFactory(opening_hours=ALL_DAY, **unit_fields)
    UnitServiceFactory(unit=other, service=service)
    return schedule_set(actor=None, unit=other, service=service, weekly_hours=ALL_DAY, slot_minutes=60,
                        seats_per_slot=1, book_ahead_days=2, min_notice_minutes=0)


def test_find_a_unit_by_district(client, linked, unit, service, schedule):
    _bookable(service, name="ร้านยาบางรัก", hcode="12346", district="เขตบางรัก")
    _bookable(service, name="ร้านยาเชียงใหม่", hcode="50001", district="เมืองเชียงใหม่",
              province=ProvinceFactory(code="50", name_th="เชียงใหม่", name_en="Chiang Mai"))

    def shown(**query) -> list[str]:
        return [u.unit.hcode for u in client.get("/liff/book", {"service": "PH001", **query}).context["units"]]

    assert shown(province="10", district="เขตบางรัก") == ["12346"]
    assert shown(province="10", district="เขตพระนคร") == ["12345"]
    page = client.get("/liff/book", {"service": "PH001", "province": "10"}).content.decode()
    assert "<option>เขตบางรัก</option>" in page and "<option>เขตพระนคร</option>" in page  # Bangkok's districts
    assert "เมืองเชียงใหม่" not in page  # not another province's
    # A district not in the province (or with no province) is no filter: the province's units, or all.
    assert shown(province="10", district="เมืองเชียงใหม่") == ["12346", "12345"]
    assert sorted(shown(district="เขตบางรัก")) == ["12345", "12346", "50001"]


def test_find_a_unit_costs_the_same_queries_for_1_or_20_units(client, linked, unit, service, schedule):
    """Each unit's next free time comes from one query for all the units shown, not one per unit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def find() -> tuple[list, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/liff/book", {"service": "PH001"})
        assert response.status_code == 200
        return response.context["units"], len(queries)

    one, queries_for_one = find()
    assert len(one) == 1 and one[0].next_slot is not None
    schedules = [_bookable(service, name=f"ร้านยา {n:02d}") for n in range(24)]
    # Their next free times differ: full slots, a notice period, a unit with no free seat at all.
    for n, other in enumerate(schedules[:6]):
        firsts = Slot.objects.filter(schedule=other, starts_at__gte=timezone.now()).order_by("starts_at")[:n + 1]
        Slot.objects.filter(pk__in=[s.pk for s in firsts]).update(booked=1)
    Slot.objects.filter(schedule=schedules[6]).update(booked=1)
    type(schedules[7]).objects.filter(pk=schedules[7].pk).update(min_notice_minutes=300)
    twenty, queries_for_twenty = find()
    assert len(twenty) == 20
    assert queries_for_twenty == queries_for_one, (queries_for_one, queries_for_twenty)

    now = timezone.now()
    for choice in twenty:  # the same answer as asking unit by unit
        schedule_now = type(choice.schedule).objects.get(pk=choice.schedule.pk)
        expected = (Slot.objects.filter(unit=choice.unit, service=service,
                                        starts_at__gte=now + dt.timedelta(minutes=schedule_now.min_notice_minutes),
                                        day__lte=service_day() + dt.timedelta(days=schedule_now.book_ahead_days))
                    .with_free_seat().order_by("starts_at").first())
        assert choice.next_slot == expected, choice.unit.name
    by_name = {c.unit.name: c for c in twenty}
    assert by_name["ร้านยา 06"].next_slot is None
    assert "ไม่มีเวลาว่างในช่วงวันข้างหน้า" in client.get("/liff/book", {"service": "PH001"}).content.decode()


def test_find_a_unit_refusals_are_explained(client, linked, schedule):
    body = client.get("/liff/book", {"service": "NOPE"}).content.decode()
    assert "บริการนี้จองทาง LINE ไม่ได้" in body
    bad_place = client.get("/liff/book", {"service": "PH001", "province": "99", "lat": "500", "lon": "x"})
    assert bad_place.status_code == 200 and [u.unit.hcode for u in bad_place.context["units"]] == ["12345"]


def test_book_pick_a_time_confirm_and_see_the_confirmation(client, linked, unit, service, schedule):
    slot = _free_slot(schedule)
    picker = client.get(f"/liff/book/12345/PH001?day={slot.day.isoformat()}")
    assert picker.status_code == 200
    assert f"/liff/book/12345/PH001/confirm?slot={slot.pk}" in picker.content.decode()
    confirm = client.get(f"/liff/book/12345/PH001/confirm?slot={slot.pk}")
    assert "ยืนยันการจอง" in confirm.content.decode()
    assert not Booking.objects.exists()  # looking changed nothing
    response = client.post("/liff/book/12345/PH001/confirm", {"slot": slot.pk})
    booking = Booking.objects.get()
    assert booking.channel == BookingChannel.LINE and booking.status == BookingStatus.CONFIRMED
    assert booking.citizen_id == linked.pk and booking.slot_id == slot.pk
    audit = AuditEntry.objects.get(action="booking.create", object_id=str(booking.pk))
    assert audit.actor_id is None and audit.actor_label == f"line:{LINE_USER}"  # the citizen, not "system"
    assert response["Location"] == f"/liff/bookings/{booking.reference}?ok=booked"
    body = client.get(response["Location"]).content.decode()
    assert "จองสำเร็จ" in body
    assert str(slot.day.year + 543) in body
    assert "google.com/maps/search/?api=1&amp;query=13.756300,100.501800" in body
    assert 'href="/liff/qr"' in body


def test_booking_refusals_answer_in_thai_and_book_nothing(client, linked, unit, service, schedule):
    slot = _free_slot(schedule)
    client.post("/liff/book/12345/PH001/confirm", {"slot": slot.pk})
    other = Slot.objects.filter(schedule=schedule, day=slot.day).exclude(pk=slot.pk).first()
    again = client.post("/liff/book/12345/PH001/confirm", {"slot": other.pk})
    assert again.status_code == 409
    assert "มีการจองที่หน่วยบริการนี้ในวันดังกล่าวแล้ว" in again.content.decode()
    assert Booking.objects.count() == 1
    missing = client.post("/liff/book/12345/PH001/confirm", {"slot": "999999"})
    assert missing.status_code == 404 and "ไม่พบเวลานี้" in missing.content.decode()
    unknown = client.get("/liff/book/99999/PH001")
    assert unknown.status_code == 404
    assert "หน่วยบริการนี้ไม่รับจองบริการนี้ทาง LINE" in unknown.content.decode()
    assert 'href="/liff/book"' in unknown.content.decode()


def test_a_citizen_without_the_gold_card_sees_why_not(client, schedule):
    other = CitizenFactory(line_user_id="U" + "e" * 32)
    CoverageFactory(citizen=other, scheme=Scheme.SSS)
    sign_in(client, other.line_user_id)
    body = client.get("/liff/book/12345/PH001").content.decode()
    assert "คุณจองบริการนี้ที่หน่วยบริการนี้ไม่ได้" in body and "บุคคลนี้ใช้สิทธิอื่น" in body
    assert "/confirm?slot=" not in body


def test_a_day_outside_the_window_is_explained(client, linked, schedule):
    body = client.get("/liff/book/12345/PH001?day=2099-01-01").content.decode()
    assert "เกินช่วงที่เปิดจอง" in body
    assert "ไม่ใช่วันที่" in client.get("/liff/book/12345/PH001?day=nonsense").content.decode()


def test_booking_needs_the_csrf_token(linked, schedule):
    client = sign_in(Client(enforce_csrf_checks=True))
    assert client.post("/liff/book/12345/PH001/confirm", {"slot": _free_slot(schedule).pk}).status_code == 403
    assert not Booking.objects.exists()


def test_my_bookings_upcoming_and_past(client, linked, schedule):
    upcoming = booking_create(actor=None, citizen=linked, slot_id=_free_slot(schedule, 2).pk)
    past = booking_create(actor=None, citizen=linked, slot_id=_free_slot(schedule, 3).pk)
    Booking.objects.filter(pk=past.pk).update(status=BookingStatus.COMPLETED)
    response = client.get("/liff/bookings")
    assert [b.reference for b in response.context["upcoming"]] == [upcoming.reference]
    assert [b.reference for b in response.context["past"]] == [past.reference]


def test_someone_elses_booking_is_not_found(client, linked, schedule):
    stranger = CitizenFactory()
    CoverageFactory(citizen=stranger)
    theirs = booking_create(actor=None, citizen=stranger, slot_id=_free_slot(schedule).pk)
    response = client.get(f"/liff/bookings/{theirs.reference}")
    assert response.status_code == 404 and "ไม่พบการจองนี้ในนัดของคุณ" in response.content.decode()
    assert 'href="/liff/bookings"' in response.content.decode()
    assert client.post(f"/liff/bookings/{theirs.reference}/cancel").status_code == 404
    assert Booking.objects.get(pk=theirs.pk).status == BookingStatus.CONFIRMED


def test_cancel_asks_first_then_cancels(client, linked, schedule):
    booking = booking_create(actor=None, citizen=linked, slot_id=_free_slot(schedule).pk)
    ask = client.get(f"/liff/bookings/{booking.reference}/cancel")
    assert "ยกเลิกการจองนี้หรือไม่" in ask.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    response = client.post(f"/liff/bookings/{booking.reference}/cancel")
    assert response["Location"] == "/liff/bookings?ok=cancelled"
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    again = client.post(f"/liff/bookings/{booking.reference}/cancel")
    assert again.status_code == 409 and "การจองนี้เปลี่ยนแปลงไม่ได้แล้ว" in again.content.decode()


def test_move_to_another_time_with_confirmation(client, linked, schedule):
    booking = booking_create(actor=None, citizen=linked, slot_id=_free_slot(schedule).pk)
    new_slot = Slot.objects.filter(schedule=schedule, day=booking.day).order_by("-starts_at").first()
    picker = client.get(f"/liff/bookings/{booking.reference}/move?day={booking.day.isoformat()}")
    body = picker.content.decode()
    assert f"/liff/bookings/{booking.reference}/move/confirm?slot={new_slot.pk}" in body
    assert f"?slot={booking.slot_id}\"" not in body  # not the time it already has
    ask = client.get(f"/liff/bookings/{booking.reference}/move/confirm?slot={new_slot.pk}")
    assert "ย้ายการจองไปเวลานี้หรือไม่" in ask.content.decode()
    response = client.post(f"/liff/bookings/{booking.reference}/move/confirm", {"slot": new_slot.pk})
    assert response["Location"] == f"/liff/bookings/{booking.reference}?ok=moved"
    assert Booking.objects.get(pk=booking.pk).slot_id == new_slot.pk


def test_moving_to_a_full_time_is_refused_and_changes_nothing(client, linked, schedule):
    booking = booking_create(actor=None, citizen=linked, slot_id=_free_slot(schedule).pk)
    full = Slot.objects.filter(schedule=schedule, day=booking.day).order_by("-starts_at").first()
    Slot.objects.filter(pk=full.pk).update(booked=full.capacity)
    response = client.post(f"/liff/bookings/{booking.reference}/move/confirm", {"slot": full.pk})
    assert response.status_code == 409 and "เวลานี้เต็มแล้ว" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).slot_id == booking.slot_id


def test_confirm_or_decline_a_booking_the_unit_made(client, linked, schedule):
    made = booking_create(actor=None, citizen=linked, slot_id=_free_slot(schedule, 1).pk, channel=BookingChannel.PORTAL)
    page = client.get(f"/liff/bookings/{made.reference}").content.decode()
    assert "หน่วยบริการจองเวลานี้ให้คุณ" in page and "ยืนยันการจองนี้" in page
    response = client.post(f"/liff/bookings/{made.reference}/confirm")
    assert response["Location"] == f"/liff/bookings/{made.reference}?ok=confirmed"
    assert Booking.objects.get(pk=made.pk).status == BookingStatus.CONFIRMED

    other = booking_create(actor=None, citizen=linked, slot_id=_free_slot(schedule, 2).pk,
                           channel=BookingChannel.PORTAL)
    assert "ปฏิเสธการจองนี้หรือไม่" in client.get(f"/liff/bookings/{other.reference}/decline").content.decode()
    client.post(f"/liff/bookings/{other.reference}/decline")
    assert Booking.objects.get(pk=other.pk).status == BookingStatus.DECLINED
    labels = dict(AuditEntry.objects.filter(action__in=("booking.confirm", "booking.decline"))
                  .values_list("action", "actor_label"))
    assert labels == {"booking.confirm": f"line:{LINE_USER}", "booking.decline": f"line:{LINE_USER}"}


def test_confirming_too_late_is_explained(client, linked, schedule):
    made = booking_create(actor=None, citizen=linked, slot_id=_free_slot(schedule).pk, channel=BookingChannel.PORTAL)
    Booking.objects.filter(pk=made.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.post(f"/liff/bookings/{made.reference}/confirm")
    assert response.status_code == 409 and "หมดเวลายืนยันการจองนี้แล้ว" in response.content.decode()


def test_every_post_needs_the_csrf_token(linked, schedule):
    booking = booking_create(actor=None, citizen=linked, slot_id=_free_slot(schedule).pk)
    client = sign_in(Client(enforce_csrf_checks=True))
    for path in ("cancel", "confirm", "decline", "move/confirm"):
        assert client.post(f"/liff/bookings/{booking.reference}/{path}", {"slot": "1"}).status_code == 403
    assert client.post("/liff/unlink").status_code == 403
    refused = client.post("/liff/qr")
    assert refused.status_code == 403
    page = refused.content.decode()  # what to do next, in Thai and English: not Django's English page
    assert "ยังไม่ได้บันทึกอะไร" in page and "แตะเมนู Raksa ในห้องแชต LINE" in page
    assert "nothing was changed" in page and "CSRF" not in page
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


@pytest.fixture
def issued(monkeypatch):
    """The codes the QR page asked the verification service for (the real one), in order."""
    from interfaces.line import views

    codes = []
    real = views.rights_qr_issue

    def spy(*, citizen):
        codes.append(real(citizen=citizen))
        return codes[-1]

    monkeypatch.setattr(views, "rights_qr_issue", spy)
    return codes


def test_the_rights_qr_is_an_inline_svg_of_the_opaque_token_refreshed_by_post(client, linked, schedule, issued,
                                                                              settings):
    from raksa.verification.services import rights_qr_resolve

    slot = Slot.objects.filter(schedule=schedule, day=service_day(), starts_at__gt=timezone.now()).first()
    booking = booking_create(actor=None, citizen=linked, slot_id=slot.pk) if slot else None
    response = client.get("/liff/qr")
    body = response.content.decode()
    assert "<svg" in body and 'class="segno"' in body
    assert f'data-seconds="{settings.RAKSA_RIGHTS_QR_SECONDS}"' in body or \
        f'data-seconds="{settings.RAKSA_RIGHTS_QR_SECONDS - 1}"' in body
    if booking:
        assert booking.unit.name in body  # the day's booking it is bound to
    [first] = issued
    assert linked.cid_masked not in first.token and first.token.startswith("RQ1.")
    refreshed = client.post("/liff/qr", HTTP_ACCEPT="application/json").json()
    assert refreshed["svg"].startswith("<svg") and refreshed["seconds"] >= settings.RAKSA_RIGHTS_QR_SECONDS - 1
    second = issued[1]
    with pytest.raises(DomainError) as voided:
        rights_qr_resolve(token=first.token)  # the older code stopped working
    assert voided.value.code == "QR_EXPIRED"
    resolved, bound = rights_qr_resolve(token=second.token)
    assert resolved.pk == linked.pk and (bound.pk if bound else None) == (booking.pk if booking else None)


def test_my_bookings_with_20_bookings_costs_few_queries(client, linked, schedule, django_assert_max_num_queries):
    from raksa.testing.factories import ServiceFactory

    slots = []
    for n in range(20):
        unit = UnitFactory(opening_hours=ALL_DAY)
        service = ServiceFactory(unit_type=unit.unit_type)
        UnitServiceFactory(unit=unit, service=service)
        from raksa.booking.services import schedule_set

        s = schedule_set(actor=None, unit=unit, service=service, weekly_hours=ALL_DAY, slot_minutes=60,
                         seats_per_slot=1, book_ahead_days=3, min_notice_minutes=0)
        slots.append(_free_slot(s, 1 + n % 3))
    for slot in slots:
        booking_create(actor=None, citizen=linked, slot_id=slot.pk)
    with django_assert_max_num_queries(2):  # the citizen, the bookings (no session table)
        response = client.get("/liff/bookings")
    assert len(response.context["upcoming"]) == 20


def test_only_the_nearest_twenty_units_are_shown(client, linked, unit, service, schedule):
    from raksa.booking.services import schedule_set

    for n in range(22):  # a line of units going north from Bangkok, 0.1° apart
        other = UnitFactory(name=f"ร้านยา {n:02d}", latitude=f"{14 + n / 10:.6f}", longitude="100.500000",
                            opening_hours=ALL_DAY)
        UnitServiceFactory(unit=other, service=service)
        schedule_set(actor=None, unit=other, service=service, weekly_hours=ALL_DAY, slot_minutes=60,
                     seats_per_slot=1, book_ahead_days=2, min_notice_minutes=0)
    far_north = client.get("/liff/book", {"service": "PH001", "lat": "16.2", "lon": "100.5"}).context["units"]
    assert [u.unit.name for u in far_north][:3] == ["ร้านยา 21", "ร้านยา 20", "ร้านยา 19"]
    assert len(far_north) == 20 and "ร้านยารักษ์สุขภาพ" not in [u.unit.name for u in far_north]
    by_name = client.get("/liff/book", {"service": "PH001"}).context["units"]
    assert len(by_name) == 20 and by_name[0].unit.name == "ร้านยา 00"


def test_confirming_after_the_sign_in_expired_lands_on_the_booking_not_a_405(linked, schedule, line_login):
    """The page was left open past RAKSA_LIFF_SESSION_SECONDS: the confirm button's POST answers the sign-in
    page, whose ``next`` is this address; after signing in the browser GETs it: the booking, to tap again."""
    made = booking_create(actor=None, citizen=linked, slot_id=_free_slot(schedule).pk, channel=BookingChannel.PORTAL)
    client = Client()  # no cookie: signed out
    signin = client.post(f"/liff/bookings/{made.reference}/confirm")
    assert "กำลังเข้าสู่ระบบ" in signin.content.decode()
    assert f'name="next" value="/liff/bookings/{made.reference}/confirm"' in signin.content.decode()
    next_url = f"/liff/bookings/{made.reference}/confirm"
    back = client.post("/liff/session", {"id_token": line_login.token(), "next": next_url})
    landed = client.get(back["Location"], follow=True)
    assert landed.status_code == 200 and "ยืนยันการจองนี้" in landed.content.decode()
    assert Booking.objects.get(pk=made.pk).status == BookingStatus.AWAITING_CITIZEN  # a GET changes nothing
