import datetime as dt

import pytest
from django.db import connection

from raksa.audit.models import AuditEntry
from raksa.booking.models import Booking, BookingChannel, BookingStatus, Slot, WaitlistEntry, WaitlistStatus
from raksa.booking.services import (
    booking_can_move,
    booking_cancel,
    booking_confirm,
    booking_create,
    booking_decline,
    booking_mark_no_show,
    booking_reschedule,
    bookings_sweep,
    waitlist_join,
)
from raksa.booking.slots import slot_starts_for_day, slots_free, slots_full
from raksa.booking.tests.helpers import NOW, make_schedule, slot_at, ucs_citizens
from raksa.core.errors import DomainError
from raksa.core.request_context import reset_request_id, set_request_id
from raksa.core.timeutil import BANGKOK
from raksa.people.models import Scheme
from raksa.testing.factories import CitizenFactory, CoverageFactory, UserFactory, make_national_id

pytestmark = pytest.mark.django_db
T10 = dt.datetime(2026, 11, 26, 10, 0, tzinfo=BANGKOK)
T11 = dt.datetime(2026, 11, 26, 11, 0, tzinfo=BANGKOK)
T12 = dt.datetime(2026, 11, 26, 12, 0, tzinfo=BANGKOK)


def code_of(call) -> str:
    with pytest.raises(DomainError) as err:
        call()
    return err.value.code


def test_slots_follow_weekly_hours_in_bangkok_time():
    schedule, _ = make_schedule(hours={"thu": [["08:00", "10:00"]]}, slot_minutes=30)
    starts = slot_starts_for_day(schedule, dt.date(2026, 11, 26))
    assert [s.astimezone(BANGKOK).strftime("%H:%M") for s, _ in starts] == ["08:00", "08:30", "09:00", "09:30"]
    assert slot_starts_for_day(schedule, dt.date(2026, 11, 27)) == []  # Friday: closed


def test_a_slot_at_0030_bangkok_belongs_to_that_local_day():
    schedule, _ = make_schedule(hours={"fri": [["00:30", "01:00"]]}, slot_minutes=30)
    slot = Slot.objects.get(unit=schedule.unit)
    assert slot.starts_at == dt.datetime(2026, 11, 26, 17, 30, tzinfo=dt.UTC)  # UTC says Thursday
    assert slot.day == dt.date(2026, 11, 27)  # Bangkok says Friday
    assert [s.pk for s in slots_free(unit_id=schedule.unit_id, service_id=schedule.service_id,
                                     day=dt.date(2026, 11, 27), now=NOW)] == [slot.pk]
    assert slots_free(unit_id=schedule.unit_id, service_id=schedule.service_id, day=dt.date(2026, 11, 26),
                      now=NOW) == []


def test_citizen_booking_is_confirmed_and_takes_a_seat(write_path):
    schedule, citizen = make_schedule()
    slot = slot_at(schedule, T10)
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot.pk, now=NOW)
    assert booking.status == BookingStatus.CONFIRMED and booking.day == dt.date(2026, 11, 26)
    slot.refresh_from_db()
    assert slot.booked == 1
    assert AuditEntry.objects.filter(action="booking.create", object_id=str(booking.pk)).exists()


def test_full_slot_refuses_and_changes_nothing(write_path):
    schedule, citizen = make_schedule(seats=1)
    slot = slot_at(schedule, T10)
    other, = ucs_citizens(1)
    booking_create(actor=None, citizen=citizen, slot_id=slot.pk, now=NOW)
    assert code_of(lambda: booking_create(actor=None, citizen=other, slot_id=slot.pk, now=NOW)) == "SLOT_FULL"
    assert Booking.objects.count() == 1
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_references_are_eight_symbols_easy_to_read_aloud_and_all_symbols_occur():
    from collections import Counter

    from raksa.booking.services.create import REFERENCE_ALPHABET as _REFERENCE_ALPHABET
    from raksa.booking.services.create import new_reference as _new_reference

    references = [_new_reference() for _ in range(4000)]
    assert all(len(r) == 8 and set(r) <= set(_REFERENCE_ALPHABET) for r in references)
    assert len(set(references)) == len(references)
    counts = Counter("".join(references))  # 1,000 of each of the 32 symbols expected
    assert set(counts) == set(_REFERENCE_ALPHABET) and 800 < min(counts.values()) <= max(counts.values()) < 1200


def test_rights_are_checked_before_booking():
    schedule, citizen = make_schedule()
    citizen.coverages.update(scheme=Scheme.SSS)
    slot = slot_at(schedule, T10)
    with pytest.raises(DomainError) as err:
        booking_create(actor=None, citizen=citizen, slot_id=slot.pk, now=NOW)
    assert err.value.code == "NOT_ELIGIBLE" and err.value.reasons == ["NOT_UCS"]
    assert Slot.objects.get(pk=slot.pk).booked == 0


def test_one_active_booking_per_citizen_per_unit_per_day(write_path):
    schedule, citizen = make_schedule()
    booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    assert code_of(lambda: booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T11).pk,
                                          now=NOW)) == "ALREADY_BOOKED"
    assert Slot.objects.get(starts_at=T11, unit=schedule.unit).booked == 0  # the seat was given back


def test_someone_already_booked_that_day_hears_so_even_when_the_slot_asked_for_is_full(write_path):
    """ALREADY_BOOKED comes before the seat: whether the other time is full does not change the answer
    (so a batch and one-at-a-time booking agree whatever the order)."""
    schedule, citizen = make_schedule(seats=1)
    booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    booking_create(actor=None, citizen=ucs_citizens(1)[0], slot_id=slot_at(schedule, T11).pk, now=NOW)  # fills 11:00
    assert code_of(lambda: booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T11).pk,
                                          now=NOW)) == "ALREADY_BOOKED"
    assert Slot.objects.get(starts_at=T11, unit=schedule.unit).booked == 1


def test_minimum_notice_and_booking_window():
    schedule, citizen = make_schedule(min_notice=120, ahead=2)
    assert code_of(lambda: booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk,
                                          now=NOW + dt.timedelta(minutes=1))) == "SLOT_NOT_BOOKABLE"
    far = Slot.objects.filter(unit=schedule.unit, day=dt.date(2026, 11, 29)).first()
    assert code_of(lambda: booking_create(actor=None, citizen=citizen, slot_id=far.pk, now=NOW)) == \
        "SLOT_NOT_BOOKABLE"


def test_unit_booking_awaits_the_citizen_and_expires_freeing_the_seat(write_path):
    schedule, citizen = make_schedule(seats=1)
    slot = slot_at(schedule, T10)
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot.pk, channel=BookingChannel.PORTAL, now=NOW)
    assert booking.status == BookingStatus.AWAITING_CITIZEN and booking.expires_at == NOW + dt.timedelta(hours=2)
    assert bookings_sweep(now=NOW + dt.timedelta(hours=1))["expired"] == 0
    assert bookings_sweep(now=NOW + dt.timedelta(hours=2))["expired"] == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
    assert Slot.objects.get(pk=slot.pk).booked == 0
    assert code_of(lambda: booking_confirm(actor=None, booking_id=booking.pk, now=NOW)) == "BOOKING_NOT_ACTIVE"


def test_citizen_confirms_or_declines_a_unit_booking():
    schedule, citizen = make_schedule(seats=1)
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk,
                             channel=BookingChannel.PORTAL, now=NOW)
    assert booking_confirm(actor=None, booking_id=booking.pk, now=NOW).status == BookingStatus.CONFIRMED
    other, = ucs_citizens(1)
    offer = booking_create(actor=None, citizen=other, slot_id=slot_at(schedule, T11).pk,
                           channel=BookingChannel.PORTAL, now=NOW)
    assert booking_decline(actor=None, booking_id=offer.pk, now=NOW).status == BookingStatus.DECLINED
    assert Slot.objects.get(unit=schedule.unit, starts_at=T11).booked == 0


def test_late_confirmation_is_refused():
    schedule, citizen = make_schedule()
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk,
                             channel=BookingChannel.PORTAL, now=NOW)
    assert code_of(lambda: booking_confirm(actor=None, booking_id=booking.pk,
                                           now=NOW + dt.timedelta(hours=3))) == "BOOKING_EXPIRED"


def test_cancel_frees_the_seat_and_cannot_happen_twice():
    schedule, citizen = make_schedule(seats=1)
    slot = slot_at(schedule, T10)
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot.pk, now=NOW)
    booking_cancel(actor=None, booking_id=booking.pk, now=NOW)
    assert Slot.objects.get(pk=slot.pk).booked == 0
    assert code_of(lambda: booking_cancel(actor=None, booking_id=booking.pk, now=NOW)) == "BOOKING_NOT_ACTIVE"
    # after cancelling, the citizen may book again that day
    booking_create(actor=None, citizen=citizen, slot_id=slot.pk, now=NOW)


def test_reschedule_moves_the_seat_or_changes_nothing():
    schedule, citizen = make_schedule(seats=1)
    a, b = slot_at(schedule, T10), slot_at(schedule, T11)
    booking = booking_create(actor=None, citizen=citizen, slot_id=a.pk, now=NOW)
    booking_reschedule(actor=None, booking_id=booking.pk, new_slot_id=b.pk, now=NOW)
    assert (Slot.objects.get(pk=a.pk).booked, Slot.objects.get(pk=b.pk).booked) == (0, 1)
    other, = ucs_citizens(1)
    booking_create(actor=None, citizen=other, slot_id=a.pk, now=NOW)
    assert code_of(lambda: booking_reschedule(actor=None, booking_id=booking.pk, new_slot_id=a.pk,
                                              now=NOW)) == "SLOT_FULL"
    booking.refresh_from_db()
    assert booking.slot_id == b.pk
    assert (Slot.objects.get(pk=a.pk).booked, Slot.objects.get(pk=b.pk).booked) == (1, 1)


@pytest.mark.parametrize("status, movable", [(status, status in (BookingStatus.AWAITING_CITIZEN,
                                                                   BookingStatus.CONFIRMED))
                                             for status in BookingStatus.values])
def test_only_a_booking_not_yet_arrived_may_move_and_the_service_holds_to_it(status, movable):
    schedule, citizen = make_schedule(seats=2)
    a, b = slot_at(schedule, T10), slot_at(schedule, T11)
    booking = booking_create(actor=None, citizen=citizen, slot_id=a.pk, now=NOW)
    Booking.objects.filter(pk=booking.pk).update(status=status)
    booking.refresh_from_db()
    assert booking_can_move(booking) is movable
    if not movable:
        assert code_of(lambda: booking_reschedule(actor=None, booking_id=booking.pk, new_slot_id=b.pk,
                                                  now=NOW)) == "BOOKING_NOT_ACTIVE"
        assert Booking.objects.get(pk=booking.pk).slot_id == a.pk


def test_full_slots_are_those_still_offered_without_a_free_seat():
    schedule, citizen = make_schedule(seats=1)
    free, full, withdrawn = slot_at(schedule, T10), slot_at(schedule, T11), slot_at(schedule, T12)
    Slot.objects.filter(pk__in=[full.pk, withdrawn.pk]).update(booked=1)
    Slot.objects.filter(pk=withdrawn.pk).update(withdrawn=True)
    found = slots_full(unit_id=schedule.unit_id, service_id=schedule.service_id, day=free.day, now=NOW)
    assert [slot.pk for slot in found] == [full.pk]
    assert free.pk in [slot.pk for slot in slots_free(unit_id=schedule.unit_id, service_id=schedule.service_id,
                                                        day=free.day, now=NOW)]


def test_no_show_by_staff_after_start_or_automatically_after_the_slot():
    schedule, citizen = make_schedule()
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    assert code_of(lambda: booking_mark_no_show(actor=None, booking_id=booking.pk, now=NOW)) == "TOO_EARLY"
    assert booking_mark_no_show(actor=None, booking_id=booking.pk, now=T10).status == BookingStatus.NO_SHOW
    other, = ucs_citizens(1)
    late = booking_create(actor=None, citizen=other, slot_id=slot_at(schedule, T10).pk, now=NOW)
    assert bookings_sweep(now=T11 + dt.timedelta(minutes=29))["no_show"] == 0
    assert bookings_sweep(now=T11 + dt.timedelta(minutes=30))["no_show"] == 1
    late.refresh_from_db()
    assert late.status == BookingStatus.NO_SHOW


def test_waitlist_gets_the_freed_seat_as_a_timed_offer():
    schedule, citizen = make_schedule(seats=1)
    slot = slot_at(schedule, T10)
    waiting, later = ucs_citizens(2)
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot.pk, now=NOW)
    assert code_of(lambda: waitlist_join(actor=None, citizen=waiting, slot_id=slot_at(schedule, T11).pk)) == \
        "SLOT_NOT_FULL"
    waitlist_join(actor=None, citizen=waiting, slot_id=slot.pk)
    waitlist_join(actor=None, citizen=later, slot_id=slot.pk)
    booking_cancel(actor=None, booking_id=booking.pk, now=NOW)
    offer = Booking.objects.get(citizen=waiting)
    assert offer.status == BookingStatus.AWAITING_CITIZEN and offer.channel == BookingChannel.WAITLIST
    assert offer.expires_at == NOW + dt.timedelta(minutes=30)
    assert Slot.objects.get(pk=slot.pk).booked == 1  # the seat went straight to the offer
    # the offer lapses: the next in line is offered the seat
    bookings_sweep(now=NOW + dt.timedelta(minutes=30))
    assert Booking.objects.get(citizen=later).status == BookingStatus.AWAITING_CITIZEN
    assert WaitlistEntry.objects.get(citizen=waiting).status == WaitlistStatus.OFFERED
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_schedule_change_withdraws_slots_but_keeps_bookings():
    from raksa.booking.services import closure_add, schedule_set

    schedule, citizen = make_schedule(seats=2)
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    schedule_set(actor=None, unit=schedule.unit, service=schedule.service, weekly_hours={"thu": [["13:00", "15:00"]]},
                 slot_minutes=60, seats_per_slot=3, book_ahead_days=7, min_notice_minutes=0, today=NOW.date())
    ten = slot_at(schedule, T10)
    assert ten.withdrawn and ten.booked == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED  # nothing confirmed is lost
    assert code_of(lambda: booking_create(actor=None, citizen=ucs_citizens(1)[0], slot_id=ten.pk, now=NOW)) == \
        "SLOT_NOT_BOOKABLE"
    thirteen = Slot.objects.get(unit=schedule.unit, starts_at=dt.datetime(2026, 11, 26, 13, 0, tzinfo=BANGKOK))
    assert not thirteen.withdrawn and thirteen.capacity == 3
    _, affected = closure_add(actor=None, unit=schedule.unit, day=dt.date(2026, 11, 26), reason="วันหยุด")
    assert affected == 1
    assert not Slot.objects.filter(unit=schedule.unit, day=dt.date(2026, 11, 26), withdrawn=False).exists()


@pytest.mark.parametrize("hours,code", [({"mon": [["10:00", "09:00"]]}, "INVALID_HOURS"),
                                        ({"xyz": []}, "INVALID_HOURS"),
                                        ({"mon": [["25:00", "26:00"]]}, "INVALID_HOURS"),
                                        ({"mon": [["08:00", "12:00"], ["11:00", "13:00"]]}, "INVALID_HOURS")])
def test_schedule_bad_input_changes_nothing(hours, code):
    from raksa.booking.models import Schedule
    from raksa.booking.services import schedule_set

    schedule, _ = make_schedule()
    assert code_of(lambda: schedule_set(actor=None, unit=schedule.unit, service=schedule.service, weekly_hours=hours,
                                        slot_minutes=30, seats_per_slot=1)) == code
    assert Schedule.objects.get(pk=schedule.pk).slot_minutes == 60


def test_sweep_command_expires_unconfirmed_bookings(capsys):
    from django.core.management import call_command
    from django.utils import timezone

    schedule, citizen = make_schedule(seats=1, start_day=timezone.localdate())
    slot = Slot.objects.filter(unit=schedule.unit, starts_at__gt=timezone.now() + dt.timedelta(hours=3)).first()
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot.pk, channel=BookingChannel.PORTAL,
                             now=timezone.now() - dt.timedelta(hours=3))
    call_command("booking_sweep")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
    assert '"expired": 1' in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)  # the command gives its connection back after an error, as in production
def test_the_repeating_sweep_outlives_a_database_outage(monkeypatch, capsys):
    """``booking_sweep --every 60`` (make run starts it) logs a database error and sweeps again next time."""
    from types import SimpleNamespace

    from django.db import OperationalError

    from raksa.booking.management.commands import booking_sweep as command

    calls = []

    def sweep_once_down_then_up(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("connection refused")
        return {"expired": 1, "no_show": 0}

    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt  # two rounds are enough
    monkeypatch.setattr(command, "bookings_sweep", sweep_once_down_then_up)
    monkeypatch.setattr(command, "time", SimpleNamespace(sleep=sleep))
    with pytest.raises(KeyboardInterrupt):
        command.Command().handle(every=60)
    assert len(calls) == 2 and sleeps == [60, 60] and '"expired": 1' in capsys.readouterr().out


def test_the_booking_window_rolls_forward_each_day():
    from raksa.booking.models import Schedule
    from raksa.booking.services import schedule_set
    from raksa.booking.slots import slots_roll_forward

    schedule, _ = make_schedule()
    schedule_set(actor=None, unit=schedule.unit, service=schedule.service, weekly_hours={"mon": [["09:00", "10:00"]]},
                 slot_minutes=60, seats_per_slot=1, book_ahead_days=7, min_notice_minutes=0, today=NOW.date())
    assert Schedule.objects.get(pk=schedule.pk).materialised_until == dt.date(2026, 12, 3)
    later = dt.date(2026, 12, 10)  # a week on: Monday 14 Dec is inside the window, and had no slot
    assert not Slot.objects.filter(unit=schedule.unit, day=dt.date(2026, 12, 14)).exists()
    assert slots_roll_forward(today=later) >= 1
    assert Slot.objects.filter(unit=schedule.unit, day=dt.date(2026, 12, 14), withdrawn=False).exists()
    assert Schedule.objects.get(pk=schedule.pk).materialised_until == dt.date(2026, 12, 17)
    assert slots_roll_forward(today=later) == 0  # idempotent


def test_saving_the_schedule_again_keeps_closed_days_closed():
    from raksa.booking.services import closure_add, schedule_set

    schedule, _ = make_schedule()
    closure_add(actor=None, unit=schedule.unit, day=dt.date(2026, 11, 27), reason="วันหยุด")
    schedule_set(actor=None, unit=schedule.unit, service=schedule.service,
                 weekly_hours={d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
                 slot_minutes=60, seats_per_slot=3, book_ahead_days=7, min_notice_minutes=0, today=NOW.date())
    assert slots_free(unit_id=schedule.unit_id, service_id=schedule.service_id, day=dt.date(2026, 11, 27),
                      now=NOW) == []
    assert slots_free(unit_id=schedule.unit_id, service_id=schedule.service_id, day=dt.date(2026, 11, 28),
                      now=NOW) != []


def test_moving_a_booking_rechecks_the_rights_on_the_new_day():
    schedule, citizen = make_schedule()
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    citizen.coverages.update(valid_to=dt.date(2026, 11, 26))  # the right ends tonight
    later = Slot.objects.get(unit=schedule.unit, starts_at=dt.datetime(2026, 11, 27, 10, 0, tzinfo=BANGKOK))
    assert code_of(lambda: booking_reschedule(actor=None, booking_id=booking.pk, new_slot_id=later.pk,
                                              now=NOW)) == "NOT_ELIGIBLE"
    booking.refresh_from_db()
    assert booking.day == dt.date(2026, 11, 26) and Slot.objects.get(pk=later.pk).booked == 0


def test_a_units_hold_never_outlasts_the_slot():
    schedule, citizen = make_schedule()
    nine = Slot.objects.get(unit=schedule.unit, starts_at=dt.datetime(2026, 11, 26, 9, 0, tzinfo=BANGKOK))
    booking = booking_create(actor=None, citizen=citizen, slot_id=nine.pk, channel=BookingChannel.PORTAL, now=NOW)
    assert booking.expires_at == nine.starts_at  # 08:00 + 2 h would be 10:00, after the 09:00 slot began


def test_a_booked_citizen_who_left_the_queue_is_a_no_show_and_may_book_again():
    from django.utils import timezone

    from raksa.booking.queue import booking_check_in, ticket_move

    schedule, citizen = make_schedule(start_day=timezone.localdate())
    slot = Slot.objects.filter(unit=schedule.unit, day=timezone.localdate()).order_by("-starts_at").first()
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot.pk, now=timezone.now() - dt.timedelta(days=1))
    ticket = booking_check_in(actor=None, booking_id=booking.pk)
    ticket_move(actor=None, ticket_id=ticket.pk, unit=schedule.unit, status="left")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW


@pytest.mark.parametrize("hours", [{"mon": None}, {"mon": [[8, 12]]}, {"mon": [["08:00"]]}, ["mon"]])
def test_malformed_weekly_hours_are_a_clear_error(hours):
    from raksa.booking.services import schedule_set

    schedule, _ = make_schedule()
    assert code_of(lambda: schedule_set(actor=None, unit=schedule.unit, service=schedule.service, weekly_hours=hours,
                                        slot_minutes=30, seats_per_slot=1)) == "INVALID_HOURS"


def test_no_waiting_list_for_someone_who_already_has_a_booking_that_day():
    schedule, citizen = make_schedule(seats=1)
    slot = slot_at(schedule, T10)
    booking_create(actor=None, citizen=citizen, slot_id=slot.pk, now=NOW)
    assert code_of(lambda: waitlist_join(actor=None, citizen=citizen, slot_id=slot.pk)) == "ALREADY_BOOKED"


def test_a_new_slot_length_moves_the_end_of_kept_slots():
    from raksa.booking.services import schedule_set

    schedule, _ = make_schedule(slot_minutes=60)
    schedule_set(actor=None, unit=schedule.unit, service=schedule.service,
                 weekly_hours={d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
                 slot_minutes=30, seats_per_slot=2, book_ahead_days=7, min_notice_minutes=0, today=NOW.date())
    ten = slot_at(schedule, T10)
    assert ten.ends_at == T10 + dt.timedelta(minutes=30) and not ten.withdrawn
    assert Slot.objects.filter(unit=schedule.unit, starts_at=T10 + dt.timedelta(minutes=30)).exists()


def test_the_audit_row_says_how_the_citizen_confirmed():
    from raksa.audit.models import AuditEntry

    schedule, citizen = make_schedule()
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk,
                             channel=BookingChannel.PORTAL, now=NOW)
    booking_confirm(actor=None, booking_id=booking.pk, via="in_person", now=NOW)
    assert AuditEntry.objects.get(action="booking.confirm").after == {"status": "confirmed", "via": "in_person"}
    assert code_of(lambda: booking_confirm(actor=None, booking_id=booking.pk, via="fax", now=NOW)) == \
        "INVALID_CHANNEL"


def test_todays_queue_is_two_queries_however_long(django_assert_num_queries):
    from django.utils import timezone

    from raksa.booking.queue import booking_check_in
    from raksa.booking.selectors import queue_today

    schedule, first = make_schedule(start_day=timezone.localdate())
    today_slots = Slot.objects.filter(unit=schedule.unit, day=timezone.localdate()).order_by("-starts_at")
    for citizen, slot in zip([first, *ucs_citizens(2)], today_slots, strict=False):
        booking = booking_create(actor=None, citizen=citizen, slot_id=slot.pk,
                                 now=timezone.now() - dt.timedelta(days=1))
        booking_check_in(actor=None, booking_id=booking.pk)
    with django_assert_num_queries(2):
        queue = queue_today(unit=schedule.unit)
        starts = [t.booking.slot.starts_at for t in queue["waiting"]] + [t.citizen.full_name for t in queue["waiting"]]
    assert len(starts) == 6


def test_booking_by_national_id_finds_the_citizen_in_the_same_query(write_path, django_assert_num_queries):
    schedule, citizen = make_schedule()
    slot = slot_at(schedule, T10)
    digits = make_national_id()
    citizen = CitizenFactory(national_id=digits)
    CoverageFactory(citizen=citizen)
    national_id = f"{digits[0]}-{digits[1:5]}-{digits[5:10]}-{digits[10:12]}-{digits[12]}"  # as printed on the card
    # one_statement: facts and write, plus SAVEPOINT/RELEASE since the test itself runs in a transaction;
    # transaction: facts, SAVEPOINT, seat, booking, audit, RELEASE; either: the LINE notification's job row
    with django_assert_num_queries(5 if write_path == "one_statement" else 7):
        booking = booking_create(actor=None, national_id=national_id, slot_id=slot.pk, now=NOW)
    assert booking.citizen_id == citizen.pk and Booking.objects.get(pk=booking.pk).citizen_id == citizen.pk


@pytest.mark.parametrize("national_id,code", [("1101700001334", "CITIZEN_NOT_FOUND"), ("1234", "INVALID_NATIONAL_ID")])
def test_booking_for_an_unknown_or_invalid_national_id_changes_nothing(national_id, code):
    schedule, _ = make_schedule()
    slot = slot_at(schedule, T10)
    audit_rows = AuditEntry.objects.count()
    assert code_of(lambda: booking_create(actor=None, national_id=national_id, slot_id=slot.pk, now=NOW)) == code
    assert Booking.objects.count() == 0 and Slot.objects.get(pk=slot.pk).booked == 0
    assert AuditEntry.objects.count() == audit_rows


def test_both_write_paths_write_the_same_booking_and_audit_row(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("one-statement writes need PostgreSQL")
    schedule, _ = make_schedule()
    staff = UserFactory(username="somchai")
    rows = []
    for one_statement, citizen in zip((True, False), ucs_citizens(2), strict=True):
        monkeypatch.setattr("raksa.booking.services.create.writes_in_one_statement", lambda v=one_statement: v)
        token = set_request_id("req-1")
        try:
            booking = booking_create(actor=staff, citizen=citizen, slot_id=slot_at(schedule, T10).pk,
                                     channel=BookingChannel.PORTAL, now=NOW)
        finally:
            reset_request_id(token)
        stored = Booking.objects.get(pk=booking.pk)
        entry = AuditEntry.objects.get(action="booking.create", object_id=str(booking.pk))
        rows.append(({f: getattr(stored, f) for f in ("status", "channel", "created_by_id", "expires_at", "day",
                                                     "unit_id", "service_id", "slot_id")},
                     {k: v for k, v in entry.after.items() if k != "reference"}, entry.actor_id, entry.actor_label,
                     entry.object_type, entry.request_id, entry.after["reference"] == stored.reference))
    assert rows[0] == rows[1]
    assert rows[0][3:] == ("somchai", "booking.booking", "req-1", True)


def test_the_hot_statements_are_prepared_once_per_connection():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are a PostgreSQL matter")
    schedule, _ = make_schedule(seats=3)
    for citizen in ucs_citizens(3):
        booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        prepared = [row[0] for row in cursor.fetchall()]
    assert sum("FROM booking_slot s JOIN booking_schedule" in p for p in prepared) == 1
    assert sum(p.startswith("WITH seat AS (UPDATE booking_slot") for p in prepared) == 1
