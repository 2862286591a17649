"""Dates in the back office: Buddhist years in columns, readings beside inputs, the audit log's drill-down."""

import datetime as dt
import html
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from raksa.audit.models import AuditEntry
from raksa.audit.services import audit_record
from raksa.core.timeutil import BANGKOK
from raksa.testing.factories import FeeRateFactory, ServiceFactory, UnitFactory
from raksa.units.models import FeeRate
from raksa.units.services import fee_rate_set, unit_verify

pytestmark = pytest.mark.django_db
AUDIT = "/backoffice/audit/auditentry/"


def audit_at(monkeypatch, when: dt.datetime, action: str) -> AuditEntry:
    monkeypatch.setattr(timezone, "now", lambda: when)
    with transaction.atomic():
        entry = audit_record(actor=None, action=action, object_type="units.unit", object_id="1")
    monkeypatch.undo()
    return entry


def hierarchy(page: str) -> list[str]:
    nav = re.search(r'<nav class="toplinks">(.*?)</nav>', page, re.S)
    texts = re.sub(r"<[^>]+>", "\n", html.unescape(nav.group(1))).split("\n") if nav else []
    return [" ".join(text.split()) for text in texts if text.strip()]


def test_the_audit_log_drills_down_by_buddhist_year_month_and_day(client, officer, monkeypatch):
    audit_at(monkeypatch, dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC), "unit.verify")  # 1 ม.ค. 2569, Bangkok
    audit_at(monkeypatch, dt.datetime(2025, 11, 3, 2, 0, tzinfo=dt.UTC), "unit.suspend")
    audit_at(monkeypatch, dt.datetime(2026, 2, 14, 3, 0, tzinfo=dt.UTC), "fee.set")

    assert hierarchy(client.get(AUDIT).content.decode()) == ["พ.ศ. 2568", "พ.ศ. 2569"]
    page = client.get(AUDIT, {"at__year": "2026"}).content.decode()
    assert hierarchy(page) == ["‹ ทุกวัน", "มกราคม 2569", "กุมภาพันธ์ 2569"]
    rows = page[page.index('id="result_list"'):page.index("</table>", page.index('id="result_list"'))]
    assert "ยืนยันหน่วยบริการ" in rows and "ตั้งอัตราค่าบริการ" in rows and "ระงับหน่วยบริการ" not in rows
    page = client.get(AUDIT, {"at__year": "2026", "at__month": "1"}).content.decode()
    assert hierarchy(page) == ["‹ พ.ศ. 2569", "1 ม.ค. 2569"]
    assert "1 ม.ค. 2569 06:30 น." in page  # the Bangkok time of 23:30 UTC the day before
    page = client.get(AUDIT, {"at__year": "2026", "at__month": "1", "at__day": "1"}).content.decode()
    assert hierarchy(page) == ["‹ มกราคม 2569", "1 ม.ค. 2569"]


def test_the_drill_down_asks_only_for_the_first_and_last_date(client, officer, monkeypatch):
    for day in range(1, 4):
        audit_at(monkeypatch, dt.datetime(2024, 5, day, 3, 0, tzinfo=dt.UTC), "unit.verify")
    audit_at(monkeypatch, dt.datetime(2026, 5, 1, 3, 0, tzinfo=dt.UTC), "unit.verify")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(AUDIT).content.decode()
    assert hierarchy(page) == ["พ.ศ. 2567", "พ.ศ. 2568", "พ.ศ. 2569"]  # every year between, at no extra cost
    assert not [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"].upper()]


def test_shown_dates_have_buddhist_years(client, officer):
    unit = UnitFactory()
    unit_verify(actor=officer, unit=unit)
    FeeRateFactory(service=ServiceFactory(), effective_from=dt.date(2025, 10, 1))
    changed = timezone.localtime(AuditEntry.objects.get().at, BANGKOK)
    rates = client.get("/backoffice/units/feerate/").content.decode()
    assert "1 ต.ค. 2568" in rates and "2025" not in rates
    page = client.get(reverse("backoffice:units_unit_change", args=[unit.pk])).content.decode()
    assert f"{changed.day} " in page and f"{changed.year + 543} {changed:%H:%M} น." in page


def test_a_date_input_shows_its_buddhist_reading_and_refuses_a_buddhist_year(client, officer):
    service = ServiceFactory()
    response = client.post("/backoffice/units/feerate/add/", {"service": service.pk, "amount_baht": "abc",
                                                              "effective_from": "2026-10-01"})
    page = response.content.decode()
    assert 'type="date" name="effective_from" value="2026-10-01"' in page
    assert re.search(r'<span class="be-reading" data-be-reading-for="id_effective_from"[^>]*>1 ตุลาคม 2569</span>', page)
    response = client.post("/backoffice/units/feerate/add/", {"service": service.pk, "amount_baht": "180",
                                                              "effective_from": "2569-10-01"})
    assert "ปีต้องเป็นปี ค.ศ. (เช่น 2026 ไม่ใช่ 2569)" in response.content.decode()
    assert not FeeRate.objects.exists()


def test_history_is_the_audit_log_of_the_object(client, officer):
    unit = UnitFactory()
    unit_verify(actor=officer, unit=unit)
    response = client.get(reverse("backoffice:units_unit_history", args=[unit.pk]), follow=True)
    assert response.redirect_chain[0][0] == f"{AUDIT}?object_type=units.unit&object_id={unit.pk}"
    page = response.content.decode()
    assert "ยืนยันหน่วยบริการ" in page and f"หน่วยบริการ {unit.pk}" in page


def test_an_audit_row_shows_its_values_with_thai_dates(client, officer):
    service = ServiceFactory()
    fee_rate_set(actor=officer, service=service, amount_baht="180", effective_from=dt.date(2026, 10, 1))
    entry = AuditEntry.objects.get(action="fee.set")
    page = client.get(reverse("backoffice:audit_auditentry_change", args=[entry.pk])).content.decode()
    assert "<code>effective_from</code></th><td>1 ต.ค. 2569</td>" in page
    assert "ตั้งอัตราค่าบริการ" in page and "2026-10-01" not in page
