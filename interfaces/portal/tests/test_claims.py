"""The unit's side of claims through the Django test client: the service record on the visit page (priced, then
sent; accepted, rejected, in review), bad input kept with its error at the field and nothing written, another
unit's visit or claim not found, who may, the claims list with what to do, a correction, and the to-do of
unsent visits."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from raksa.audit.models import AuditEntry
from raksa.claims.models import Claim
from raksa.core.timeutil import service_day
from raksa.testing.claims import make_claim_case, make_item, make_visit
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    FeeRateFactory,
    ServiceFactory,
    StaffMembershipFactory,
    UnitFactory,
    UserFactory,
)
from raksa.verification.models import Visit

from .helpers import flashed

pytestmark = pytest.mark.django_db

CLAIMS = "/portal/claims/"


def record_url(visit) -> str:
    return f"/portal/visits/{visit.pk}/record/"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def case(db):
    """A pharmacy contracted for one service (180 baht), a verified visit of now, an item at 1.50 baht."""
    case = make_claim_case(now=timezone.now())
    make_item(code="DRUG-PARA500", baht="1.50")
    return case


def login(client, unit, role="clinician", username="somchai"):
    user = UserFactory(username=username)
    StaffMembershipFactory(user=user, unit=unit, role=role)
    client.force_login(user)
    return client


def priced_then_sent(client, url, data) -> tuple:
    """Step 1 "check the price", then step 2 "send" with the digest the page gave: both responses."""
    first = client.post(url, data | {"action": "price"})
    assert first.status_code == 200, text_of(first)
    digest = re.search(r'name="priced" value="([0-9a-f]+)"', first.content.decode()).group(1)
    return first, client.post(url, data | {"action": "send", "priced": digest})


def state() -> tuple:
    return (Claim.objects.count(), sorted(Visit.objects.values_list("pk", "status", "close_code")),
            AuditEntry.objects.count())


def test_the_visit_page_offers_the_record_form_of_the_units_type(client, case):
    login(client, case.unit)
    response = client.get(f"/portal/visits/{case.visit.pk}/")
    html = response.content.decode()
    text = text_of(response)
    assert response.status_code == 200
    assert "บันทึกการให้บริการและส่งเคลม" in text and "เร็ว ๆ นี้" not in text
    assert f'<option value="{case.service.code}" selected>' in html  # the visit's service by default
    assert 'name="d_follow_up_date"' in html and 'name="d_note"' in html  # pharmacy: fields_for("pharmacy")
    follow_up = (case.visit.day + dt.timedelta(days=3)).isoformat()
    assert f'value="{follow_up}"' in html
    assert '<datalist id="icd10-codes">' in html and '<option value="J00">' in html
    assert '<option value="DRUG-PARA500">' in html
    assert 'name="item_code_2"' in html and 'name="item_qty_2"' in html  # three rows without JavaScript
    assert "ส่งเคลมภายในวันนี้" in text


def test_pricing_shows_each_line_and_the_total_and_writes_nothing(client, case):
    login(client, case.unit)
    before = state()
    response = client.post(record_url(case.visit), {"service": case.service.code, "icd10_0": "J00 ไข้หวัด",
                                                    "item_code_0": "drug-para500", "item_qty_0": "10",
                                                    "action": "price"})
    text = text_of(response)
    assert response.status_code == 200
    assert "180.00" in text and "15.00" in text and "1.50" in text
    assert re.search(r'id="price-total">195.00<', response.content.decode())
    assert "ส่งเคลม" in text and state() == before


def test_a_claim_sent_from_the_visit_is_accepted_with_its_close_code_and_amount(client, case):
    login(client, case.unit, role="clerk")
    data = {"service": case.service.code, "icd10_0": "J00", "item_code_0": "DRUG-PARA500", "item_qty_0": "10"}
    _first, sent = priced_then_sent(client, record_url(case.visit), data)
    claim = Claim.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/portal/claims/{claim.pk}/"
    assert claim.status == "accepted" and str(claim.amount) == "195.00" and claim.icd10 == ["J00"]
    assert claim.submitted_by.username == "somchai"
    case.visit.refresh_from_db()
    assert case.visit.status == "claimed" and case.visit.close_code.startswith("EP")
    page = client.get(sent["Location"])
    text = text_of(page)
    assert "ผ่าน" in text and case.visit.close_code in text and "195.00" in text
    assert any("195.00" in m for m in flashed(page)) or "195.00" in text
    visit_page = text_of(client.get(f"/portal/visits/{case.visit.pk}/"))
    assert case.visit.close_code in visit_page and "ตรวจราคา" not in visit_page  # the form is gone: sent


def test_a_stale_digest_prices_again_instead_of_sending(client, case):
    login(client, case.unit)
    data = {"service": case.service.code, "item_code_0": "DRUG-PARA500", "item_qty_0": "10"}
    first = client.post(record_url(case.visit), data | {"action": "price"})
    digest = re.search(r'name="priced" value="([0-9a-f]+)"', first.content.decode()).group(1)
    changed = client.post(record_url(case.visit), data | {"item_qty_0": "20", "action": "send", "priced": digest})
    assert changed.status_code == 200 and not Claim.objects.exists()
    assert "บันทึกเปลี่ยนไปหลังตรวจราคา" in text_of(changed) and "210.00" in text_of(changed)


def test_an_uncontracted_service_is_rejected_with_its_reason_and_what_to_do_then_corrected(client, case):
    other = ServiceFactory(code="PH099", name_th="บริการนอกสัญญา", unit_type=case.unit.unit_type)
    FeeRateFactory(service=other, amount_baht="100.00")
    login(client, case.unit)
    page = client.get(f"/portal/visits/{case.visit.pk}/").content.decode()
    assert '<option value="PH099">' in page and "ไม่อยู่ในสัญญาของหน่วย" in page  # offered, marked
    _first, sent = priced_then_sent(client, record_url(case.visit), {"service": "PH099"})
    rejected = Claim.objects.get()
    assert rejected.status == "rejected" and [r["code"] for r in rejected.reasons] == ["SERVICE_NOT_CONTRACTED"]
    text = text_of(client.get(sent["Location"]))
    assert "หน่วยบริการไม่มีสัญญาให้บริการนี้ในวันรับบริการ" in text
    assert "เลือกบริการที่หน่วยมีสัญญาในวันนั้นแล้วส่งใหม่" in text and "แก้ไขและส่งใหม่" in text

    listed = text_of(client.get(CLAIMS + "?status=rejected"))
    assert rejected.reference in listed and "เลือกบริการที่หน่วยมีสัญญา" in listed

    correct = f"/portal/claims/{rejected.pk}/correct/"
    form = client.get(correct).content.decode()
    assert '<option value="PH099" selected>' in form  # prefilled from the rejected version
    _first, resent = priced_then_sent(client, correct, {"service": case.service.code})
    fixed = Claim.objects.get(current=True)
    assert resent["Location"] == f"/portal/claims/{fixed.pk}/"
    assert (fixed.version, fixed.status, fixed.supersedes_id) == (2, "accepted", rejected.pk)
    history = client.get(resent["Location"])
    assert [v for v in re.findall(r'data-version="(\d)"', history.content.decode())] == ["1", "2"]
    # The rejected version cannot be corrected twice.
    again = client.get(correct)
    assert again.status_code == 302 and Claim.objects.count() == 2


def test_a_visit_without_identity_verification_goes_to_review_with_what_happens_next(client):
    case = make_claim_case(now=timezone.now(), verified=False)
    login(client, case.unit)
    _first, sent = priced_then_sent(client, record_url(case.visit), {"service": case.service.code})
    claim = Claim.objects.get()
    assert claim.status == "in_review"
    text = text_of(client.get(sent["Location"]))
    assert "รอเจ้าหน้าที่ตรวจสอบ" in text and "ไม่ต้องส่งซ้ำ" in text


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"item_code_1": "NOPE", "item_qty_1": "1"}, "item_code_1", "ไม่รู้จักรหัสรายการ"),
    ({"item_code_0": "DRUG-PARA500", "item_qty_0": "-2"}, "item_qty_0", "จำนวนต้องเป็นจำนวนเต็มตั้งแต่ 1"),
    ({"item_code_2": "DRUG-PARA500", "item_qty_2": "999"}, "item_qty_2", "ต้องอยู่ระหว่าง 1 ถึง 30"),
    ({"icd10_1": "XYZ"}, "icd10", "ไม่รู้จักรหัส ICD-10"),
    ({"d_follow_up_date": "2020-01-01"}, "d_follow_up_date", "วันนัดติดตามต้องอยู่หลังวันรับบริการ"),
    ({"item_qty_0": "3"}, "item_code_0", "กรุณาระบุรหัสรายการ"),
    ({"service": "NOPE"}, "service", "เลือกบริการจากรายการ"),
])
@pytest.mark.parametrize("action", ["price", "send"])
def test_bad_input_shows_the_error_at_its_field_keeps_what_was_typed_and_writes_nothing(client, case, data, field,
                                                                                        message, action):
    login(client, case.unit)
    before = state()
    posted = {"service": case.service.code, "d_note": "ไอเล็กน้อย"} | data | {"action": action, "priced": "x"}
    response = client.post(record_url(case.visit), posted)
    html = response.content.decode()
    assert response.status_code == 422 and state() == before
    assert message in text_of(response)
    block = html[html.index("icd10-errors") - 400:] if field == "icd10" else \
        re.search(r'<div class="field[^"]*field--error[^"]*">(?:(?!</div>).)*name="' + field + '"', html, re.S).group(0)
    assert message in block  # at the field, not only above the form
    assert 'value="ไอเล็กน้อย"' in html  # nothing typed is lost
    for name, value in data.items():
        if name != "service":
            assert f'name="{name}" value="{value}"' in html or f'value="{value}"' in html


def test_a_physiotherapy_record_needs_its_session_and_icd10(client):
    case = make_claim_case(now=timezone.now(), unit_type="physio")
    login(client, case.unit)
    html = client.get(f"/portal/visits/{case.visit.pk}/").content.decode()
    assert 'name="d_session"' in html and "follow_up_date" not in html
    response = client.post(record_url(case.visit), {"service": case.service.code, "action": "price"})
    assert response.status_code == 422 and "กรุณาระบุครั้งที่" in text_of(response)
    response = client.post(record_url(case.visit), {"service": case.service.code, "d_session": "3",
                                                    "action": "price"})
    assert response.status_code == 422 and "ICD-10 อย่างน้อยหนึ่งรหัส" in text_of(response)
    assert not Claim.objects.exists()


def test_another_units_visit_and_claim_are_not_found(client, case):
    from raksa.claims.submit import claim_submit

    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code)
    login(client, UnitFactory(hcode="67890"), role="unit_admin", username="other")
    before = state()
    assert client.post(record_url(case.visit), {"service": case.service.code, "action": "send"}).status_code == 404
    assert client.get(f"/portal/claims/{claim.pk}/").status_code == 404
    assert client.get(f"/portal/claims/{claim.pk}/correct/").status_code == 404
    assert claim.reference not in text_of(client.get(CLAIMS))
    assert state() == before


@pytest.mark.parametrize("role", ["clerk", "clinician", "unit_admin"])
def test_every_staff_role_may_record_and_see_claims(client, case, role):
    login(client, case.unit, role=role)
    assert client.get(CLAIMS).status_code == 200
    _first, sent = priced_then_sent(client, record_url(case.visit), {"service": case.service.code})
    assert sent.status_code == 302 and Claim.objects.get().status == "accepted"


def test_who_is_not_staff_or_not_logged_in_may_not(client, case):
    assert client.get(CLAIMS)["Location"].startswith("/portal/login/")
    client.force_login(UserFactory(username="nobody"))
    assert client.get(CLAIMS).status_code == 403
    assert client.post(record_url(case.visit), {"service": case.service.code}).status_code == 403
    assert not Claim.objects.exists()


def test_a_pending_units_staff_are_sent_to_registration(client, case):
    case.unit.status = "pending"
    case.unit.save()
    login(client, case.unit)
    assert client.get(CLAIMS)["Location"] == "/portal/registration/"


def test_todays_unsent_visits_are_a_to_do_and_yesterdays_may_be_sent_late(client, case):
    from raksa.verification.visits import visits_lapse

    yesterday_at = timezone.now() - dt.timedelta(days=1)
    late_citizen = CitizenFactory()
    CoverageFactory(citizen=late_citizen)
    late = make_visit(unit=case.unit, citizen=late_citizen, service=case.service, now=yesterday_at)
    visits_lapse()
    login(client, case.unit)
    for path in ("/portal/", CLAIMS):
        response = client.get(path)
        html = response.content.decode()
        assert f'data-unsent="{case.visit.authen_code}"' in html and "ก่อนเที่ยงคืน" in text_of(response)
        assert f'data-late="{late.authen_code}"' in html
    # Sending yesterday's visit late: the visit page warns, and the rules flag it (LATE, policy "flag").
    assert "ล่าช้า" in text_of(client.get(f"/portal/visits/{late.pk}/"))
    _first, sent = priced_then_sent(client, record_url(late), {"service": case.service.code})
    claim = Claim.objects.get()
    assert claim.status == "in_review" and "LATE" in [r["code"] for r in claim.reasons]
    html = client.get(CLAIMS).content.decode()
    assert f'data-late="{late.authen_code}"' not in html and f'data-unsent="{case.visit.authen_code}"' in html


def test_the_claims_list_filters_by_status_and_day_and_says_a_bad_date(client, case):
    from raksa.claims.submit import claim_submit

    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code)
    login(client, case.unit)
    assert claim.reference in text_of(client.get(CLAIMS + "?status=accepted"))
    assert claim.reference not in text_of(client.get(CLAIMS + "?status=rejected"))
    assert claim.reference in text_of(client.get(CLAIMS + f"?day={service_day().isoformat()}"))
    assert claim.reference not in text_of(client.get(CLAIMS + "?day=2020-01-01"))
    bad = client.get(CLAIMS + "?day=nope")
    assert bad.status_code == 200 and "ปปปป-ดด-วว" in text_of(bad)
    buddhist = client.get(CLAIMS + "?day=2569-11-26")
    assert "เป็นปี พ.ศ." in text_of(buddhist) and "ปี ค.ศ. 2026" in text_of(buddhist)


def test_the_claims_menu_item(client, case):
    login(client, case.unit)
    html = client.get("/portal/").content.decode()
    assert '<a href="/portal/claims/">เคลม</a>' in html


def test_english_pages_show_the_reasons_in_english(client, case):
    ServiceFactory(code="PH099", unit_type=case.unit.unit_type)
    FeeRateFactory(service=Service_of("PH099"), amount_baht="100.00")
    login(client, case.unit)
    client.cookies["django_language"] = "en"
    _first, sent = priced_then_sent(client, record_url(case.visit), {"service": "PH099"})
    text = text_of(client.get(sent["Location"]))
    assert "The unit had no contract for this service on the service day." in text
    assert "หน่วยบริการไม่มีสัญญา" not in text


def Service_of(code):  # noqa: N802 - reads like the model
    from raksa.units.models import Service

    return Service.objects.get(code=code)


def test_a_claim_sent_meanwhile_from_another_tab_is_not_sent_twice(client, case):
    from raksa.claims.submit import claim_submit

    login(client, case.unit)
    data = {"service": case.service.code}
    first = client.post(record_url(case.visit), data | {"action": "price"})
    digest = re.search(r'name="priced" value="([0-9a-f]+)"', first.content.decode()).group(1)
    sent = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code)  # the other tab
    response = client.post(record_url(case.visit), data | {"action": "send", "priced": digest})
    assert response.status_code == 302 and response["Location"] == f"/portal/claims/{sent.pk}/"
    assert Claim.objects.count() == 1 and sent.reference in flashed(response)[0]


def test_a_visit_closed_without_service_meanwhile_says_why(client, case):
    from raksa.verification.visits import visit_close

    login(client, case.unit)
    visit_close(actor=None, unit=case.unit, visit_id=case.visit.pk, status="no_service", reason="ไม่รอ")
    response = client.post(record_url(case.visit), {"service": case.service.code, "action": "send"})
    assert response.status_code == 302 and response["Location"] == f"/portal/visits/{case.visit.pk}/"
    assert "เบิกไม่ได้" in flashed(response)[0] and not Claim.objects.exists()


def test_the_queue_links_an_open_visit_to_its_record_and_the_home_page_shows_at_most_five(client, case):
    login(client, case.unit)
    queue = client.get("/portal/queue/").content.decode()
    assert f'href="/portal/visits/{case.visit.pk}/#record"' in queue
    for _ in range(6):
        citizen = CitizenFactory()
        CoverageFactory(citizen=citizen)
        make_visit(unit=case.unit, citizen=citizen, service=case.service, now=timezone.now())
    home = client.get("/portal/")
    assert home.content.decode().count("data-unsent=") == 5 and "ดูทั้ง 7 รายการที่ต้องส่ง" in text_of(home)
    assert client.get(CLAIMS).content.decode().count("data-unsent=") == 7


def test_the_claim_page_shows_the_record_under_its_labels(client, case):
    from raksa.claims.submit import claim_submit

    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code,
                         details={"note": "ไอเล็กน้อย"})
    login(client, case.unit)
    text = text_of(client.get(f"/portal/claims/{claim.pk}/"))
    assert "วันนัดติดตามอาการ" in text and "บันทึกเพิ่มเติม ไอเล็กน้อย" in text and "follow_up_date" not in text


def test_rows_the_script_added_are_read_and_their_errors_shown_at_them(client, case):
    login(client, case.unit)
    response = client.post(record_url(case.visit), {"service": case.service.code, "item_code_0": "DRUG-PARA500",
                                                    "item_qty_0": "2", "item_code_7": "NOPE", "item_qty_7": "1",
                                                    "action": "price"})
    html = response.content.decode()
    assert response.status_code == 422 and 'name="item_code_7" value="NOPE"' in html
    block = re.search(r'<div class="field[^"]*field--error[^"]*">(?:(?!</div>).)*name="item_code_7"', html, re.S)
    assert block and "ไม่รู้จักรหัสรายการ" in block.group(0)


def test_the_unit_sees_an_officers_decision_on_a_claim_in_review(client):
    from raksa.claims.review import claim_review_accept, claim_review_reject
    from raksa.claims.submit import claim_submit
    from raksa.testing.factories import make_officer

    accepted_case = make_claim_case(now=timezone.now(), verified=False)
    first = claim_submit(actor=None, unit=accepted_case.unit, authen_code=accepted_case.visit.authen_code)
    citizen = CitizenFactory()
    CoverageFactory(citizen=citizen)
    second = claim_submit(actor=None, unit=accepted_case.unit, authen_code=make_visit(
        unit=accepted_case.unit, citizen=citizen, service=accepted_case.service, now=timezone.now(),
        verified=False).authen_code)
    assert first.status == second.status == "in_review"
    login(client, accepted_case.unit)
    assert "รอเจ้าหน้าที่ตรวจสอบ" in text_of(client.get(f"/portal/claims/{first.pk}/"))

    officer = make_officer()
    claim_review_accept(actor=officer, claim_id=first.pk, note="ตรวจหลักฐานแล้ว")
    claim_review_reject(actor=officer, claim_id=second.pk, reason="ไม่พบหลักฐานการรับบริการ")
    text = text_of(client.get(f"/portal/claims/{first.pk}/"))
    assert "ผ่าน" in text and "ผลการตรวจของเจ้าหน้าที่" in text and "ตรวจหลักฐานแล้ว" in text
    text = text_of(client.get(f"/portal/claims/{second.pk}/"))
    assert "เจ้าหน้าที่ตรวจแล้วไม่อนุมัติ" in text and "ไม่พบหลักฐานการรับบริการ" in text
    assert "แก้ไขและส่งใหม่" in text
    listed = client.get(CLAIMS + "?status=accepted").content.decode()
    assert f'data-claim="{first.reference}"' in listed and f'data-claim="{second.reference}"' not in listed
