
import pytest

from raksa.audit.models import AuditEntry
from raksa.people.models import Citizen, Coverage
from raksa.testing.factories import (
    StaffMembershipFactory,
    UnitFactory,
    make_eligible_case,
    make_national_id,
    make_officer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client):
    client.force_login(make_officer())
    return client


def post_json(client, path, data, **headers):
    return client.post(path, data, content_type="application/json", **headers)


def registry_counts():
    return Citizen.objects.count(), Coverage.objects.count(), AuditEntry.objects.count()


def test_openapi_is_published(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/eligibility", "/api/v1/citizens", "/api/v1/coverages"} <= set(spec["paths"])
    assert "post" in spec["paths"]["/api/v1/eligibility"] and "get" not in spec["paths"]["/api/v1/eligibility"]


def test_eligibility_for_staff_of_the_unit(client):
    national_id, _, unit, service = make_eligible_case()
    client.force_login(StaffMembershipFactory(unit=unit).user)
    body = post_json(client, "/api/v1/eligibility", {"national_id": national_id, "hcode": unit.hcode,
                                              "service": service.code, "on": "2026-11-26"}).json()
    assert body == {"eligible": True, "day": "2026-11-26", "scheme": "UCS", "reasons": []}


def test_eligibility_reasons_in_english_on_request(client):
    national_id, citizen, unit, service = make_eligible_case()
    citizen.coverages.update(scheme="OFC")
    client.force_login(StaffMembershipFactory(unit=unit).user)
    body = post_json(client, "/api/v1/eligibility", {"national_id": national_id, "hcode": unit.hcode,
                                              "service": service.code}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["eligible"] is False
    assert body["reasons"][0]["code"] == "NOT_UCS"
    assert body["reasons"][0]["message"].startswith("Innovative units serve Universal Coverage")


def test_eligibility_refuses_staff_of_another_unit_and_anonymous(client):
    national_id, _, unit, service = make_eligible_case()
    params = {"national_id": national_id, "hcode": unit.hcode, "service": service.code}
    assert post_json(client, "/api/v1/eligibility", params).json()["code"] == "AUTH_REQUIRED"
    client.force_login(StaffMembershipFactory(unit=UnitFactory()).user)
    response = post_json(client, "/api/v1/eligibility", params)
    assert response.status_code == 403 and response.json()["code"] == "FORBIDDEN"


@pytest.mark.parametrize("params,status,code,field", [
    ({"national_id": "1234567890123"}, 422, "INVALID_NATIONAL_ID", "national_id"),
    ({"hcode": "99999"}, 404, "UNKNOWN_UNIT", "hcode"),
    ({"on": "26/11/2569"}, 422, "INVALID_DATE", "on"),
    ({"service": "NOPE"}, 404, "UNKNOWN_SERVICE", "service"),
])
def test_eligibility_bad_input_gets_a_clear_error(officer_client, params, status, code, field):
    national_id, _, unit, service = make_eligible_case()
    query = {"national_id": national_id, "hcode": unit.hcode, "service": service.code, **params}
    response = post_json(officer_client, "/api/v1/eligibility", query)
    assert response.status_code == status
    body = response.json()
    assert (body["code"], body["field"]) == (code, field)
    assert body["message"] and body["message_en"]


def test_officer_registers_a_citizen_and_changes_the_right(officer_client):
    national_id = make_national_id()
    unit = UnitFactory()
    response = officer_client.post("/api/v1/citizens", {
        "national_id": national_id, "title_th": "นาย", "first_name_th": "สมชาย", "last_name_th": "ดีมาก",
        "birth_date": "1970-05-01", "sex": "M"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["national_id_masked"] == f"{national_id[0]}-{national_id[1:5]}-xxxxx-xx-{national_id[12]}"
    response = officer_client.post("/api/v1/coverages", {
        "national_id": national_id, "scheme": "UCS", "main_hcode": unit.hcode, "valid_from": "2026-01-01"},
        content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["main_hcode"] == unit.hcode


@pytest.mark.parametrize("path,payload,status,code", [
    ("/api/v1/citizens", {"national_id": "1101700230709"}, 422, "INVALID_NATIONAL_ID"),
    ("/api/v1/citizens", {"birth_date": "1970-13-01"}, 422, "INVALID_DATE"),
    ("/api/v1/citizens", {"birth_date": None}, 422, "INVALID_INPUT"),
    ("/api/v1/coverages", {"main_hcode": "00000"}, 404, "UNKNOWN_UNIT"),
    ("/api/v1/coverages", {"main_hcode": "12ab"}, 404, "UNKNOWN_UNIT"),
    ("/api/v1/coverages", {"valid_from": "2026-02-30"}, 422, "INVALID_DATE"),
    ("/api/v1/coverages", {"scheme": "XYZ"}, 422, "INVALID_SCHEME"),
])
def test_bad_input_changes_nothing(officer_client, path, payload, status, code):
    existing_id = make_national_id()
    officer_client.post("/api/v1/citizens", {"national_id": existing_id, "first_name_th": "ก", "last_name_th": "ข",
                                             "birth_date": "1970-01-01"}, content_type="application/json")
    before = registry_counts()
    base = ({"national_id": make_national_id(), "first_name_th": "สมหญิง", "last_name_th": "ใจงาม",
             "birth_date": "1980-01-01"} if path.endswith("citizens")
            else {"national_id": existing_id, "scheme": "UCS", "valid_from": "2026-01-01"})
    response = officer_client.post(path, {**base, **payload}, content_type="application/json")
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert registry_counts() == before


def test_only_officers_change_the_registry(client):
    client.force_login(StaffMembershipFactory().user)
    response = client.post("/api/v1/citizens", {"national_id": make_national_id(), "first_name_th": "ก",
                                                "last_name_th": "ข", "birth_date": "1970-01-01"},
                           content_type="application/json")
    assert response.status_code == 403
    assert Citizen.objects.count() == 0


def test_unit_directory_is_public(client):
    unit = UnitFactory(hcode="12345")
    assert client.get("/api/v1/units/12345").json()["name"] == unit.name
    assert client.get("/api/v1/units/54321").json()["code"] == "UNKNOWN_UNIT"


def test_api_docs_work_offline(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page and "cdn.jsdelivr" not in page


def test_a_unit_key_cannot_change_the_registry(client):
    from raksa.units.services import unit_api_key_issue

    key, _ = unit_api_key_issue(actor=None, unit=UnitFactory(), label="POS")
    response = client.post("/api/v1/citizens", {"national_id": make_national_id(), "first_name_th": "ก",
                                                "last_name_th": "ข", "birth_date": "1970-01-01"},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert (response.status_code, response.json()["code"]) == (403, "FORBIDDEN")
    assert Citizen.objects.count() == 0


@pytest.mark.parametrize("body,field,message,message_en", [
    ({"national_id": 1234567890123, "hcode": "12345", "service": "PH"}, "national_id",
     "ข้อมูลไม่ถูกต้อง: national_id ต้องเป็นข้อความ", "Invalid input: national_id must be a string."),
    ({"national_id": "x", "service": "PH"}, "hcode",
     "ข้อมูลไม่ถูกต้อง: hcode ต้องระบุ", "Invalid input: hcode is required."),
])
def test_validation_errors_name_the_apis_fields(officer_client, body, field, message, message_en):
    response = post_json(officer_client, "/api/v1/eligibility", body)
    answer = response.json()
    assert (response.status_code, answer["code"], answer["field"]) == (422, "INVALID_INPUT", field)
    assert answer["message"] == message and answer["message_en"].startswith(message_en)
    assert answer["errors"][0]["field"] == field
    assert "payload" not in response.content.decode()


def test_every_problem_is_listed_in_both_languages(officer_client):
    answer = post_json(officer_client, "/api/v1/eligibility", {"hcode": 12345}).json()
    assert {e["field"] for e in answer["errors"]} == {"national_id", "hcode", "service"}
    for error in answer["errors"]:
        prefix = error["field"] + " "
        assert error["message"].startswith(prefix) and error["message_en"].startswith(prefix)
        assert not any("\u0e00" <= ch <= "\u0e7f" for ch in error["message_en"])


@pytest.mark.parametrize("body", [b"{not json", b"", b"   ", b'{"national_id": "1",'])
def test_a_body_that_is_not_json_is_400_invalid_json(officer_client, body):
    response = officer_client.post("/api/v1/eligibility", body, content_type="application/json")
    answer = response.json()
    assert (response.status_code, answer["code"], answer["field"]) == (400, "INVALID_JSON", None)
    assert answer["message"] and answer["message_en"].startswith("The request body is not valid JSON")


def test_a_query_parameter_error_names_the_parameter(client):
    response = client.get("/api/v1/units/12345/slots")
    assert (response.status_code, response.json()["field"]) == (422, "service")
