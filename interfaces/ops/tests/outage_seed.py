"""A small seed for test_database_outage_live.py, run in a subprocess against the test's own cluster:
``python -m interfaces.ops.tests.outage_seed UNITS CITIZENS`` prints one JSON object on stdout:
``{"hcodes": [...], "keys": [...], "display": <the first unit's display board path>,
"plan": [[unit index, national ID, slot id], ...]}``. Each entry of the plan
is a different (citizen, unit) pair, so every booking of it can succeed: the only expected refusals are
the outage's own answers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys

import django


def main(units: int, citizens: int) -> dict:
    from django.db import transaction
    from django.urls import reverse

    from raksa.booking.display import display_token_for
    from raksa.booking.models import Slot
    from raksa.booking.services import schedule_set
    from raksa.core.timeutil import service_day
    from raksa.people import national_id as nid
    from raksa.people.models import Citizen, Coverage
    from raksa.people.services import citizen_fields_for_id
    from raksa.units.models import Province, Service, Unit, UnitService, UnitStatus, UnitType
    from raksa.units.services import unit_api_key_issue

    hours = {d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    tomorrow = service_day() + dt.timedelta(days=1)
    with transaction.atomic():
        province, _ = Province.objects.get_or_create(code="10", defaults={"name_th": "กรุงเทพมหานคร",
                                                                           "name_en": "Bangkok"})
        service, _ = Service.objects.get_or_create(code="OUT1", defaults={
            "name_th": "บริการทดสอบ", "name_en": "Outage test", "unit_type": UnitType.PHARMACY})
        made = Unit.objects.bulk_create([
            Unit(hcode=f"{76000 + i:05d}", name=f"ร้านยาทดสอบ {i}", unit_type=UnitType.PHARMACY, province=province,
                 status=UnitStatus.VERIFIED) for i in range(units)])
        UnitService.objects.bulk_create([UnitService(unit=u, service=service, valid_from=dt.date(2020, 1, 1))
                                         for u in made])
        keys, slots = [], []
        for unit in made:
            schedule_set(actor=None, unit=unit, service=service, weekly_hours=hours, slot_minutes=30,
                         seats_per_slot=500, book_ahead_days=2, min_notice_minutes=0)
            keys.append(unit_api_key_issue(actor=None, unit=unit, label="outage test")[0])
            slots.append(list(Slot.objects.filter(unit=unit, day=tomorrow).values_list("pk", flat=True)))
        ids = []
        for i in range(citizens):
            first12 = f"58{i:010d}"  # 58…: a category the demo generator never uses
            ids.append(first12 + str(nid.check_digit(first12)))
        people = Citizen.objects.bulk_create([
            Citizen(first_name_th="ทดสอบ", last_name_th=f"ขัดข้อง{i}", birth_date=dt.date(1980, 1, 1),
                    **citizen_fields_for_id(national_id)) for i, national_id in enumerate(ids)])
        Coverage.objects.bulk_create([Coverage(citizen=c, scheme="UCS", subtype="WEL", valid_from=dt.date(2020, 1, 1))
                                      for c in people])
    rng = random.Random(9)
    plan = [[u, national_id, rng.choice(slots[u])] for national_id in ids for u in range(units)]
    rng.shuffle(plan)
    return {"hcodes": [u.hcode for u in made], "keys": keys, "plan": plan,
            "display": reverse("display:board", args=[display_token_for(made[0])])}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
