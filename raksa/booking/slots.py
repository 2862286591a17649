"""Slots are materialised from schedules: one row per start time with a seat counter.

Materialising makes capacity a row the database can lock and CHECK, and makes listing free seats a
single indexed range scan whatever the size of the registry.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from raksa.booking.models import Closure, Schedule, Slot
from raksa.core.errors import InvalidInput
from raksa.core.thaidate import format_date
from raksa.core.timeutil import BANGKOK, service_day
from raksa.core.weekly_hours import DAYS

WEEKDAYS = DAYS


def _parse_hhmm(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def slot_starts_for_day(schedule: Schedule, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The (start, end) instants of the slots ``schedule`` offers on Bangkok date ``day``."""
    step = dt.timedelta(minutes=schedule.slot_minutes)
    result = []
    for start_text, end_text in schedule.weekly_hours.get(WEEKDAYS[day.weekday()], []):
        start = dt.datetime.combine(day, _parse_hhmm(start_text), tzinfo=BANGKOK)
        end = dt.datetime.combine(day, _parse_hhmm(end_text), tzinfo=BANGKOK) if end_text != "24:00" else \
            dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=BANGKOK)
        while start + step <= end:
            result.append((start.astimezone(dt.UTC), (start + step).astimezone(dt.UTC)))
            start += step
    return result


@transaction.atomic
def slots_materialise(*, schedule: Schedule, start_day: dt.date | None = None, days: int | None = None) -> int:
    """Create the missing slots of ``schedule`` for its booking window. Existing slots (with their
    bookings) are never touched; slots on closed days are not created. Returns how many were made."""
    start_day = start_day or service_day()
    days = schedule.book_ahead_days + 1 if days is None else days
    closed = set(Closure.objects.filter(unit_id=schedule.unit_id, day__gte=start_day,
                                        day__lt=start_day + dt.timedelta(days=days)).values_list("day", flat=True))
    rows = []
    for offset in range(days):
        day = start_day + dt.timedelta(days=offset)
        if day in closed:
            continue
        for starts_at, ends_at in slot_starts_for_day(schedule, day):
            rows.append(Slot(unit_id=schedule.unit_id, service_id=schedule.service_id, schedule=schedule,
                             starts_at=starts_at,
                             ends_at=ends_at, day=day, capacity=schedule.seats_per_slot))
    before = Slot.objects.filter(unit_id=schedule.unit_id, service_id=schedule.service_id).count()
    Slot.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    last_day = start_day + dt.timedelta(days=days - 1)
    if schedule.materialised_until is None or last_day > schedule.materialised_until:
        schedule.materialised_until = last_day
        Schedule.objects.filter(pk=schedule.pk).update(materialised_until=last_day)
    return Slot.objects.filter(unit_id=schedule.unit_id, service_id=schedule.service_id).count() - before


def slots_roll_forward(*, today: dt.date | None = None) -> int:
    """Keep every active schedule's booking window open: make the slots of the days that came into the
    window since they were last made (run by booking_sweep; only schedules behind are touched)."""
    today = today or service_day()
    made = 0
    for schedule in Schedule.objects.filter(active=True).order_by("pk").iterator():
        horizon = today + dt.timedelta(days=schedule.book_ahead_days)
        if schedule.materialised_until is not None and schedule.materialised_until >= horizon:
            continue
        start = max(today, (schedule.materialised_until or today - dt.timedelta(days=1)) + dt.timedelta(days=1))
        with transaction.atomic():
            made += slots_materialise(schedule=schedule, start_day=start, days=(horizon - start).days + 1)
    return made


def booking_day_check(*, unit_id: int, service_id: int, day: dt.date, now: dt.datetime | None = None) -> None:
    """Refuse a day on which nothing can be booked, saying why and naming the window: a day that has
    passed, a day beyond the schedule's booking window, or a service without a schedule."""
    today = service_day(now or timezone.now())
    schedule = Schedule.objects.filter(unit_id=unit_id, service_id=service_id, active=True).first()
    if schedule is None:
        raise InvalidInput("This unit takes no bookings for this service (no schedule). Give a walk-in ticket "
                           "instead, or ask the unit administrator to set a schedule.",
                           "หน่วยบริการนี้ยังไม่เปิดจองบริการนี้ (ยังไม่มีตารางเวลา) ออกบัตรคิว walk-in แทน "
                           "หรือให้ผู้ดูแลหน่วยบริการตั้งตารางเวลา",
                           code="NO_SCHEDULE", field="day")
    last = today + dt.timedelta(days=schedule.book_ahead_days)
    window_en = f"from today to {format_date(last, language='en')} ({schedule.book_ahead_days} days ahead)"
    window_th = f"ตั้งแต่วันนี้ถึง {format_date(last)} (ล่วงหน้า {schedule.book_ahead_days} วัน)"
    if day < today:
        raise InvalidInput(f"{format_date(day, language='en')} has passed. Bookings are open {window_en}.",
                           f"วันที่ {format_date(day)} ผ่านไปแล้ว จองได้{window_th}",
                           code="DAY_PASSED", field="day")
    if day > last:
        raise InvalidInput(f"{format_date(day, language='en')} is beyond the booking window. Bookings are open "
                           f"{window_en}.",
                           f"วันที่ {format_date(day)} เกินช่วงที่เปิดจอง จองได้{window_th}",
                           code="DAY_BEYOND_WINDOW", field="day")


def slots_free(*, unit_id: int, service_id: int, day: dt.date, now: dt.datetime | None = None) -> list[Slot]:
    """Open slots with a free seat on Bangkok date ``day`` that respect the minimum notice."""
    now = now or timezone.now()
    schedule = Schedule.objects.filter(unit_id=unit_id, service_id=service_id, active=True).first()
    if schedule is None:
        return []
    if day > service_day(now) + dt.timedelta(days=schedule.book_ahead_days):
        return []
    earliest = now + dt.timedelta(minutes=schedule.min_notice_minutes)
    return list(Slot.objects.filter(unit_id=unit_id, service_id=service_id, day=day, starts_at__gte=earliest)
                .with_free_seat().order_by("starts_at"))


def slots_full(*, unit_id: int, service_id: int, day: dt.date, now: dt.datetime | None = None) -> list[Slot]:
    """Open slots of ``day`` still ahead that are full: a citizen may join their waiting list."""
    now = now or timezone.now()
    return list(Slot.objects.filter(unit_id=unit_id, service_id=service_id, day=day, starts_at__gt=now)
                .full().order_by("starts_at"))
