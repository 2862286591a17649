"""A unit's schedules (weekly hours → materialised slots) and closed days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from raksa.audit.services import audit_record
from raksa.booking.locks import lock_slots
from raksa.booking.models import ACTIVE_STATUSES, Booking, Closure, Schedule, Slot
from raksa.booking.slots import slot_starts_for_day, slots_materialise
from raksa.core.errors import Conflict, InvalidInput
from raksa.core.timeutil import service_day
from raksa.core.weekly_hours import week_check


def _check_weekly_hours(weekly_hours: dict) -> dict:
    """The rule is raksa.core.weekly_hours' (times, order, no overlap); the schedule keeps the hours as given."""
    week_check(weekly_hours, field="weekly_hours")
    return weekly_hours


@transaction.atomic
def schedule_set(
    *, actor: Any, unit: Any, service: Any, weekly_hours: dict, slot_minutes: int, seats_per_slot: int,
    book_ahead_days: int = 14, min_notice_minutes: int = 60, today: dt.date | None = None,
) -> Schedule:
    """Create or change a unit's schedule for a service and materialise its slots.

    Existing slots keep their bookings: future slots that no longer fit the new hours are withdrawn
    (no new bookings), never deleted; their bookings stay valid and staff see them in the queue."""

    _check_weekly_hours(weekly_hours)
    if not 1 <= seats_per_slot <= 500:
        raise InvalidInput("Seats per slot must be between 1 and 500.", "จำนวนที่ต่อช่วงเวลาต้องอยู่ระหว่าง 1 ถึง 500",
                           code="INVALID_CAPACITY", field="seats_per_slot")
    if not 5 <= slot_minutes <= 480:
        raise InvalidInput("A slot lasts 5 to 480 minutes.", "ช่วงเวลาหนึ่งต้องยาว 5 ถึง 480 นาที",
                           code="INVALID_SLOT_LENGTH", field="slot_minutes")
    if not 0 <= book_ahead_days <= 90 or min_notice_minutes < 0:
        raise InvalidInput("Booking window must be 0–90 days and notice not negative.",
                           "จองล่วงหน้าได้ 0–90 วัน และเวลาแจ้งล่วงหน้าต้องไม่ติดลบ", code="INVALID_WINDOW",
                           field="book_ahead_days")
    schedule, created = Schedule.objects.select_for_update().get_or_create(
        unit=unit, service=service, defaults={"weekly_hours": weekly_hours, "slot_minutes": slot_minutes,
                                              "seats_per_slot": seats_per_slot, "book_ahead_days": book_ahead_days,
                                              "min_notice_minutes": min_notice_minutes})
    before = None if created else {"weekly_hours": schedule.weekly_hours, "slot_minutes": schedule.slot_minutes,
                                   "seats_per_slot": schedule.seats_per_slot}
    schedule.weekly_hours, schedule.slot_minutes, schedule.seats_per_slot = weekly_hours, slot_minutes, seats_per_slot
    schedule.book_ahead_days, schedule.min_notice_minutes, schedule.active = book_ahead_days, min_notice_minutes, True
    schedule.save()
    today = today or service_day()
    future = Slot.objects.filter(unit=unit, service=service, day__gte=today)
    wanted = {start: end for offset in range(book_ahead_days + 1)
              for start, end in slot_starts_for_day(schedule, today + dt.timedelta(days=offset))}
    closed_days = set(Closure.objects.filter(unit=unit, day__gte=today).values_list("day", flat=True))
    withdrawn = 0
    for slot in future.order_by("pk").select_for_update():
        end = wanted.get(slot.starts_at)
        if end is None or slot.day in closed_days:
            if not slot.withdrawn:
                slot.withdrawn = True
                slot.save(update_fields=["withdrawn"])
                withdrawn += 1
            continue
        capacity = max(seats_per_slot, slot.booked)  # never below the seats already taken
        if (slot.withdrawn, slot.ends_at, slot.capacity) != (False, end, capacity):
            slot.withdrawn, slot.ends_at, slot.capacity = False, end, capacity
            slot.save(update_fields=["withdrawn", "ends_at", "capacity"])
    made = slots_materialise(schedule=schedule, start_day=today)
    audit_record(actor=actor, action="schedule.set", obj=schedule, before=before,
                 after={"weekly_hours": weekly_hours, "slot_minutes": slot_minutes, "seats_per_slot": seats_per_slot,
                        "slots_made": made, "slots_withdrawn": withdrawn})
    return schedule


@transaction.atomic
def closure_add(*, actor: Any, unit: Any, day: dt.date, reason: str = "") -> tuple[Any, int]:
    """Close ``unit`` on ``day``: its slots take no new bookings. Bookings already made that day are
    kept (nothing a citizen confirmed is lost) and returned as a count for staff to move or cancel."""

    closure, created = Closure.objects.get_or_create(unit=unit, day=day, defaults={"reason": reason.strip()})
    if not created:
        raise Conflict("This day is already closed.", "วันนี้ถูกปิดไว้แล้ว", code="ALREADY_CLOSED", field="day")
    day_slots = Slot.objects.filter(unit=unit, day=day)
    lock_slots(day_slots.values_list("pk", flat=True))  # in id order, as a batch of bookings locks them
    day_slots.update(withdrawn=True)
    affected = Booking.objects.filter(unit=unit, day=day, status__in=ACTIVE_STATUSES).count()
    audit_record(actor=actor, action="closure.add", obj=closure, after={"day": day.isoformat(), "reason": reason,
                                                                        "bookings_to_move": affected})
    return closure, affected
