""""Claimed in my name" in LINE: the citizen's claims (unit, Buddhist date, service, amount, status), the report
of a service not received with a confirmation step, and the thank-you saying what happens next."""

import pytest
from django.utils import timezone

from raksa.audit.models import AuditEntry
from raksa.claims.models import Claim
from raksa.claims.submit import claim_submit
from raksa.core.thaidate import format_date
from raksa.people.models import Citizen
from raksa.testing.claims import make_claim_case

from .conftest import LINE_USER, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(client):
    """A claim sent today in the name of a citizen linked to LINE_USER, who is signed in."""
    case = make_claim_case(now=timezone.now())
    Citizen.objects.filter(pk=case.citizen.pk).update(line_user_id=LINE_USER)
    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code)
    sign_in(client)
    case.claim = claim
    return case


def test_my_claims_show_unit_buddhist_date_service_amount_and_status(client, claimed):
    body = client.get("/liff/claims").content.decode()
    assert claimed.unit.name in body and claimed.service.name_th in body
    assert format_date(claimed.claim.service_date) in body and str(claimed.claim.service_date.year + 543) in body
    assert "180.00 บาท" in body and "ผ่านการตรวจ" in body
    assert f'href="/liff/claims/{claimed.claim.pk}/report"' in body and "ฉันไม่ได้รับบริการนี้" in body


def test_my_claims_in_english(client, claimed):
    client.cookies["django_language"] = "en"
    body = client.get("/liff/claims").content.decode()
    assert "Claimed in my name" in body and claimed.service.name_en in body and "180.00 baht" in body


def test_the_menu_and_my_bookings_lead_to_my_claims(client, claimed):
    assert 'href="/liff/claims">เคลมในนามของฉัน</a>' in client.get("/liff/").content.decode()
    assert 'href="/liff/claims">เคลมในนามของฉัน</a>' in client.get("/liff/bookings").content.decode()


def test_reporting_asks_first_then_flags_the_claim_and_says_what_happens_next(client, claimed):
    path = f"/liff/claims/{claimed.claim.pk}/report"
    ask = client.get(path).content.decode()
    assert "คุณไม่ได้รับบริการนี้ใช่หรือไม่?" in ask and claimed.unit.name in ask
    assert Claim.objects.get().citizen_reported_at is None  # asking changes nothing
    done = client.post(path, {"note": "วันนั้นไม่ได้ไป"})
    assert done.status_code == 302 and done["Location"] == f"/liff/claims/{claimed.claim.pk}/reported"
    claim = Claim.objects.get()
    assert claim.status == "in_review" and claim.citizen_report_note == "วันนั้นไม่ได้ไป"
    assert AuditEntry.objects.get(action="claim.citizen_report").actor_label == f"line:{LINE_USER}"
    thanks = client.get(done["Location"]).content.decode()
    assert "ขอบคุณที่แจ้งเรา" in thanks and "ขั้นตอนต่อไป" in thanks and "ก่อนจ่ายเงิน" in thanks
    listed = client.get("/liff/claims").content.decode()
    assert "เจ้าหน้าที่กำลังตรวจสอบ" in listed and f"/liff/claims/{claim.pk}/report" not in listed
    assert client.get(path).status_code == 302  # reported already: to the thank-you


def test_another_persons_claim_is_not_found_and_unchanged(client, claimed):
    other = make_claim_case(now=timezone.now())
    theirs = claim_submit(actor=None, unit=other.unit, authen_code=other.visit.authen_code)
    answer = client.post(f"/liff/claims/{theirs.pk}/report")
    assert answer.status_code == 404 and "ไม่พบเคลม" in answer.content.decode()
    theirs.refresh_from_db()
    assert theirs.citizen_reported_at is None and theirs.status == "accepted"
    assert not client.get("/liff/claims/999999/reported").status_code == 200


def test_without_a_claim_the_page_says_so(client, linked):
    assert "ยังไม่มีหน่วยบริการเบิกค่าบริการในนามของคุณ" in client.get("/liff/claims").content.decode()
