"""Each rule the raw SQL applies is the models' own: one statement of it, read the same by every path."""

import pytest
from django.db import IntegrityError, connection, transaction

from raksa.booking import sql
from raksa.booking.locks import slot_take_seat
from raksa.booking.models import ACTIVE_STATUSES, ONE_ACTIVE_BOOKING_CONSTRAINT, Booking, BookingStatus, Slot
from raksa.booking.services import booking_create
from raksa.booking.services.create import is_one_per_day_clash
from raksa.booking.tests.helpers import NOW, T10, make_schedule, slot_at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("booked", "capacity", "withdrawn", "takes"), [
    (0, 2, False, True), (1, 2, False, True), (2, 2, False, False), (0, 2, True, False), (2, 2, True, False)])
def test_the_orm_and_the_seat_update_apply_the_same_seat_rule(booked, capacity, withdrawn, takes):
    schedule, _ = make_schedule(seats=capacity)
    slot = slot_at(schedule, T10)
    Slot.objects.filter(pk=slot.pk).update(booked=booked, withdrawn=withdrawn)
    listed = Slot.objects.filter(pk=slot.pk).with_free_seat().exists()
    with transaction.atomic():
        taken = slot_take_seat(slot.pk)
    assert listed == taken == takes
    assert Slot.objects.get(pk=slot.pk).booked == booked + takes


def test_the_active_statuses_of_the_constraint_and_of_the_sql_are_one_constant():
    [constraint] = [c for c in Booking._meta.constraints if c.name == ONE_ACTIVE_BOOKING_CONSTRAINT]
    assert constraint.condition.children == [("status__in", ACTIVE_STATUSES)]
    assert sql.ACTIVE_STATUSES_SQL == "'awaiting_citizen', 'confirmed', 'checked_in'"
    assert f"bk.status IN ({sql.ACTIVE_STATUSES_SQL})" in sql.FACTS_MANY_SQL


def test_a_clash_is_recognised_by_the_constraint_name_not_by_the_message():
    schedule, citizen = make_schedule()
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    twin = Booking(reference="TWIN0001", citizen_id=citizen.pk, unit_id=booking.unit_id, service_id=booking.service_id,
                   slot_id=booking.slot_id, day=booking.day, status=BookingStatus.CONFIRMED, channel="line")
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        twin.save()
    assert is_one_per_day_clash(caught.value)
    if connection.vendor == "postgresql":  # the name comes from the error's diagnostics, whatever its text says
        assert caught.value.__cause__.diag.constraint_name == ONE_ACTIVE_BOOKING_CONSTRAINT


def test_on_sqlite_the_clash_is_recognised_by_the_constraint_columns():
    """SQLite names no constraint, only its columns (the demo runs on SQLite)."""
    columns = "booking_booking.citizen_id, booking_booking.unit_id, booking_booking.day"
    assert is_one_per_day_clash(IntegrityError(f"UNIQUE constraint failed: {columns}"))
    assert not is_one_per_day_clash(IntegrityError("UNIQUE constraint failed: booking_booking.reference"))


def test_another_unique_violation_is_not_taken_for_the_clash():
    schedule, citizen = make_schedule()
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    other = make_schedule()[1]
    same_reference = Booking(reference=booking.reference, citizen_id=other.pk, unit_id=booking.unit_id,
                             service_id=booking.service_id, slot_id=booking.slot_id, day=booking.day,
                             status=BookingStatus.CANCELLED, channel="line")
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        same_reference.save()
    assert not is_one_per_day_clash(caught.value)
