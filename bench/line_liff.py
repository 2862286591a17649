"""``liff.page.p99_ms`` and ``liff.page.kb``: the LIFF pages' server time and weight.

* p99 server time of "my bookings" (``/liff/bookings``) for a citizen with 20 bookings (upcoming and past),
  signed in with the LIFF cookie as after a real sign-in, timed in the process through Django's whole request
  cycle (middleware, session check, queries, template) with the test client: the time the server spends, without
  the network or a load generator sharing the cores;
* the booking page's weight (``/liff/book/<unit>/<service>``, the slot picker): its HTML plus the CSS and
  JavaScript it loads from Raksa, in KB; LINE's SDK is not counted (it is LINE's and cached by the LINE app).

Runs on the benchmark's PostgreSQL (DATABASE_URL) after the booking benchmark: it books through the same
``booking_create`` as everyone else, so seats and audit rows stay true. One JSON line per figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time

import django


def line(name: str, value, unit: str) -> None:
    print(json.dumps({"name": name, "value": value, "unit": unit}), flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def citizen_with_bookings(count: int):
    """A UCS citizen linked to LINE with ``count`` bookings at different units and days: those ahead are made
    through ``booking_create``; the past ones are bookings made earlier (their slots are in the past, where a new
    booking is refused), so they are made as of a week before their slot; a fresh benchmark registry has no past
    slots, and then all 20 are ahead."""
    from django.db.models import F
    from django.utils import timezone

    from raksa.booking.models import Booking, Slot
    from raksa.booking.services import booking_create
    from raksa.core.errors import DomainError
    from raksa.people.models import Citizen, Coverage

    now = timezone.now()
    taken = set(Citizen.objects.filter(line_user_id__startswith="Ubenchliff").values_list("pk", flat=True))
    coverage = (Coverage.objects.filter(scheme="UCS", valid_to__isnull=True).exclude(citizen_id__in=taken)
                .order_by("pk").first())
    citizen = coverage.citizen
    citizen.line_user_id = f"Ubenchliff{citizen.pk:022d}"
    citizen.save(update_fields=["line_user_id"])
    made, units = 0, set()
    candidates = (Slot.objects.with_free_seat().filter(booked__lt=F("capacity") - 1)
                  .filter(unit__status="verified").select_related("unit").order_by("day", "pk"))
    for ahead in (False, True):  # up to half in the past (where the registry has past slots), the rest ahead
        wanted = count if ahead else count // 2
        for slot in (candidates.filter(starts_at__gte=now + dt.timedelta(days=1)) if ahead
                     else candidates.filter(starts_at__lt=now - dt.timedelta(days=1)).order_by("-day", "pk"))[:4000]:
            if made >= wanted:
                break
            if (slot.unit_id, slot.day) in units:
                continue
            try:
                booking_create(actor=None, citizen=citizen, slot_id=slot.pk,
                               now=now if ahead else slot.starts_at - dt.timedelta(days=7))
            except DomainError:
                continue
            units.add((slot.unit_id, slot.day))
            made += 1
    assert Booking.objects.filter(citizen=citizen).count() == made
    if made < count:
        raise SystemExit(f"liff bench: only {made} of {count} bookings could be made (too few bookable units?)")
    return citizen, made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bookings", type=int, default=20)
    parser.add_argument("--requests", type=int, default=600)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    from django.conf import settings
    from django.core import signing
    from django.test import Client
    from django.test.utils import setup_test_environment

    from interfaces.line.session import COOKIE, SALT
    from raksa.booking.models import Booking

    setup_test_environment()  # the test client's ALLOWED_HOSTS entry; DEBUG stays as the settings say
    citizen, made = citizen_with_bookings(args.bookings)
    client = Client()
    client.cookies[COOKIE] = signing.get_cookie_signer(salt=COOKIE + SALT).sign(citizen.line_user_id)
    first = client.get("/liff/bookings")
    assert first.status_code == 200, first.status_code
    shown = sum(booking.reference in first.content.decode() for booking in Booking.objects.filter(citizen=citizen))
    timings = []
    for i in range(args.requests + 100):
        started = time.perf_counter()
        answer = client.get("/liff/bookings")
        elapsed = (time.perf_counter() - started) * 1000
        assert answer.status_code == 200
        if i >= 100:  # the first 100 warm the process (templates, prepared statements), as a running service is
            timings.append(elapsed)
    print(f"liff bench: my bookings for a citizen with {made} bookings ({shown} shown), {len(timings)} requests: "
          f"p50 {percentile(timings, 50):.2f} ms", file=sys.stderr)
    line("liff.page.p99_ms", round(percentile(timings, 99), 2), "ms")

    booking = Booking.objects.filter(citizen=citizen).select_related("unit", "service").latest("day")
    page = client.get(f"/liff/book/{booking.unit.hcode}/{booking.service.code}")
    assert page.status_code == 200, page.status_code
    html = page.content
    size = len(html)
    files = set(re.findall(rb'(?:href|src)="' + re.escape(settings.STATIC_URL.encode()) + rb'([^"?#]+)', html))
    for name in files:  # as served: the collected (hashed) files
        size += os.path.getsize(os.path.join(settings.STATIC_ROOT, name.decode()))
    print(f"liff bench: the booking page is {len(html):,} bytes of HTML and loads {sorted(n.decode() for n in files)}",
          file=sys.stderr)
    line("liff.page.kb", round(size / 1024, 1), "KB")


if __name__ == "__main__":
    main()
