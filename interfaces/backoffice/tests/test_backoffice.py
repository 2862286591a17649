import datetime as dt
from decimal import Decimal

import pytest

from raksa.audit.models import AuditEntry
from raksa.testing.factories import (
    CitizenFactory,
    FeeRateFactory,
    ServiceFactory,
    StaffMembershipFactory,
    UnitFactory,
    make_national_id,
)
from raksa.units.models import FeeRate, UnitStatus

pytestmark = pytest.mark.django_db


def test_back_office_is_in_thai_and_for_officers_only(client, officer):
    page = client.get("/backoffice/").content.decode()
    assert "ระบบหลังบ้าน" in page and "หน่วยบริการ" in page
    client.logout()
    client.force_login(StaffMembershipFactory().user)  # unit staff are not officers
    assert client.get("/backoffice/").status_code == 302


def test_verify_and_suspend_units_write_audit_rows(client, officer):
    unit = UnitFactory(status=UnitStatus.PENDING, name="คลินิกรอยืนยัน")
    page = client.post("/backoffice/units/unit/", {"action": "verify_units", "_selected_action": [unit.pk]})
    content = page.content.decode()  # asks first, naming the units; nothing changes yet
    assert "จะได้รับการยืนยัน" in content and "คลินิกรอยืนยัน" in content
    unit.refresh_from_db()
    assert unit.status == UnitStatus.PENDING and not AuditEntry.objects.filter(action="unit.verify").exists()
    client.post("/backoffice/units/unit/", {"action": "verify_units", "_selected_action": [unit.pk], "apply": "1"})
    unit.refresh_from_db()
    assert unit.status == UnitStatus.VERIFIED
    assert AuditEntry.objects.get(action="unit.verify").actor == officer

    page = client.post("/backoffice/units/unit/", {"action": "suspend_units", "_selected_action": [unit.pk]})
    assert "เหตุผล" in page.content.decode()  # asks for the reason first
    unit.refresh_from_db()
    assert unit.status == UnitStatus.VERIFIED
    client.post("/backoffice/units/unit/", {"action": "suspend_units", "_selected_action": [unit.pk],
                                            "apply": "1", "reason": "เอกสารใบอนุญาตหมดอายุ"})
    unit.refresh_from_db()
    assert (unit.status, unit.status_reason) == (UnitStatus.SUSPENDED, "เอกสารใบอนุญาตหมดอายุ")
    assert AuditEntry.objects.get(action="unit.suspend").before == {"status": "verified", "reason": "ยืนยันโดยเจ้าหน้าที่"}


def test_a_new_fee_rate_supersedes_the_open_one(client, officer):
    service = ServiceFactory()
    old = FeeRateFactory(service=service, amount_baht=Decimal("150.00"), effective_from=dt.date(2025, 10, 1))
    response = client.post("/backoffice/units/feerate/add/", {
        "service": service.pk, "amount_baht": "180.00", "effective_from": "2026-10-01", "note": "ปีงบ 2570"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.effective_to == dt.date(2026, 9, 30)
    assert FeeRate.objects.get(service=service, effective_to__isnull=True).amount_baht == Decimal("180.00")
    assert AuditEntry.objects.filter(action="fee.set").count() == 1


def test_a_refused_fee_rate_changes_nothing_and_says_why(client, officer):
    service = ServiceFactory()
    FeeRateFactory(service=service, effective_from=dt.date(2026, 10, 1))
    response = client.post("/backoffice/units/feerate/add/", {
        "service": service.pk, "amount_baht": "180.00", "effective_from": "2026-01-01"}, follow=True)
    assert "อัตราใหม่ต้องมีผลหลังอัตราปัจจุบัน" in response.content.decode()
    assert FeeRate.objects.count() == 1
    assert not AuditEntry.objects.filter(action="fee.set").exists()


def test_citizens_are_masked_and_found_by_full_id_without_it_entering_a_url(client, officer):
    national_id = make_national_id()
    citizen = CitizenFactory(national_id=national_id, first_name_th="บุญมี")
    CitizenFactory(first_name_th="คนอื่น")
    response = client.post("/backoffice/people/citizen/find/", {"national_id": national_id})
    assert response.status_code == 302
    assert national_id not in response["Location"]
    detail = client.get(response["Location"]).content.decode()
    assert national_id not in detail and citizen.cid_masked in detail and "บุญมี" in detail
    listing = client.get("/backoffice/people/citizen/").content.decode()
    assert citizen.cid_masked in listing and national_id not in listing
    # a full ID typed into the GET search box is refused, not searched
    assert "ค้นหาด้วยเลขประจำตัว" in client.get("/backoffice/people/citizen/", {"q": national_id}, follow=True
                                                   ).content.decode()


def test_find_by_id_says_what_is_wrong(client, officer):
    page = client.post("/backoffice/people/citizen/find/", {"national_id": "1101700230709"}).content.decode()
    assert "เลขตรวจสอบไม่ตรง" in page
    page = client.post("/backoffice/people/citizen/find/", {"national_id": make_national_id()}).content.decode()
    assert "ไม่พบประชาชน" in page


def test_reading_the_full_id_needs_a_purpose_and_is_audited(client, officer):
    national_id = make_national_id()
    citizen = CitizenFactory(national_id=national_id)
    url = f"/backoffice/people/citizen/{citizen.pk}/reveal/"
    assert national_id[5:10] not in client.get(url).content.decode()
    page = client.post(url, {"purpose": "ตรวจสอบเคลมที่ถูกทักท้วง"}).content.decode()
    assert f"{national_id[0]}-{national_id[1:5]}-{national_id[5:10]}-{national_id[10:12]}-{national_id[12]}" in page
    entry = AuditEntry.objects.get(action="citizen.national_id.read")
    assert entry.actor == officer and entry.object_id == str(citizen.pk)


def test_audit_log_is_read_only(client, officer):
    UnitFactory()
    from raksa.units.services import unit_verify

    unit_verify(actor=officer, unit=UnitFactory(status=UnitStatus.PENDING))
    entry = AuditEntry.objects.get()
    assert client.get("/backoffice/audit/auditentry/").status_code == 200
    page = client.get(f"/backoffice/audit/auditentry/{entry.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert client.post(f"/backoffice/audit/auditentry/{entry.pk}/delete/").status_code == 403


def test_officers_add_claimable_items_and_new_prices_through_the_services(client, officer):
    from raksa.claims.models import Item, ItemPrice

    response = client.post("/backoffice/claims/item/add/", {
        "code": "drug-ors", "name_th": "ผงเกลือแร่", "name_en": "Oral rehydration salts", "unit_types": ["pharmacy"],
        "unit_label": "ซอง", "max_quantity": "10"})
    assert response.status_code == 302
    item = Item.objects.get(code="DRUG-ORS")
    assert item.unit_types == ["pharmacy"] and AuditEntry.objects.filter(object_id=str(item.pk)).exists()
    for day, baht in (("2026-01-01", "3.00"), ("2026-10-01", "3.50")):
        assert client.post("/backoffice/claims/itemprice/add/", {
            "item": item.pk, "baht_per_unit": baht, "effective_from": day}).status_code == 302
    old, new = ItemPrice.objects.filter(item=item).order_by("effective_from")
    assert (old.effective_to, new.effective_to, new.baht_per_unit) == (dt.date(2026, 9, 30), None, Decimal("3.50"))
    page = client.post("/backoffice/claims/item/add/", {
        "code": "X", "name_th": "ไม่มีประเภท", "name_en": "No type", "unit_label": "ชิ้น", "max_quantity": "1"})
    assert page.status_code == 200 and Item.objects.count() == 1  # a unit type is required: the form says so
