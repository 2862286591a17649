"""Claims over the API: sent with an Idempotency-Key, decided at once, refused with the field and nothing
changed; a retry gets the first answer byte for byte; corrections, reading and listing the unit's claims."""

import json
import re

import pytest
from django.utils import timezone

from raksa.claims.models import Claim, ClaimSubmission
from raksa.testing.claims import make_claim_case, make_item, make_visit
from raksa.testing.factories import CitizenFactory, CoverageFactory, UnitFactory
from raksa.units.services import unit_api_key_issue

pytestmark = pytest.mark.django_db
THAI = re.compile("[\u0e00-\u0e7f]")


@pytest.fixture
def case(bangkok_morning):
    case = make_claim_case(now=timezone.now())
    make_item()
    key, _ = unit_api_key_issue(actor=None, unit=case.unit, label="ระบบร้านยา")
    case.auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    return case


def send(client, case, body: dict | None = None, *, key: str | None = "k-1", path="/api/v1/claims", auth=None):
    body = {"authen_code": case.visit.authen_code} if body is None else body
    headers = dict(case.auth if auth is None else auth)
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_a_claim_is_sent_decided_and_answered_with_its_close_code_and_amounts(client, case):
    answer = send(client, case, {"authen_code": case.visit.authen_code, "icd10": ["R50.9"],
                                 "items": [{"code": "DRUG-PARA500", "quantity": 10}]})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    claim = Claim.objects.get()
    assert body["reference"] == f"{case.visit.authen_code}-1" == claim.reference
    assert (body["status"], body["service_amount"], body["amount"], body["reasons"]) == ("accepted", "180.00",
                                                                                        "195.00", [])
    assert body["items"] == [{"code": "DRUG-PARA500", "kind": "item", "quantity": 10, "unit_price": "1.50",
                              "amount": "15.00"}]
    assert re.fullmatch(r"EP[0-9]{10}", body["close_code"]) and body["hcode"] == case.unit.hcode
    assert claim.source == "api" and claim.submitted_label.startswith("api:rk_")


def test_a_rejected_claim_says_why_in_thai_and_english_with_its_class_and_what_to_do(client, case):
    body = send(client, case, {"authen_code": case.visit.authen_code, "amount": "500"}).json()
    assert body["status"] == "rejected"
    (reason,) = body["reasons"]
    assert (reason["code"], reason["class"]) == ("AMOUNT_OVER_SCHEDULE", "C")
    assert THAI.search(reason["title"]) and THAI.search(reason["todo"])
    assert reason["title_en"] and reason["todo_en"] and not THAI.search(reason["title_en"])


def test_a_retry_with_the_same_key_and_body_gets_the_first_answer_byte_for_byte(client, case):
    first = send(client, case)
    again = send(client, case)
    spaced = client.post("/api/v1/claims", json.dumps({"authen_code": case.visit.authen_code}, indent=4),
                         content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1", **case.auth)
    assert first.status_code == again.status_code == spaced.status_code == 201
    assert first.content == again.content == spaced.content
    assert Claim.objects.count() == 1 and ClaimSubmission.objects.get().claim_id == Claim.objects.get().pk


def test_the_same_key_with_another_body_is_422_and_changes_nothing(client, case):
    send(client, case)
    answer = send(client, case, {"authen_code": case.visit.authen_code, "amount": "1.00"})
    assert answer.status_code == 422
    assert (answer.json()["code"], answer.json()["field"]) == ("IDEMPOTENCY_KEY_REUSED", "Idempotency-Key")
    assert Claim.objects.count() == 1 and Claim.objects.get().amount == 180


@pytest.mark.parametrize("key", [None, "", "   ", "ก" * 3, "x" * 101, "a b"])
def test_no_usable_idempotency_key_is_400_and_changes_nothing(client, case, key):
    answer = send(client, case, key=key)
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert (body["code"], body["field"]) == ("IDEMPOTENCY_KEY_REQUIRED", "Idempotency-Key")
    assert THAI.search(body["message"]) and "Idempotency-Key" in body["message_en"]
    assert not Claim.objects.exists() and not ClaimSubmission.objects.exists()


def test_a_second_claim_under_another_key_is_409_with_the_first_reference(client, case):
    first = send(client, case, key="a").json()
    answer = send(client, case, key="b")
    assert answer.status_code == 409
    assert (answer.json()["code"], answer.json()["reference"]) == ("CLAIM_DUPLICATE", first["reference"])
    assert Claim.objects.count() == 1


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"items": [{"code": "NOPE", "quantity": 1}]}, "INVALID_INPUT", "items[0].code"),
    ({"items": [{"code": "DRUG-PARA500", "quantity": -2}]}, "INVALID_INPUT", "items[0].quantity"),
    ({"items": [{"code": "DRUG-PARA500", "quantity": 100000}]}, "INVALID_INPUT", "items[0].quantity"),
    ({"items": [{"code": "DRUG-PARA500", "quantity": 1.5}]}, "INVALID_INPUT", "items[0].quantity"),
    ({"amount": "10.005"}, "INVALID_INPUT", "amount"),
    ({"amount": 10.005}, "INVALID_INPUT", "amount"),
    ({"amount": "-1"}, "INVALID_INPUT", "amount"),
    ({"amount": "1e9"}, "INVALID_INPUT", "amount"),
    ({"service_date": "2099-01-01"}, "SERVICE_DATE_FUTURE", "service_date"),
    ({"service_date": "2020-01-01"}, "SERVICE_DATE_MISMATCH", "service_date"),
    ({"service_code": "NOPE"}, "SERVICE_UNKNOWN", "service_code"),
    ({"icd10": ["XYZ"]}, "INVALID_INPUT", "icd10"),
    ({"authen_code": "PP123"}, "INVALID_INPUT", "authen_code"),
    ({"authen_code": "PP0000000000"}, "AUTHEN_UNKNOWN", "authen_code"),
    ({"details": {"nope": 1}}, "INVALID_INPUT", "details.nope"),
])
def test_bad_input_is_422_with_the_field_in_both_languages_and_changes_nothing(client, case, change, code, field):
    answer = send(client, case, {"authen_code": case.visit.authen_code, **change})
    assert answer.status_code == 422, answer.content
    body = answer.json()
    assert (body["code"], body["field"]) == (code, field)
    assert THAI.search(body["message"]) and body["message_en"] and not THAI.search(body["message_en"])
    case.visit.refresh_from_db()
    assert not Claim.objects.exists() and case.visit.status == "open" and not case.visit.close_code


def test_a_refusal_is_stored_and_replayed_for_the_same_key(client, case):
    body = {"authen_code": case.visit.authen_code, "items": [{"code": "NOPE", "quantity": 1}]}
    first = send(client, case, body)
    make_item(code="NOPE")  # the world changes: the same request would now pass
    again = send(client, case, body)
    assert first.status_code == again.status_code == 422 and first.content == again.content
    assert not Claim.objects.exists()
    assert send(client, case, body, key="k-2").status_code == 201  # a new key is a new request


def test_a_visit_of_another_unit_is_422_and_changes_nothing(client, case):
    other = UnitFactory()
    key, _ = unit_api_key_issue(actor=None, unit=other, label="อีกร้าน")
    answer = send(client, case, auth={"HTTP_AUTHORIZATION": f"Bearer {key}"})
    assert answer.status_code == 422 and answer.json()["code"] == "VISIT_OTHER_UNIT"
    assert not Claim.objects.exists()


def test_without_a_key_or_with_a_wrong_one_it_is_401(client, case):
    assert send(client, case, auth={}).json()["code"] == "AUTH_REQUIRED"
    assert send(client, case, auth={"HTTP_AUTHORIZATION": "Bearer rk_nope"}).status_code == 401


def test_a_rejected_claim_is_corrected_as_a_new_version_with_its_own_key(client, case):
    first = send(client, case, {"authen_code": case.visit.authen_code, "amount": "500"}).json()
    path = f"/api/v1/claims/{first['reference']}/corrections"
    fixed = send(client, case, {}, key="fix-1", path=path)
    assert fixed.status_code == 201, fixed.content
    body = fixed.json()
    assert (body["version"], body["status"], body["supersedes"]) == (2, "accepted", first["reference"])
    assert body["close_code"] == first["close_code"]
    assert send(client, case, {}, key="fix-1", path=path).content == fixed.content  # a retry: same answer
    again = send(client, case, {}, key="fix-2", path=path)
    assert (again.status_code, again.json()["code"]) == (409, "CLAIM_NOT_CORRECTABLE")
    missing = send(client, case, {}, key="fix-3", path="/api/v1/claims/PP0000000000-1/corrections")
    assert (missing.status_code, missing.json()["code"]) == (404, "CLAIM_NOT_FOUND")
    assert Claim.objects.count() == 2


def test_a_claim_is_read_by_its_reference_and_another_units_is_not_found(client, case):
    sent = send(client, case).json()
    for reference in (sent["reference"], sent["authen_code"], sent["reference"].lower()):
        answer = client.get(f"/api/v1/claims/{reference}", **case.auth)
        assert answer.status_code == 200 and answer.json() == sent
    other = UnitFactory()
    key, _ = unit_api_key_issue(actor=None, unit=other, label="อีกร้าน")
    answer = client.get(f"/api/v1/claims/{sent['reference']}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert (answer.status_code, answer.json()["code"]) == (404, "CLAIM_NOT_FOUND")
    assert client.get("/api/v1/claims/PP0000000000-x", **case.auth).status_code == 404


def test_the_units_claims_are_listed_newest_first_filtered_and_in_pages(client, case):
    send(client, case, {"authen_code": case.visit.authen_code, "amount": "500"}, key="a")  # rejected
    second = CitizenFactory()
    CoverageFactory(citizen=second)
    visit = make_visit(unit=case.unit, citizen=second, service=case.service, now=timezone.now())
    send(client, case, {"authen_code": visit.authen_code}, key="b")  # accepted
    page = client.get("/api/v1/claims?page_size=1", **case.auth).json()
    assert (page["count"], page["page"], len(page["items"])) == (2, 1, 1)
    assert page["items"][0]["authen_code"] == visit.authen_code
    assert client.get("/api/v1/claims?page_size=1&page=2", **case.auth).json()["items"][0]["status"] == "rejected"
    rejected = client.get("/api/v1/claims?status=rejected", **case.auth).json()
    assert [c["authen_code"] for c in rejected["items"]] == [case.visit.authen_code]
    today = timezone.localdate().isoformat()
    assert client.get(f"/api/v1/claims?date_from={today}&date_to={today}", **case.auth).json()["count"] == 2
    assert client.get("/api/v1/claims?date_to=2020-01-01", **case.auth).json()["count"] == 0
    bad = client.get("/api/v1/claims?status=nope", **case.auth)
    assert (bad.status_code, bad.json()["field"]) == (422, "status")


def test_staff_logged_in_send_for_a_unit_they_name_and_only_their_own(client, case):
    from raksa.testing.factories import StaffMembershipFactory

    body = {"authen_code": case.visit.authen_code}
    client.force_login(StaffMembershipFactory(unit=UnitFactory()).user)
    assert send(client, case, {**body, "hcode": case.unit.hcode}, auth={}).json()["code"] == "FORBIDDEN"
    client.force_login(StaffMembershipFactory(unit=case.unit).user)
    missing = send(client, case, body, key="k-2", auth={})
    assert (missing.status_code, missing.json()["code"]) == (422, "HCODE_REQUIRED")
    answer = send(client, case, {**body, "hcode": case.unit.hcode}, key="k-3", auth={})
    assert answer.status_code == 201, answer.content
    claim = Claim.objects.get()
    assert claim.submitted_by is not None and claim.source == "api"
    assert client.get(f"/api/v1/claims?hcode={case.unit.hcode}").json()["count"] == 1
