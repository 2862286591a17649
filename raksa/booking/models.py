"""Schedules, materialised slots with a seat counter, bookings, waitlist and today's queue tickets.

Invariants live in the database:
* ``Slot.booked`` is between 0 and ``capacity`` (CHECK): overbooking is impossible, not just unlikely;
* one active booking per citizen per unit per day (partial UNIQUE index);
* ticket numbers are unique per unit, day and prefix (UNIQUE), and gapless (counter row, see locks.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL

from raksa.people.models import Citizen
from raksa.units.models import Service, Unit


class Schedule(models.Model):
    """When a unit offers a service: weekly hours, slot length, seats per slot, booking window."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="schedules")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    # {"mon": [["08:00", "12:00"], ["13:00", "17:00"]], ..., "sun": []}, Bangkok local time
    weekly_hours = models.JSONField(default=dict)
    slot_minutes = models.PositiveSmallIntegerField(default=30)
    seats_per_slot = models.PositiveSmallIntegerField(default=1)
    book_ahead_days = models.PositiveSmallIntegerField(default=14)
    min_notice_minutes = models.PositiveIntegerField(default=60)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Slots exist up to this Bangkok date; booking_sweep rolls it forward day by day (slots_roll_forward).
    materialised_until = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "service"], name="schedule_one_per_unit_service"),
            models.CheckConstraint(condition=Q(seats_per_slot__gte=1), name="schedule_capacity_positive"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5) & Q(slot_minutes__lte=480),
                                   name="schedule_slot_length_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.service_id} every {self.slot_minutes} min × {self.seats_per_slot}"


class Closure(models.Model):
    """A day a unit is closed (holiday, training): no slots, and open slots on it are withdrawn."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="closures")
    day = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="closure_one_per_unit_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} closed {self.day}"


# The seat rule, once: a slot takes a booking while it has a free seat and is not withdrawn. Raw SQL
# embeds it (raksa/booking/sql.py: the seat UPDATE, the batch's lock step) and the ORM filters on it
# through SlotQuerySet.with_free_seat, so there is no second statement of it to drift.
SEAT_FREE_SQL = "{slot}.booked < {slot}.capacity AND NOT {slot}.withdrawn"


class SlotQuerySet(models.QuerySet):
    def with_free_seat(self) -> "SlotQuerySet":
        condition = RawSQL(SEAT_FREE_SQL.format(slot=self.model._meta.db_table), [],
                           output_field=models.BooleanField())
        return self.alias(seat_free=condition).filter(seat_free=True)

    def full(self) -> "SlotQuerySet":
        """Slots still offered (not withdrawn) whose every seat is taken: the seat rule's other side."""
        condition = RawSQL(SEAT_FREE_SQL.format(slot=self.model._meta.db_table), [],
                           output_field=models.BooleanField())
        return self.filter(withdrawn=False).alias(seat_free=condition).filter(seat_free=False)


class Slot(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="slots")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    schedule = models.ForeignKey(Schedule, on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    day = models.DateField(help_text="the Bangkok date of starts_at")
    capacity = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)
    withdrawn = models.BooleanField(default=False, help_text="closed day or schedule change: no new bookings")

    objects = SlotQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["unit", "service", "day"], name="slot_unit_service_day")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "service", "starts_at"], name="slot_unique_start"),
            models.CheckConstraint(condition=Q(booked__gte=0) & Q(booked__lte=F("capacity")),
                                   name="slot_never_overbooked"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_positive"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"slot {self.pk} {self.starts_at:%Y-%m-%d %H:%M} {self.booked}/{self.capacity}"

    @property
    def free(self) -> int:
        return self.capacity - self.booked


class BookingStatus(models.TextChoices):
    AWAITING_CITIZEN = "awaiting_citizen", "รอประชาชนยืนยัน (Awaiting citizen)"
    CONFIRMED = "confirmed", "ยืนยันแล้ว (Confirmed)"
    CHECKED_IN = "checked_in", "มาถึงแล้ว (Checked in)"
    COMPLETED = "completed", "รับบริการแล้ว (Completed)"
    CANCELLED = "cancelled", "ยกเลิก (Cancelled)"
    DECLINED = "declined", "ประชาชนปฏิเสธ (Declined)"
    EXPIRED = "expired", "หมดเวลายืนยัน (Expired)"
    NO_SHOW = "no_show", "ไม่มาตามนัด (No-show)"


# The statuses of a booking that is still "on": at most one per citizen, unit and day (the constraint
# below, the batch's SQL and the Python checks all read this tuple).
ACTIVE_STATUSES = (BookingStatus.AWAITING_CITIZEN, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)
ONE_ACTIVE_BOOKING_CONSTRAINT = "booking_one_active_per_citizen_unit_day"
# Which bookings may move to another time or be cancelled: not one whose citizen has arrived (their
# ticket is in the queue: it ends there).
MOVABLE_STATUSES = (BookingStatus.AWAITING_CITIZEN, BookingStatus.CONFIRMED)
CANCELLABLE_STATUSES = MOVABLE_STATUSES


class BookingChannel(models.TextChoices):
    LINE = "line", "LINE"
    PORTAL = "portal", "หน่วยบริการจองให้ (Unit)"
    API = "api", "API"
    WAITLIST = "waitlist", "จากรายชื่อรอ (Waitlist)"


# A unit booked for the citizen (at the counter, or from its own software): the citizen confirms in LINE.
UNIT_MADE_CHANNELS = (BookingChannel.PORTAL, BookingChannel.API)


class Booking(models.Model):
    reference = models.CharField(max_length=12, unique=True)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="bookings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    day = models.DateField(help_text="the slot's Bangkok date (copied for the one-per-day rule)")
    status = models.CharField(max_length=20, choices=BookingStatus.choices)
    channel = models.CharField(max_length=10, choices=BookingChannel.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="awaiting_citizen only")
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["unit", "day", "status"], name="booking_unit_day_status"),
            models.Index(fields=["citizen", "-day"], name="booking_citizen_day"),
            models.Index(fields=["expires_at"], condition=Q(status="awaiting_citizen"), name="booking_awaiting_expiry"),
            # the LINE reminders' query, every minute: confirmed bookings of today and tomorrow (Bangkok)
            models.Index(fields=["day"], condition=Q(status="confirmed"), name="booking_confirmed_day"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["citizen", "unit", "day"], condition=Q(status__in=ACTIVE_STATUSES),
                                    name=ONE_ACTIVE_BOOKING_CONSTRAINT),
            models.CheckConstraint(condition=Q(status__in=BookingStatus.values), name="booking_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "รอ (Waiting)"
    OFFERED = "offered", "เสนอที่ว่างแล้ว (Offered)"
    CANCELLED = "cancelled", "ยกเลิก (Cancelled)"


class WaitlistEntry(models.Model):
    """A citizen waiting for a seat in a full slot. When a seat frees, the first waiting entry is
    offered it: a Booking in ``awaiting_citizen`` that holds the seat until it expires."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="waitlist")
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    offer = models.OneToOneField(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["slot", "created_at"], condition=Q(status="waiting"),
                                name="waitlist_waiting_order")]
        constraints = [
            models.UniqueConstraint(fields=["slot", "citizen"], condition=Q(status="waiting"),
                                    name="waitlist_once_per_slot"),
        ]

    def __str__(self) -> str:
        return f"waitlist {self.slot_id} {self.citizen_id} {self.status}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", "รอเรียก (Waiting)"
    CALLED = "called", "เรียกแล้ว (Called)"
    IN_SERVICE = "in_service", "กำลังรับบริการ (In service)"
    DONE = "done", "เสร็จสิ้น (Done)"
    LEFT = "left", "ออกจากคิว (Left)"


class TicketKind(models.TextChoices):
    WALK_IN = "A", "Walk-in"
    BOOKING = "B", "จองล่วงหน้า (Booked)"


class QueueCounter(models.Model):
    """Last ticket number issued per unit, day and prefix. Incremented in the ticket's transaction,
    so a rolled-back ticket also rolls back its number: numbers have no gaps."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=1, choices=TicketKind.choices)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day", "kind"], name="queue_counter_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.kind}: {self.last_number}"


OPEN_TICKET_STATUSES = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.IN_SERVICE)
OPEN_TICKET_CONSTRAINT = "ticket_one_open_per_citizen"


class QueueTicket(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="tickets")
    day = models.DateField()
    kind = models.CharField(max_length=1, choices=TicketKind.choices)
    number = models.PositiveIntegerField()
    booking = models.OneToOneField(Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="ticket")
    citizen = models.ForeignKey(Citizen, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    priority_at = models.DateTimeField(help_text="queue order: slot start for bookings, issue time for walk-ins")
    created_at = models.DateTimeField(auto_now_add=True)
    called_at = models.DateTimeField(null=True, blank=True)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "day", "status", "priority_at"], name="ticket_queue_order")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "kind", "number"], name="ticket_number_unique"),
            models.CheckConstraint(condition=Q(status__in=TicketStatus.values), name="ticket_status_valid"),
            # A person is in a unit's queue once at a time (a walk-in ticket and a booked one are not both open).
            models.UniqueConstraint(fields=["unit", "day", "citizen"], name=OPEN_TICKET_CONSTRAINT,
                                    condition=Q(citizen__isnull=False, status__in=OPEN_TICKET_STATUSES)),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.kind}-{self.number:03d}"
