"""The citizen's LIFF pages: home, my rights, find a unit, book, my bookings, rights QR.

Thin: reads through selectors (``finder``, ``raksa.people.selectors``, ``raksa.booking.slots``), every
change through the same services the portal calls (``raksa.booking.services``), the QR through
``raksa.verification.services``. Every refusal answers in the page's language with what to do next.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from interfaces.line import finder
from interfaces.line.session import frame_policy, liff_citizen
from raksa.booking.models import ACTIVE_STATUSES, Booking, BookingChannel, BookingStatus
from raksa.booking.selectors import slot_for_unit
from raksa.booking.services import (
    booking_can_move,
    booking_cancel,
    booking_confirm,
    booking_create,
    booking_decline,
    booking_reschedule,
)
from raksa.booking.slots import booking_day_check, slots_free
from raksa.core.errors import DomainError, NotFound
from raksa.core.timeutil import parse_date, service_day
from raksa.eligibility.services import eligibility_check
from raksa.people.models import Scheme
from raksa.people.selectors import coverage_history, coverage_on
from raksa.units.models import Service
from raksa.verification.services import rights_qr_issue

DAYS_SHOWN = 14
PAST_SHOWN = 20

# Notices after a redirect (?ok=…): fixed sentences, so nothing needs a server-side session.
NOTICES = {
    "linked": gettext_noop("Your LINE account is now linked. You can book and show your rights QR."),
    "cancelled": gettext_noop("The booking was cancelled."),
    "moved": gettext_noop("The booking was moved to the new time."),
    "confirmed": gettext_noop("Thank you: the booking is confirmed."),
    "declined": gettext_noop("The booking was declined. The unit has been told."),
    "unlinked": gettext_noop("Your LINE account is no longer linked. Link it again whenever you wish."),
}


def page(request, template: str, context: dict | None = None, status: int = 200):
    context = dict(context or {})
    notice = NOTICES.get(request.GET.get("ok", ""))
    if notice and "notice" not in context:
        context["notice"] = _(notice)
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"  # personal pages: never from a shared cache
    return frame_policy(response)


def error_text(exc: DomainError) -> str:
    return exc.message(get_language())


def problem(request, exc: DomainError, *, back: str = "/liff/"):
    """A refusal as a page: the reason and a way on."""
    return page(request, "line/problem.html", {"error": error_text(exc), "back": back}, status=exc.status)


def booking_not_found() -> NotFound:
    return NotFound("This booking is not among your bookings. Open My bookings to see them.",
                    "ไม่พบการจองนี้ในนัดของคุณ กรุณาเปิด \"นัดของฉัน\" เพื่อดูการจองทั้งหมด",
                    code="BOOKING_NOT_FOUND", field="reference")


def bookable_not_found() -> NotFound:
    return NotFound("This unit does not take bookings for this service in LINE. Choose a unit again.",
                    "หน่วยบริการนี้ไม่รับจองบริการนี้ทาง LINE กรุณาเลือกหน่วยบริการใหม่",
                    code="NOT_BOOKABLE", field="unit")


BACK = {"BOOKING_NOT_FOUND": "/liff/bookings", "NOT_BOOKABLE": "/liff/book"}


def refusals_as_pages(view):
    """A domain refusal raised by the view (not found) answers a page saying what to do."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return problem(request, exc, back=BACK.get(exc.code, "/liff/"))

    return wrapper


# --- home and rights --------------------------------------------------------------------------------

@require_http_methods(["GET"])
@liff_citizen
def home(request):
    citizen = request.liff.citizen
    awaiting = Booking.objects.filter(citizen=citizen, status=BookingStatus.AWAITING_CITIZEN).count()
    return page(request, "line/home.html", {"citizen": citizen, "awaiting": awaiting})


@require_http_methods(["GET"])
@liff_citizen
def rights(request):
    citizen = request.liff.citizen
    today = service_day()
    current = coverage_on(citizen, today)
    if current is not None and not current.covers(today):
        current = None
    history = [c for c in coverage_history(citizen) if current is None or c.pk != current.pk][:5]
    return page(request, "line/rights.html", {
        "citizen": citizen, "today": today, "coverage": current, "history": history,
        "is_ucs": current is not None and current.scheme == Scheme.UCS,
    })


# --- find a unit, pick a time, book -------------------------------------------------------------------

def _float(value: str | None, low: float, high: float) -> float | None:
    try:
        number = float(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


@require_http_methods(["GET"])
@liff_citizen
def find_unit(request):
    services = finder.bookable_services()
    code = request.GET.get("service", "")
    service = next((s for s in services if s.code == code), None)
    if service is None and not code and len(services) == 1:
        service = services[0]
    lat, lon = _float(request.GET.get("lat"), -90, 90), _float(request.GET.get("lon"), -180, 180)
    province, district = request.GET.get("province", "")[:2], request.GET.get("district", "")[:100]
    where = finder.places(service)
    if province not in dict(where["provinces"]):
        province = district = ""
    if district not in where["districts"].get(province, []):
        district = ""
    units = (finder.units_for_service(service, lat=lat, lon=lon, province=province, district=district)
             if service else [])
    return page(request, "line/find.html", {
        "services": services, "service": service, "units": units, "near": lat is not None and lon is not None,
        "lat": "" if lat is None else f"{lat:.5f}", "lon": "" if lon is None else f"{lon:.5f}",
        "provinces": where["provinces"], "province": province, "district": district,
        "districts": where["districts"].get(province, []), "unknown_service": bool(code) and service is None,
    })


def _days(schedule) -> list[dt.date]:
    today = service_day()
    return [today + dt.timedelta(days=n) for n in range(min(schedule.book_ahead_days, DAYS_SHOWN - 1) + 1)]


def _chosen_day(request, days: list[dt.date]) -> tuple[dt.date, str]:
    """The day asked for (?day=YYYY-MM-DD), or the first day; an impossible one gives a message."""
    raw = request.GET.get("day", "")
    if not raw:
        return days[0], ""
    try:
        day = parse_date(raw[:32], field="day")
    except DomainError as exc:
        return days[0], error_text(exc)
    return day, ""


def _slot_choices(request, citizen, schedule, *, exclude_slot_id: int | None = None) -> dict:
    """What the slot picker shows: the days, the chosen day's free times, or why there are none."""
    days = _days(schedule)
    day, day_error = _chosen_day(request, days)
    unit, service = schedule.unit, schedule.service
    decision = eligibility_check(citizen=citizen, unit=unit, service=service, on=day)
    slots: list = []
    if decision.eligible and not day_error:
        try:
            booking_day_check(unit_id=unit.pk, service_id=service.pk, day=day)
        except DomainError as exc:
            day_error = error_text(exc)
        else:
            slots = [s for s in slots_free(unit_id=unit.pk, service_id=service.pk, day=day)
                     if s.pk != exclude_slot_id]
    return {"unit": unit, "service": service, "days": days, "day": day, "day_error": day_error, "slots": slots,
            "reasons": decision.messages(get_language()) if not decision.eligible else [],
            "map_url": finder.map_url(unit)}


@require_http_methods(["GET"])
@liff_citizen
@refusals_as_pages
def pick_time(request, hcode: str, service_code: str):
    schedule = finder.schedule_for(hcode, service_code)
    if schedule is None:
        raise bookable_not_found()
    context = _slot_choices(request, request.liff.citizen, schedule)
    return page(request, "line/pick_time.html", context)


def _slot_from(request, unit, service: Service):
    raw = (request.POST if request.method == "POST" else request.GET).get("slot", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) < 12):
        return None
    return slot_for_unit(unit, int(raw), service_id=service.pk)


@require_http_methods(["GET", "POST"])
@liff_citizen
@refusals_as_pages
def book_confirm(request, hcode: str, service_code: str):
    """GET: the chosen time to check; POST: book it (channel LINE) and show the booking."""
    schedule = finder.schedule_for(hcode, service_code)
    if schedule is None:
        raise bookable_not_found()
    unit, service = schedule.unit, schedule.service
    slot = _slot_from(request, unit, service)
    back = f"/liff/book/{unit.hcode}/{service.code}"
    if slot is None:
        return page(request, "line/problem.html", {
            "error": _("This time could not be found. Choose a time again."), "back": back}, status=404)
    context = {"unit": unit, "service": service, "slot": slot, "back": f"{back}?day={slot.day.isoformat()}"}
    if request.method == "POST":
        try:
            booking = booking_create(actor=None, citizen=request.liff.citizen, slot_id=slot.pk,
                                     channel=BookingChannel.LINE, actor_label=request.liff.actor_label)
        except DomainError as exc:
            context["error"] = error_text(exc)
            return page(request, "line/book_confirm.html", context, status=exc.status)
        return redirect(f"/liff/bookings/{booking.reference}?ok=booked")
    return page(request, "line/book_confirm.html", context)


# --- my bookings ------------------------------------------------------------------------------------

def _own_booking(request, reference: str) -> Booking:
    reference = (reference or "").strip().upper()[:12]
    booking = (Booking.objects.select_related("unit", "unit__province", "service", "slot")
               .filter(citizen=request.liff.citizen, reference=reference).first())
    if booking is None:
        raise booking_not_found()
    return booking


@require_http_methods(["GET"])
@liff_citizen
def bookings(request):
    now = timezone.now()
    rows = list(Booking.objects.filter(citizen=request.liff.citizen)
                .select_related("unit", "service", "slot")
                .only("reference", "status", "unit__name", "service__code", "service__name_th", "service__name_en",
                      "slot__starts_at", "slot__ends_at")
                .order_by("-slot__starts_at", "-pk")[:200])
    upcoming, past = [], []
    for booking in rows:
        (upcoming if booking.status in ACTIVE_STATUSES and booking.slot.ends_at > now else past).append(booking)
    upcoming.reverse()
    past = past[:PAST_SHOWN]
    return page(request, "line/bookings.html", {"upcoming": upcoming, "past": past})


@require_http_methods(["GET"])
@liff_citizen
@refusals_as_pages
def booking_detail(request, reference: str):
    booking = _own_booking(request, reference)
    return page(request, "line/booking.html", _booking_context(request, booking))


def _booking_context(request, booking: Booking, error: str = "") -> dict:
    return {"booking": booking, "map_url": finder.map_url(booking.unit), "error": error,
            "just_booked": request.GET.get("ok") == "booked",
            "upcoming": booking.status in ACTIVE_STATUSES and booking.slot.ends_at > timezone.now(),
            "movable": booking_can_move(booking),
            "awaiting": booking.status == BookingStatus.AWAITING_CITIZEN}


# What each action asks before it is done, and the service that does it.
ACTIONS = {
    "cancel": (booking_cancel, "cancelled"),
    "decline": (booking_decline, "declined"),
}


@require_http_methods(["GET", "POST"])
@liff_citizen
@refusals_as_pages
def booking_end(request, reference: str, action: str):
    """Cancel or decline: GET asks "are you sure?", POST does it (the portal's services)."""
    booking = _own_booking(request, reference)
    service_call, done = ACTIONS[action]
    if request.method == "POST":
        try:
            service_call(actor=None, booking_id=booking.pk, actor_label=request.liff.actor_label)
        except DomainError as exc:
            return page(request, "line/booking.html", _booking_context(request, booking, error_text(exc)),
                        status=exc.status)
        return redirect(f"/liff/bookings?ok={done}")
    return page(request, "line/booking_end.html", {"booking": booking, "action": action})


@require_http_methods(["GET", "POST"])
@liff_citizen
@refusals_as_pages
def booking_accept(request, reference: str):
    """The citizen confirms a booking the unit made for them (seed 2.2). A GET (the sign-in page sends the
    browser back here after a session expired under the confirm button's POST) shows the booking to tap again."""
    booking = _own_booking(request, reference)
    if request.method == "GET":
        return redirect(f"/liff/bookings/{booking.reference}")
    try:
        booking_confirm(actor=None, booking_id=booking.pk, via="line", actor_label=request.liff.actor_label)
    except DomainError as exc:
        return page(request, "line/booking.html", _booking_context(request, booking, error_text(exc)),
                    status=exc.status)
    return redirect(f"/liff/bookings/{booking.reference}?ok=confirmed")


@require_http_methods(["GET"])
@liff_citizen
@refusals_as_pages
def booking_move(request, reference: str):
    """Reschedule, step 1: another time of the same unit and service."""
    booking = _own_booking(request, reference)
    if not booking_can_move(booking):
        return page(request, "line/booking.html",
                    _booking_context(request, booking, _("This booking can no longer be moved.")), status=409)
    schedule = finder.schedule_for(booking.unit.hcode, booking.service.code)
    if schedule is None:
        return page(request, "line/booking.html", _booking_context(
            request, booking, _("This unit no longer takes bookings for this service. Cancel instead.")),
            status=409)
    context = _slot_choices(request, request.liff.citizen, schedule, exclude_slot_id=booking.slot_id)
    return page(request, "line/pick_time.html", context | {"moving": booking})


@require_http_methods(["GET", "POST"])
@liff_citizen
@refusals_as_pages
def booking_move_confirm(request, reference: str):
    """Reschedule, step 2: GET shows old and new time; POST moves (booking_reschedule)."""
    booking = _own_booking(request, reference)
    slot = _slot_from(request, booking.unit, booking.service)
    back = f"/liff/bookings/{booking.reference}/move"
    if slot is None:
        return page(request, "line/problem.html", {
            "error": _("This time could not be found. Choose a time again."), "back": back}, status=404)
    context = {"booking": booking, "slot": slot, "back": f"{back}?day={slot.day.isoformat()}"}
    if request.method == "POST":
        try:
            booking_reschedule(actor=None, booking_id=booking.pk, new_slot_id=slot.pk,
                               actor_label=request.liff.actor_label)
        except DomainError as exc:
            context["error"] = error_text(exc)
            return page(request, "line/move_confirm.html", context, status=exc.status)
        return redirect(f"/liff/bookings/{booking.reference}?ok=moved")
    return page(request, "line/move_confirm.html", context)


# --- rights QR --------------------------------------------------------------------------------------

def qr_svg(token: str) -> str:
    import segno

    return segno.make(token, error="m").svg_inline(scale=6, border=4, dark="#000", light="#fff",
                                                   omitsize=True)


@require_http_methods(["GET", "POST"])
@liff_citizen
def rights_qr(request):
    """GET: the page with a fresh code; POST (the page's script, before the code expires): a new code as
    JSON ``{svg, expires_at, seconds}``. A new code voids the older ones (the verification service)."""
    try:
        issued = rights_qr_issue(citizen=request.liff.citizen)
    except DomainError as exc:
        if request.method == "POST":
            return JsonResponse({**exc.as_dict(), "message": error_text(exc)}, status=exc.status)
        return problem(request, exc)
    seconds = max(0, int((issued.expires_at - timezone.now()).total_seconds()))
    svg = qr_svg(issued.token)
    if request.method == "POST":
        response = JsonResponse({"svg": svg, "expires_at": issued.expires_at.isoformat(), "seconds": seconds})
        response["Cache-Control"] = "no-store"
        return response
    return page(request, "line/qr.html", {"svg": svg, "seconds": seconds, "expires_at": issued.expires_at,
                                          "booking": getattr(issued, "booking", None)})
