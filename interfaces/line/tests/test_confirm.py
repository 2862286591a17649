"""The LINE confirmation QR on the citizen's phone: the QR's address, the scan page, the confirm page (GET shows,
POST answers), the result pages, and every refusal changing nothing."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from interfaces.line.confirm_links import confirm_url, token_from_scan
from raksa.audit.models import AuditEntry
from raksa.testing.factories import CitizenFactory, CoverageFactory, UnitFactory, UnitServiceFactory
from raksa.verification.line_confirm import line_confirmation_issue, line_confirmation_state
from raksa.verification.models import Visit
from raksa.verification.visits import visit_open

from .conftest import LINE_USER, OTHER_LINE_USER, sign_in

pytestmark = pytest.mark.django_db
TOKEN = "LC1." + "A1b2_-" * 7 + "x"  # the shape of a token (47 characters), issued by no one


@pytest.fixture
def issued(linked, unit, service):
    """An identity QR the unit shows for the linked citizen (LINE_USER), as the portal makes it."""
    return line_confirmation_issue(actor=None, unit=unit, citizen=linked, purpose="identity", service=service,
                                   actor_label="pharmacist")


def state(issued):
    return line_confirmation_state(confirmation_id=issued.confirmation.pk, unit=issued.confirmation.unit)


def answer(client, token, what="confirm"):
    return client.post("/liff/confirm", {"t": token, "answer": what})


# --- the QR's address and what a scan may hold ----------------------------------------------------------------

def test_the_qr_payload_is_our_canonical_address_or_lines_liff_url_without_a_request(settings):
    settings.LINE_LIFF_ID = "2000000001-AbCdEfGh"
    settings.ALLOWED_HOSTS = ["raksa.example.go.th"]
    request = RequestFactory().get("/portal/", HTTP_HOST="raksa.example.go.th", secure=True)
    assert confirm_url(request, TOKEN) == f"https://raksa.example.go.th/line/confirm/?t={TOKEN}"
    assert confirm_url(None, TOKEN) == f"https://liff.line.me/2000000001-AbCdEfGh/confirm?t={TOKEN}"


@pytest.mark.parametrize("scanned", [
    TOKEN, f"  {TOKEN}\n", f"https://raksa.example.go.th/line/confirm/?t={TOKEN}",
    f"http://127.0.0.1:8000/line/confirm/?t={TOKEN}", f"/liff/confirm?t={TOKEN}",
    f"https://liff.line.me/1650000001-raksa/confirm?t={TOKEN}",
])
def test_a_scan_gives_the_token_of_each_form_of_our_qr(scanned):
    assert token_from_scan(scanned) == TOKEN


@pytest.mark.parametrize("scanned", [
    None, "", "RQ1." + "a" * 43, TOKEN[:-1], TOKEN + "x", f"https://example.com/pay?t={TOKEN}",
    f"https://liff.line.me/9999999999-other/confirm?t={TOKEN}", f"/line/confirm/?t={TOKEN}&t={TOKEN}",
    f"javascript:alert(1)//line/confirm/?t={TOKEN}", "https://raksa.example.go.th/line/confirm/?t=LC1.short",
    "x" * 5000, "http://[::1/line/confirm/",
])
def test_anything_else_scanned_is_not_a_token(scanned):
    assert token_from_scan(scanned) is None


def test_the_canonical_address_goes_on_to_the_liff_page(client, settings):
    response = client.get(f"/line/confirm/?t={TOKEN}")  # the tests talk to the local stand-in
    assert (response.status_code, response["Location"]) == (302, f"/liff/confirm?t={TOKEN}")
    settings.LINE_API_BASE_URL = "https://api.line.me"  # production: through LINE, which opens it signed in
    response = client.get(f"/line/confirm/?t={TOKEN}")
    assert response["Location"] == f"https://liff.line.me/{settings.LINE_LIFF_ID}/confirm?t={TOKEN}"
    assert client.get("/line/confirm/")["Location"] == "/liff/scan"


# --- the scan page -------------------------------------------------------------------------------------------

def test_the_scan_page_loads_lines_sdk_and_offers_the_scanner(client, linked, settings):
    body = client.get("/liff/scan").content.decode()
    assert "สแกน QR ที่หน่วยบริการ" in body and "เปิดตัวสแกน QR" in body
    assert f'<script src="{settings.LINE_LIFF_SDK_URL}"></script>' in body
    assert f'data-liff-id="{settings.LINE_LIFF_ID}"' in body


def test_the_scanned_text_goes_on_to_the_confirm_page_or_is_refused_in_thai(client, linked):
    response = client.get("/liff/scan", {"code": f"http://127.0.0.1:8000/line/confirm/?t={TOKEN}"})
    assert (response.status_code, response["Location"]) == (302, f"/liff/confirm?t={TOKEN}")
    rights = client.get("/liff/scan", {"code": "RQ1." + "a" * 43})
    assert rights.status_code == 422 and "นี่คือ QR ยืนยันสิทธิ์" in rights.content.decode()
    other = client.get("/liff/scan", {"code": "https://example.com/"})
    assert other.status_code == 422 and "QR นี้ไม่ใช่ QR ยืนยันจากหน่วยบริการของรักษา" in other.content.decode()


@pytest.mark.parametrize("path", ["/liff/", "/liff/qr", "/liff/bookings"])
def test_the_scan_entry_is_on_the_menu_the_rights_qr_and_my_bookings(client, linked, path):
    assert 'href="/liff/scan">สแกน QR ที่หน่วยบริการ</a>' in client.get(path).content.decode()


# --- confirm ------------------------------------------------------------------------------------------------

def test_the_page_shows_the_unit_and_what_is_confirmed_and_tells_the_portal_it_was_scanned(
        client, issued, unit):
    response = client.get(f"/liff/confirm?t={issued.token}")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="unit-name">{unit.name}</h1>' in body
    assert "ยืนยันว่าคุณอยู่ที่ ร้านยารักษ์สุขภาพ เพื่อรับบริการ ไข้หวัด เจ็บคอ" in body
    assert 'value="confirm">ยืนยัน</button>' in body and 'value="decline">ไม่ใช่ฉัน / ปฏิเสธ</button>' in body
    assert "csrfmiddlewaretoken" in body and response["Cache-Control"] == "no-store"
    assert state(issued).state == "scanned"
    assert not Visit.objects.exists()


def test_confirming_opens_the_visit_by_line_and_shows_the_authen_code(client, issued, linked, unit):
    response = answer(client, issued.token)
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/liff/confirm/done/{visit.pk}?what=identity"
    assert (visit.citizen, visit.unit, visit.method, visit.status) == (linked, unit, "line", "open")
    assert (state(issued).state, state(issued).authen_code) == ("confirmed", visit.authen_code)
    body = client.get(response["Location"]).content.decode()
    assert "หน่วยบริการได้รับการยืนยันแล้ว" in body
    assert visit.authen_code in body and unit.name in body


def test_declining_opens_nothing_and_says_what_next(client, issued):
    response = answer(client, issued.token, "decline")
    assert (response.status_code, response["Location"]) == (302, "/liff/confirm/declined")
    assert not Visit.objects.exists() and state(issued).state == "declined"
    body = client.get("/liff/confirm/declined").content.decode()
    assert "คุณปฏิเสธแล้ว" in body and "ขอให้เจ้าหน้าที่แสดง QR ใหม่" in body


def test_another_persons_line_is_refused_with_403_and_nothing_changes(client, issued):
    other = CitizenFactory(line_user_id=OTHER_LINE_USER, first_name_th="สมปอง", last_name_th="ดีใจ")
    CoverageFactory(citizen=other)
    sign_in(client, OTHER_LINE_USER)
    for response in (client.get(f"/liff/confirm?t={issued.token}"), answer(client, issued.token)):
        body = response.content.decode()
        assert response.status_code == 403
        assert "QR นี้เป็นของบุคคลอื่น" in body and "บัญชี LINE นี้เชื่อมกับ นางสมปอง ดีใจ" in body
    assert not Visit.objects.exists()
    assert state(issued).state == "waiting"  # not even "scanned"
    assert AuditEntry.objects.filter(action="line_confirmation.refuse", after__code="CONFIRM_WRONG_PERSON").count() == 2
    sign_in(client, LINE_USER)  # the right person still can
    assert answer(client, issued.token).status_code == 302


def test_a_replayed_qr_is_refused_and_opens_nothing_more(client, issued):
    assert answer(client, issued.token).status_code == 302
    for response in (client.get(f"/liff/confirm?t={issued.token}"), answer(client, issued.token),
                     answer(client, issued.token, "decline")):
        assert response.status_code == 409
        assert "QR นี้ถูกใช้ไปแล้ว" in response.content.decode()
    assert Visit.objects.count() == 1 and state(issued).state == "confirmed"


def test_an_expired_or_replaced_qr_is_refused(client, linked, unit, service, issued):
    old = line_confirmation_issue(actor=None, unit=unit, citizen=linked, purpose="identity", service=service,
                                  now=timezone.now() - dt.timedelta(minutes=10))
    for token in (old.token, issued.token):  # issuing `old` replaced `issued`
        for response in (client.get(f"/liff/confirm?t={token}"), answer(client, token)):
            assert response.status_code == 409
            assert "QR นี้หมดอายุแล้ว" in response.content.decode()
    assert not Visit.objects.exists()


def test_an_edited_or_unknown_qr_is_refused(client, issued):
    edited = issued.token[:-1] + ("A" if issued.token[-1] != "A" else "B")
    for token in (edited, TOKEN, "LC1.short"):
        response = client.get(f"/liff/confirm?t={token}")
        assert response.status_code == 404 and "QR นี้ใช้ยืนยันไม่ได้" in response.content.decode()
        assert answer(client, token).status_code == 404
    assert not Visit.objects.exists() and state(issued).state == "waiting"


def test_an_open_visit_at_another_unit_is_refused_with_the_domains_reason(client, issued, linked, service):
    elsewhere = UnitFactory(name="คลินิกอื่น")
    UnitServiceFactory(unit=elsewhere, service=service)
    visit_open(actor=None, unit=elsewhere, citizen=linked, service=service, method="face")
    response = answer(client, issued.token)
    body = response.content.decode()
    assert response.status_code == 409
    assert "คลินิกอื่น" in body and "กรุณาแจ้งเจ้าหน้าที่ที่เคาน์เตอร์" in body
    assert Visit.objects.count() == 1 and state(issued).state == "waiting"  # rolled back: still usable


def test_the_citizen_confirms_receiving_the_service(client, linked, unit, service):
    visit = visit_open(actor=None, unit=unit, citizen=linked, service=service, method="face").visit
    issued = line_confirmation_issue(actor=None, unit=unit, citizen=linked, purpose="service", visit=visit)
    body = client.get(f"/liff/confirm?t={issued.token}").content.decode()
    assert "ยืนยันว่าคุณได้รับบริการ ไข้หวัด เจ็บคอ จาก ร้านยารักษ์สุขภาพ แล้ว" in body
    response = answer(client, issued.token)
    assert response["Location"] == f"/liff/confirm/done/{visit.pk}?what=service"
    visit.refresh_from_db()
    assert visit.service_confirmed_at is not None
    assert "ยืนยันการรับบริการแล้ว" in client.get(response["Location"]).content.decode()


def test_a_visit_of_someone_else_is_not_shown(client, linked, unit, service):
    other = CitizenFactory()
    CoverageFactory(citizen=other)
    visit = visit_open(actor=None, unit=unit, citizen=other, service=service, method="face").visit
    response = client.get(f"/liff/confirm/done/{visit.pk}")
    assert response.status_code == 404 and visit.authen_code not in response.content.decode()


def test_no_token_or_no_answer_asks_again(client, issued):
    assert client.get("/liff/confirm")["Location"] == "/liff/scan"
    assert client.post("/liff/confirm", {"t": issued.token})["Location"] == f"/liff/confirm?t={issued.token}"
    assert client.post("/liff/confirm", {"t": issued.token, "answer": "maybe"}).status_code == 302
    assert state(issued).state == "waiting" and not Visit.objects.exists()


def test_a_line_account_not_linked_yet_links_first_and_comes_back_with_the_qr(client, db):
    sign_in(client)
    response = client.get(f"/liff/confirm?t={TOKEN}")
    assert response["Location"] == f"/liff/link?next={quote(f'/liff/confirm?t={TOKEN}', safe='/')}"
    body = client.get(response["Location"]).content.decode()
    assert f'name="next" value="/liff/confirm?t={TOKEN}"' in body
    assert client.get(f"/liff/scan?code={TOKEN}")["Location"].startswith("/liff/link?next=/liff/scan%3Fcode")


def test_the_confirm_page_in_english(client, issued, unit):
    client.cookies["django_language"] = "en"
    body = client.get(f"/liff/confirm?t={issued.token}").content.decode()
    assert f"Confirm that you are at {unit.name} to receive Common cold, sore throat" in body
    assert "Not me / Decline" in body


def test_the_token_is_in_no_audit_row(client, issued):
    client.get(f"/liff/confirm?t={issued.token}")
    answer(client, issued.token)
    assert AuditEntry.objects.filter(action="line_confirmation.confirm").exists()
    assert not AuditEntry.objects.filter(after__icontains=issued.token[4:]).exists()


def test_an_answer_without_the_forms_csrf_token_is_refused_and_changes_nothing(issued):
    client = sign_in(Client(enforce_csrf_checks=True))
    response = answer(client, issued.token)
    assert response.status_code == 403 and "ยังไม่ได้บันทึกอะไร" in response.content.decode()
    assert state(issued).state == "waiting" and not Visit.objects.exists()
