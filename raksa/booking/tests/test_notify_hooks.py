"""The booking services tell citizens in LINE: one job row per booking call or batch (cheap on the hot
path), written with the booking; the job sends to linked citizens only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from raksa.audit.models import AuditEntry
from raksa.booking.batch import BookingRequest, bookings_create_many
from raksa.booking.models import Booking, BookingChannel, BookingStatus
from raksa.booking.queue import booking_check_in, ticket_call_next, ticket_move
from raksa.booking.services import booking_cancel, booking_create, bookings_sweep, waitlist_join
from raksa.booking.tests.helpers import NOW, T10, make_schedule, slot_at, ucs_citizens
from raksa.core.timeutil import BANGKOK
from raksa.messaging.models import OutboundMessage
from raksa.people.models import Citizen
from raksa.testing.factories import CitizenFactory, CoverageFactory, UserFactory, make_national_id
from raksa.testing.tasks import queued_jobs, run_tasks

pytestmark = pytest.mark.django_db
T11 = dt.datetime(2026, 11, 26, 11, 0, tzinfo=BANGKOK)


@pytest.fixture
def pushed(monkeypatch) -> list[dict]:
    """LINE's push, recorded (the LINE client is not called in these tests)."""
    calls: list[dict] = []
    monkeypatch.setattr("raksa.messaging.line_api.push_message", lambda **kw: calls.append(kw))
    return calls


def link(citizen: Citizen, n: int = 1) -> str:
    user_id = f"U{n:032x}"
    Citizen.objects.filter(pk=citizen.pk).update(line_user_id=user_id)
    return user_id


def notify_jobs() -> list[tuple[str, list[int]]]:
    return [(j.args_kwargs["kwargs"]["kind"], j.args_kwargs["kwargs"]["ids"]) for j in queued_jobs("notify_send")]


def alt_texts(pushes: list[dict], user_id: str) -> list[str]:
    return [m.get("altText") or m.get("text") for p in pushes if p["to"] == user_id for m in p["messages"]]


def test_a_line_booking_queues_one_job_and_the_linked_citizen_gets_the_confirmation(write_path, pushed):
    schedule, citizen = make_schedule()
    user_id = link(citizen)
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    assert notify_jobs() == [("booking_confirmed", [booking.pk])]
    assert DBTaskResult.objects.count() == 1  # nothing else on the hot path

    run_tasks()
    (message,) = OutboundMessage.objects.all()
    assert (message.kind, message.line_user_id, message.citizen_id, message.status) == \
        ("booking_confirmed", user_id, citizen.pk, "sent")
    (text,) = alt_texts(pushed, user_id)
    assert "26 พฤศจิกายน 2569" in text and "10:00–11:00 น." in text and schedule.unit.name in text
    assert booking.reference in text


def test_a_unit_made_booking_asks_the_citizen_to_confirm(write_path, pushed):
    schedule, citizen = make_schedule()
    user_id = link(citizen)
    staff = UserFactory()
    booking = booking_create(actor=staff, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW,
                             channel=BookingChannel.PORTAL)
    assert notify_jobs() == [("booking_awaiting", [booking.pk])]
    run_tasks()
    (push,) = pushed
    assert push["to"] == user_id
    buttons = push["messages"][0]["contents"]["footer"]["contents"]
    assert [b["action"].get("data") for b in buttons[:2]] == [f"action=confirm&booking={booking.reference}",
                                                              f"action=decline&booking={booking.reference}"]


def test_an_unlinked_citizen_gets_nothing(write_path, pushed):
    schedule, citizen = make_schedule()
    booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    assert len(notify_jobs()) == 1  # the request does not look: the job does
    run_tasks()
    assert OutboundMessage.objects.count() == 0 and pushed == []


def test_a_booking_rolled_back_leaves_no_job():
    schedule, citizen = make_schedule()
    link(citizen)
    with pytest.raises(RuntimeError), transaction.atomic():
        booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
        assert len(notify_jobs()) == 1
        raise RuntimeError("the caller failed after booking")
    assert notify_jobs() == [] and not Booking.objects.exists()


def test_a_refused_booking_queues_nothing(write_path):
    schedule, citizen = make_schedule(seats=1)
    other = ucs_citizens(1)[0]
    booking_create(actor=None, citizen=other, slot_id=slot_at(schedule, T10).pk, now=NOW)
    DBTaskResult.objects.all().delete()
    with pytest.raises(Exception, match="full"):
        booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    assert notify_jobs() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the batch writes in one statement on PostgreSQL")
def test_a_batch_queues_one_job_for_all_its_bookings(pushed):
    schedule, _ = make_schedule(seats=5)
    ids = [make_national_id() for _ in range(3)]
    citizens = [CitizenFactory(national_id=n) for n in ids]
    for c in citizens:
        CoverageFactory(citizen=c)
    user_ids = [link(c, i + 10) for i, c in enumerate(citizens[:2])]  # the third is not linked
    results = bookings_create_many(requests=[BookingRequest(n, slot_at(schedule, T10).pk, schedule.unit_id, NOW)
                                             for n in ids])
    assert all(r.status == BookingStatus.AWAITING_CITIZEN for r in results)
    assert notify_jobs() == [("booking_awaiting", [r.pk for r in results])]
    run_tasks()
    assert sorted(p["to"] for p in pushed) == sorted(user_ids)


def test_cancelled_by_the_unit_tells_the_citizen_cancelled_by_the_citizen_does_not(pushed):
    schedule, citizen = make_schedule()
    user_id = link(citizen)
    by_unit = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    run_tasks()
    booking_cancel(actor=UserFactory(), booking_id=by_unit.pk, now=NOW)
    assert notify_jobs() == [("cancelled_by_unit", [by_unit.pk])]
    run_tasks()
    assert "ยกเลิกนัดของคุณ" in alt_texts(pushed, user_id)[-1]

    by_citizen = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T11).pk, now=NOW)
    run_tasks()
    booking_cancel(actor=None, actor_label=f"line:{user_id}", booking_id=by_citizen.pk, now=NOW)
    assert notify_jobs() == []
    audit = AuditEntry.objects.get(action="booking.cancel", object_id=str(by_citizen.pk))
    assert audit.actor_id is None and audit.actor_label == f"line:{user_id}"

    by_software = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    run_tasks()
    booking_cancel(actor=None, booking_id=by_software.pk, now=NOW)  # the unit's software, with its API key
    assert notify_jobs() == [("cancelled_by_unit", [by_software.pk])]


def test_a_waitlist_offer_is_sent_with_confirm_and_decline(pushed):
    schedule, citizen = make_schedule(seats=1)
    slot = slot_at(schedule, T10)
    (waiting,) = ucs_citizens(1)
    user_id = link(waiting)
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot.pk, now=NOW)
    waitlist_join(actor=None, citizen=waiting, slot_id=slot.pk)
    booking_cancel(actor=None, booking_id=booking.pk, now=NOW)
    offer = Booking.objects.get(citizen=waiting)
    assert ("waitlist_offer", [offer.pk]) in notify_jobs()
    run_tasks()
    (text,) = alt_texts(pushed, user_id)
    assert text.startswith("มีที่ว่างแล้ว") and offer.reference in text


def test_staff_calling_the_ticket_sends_your_turn_and_a_recall_sends_it_again(pushed):
    schedule, citizen = make_schedule()
    user_id = link(citizen)
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    ticket = booking_check_in(actor=None, booking_id=booking.pk, now=T10)
    run_tasks()
    ticket_call_next(actor=UserFactory(), unit=schedule.unit, now=T10)
    assert notify_jobs() == [("your_turn", [ticket.pk])]
    run_tasks()
    ticket_move(actor=None, ticket_id=ticket.pk, unit=schedule.unit, status="called",
                now=T10 + dt.timedelta(minutes=3))
    run_tasks()
    turns = [t for t in alt_texts(pushed, user_id) if t.startswith("ถึงคิวของคุณแล้ว")]
    assert turns == [f"ถึงคิวของคุณแล้ว หมายเลข B-001 ที่ {schedule.unit.name} กรุณาไปที่จุดให้บริการ"] * 2


def test_reminders_the_day_before_and_the_hour_before_each_once(pushed):
    schedule, citizen = make_schedule()
    user_id = link(citizen)
    tomorrow_10 = T10 + dt.timedelta(days=1)
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, tomorrow_10).pk, now=NOW)
    run_tasks()
    assert bookings_sweep(now=tomorrow_10 - dt.timedelta(hours=25))["reminders"] == 0  # not yet
    assert bookings_sweep(now=tomorrow_10 - dt.timedelta(hours=24))["reminders"] == 1
    run_tasks()
    assert bookings_sweep(now=tomorrow_10 - dt.timedelta(hours=23))["reminders"] == 0  # sent already
    assert bookings_sweep(now=tomorrow_10 - dt.timedelta(minutes=59))["reminders"] == 1
    run_tasks()
    assert bookings_sweep(now=tomorrow_10 - dt.timedelta(minutes=30))["reminders"] == 0
    texts = alt_texts(pushed, user_id)
    assert [t.split(":")[0] for t in texts[1:]] == ["เตือนนัดพรุ่งนี้", "เตือนนัดอีกประมาณ 1 ชั่วโมง"]
    assert all("27 พฤศจิกายน 2569" in t and booking.reference in t for t in texts[1:])
    assert set(OutboundMessage.objects.values_list("dedupe_key", flat=True)) == {
        f"booking_confirmed:{booking.pk}", f"reminder_day:{booking.pk}:{booking.slot_id}",
        f"reminder_hour:{booking.pk}:{booking.slot_id}"}


def test_a_booking_made_within_the_hour_gets_no_reminder(pushed):
    schedule, citizen = make_schedule()
    link(citizen)
    booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk,
                   now=T10 - dt.timedelta(minutes=50))
    assert bookings_sweep(now=T10 - dt.timedelta(minutes=40))["reminders"] == 0


def test_a_booking_moved_after_its_reminders_is_reminded_again_for_the_new_time(pushed):
    """The day-before reminder came; the citizen moved the booking to the next day: the new time gets its own
    day-before and hour-before reminders (the ones sent were about the old time)."""
    from raksa.booking.services import booking_reschedule

    schedule, citizen = make_schedule()
    user_id = link(citizen)
    tomorrow_10, after_10 = T10 + dt.timedelta(days=1), T10 + dt.timedelta(days=2)
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, tomorrow_10).pk, now=NOW)
    assert bookings_sweep(now=tomorrow_10 - dt.timedelta(hours=24))["reminders"] == 1
    run_tasks()
    booking_reschedule(actor=None, booking_id=booking.pk, new_slot_id=slot_at(schedule, after_10).pk,
                       now=tomorrow_10 - dt.timedelta(hours=23), actor_label=f"line:{user_id}")
    assert bookings_sweep(now=after_10 - dt.timedelta(hours=24))["reminders"] == 1
    assert bookings_sweep(now=after_10 - dt.timedelta(minutes=59))["reminders"] == 1
    run_tasks()
    reminders = [t for t in alt_texts(pushed, user_id) if t.startswith("เตือนนัด")]
    assert len(reminders) == 3
    assert "27 พฤศจิกายน 2569" in reminders[0]
    assert all("28 พฤศจิกายน 2569" in t for t in reminders[1:])
