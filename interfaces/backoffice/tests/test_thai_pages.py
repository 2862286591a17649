"""Every back-office page, rendered in Thai, has Thai labels and Buddhist years (see thai_check.py)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from interfaces.backoffice.site import backoffice_site
from interfaces.backoffice.tests.helpers import form_data
from interfaces.backoffice.tests.thai_check import english_words, forbidden_english, problems
from raksa.booking.tests.helpers import NOW
from raksa.claims.models import Claim, PaymentStatement
from raksa.claims.review import claim_review_reject
from raksa.claims.statements import statement_issue, statement_mark_paid
from raksa.claims.submit import claim_submit
from raksa.messaging.models import OutboundMessage, WebhookEvent
from raksa.testing.claims import make_claim_case, make_item
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    FeeRateFactory,
    ServiceFactory,
    StaffMembershipFactory,
    UnitFactory,
    UnitServiceFactory,
    UserFactory,
    make_officer,
)
from raksa.testing.statements import claim_at
from raksa.units.models import Unit, UnitStatus
from raksa.units.services import (
    fee_rate_set,
    unit_api_key_issue,
    unit_set_opening_hours,
    unit_suspend,
    unit_verify,
)
from raksa.verification.attempts import attempt_record
from raksa.verification.visits import visit_close, visit_open

pytestmark = pytest.mark.django_db

HOURS = {"mon": [["08:00", "12:00"], ["13:00", "17:00"]], "sat": [["09:00", "12:00"]]}


@pytest.fixture(scope="module")
def forbidden():
    return forbidden_english()


@pytest.fixture
def records():
    """One of everything the back office shows, in Thai (names, users); history through the services."""
    officer = make_officer("วรรณา")
    officer.first_name = "วรรณา"
    officer.save()
    unit = UnitFactory(name="ร้านยารักษ์สุขภาพ", hcode="12345", status=UnitStatus.PENDING, address="ถนนราชดำเนิน",
                       phone="", latitude=Decimal("13.75"), longitude=Decimal("100.50"))
    unit_verify(actor=officer, unit=unit, reason="ตรวจเอกสารครบ")
    unit_set_opening_hours(actor=officer, unit=unit, opening_hours=HOURS)
    other = UnitFactory(name="คลินิกกายภาพบำบัดสุขใจ", hcode="54321", unit_type="physio")
    unit_suspend(actor=officer, unit=other, reason="ใบอนุญาตหมดอายุ")
    service = ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ", name_en="Common cold")
    FeeRateFactory(service=service, amount_baht="150.00", effective_from=dt.date(2024, 10, 1))
    fee_rate_set(actor=officer, service=service, amount_baht="180.00", effective_from=dt.date(2025, 10, 1),
                 note="ปีงบประมาณ 2569")
    UnitServiceFactory(unit=unit, service=service, valid_from=dt.date(2025, 1, 15))
    unit_admin = UserFactory(username="สมชาย", first_name="สมชาย")
    StaffMembershipFactory(user=unit_admin, unit=unit, role="unit_admin")
    unit_api_key_issue(actor=unit_admin, unit=unit, label="ระบบร้านยา")
    citizen = CitizenFactory(first_name_th="มาลี", last_name_th="ศรีสุข", phone="")
    CoverageFactory(citizen=citizen, valid_from=dt.date(2019, 4, 1))
    OutboundMessage.objects.create(kind="booking_confirmed", line_user_id="U" + "a" * 32, citizen=citizen,
                                   messages=[{"type": "text", "text": "จองคิวสำเร็จ"}], status="failed", attempts=8,
                                   last_error="LineApiError 500: upstream error")
    WebhookEvent.objects.create(webhook_event_id="01JRAKSATHAIPAGES000000001", type="postback",
                                payload={"type": "postback", "source": {"type": "user", "userId": "U" + "a" * 32}},
                                received_at=dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC), outcome="failed",
                                attempts=5, detail="OperationalError: the database went away")
    unit.refresh_from_db()  # verified by unit_verify above
    visit = visit_open(actor=unit_admin, unit=unit, citizen=citizen, service=service, method="face",
                       face_distance=0.33).visit
    attempt_record(actor=unit_admin, unit=unit, citizen=citizen, method="face", outcome="no_match", code="NO_MATCH",
                   face_distance=0.71)
    visit_close(actor=unit_admin, unit=unit, visit_id=visit.pk, reason="ผู้รับบริการกลับก่อน")
    superuser = get_user_model().objects.create_superuser("ผู้ดูแล", password="x", first_name="ผู้ดูแล")
    claims = claims_to_show(officer)
    return {"officer": officer, "superuser": superuser, "unit": unit, "citizen": citizen, **claims}


def claims_to_show(officer):
    """A claim in review (no identity verification), one an officer rejected, and a paid statement."""
    make_item()  # the claimable items and their prices are pages of the site too
    case = make_claim_case(verified=False)
    Unit.objects.filter(pk=case.unit.pk).update(name="คลินิกทันตกรรมยิ้มสวย", hcode="67890")
    case.unit.refresh_from_db()
    review = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW)
    rejected = claim_at(case, verified=False)
    claim_review_reject(actor=officer, claim_id=rejected.pk, reason="ไม่มีหลักฐานการให้บริการ")
    accepted = claim_at(case)
    statement = statement_issue(actor=officer, unit=case.unit, period_from=NOW.date(), period_to=NOW.date())
    statement_mark_paid(actor=officer, statement_id=statement.pk)
    return {"review": review, "rejected": rejected, "accepted": accepted, "statement": statement}


def admin_pages(user):
    """Every changelist (with and without facet counts), change page, history and add page the user may
    open, for every model of the site: a model added later is checked too."""
    request = RequestFactory().get("/")
    request.user = user
    pages = [reverse("backoffice:index"), reverse("backoffice:password_change"),
             reverse("backoffice:people_citizen_find"), reverse("backoffice:claims_claim_review_queue"),
             reverse("backoffice:claims_claim_dashboard"), reverse("backoffice:claims_paymentstatement_issue"),
             reverse("backoffice:claims_claim_changelist") + "?service_date__gte=2026-11-01&status=in_review"]
    for claim in Claim.objects.order_by("pk"):
        pages.append(reverse("backoffice:claims_claim_review", args=[claim.pk]))
    pages.append(reverse("backoffice:claims_paymentstatement_pay", args=[PaymentStatement.objects.first().pk]))
    for model, model_admin in backoffice_site._registry.items():
        prefix = f"backoffice:{model._meta.app_label}_{model._meta.model_name}"
        obj = model.objects.order_by("pk").first()
        assert obj is not None, f"no {model.__name__} to show"
        pages += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_changelist") + "?_facets=1",
                  reverse(f"{prefix}_change", args=[obj.pk]), reverse(f"{prefix}_history", args=[obj.pk])]
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{prefix}_add"))
    return pages


@pytest.mark.parametrize("who", ["officer", "superuser"])
def test_every_page_is_thai_with_buddhist_years(client, records, forbidden, who):
    client.force_login(records[who])
    found = {}
    for url in admin_pages(records[who]):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="th"' in html, url
        if issues := problems(html, forbidden):
            found[url] = issues
    assert not found, "\n".join(f"{url}: {issue}" for url, issues in found.items() for issue in issues)


def test_pages_after_actions_are_thai(client, records, forbidden):
    """The reason form of the suspend action, the reveal page, a refused form and the login page."""
    client.force_login(records["officer"])
    unit, citizen = records["unit"], records["citizen"]
    pages = {
        "suspend": client.post(reverse("backoffice:units_unit_changelist"),
                               {"action": "suspend_units", "_selected_action": [unit.pk]}),
        "reveal": client.get(reverse("backoffice:people_citizen_reveal", args=[citizen.pk])),
        "refused": client.post(reverse("backoffice:units_unit_change", args=[unit.pk]), {
            **form_data(client, reverse("backoffice:units_unit_change", args=[unit.pk])), "name": "",
            "opening_hours_mon_from": ["08:00", "11:00"], "opening_hours_mon_to": ["12:00", "13:00"]}),
    }
    client.logout()
    pages["login"] = client.get(reverse("backoffice:login"))
    assert "เวลาทำการของวันเดียวกันซ้อนกัน" in pages["refused"].content.decode()
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert not problems(response.content.decode(), forbidden), name


def test_the_checker_finds_what_the_new_user_found(forbidden):
    """The checks can fail: the leftovers reported in issue 8 are each caught."""
    page = """<html lang="th"><body><table><thead><tr><th>Action</th><th>ACTOR LABEL</th><th>Full name</th>
        </tr></thead><tbody><tr><td>Latitude</td><td>Valid from</td><td>29 พ.ย. 2026</td><td>2026-11-29</td>
        </tr></tbody></table><p class="paginator"><span class="action-counter">0 of 60 selected</span></p>
        <div class="help">ละติจูด</div></body></html>"""
    found = problems(page, forbidden)
    for leftover in ("Action", "ACTOR LABEL", "Full name", "Latitude", "Valid from", "0 of 60 selected",
                     "29 พ.ย. 2026", "2026-11-29"):
        assert any(repr(leftover) in line for line in found), leftover
    assert not problems('<html lang="th"><h1>รหัสหน่วย (hcode) PH001 unit.verify 1-2345-xxxxx-xx-3</h1>'
                        "<p>29 พ.ย. 2569</p><code>2026-11-29</code><input value=\"2026-11-29\"></html>", forbidden)


def test_english_words_keeps_codes_and_names():
    assert english_words("ร้านยา (Pharmacy)") == ["Pharmacy"]
    assert english_words("PH-FEVER units.unit:5 unit_admin Raksa (hcode)") == []
