"""The claims back office: review queue and decisions (confirmed first, audited), search, statements
(issue, downloads, mark paid), dashboards; officers only."""

import datetime as dt

import pytest

from raksa.audit.models import AuditEntry
from raksa.booking.tests.helpers import NOW
from raksa.claims.models import Claim, PaymentStatement
from raksa.claims.statements import statement_issue
from raksa.claims.submit import claim_submit
from raksa.testing.claims import make_claim_case
from raksa.testing.factories import StaffMembershipFactory, UserFactory
from raksa.testing.statements import claim_at, pdf_text
from raksa.units.models import Unit

pytestmark = pytest.mark.django_db
DAY = NOW.date().isoformat()


@pytest.fixture
def flagged():
    case = make_claim_case(verified=False)
    Unit.objects.filter(pk=case.unit.pk).update(name="ร้านยาใจดี", hcode="41001")
    case.unit.refresh_from_db()
    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW)
    return case, claim


def test_the_queue_shows_flagged_claims_oldest_first_with_their_reasons_in_thai(client, officer, flagged):
    case, first = flagged
    second = claim_at(case, verified=False, now=NOW + dt.timedelta(hours=1))
    claim_at(case)  # accepted: not in the queue
    page = client.get("/backoffice/claims/claim/review/").content.decode()
    assert page.index(first.reference) < page.index(second.reference)
    assert page.count("ไม่พบการยืนยันตัวตนของการเข้ารับบริการนี้") == 2
    assert "รอตรวจสอบ 2 เคลม" in page


def test_the_claims_picture_shows_the_visit_hours_volume_and_reasons(client, officer, flagged):
    _case, claim = flagged
    page = client.get(f"/backoffice/claims/claim/{claim.pk}/review/").content.decode()
    for text in ("ร้านยาใจดี", claim.visit.authen_code, "ไม่พบการยืนยันตัวตนที่บันทึกไว้", "อยู่ในเวลาทำการ",
                 "ต้องทำ: เจ้าหน้าที่จะตรวจหลักฐาน", "วันที่รับบริการนี้ 1 เคลม", "ยอดตามอัตรา", "อนุมัติเคลมนี้"):
        assert text in page, text


def test_accepting_asks_first_then_accepts_and_audits(client, officer, flagged):
    _case, claim = flagged
    url = f"/backoffice/claims/claim/{claim.pk}/review/accept/"
    question = client.post(url, {"note": "ตรวจแล้ว"})
    assert "ยืนยันการอนุมัติ" in question.content.decode()
    claim.refresh_from_db()
    assert claim.status == "in_review"
    response = client.post(url, {"note": "ตรวจแล้ว", "confirm": "1"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by, claim.decision_note) == ("accepted", officer, "ตรวจแล้ว")
    assert AuditEntry.objects.get(action="claim.review.accept").actor == officer
    # Deciding again is refused with the reason, and changes nothing.
    page = client.post(url, {"confirm": "1"}, follow=True).content.decode()
    assert "CLAIM_NOT_IN_REVIEW" in page and AuditEntry.objects.filter(action="claim.review.accept").count() == 1


def test_rejecting_needs_a_reason_and_the_unit_sees_it(client, officer, flagged):
    _case, claim = flagged
    url = f"/backoffice/claims/claim/{claim.pk}/review/reject/"
    refused = client.post(url, {"reason": "", "confirm": "1"})
    assert refused.status_code == 422 and "กรุณาเขียนเหตุผล" in refused.content.decode()
    claim.refresh_from_db()
    assert claim.status == "in_review"
    client.post(url, {"reason": "ไม่มีหลักฐานการให้บริการ", "confirm": "1"})
    claim.refresh_from_db()
    assert claim.status == "rejected" and claim.reasons[-1]["detail"] == "ไม่มีหลักฐานการให้บริการ"


def test_claim_search_by_reference_unit_status_and_dates(client, officer, flagged):
    case, claim = flagged
    other = claim_at(case)
    def found(query):
        page = client.get("/backoffice/claims/claim/", query).content.decode()
        return {c.reference for c in (claim, other) if c.reference in page}
    assert found({"q": claim.reference}) == {claim.reference}
    assert found({"q": "41001"}) == found({"q": "ใจดี"}) == {claim.reference, other.reference}
    assert found({"status__exact": "accepted"}) == {other.reference}
    assert found({"service_date__gte": DAY, "service_date__lte": DAY}) == {claim.reference, other.reference}
    assert found({"service_date__gte": (NOW.date() + dt.timedelta(days=1)).isoformat()}) == set()
    assert "ดูเคลม" in client.get("/backoffice/units/unit/", {"q": "41001"}).content.decode()


def test_statements_issue_download_and_pay_with_confirmation(client, officer, flagged):
    case, _claim = flagged
    claim_at(case)
    claim_at(case, amount="99.50")
    response = client.post("/backoffice/claims/paymentstatement/issue/",
                           {"hcode": "41001", "period_from": DAY, "period_to": DAY})
    statement = PaymentStatement.objects.get()
    assert response.status_code == 302 and (statement.claim_count, str(statement.total)) == (2, "279.50")
    detail = client.get(response["Location"]).content.decode()
    assert statement.reference in detail and "ดาวน์โหลด PDF" in detail and "บันทึกว่าจ่ายเงินแล้ว" in detail
    csv = client.get(f"/backoffice/claims/paymentstatement/{statement.pk}/csv/")
    assert csv["Content-Type"].startswith("text/csv") and csv.content.startswith(b"\xef\xbb\xbf")
    pdf = client.get(f"/backoffice/claims/paymentstatement/{statement.pk}/pdf/")
    text = pdf_text(pdf.content)
    assert "ร้านยาใจดี" in text and "279.50" in text

    again = client.post("/backoffice/claims/paymentstatement/issue/",
                        {"hcode": "41001", "period_from": DAY, "period_to": DAY})
    assert again.status_code == 422 and "ไม่มีเคลมที่ผ่านแล้ว" in again.content.decode()

    pay = f"/backoffice/claims/paymentstatement/{statement.pk}/pay/"
    assert "ยืนยันการจ่ายเงิน" in client.get(pay).content.decode()
    statement.refresh_from_db()
    assert statement.status == "issued"
    client.post(pay, {"confirm": "1"})
    statement.refresh_from_db()
    assert statement.status == "paid" and set(statement.claims.values_list("status", flat=True)) == {"paid"}


def test_issue_for_all_units_and_bad_input(client, officer, flagged):
    case, _claim = flagged
    claim_at(case)
    other = make_claim_case()
    claim_submit(actor=None, unit=other.unit, authen_code=other.visit.authen_code, now=NOW)
    bad = client.post("/backoffice/claims/paymentstatement/issue/",
                      {"hcode": "99999", "period_from": DAY, "period_to": "2026-01-01"})
    assert bad.status_code == 422 and "ไม่พบหน่วยบริการรหัสนี้" in bad.content.decode()
    backwards = client.post("/backoffice/claims/paymentstatement/issue/",
                            {"period_from": DAY, "period_to": "2026-01-01"})
    assert "วันสิ้นสุดอยู่ก่อนวันเริ่มต้น" in backwards.content.decode() and not PaymentStatement.objects.exists()
    client.post("/backoffice/claims/paymentstatement/issue/", {"period_from": DAY, "period_to": DAY})
    assert PaymentStatement.objects.count() == 2


def test_the_dashboard_draws_svg_charts_with_tables(client, officer, flagged):
    case, claim = flagged
    claim_at(case, amount="999")  # over the schedule: rejected
    page = client.get("/backoffice/claims/claim/dashboard/").content.decode()
    assert page.count('<svg role="img"') == 5 and page.count('<table><caption>') == 5
    assert "ยอดเบิกสูงกว่าอัตรา" in page or "AMOUNT_OVER_SCHEDULE" in page
    assert "http://" not in page.split("<svg", 1)[1].split("</svg>")[0].replace("http://www.w3.org", "")


@pytest.mark.parametrize("url", ["/backoffice/claims/claim/review/", "/backoffice/claims/claim/dashboard/",
                                 "/backoffice/claims/paymentstatement/issue/", "/backoffice/claims/claim/"])
def test_only_officers(client, url):
    client.force_login(StaffMembershipFactory().user)
    assert client.get(url).status_code == 302  # unit staff are sent to the back office's login
    client.force_login(UserFactory(is_staff=True))  # staff without the officers' permissions
    assert client.get(url).status_code == 403


def test_a_staff_user_without_permissions_cannot_decide_or_download(client, flagged):
    _case, claim = flagged
    case2 = make_claim_case()
    claim_submit(actor=None, unit=case2.unit, authen_code=case2.visit.authen_code, now=NOW)
    statement = statement_issue(actor=None, unit=case2.unit, period_from=DAY, period_to=DAY)
    client.force_login(UserFactory(is_staff=True))
    assert client.post(f"/backoffice/claims/claim/{claim.pk}/review/accept/", {"confirm": "1"}).status_code == 403
    assert client.get(f"/backoffice/claims/paymentstatement/{statement.pk}/pdf/").status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == "in_review"


def test_the_list_action_pays_selected_statements_after_asking(client, officer, flagged):
    case, _claim = flagged
    claim_at(case)
    statement = statement_issue(actor=None, unit=case.unit, period_from=DAY, period_to=DAY)
    data = {"action": "mark_paid", "_selected_action": [statement.pk]}
    question = client.post("/backoffice/claims/paymentstatement/", data).content.decode()
    assert "ย้อนกลับไม่ได้" in question and statement.reference in question
    statement.refresh_from_db()
    assert statement.status == "issued"
    client.post("/backoffice/claims/paymentstatement/", {**data, "confirm": "1"})
    statement.refresh_from_db()
    assert statement.status == "paid" and statement.paid_by == officer


def test_a_claim_page_that_does_not_exist_is_404(client, officer):
    assert client.get("/backoffice/claims/claim/999999/review/").status_code == 404
    assert client.get("/backoffice/claims/claim/abc/change/").status_code == 404
    assert client.post("/backoffice/claims/claim/999999/review/accept/", {"confirm": "1"}).status_code == 404
