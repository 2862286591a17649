"""The rights check on the home page (seed 3.2 ตรวจสอบบริการ)."""

import datetime as dt

import pytest

from raksa.audit.models import AuditEntry
from raksa.core.thaidate import format_date
from raksa.core.timeutil import service_day
from raksa.people import national_id as nid
from raksa.people.models import Citizen, Coverage, Scheme
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    ServiceFactory,
    UnitFactory,
    UnitServiceFactory,
    make_national_id,
)

pytestmark = pytest.mark.django_db

HOME = "/portal/"


@pytest.fixture
def service(unit):
    service = ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ", name_en="Common cold, sore throat",
                             unit_type=unit.unit_type)
    UnitServiceFactory(unit=unit, service=service)
    return service


@pytest.fixture
def citizen_id(db):
    national_id = make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=national_id, first_name_th="มาลี", last_name_th="ศรีสุข"))
    return national_id


def post(client, **data):
    return client.post(HOME, {"national_id": "", "service": "", "date": service_day().isoformat()} | data)


def snapshot():
    return (AuditEntry.objects.count(), Citizen.objects.count(), Coverage.objects.count())


def test_form_lists_the_units_services_and_defaults_to_today(staff_client, service):
    other_unit_service = ServiceFactory(code="PH999", unit_type="pharmacy")
    UnitServiceFactory(unit=UnitFactory(hcode="77777"), service=other_unit_service)
    content = staff_client.get(HOME).content.decode()
    assert '<form method="post" action="/portal/"' in content  # the national ID never goes into a URL
    # the unit's only service is chosen already (one step less at the counter)
    assert '<option value="PH001" selected>PH001 — ไข้หวัด เจ็บคอ</option>' in content
    assert "PH999" not in content
    assert f'value="{service_day().isoformat()}"' in content


def test_eligible_citizen_shows_name_and_masked_id_only(staff_client, service, citizen_id):
    before = snapshot()
    formatted = nid.format_full(citizen_id)
    response = post(staff_client, national_id=formatted, service="PH001")
    content = response.content.decode()
    assert response.status_code == 200
    assert "มีสิทธิ: บุคคลนี้รับบริการได้" in content
    assert "นางมาลี ศรีสุข" in content
    assert nid.mask(citizen_id) in content
    assert citizen_id not in content and formatted not in content  # never the full national ID
    assert format_date(service_day(), language="th") in content
    assert snapshot() == before


def test_not_eligible_lists_every_reason_in_thai(staff_client, unit, service):
    national_id = make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=national_id), scheme=Scheme.OFC)
    content = post(staff_client, national_id=national_id, service="PH001",
                   date="2019-06-01").content.decode()
    assert "ไม่มีสิทธิรับบริการนี้" in content
    assert "สิทธิของบุคคลนี้ยังไม่เริ่มในวันที่เลือก" in content  # coverage from 2020
    assert "หน่วยบริการนี้ไม่มีสัญญาให้บริการนี้ในวันที่เลือก" in content  # contract from 2020
    assert national_id not in content
    assert "1 มิถุนายน 2562" in content  # the checked day, Buddhist year


def test_not_ucs_in_english(staff_client, service):
    national_id = make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=national_id), scheme=Scheme.SSS)
    staff_client.cookies["django_language"] = "en"
    content = post(staff_client, national_id=national_id, service="PH001").content.decode()
    assert "Not eligible for this service" in content
    assert "Universal Coverage (UCS, gold card) members only" in content


def test_citizen_without_any_right(staff_client, service):
    national_id = make_national_id()
    CitizenFactory(national_id=national_id)
    content = post(staff_client, national_id=national_id, service="PH001").content.decode()
    assert "ไม่พบข้อมูลสิทธิการรักษาของบุคคลนี้" in content


BAD_INPUTS = [
    # (field overrides, expected Thai message)
    ({"national_id": ""}, "กรุณากรอกเลขประจำตัวประชาชน (13 หลัก)"),
    ({"national_id": "12345"}, "เลขประจำตัวประชาชนต้องมี 13 หลัก"),
    ({"national_id": "1" * 40}, "เลขประจำตัวประชาชนต้องมี 13 หลัก"),
    ({"national_id": "abcdefghijklm"}, "เลขประจำตัวประชาชนต้องมี 13 หลัก"),
    ({"national_id": "WRONG_CHECK_DIGIT"}, "เลขประจำตัวประชาชนไม่ถูกต้อง (เลขตรวจสอบไม่ตรง)"),
    ({"national_id": "UNKNOWN"}, "ไม่พบประชาชนที่มีเลขประจำตัวนี้ในทะเบียน"),
    ({"date": "2026-02-30"}, "ไม่ใช่วันที่: ใช้รูปแบบ ปปปป-ดด-วว"),
    ({"date": "26/11/2569"}, "ไม่ใช่วันที่: ใช้รูปแบบ ปปปป-ดด-วว"),
    ({"date": ""}, "กรุณากรอกวันที่รับบริการ"),
    ({"service": ""}, "กรุณาเลือกบริการ"),
    ({"service": "PH999"}, "กรุณาเลือกบริการของหน่วยนี้จากรายการ"),
]


def _resolve(overrides, citizen_id):
    data = {"national_id": citizen_id, "service": "PH001"} | overrides
    if data["national_id"] == "WRONG_CHECK_DIGIT":
        data["national_id"] = citizen_id[:12] + str((int(citizen_id[12]) + 1) % 10)
    elif data["national_id"] == "UNKNOWN":
        data["national_id"] = make_national_id(99_999_999_999)
    return data


@pytest.mark.parametrize(("overrides", "message"), BAD_INPUTS, ids=[m for _, m in BAD_INPUTS])
def test_bad_input_is_a_thai_form_error_and_changes_nothing(staff_client, service, citizen_id, overrides,
                                                            message):
    ServiceFactory(code="PH999", unit_type="pharmacy")  # exists, but this unit has no contract for it
    before = snapshot()
    session_before = dict(staff_client.session)
    response = post(staff_client, **_resolve(overrides, citizen_id))
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert "กรุณาแก้ไขรายการที่แจ้งไว้ด้านล่าง" in content
    assert 'aria-invalid="true"' in content
    assert "result__verdict" not in content  # no decision shown
    assert snapshot() == before
    assert dict(staff_client.session) == session_before


@pytest.mark.parametrize(("overrides", "message"), [
    ({"national_id": "12345"}, "A national ID has 13 digits."),
    ({"national_id": "UNKNOWN"}, "No citizen with this national ID is registered."),
    ({"date": "tomorrow"}, "is not a date: use YYYY-MM-DD"),
    ({"service": ""}, "Choose a service."),
])
def test_bad_input_errors_in_english(staff_client, service, citizen_id, overrides, message):
    staff_client.cookies["django_language"] = "en"
    content = post(staff_client, **_resolve(overrides, citizen_id)).content.decode()
    assert message in content


def test_a_get_with_a_national_id_in_the_query_string_checks_nothing(staff_client, service, citizen_id):
    content = staff_client.get(HOME, {"national_id": citizen_id, "service": "PH001"}).content.decode()
    assert "result__verdict" not in content
    assert citizen_id not in content


def test_unit_without_contracted_services_says_so(staff_client):
    content = staff_client.get(HOME).content.decode()
    assert "วันนี้หน่วยนี้ยังไม่มีบริการตามสัญญา" in content


def test_service_contract_that_ended_is_not_offered(staff_client, unit):
    old = ServiceFactory(code="PH050", unit_type=unit.unit_type)
    UnitServiceFactory(unit=unit, service=old, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2021, 1, 1))
    assert "PH050" not in staff_client.get(HOME).content.decode()
