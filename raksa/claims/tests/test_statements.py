"""Payment statements: the unit's accepted claims of a period, their total, paid together; CSV and PDF."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from raksa.audit.models import AuditEntry
from raksa.booking.tests.helpers import NOW
from raksa.claims.models import Claim, PaymentStatement
from raksa.claims.review import claim_review_reject
from raksa.claims.statements import (
    statement_csv,
    statement_issue,
    statement_mark_paid,
    statement_pdf,
    statement_sum,
    statements_issue_all,
)
from raksa.claims.submit import claim_submit
from raksa.core.errors import DomainError
from raksa.testing.claims import make_claim_case
from raksa.testing.factories import make_officer
from raksa.testing.races import codes, race
from raksa.testing.statements import claim_at, pdf_text
from raksa.units.models import Unit

pytestmark = pytest.mark.django_db
DAY = NOW.date()
LATER = NOW + dt.timedelta(days=2)


def unit_with_claims():
    """A unit with three accepted claims (180, 180, 150 baht), one in review and one rejected, all on DAY,
    and an accepted claim the day before."""
    case = make_claim_case()
    claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW)
    claim_at(case)
    claim_at(case, amount="150.00")
    claim_at(case, verified=False)  # in review
    rejected = claim_at(case, verified=False)
    claim_review_reject(actor=None, claim_id=rejected.pk, reason="ไม่พบหลักฐาน")
    claim_at(case, now=NOW - dt.timedelta(days=1))
    return case


def test_a_statement_takes_the_accepted_claims_of_the_period_with_their_total():
    officer = make_officer()
    case = unit_with_claims()
    case.unit.hcode = "41001"
    Unit.objects.filter(pk=case.unit.pk).update(hcode="41001")
    statement = statement_issue(actor=officer, unit=case.unit, period_from=DAY, period_to=DAY, now=LATER)
    assert statement.reference == f"ST-41001-{LATER:%Y%m%d}-1"
    assert (statement.claim_count, statement.total, statement.status) == (3, Decimal("510.00"), "issued")
    assert statement_sum(statement) == statement.total
    assert set(statement.claims.values_list("status", flat=True)) == {"accepted"}
    assert Claim.objects.filter(statement__isnull=True, status="accepted").count() == 1  # the day before
    entry = AuditEntry.objects.get(action="statement.issue")
    assert (entry.actor, entry.after["total"], len(entry.after["claims"])) == (officer, "510.00", 3)

    # The day before is a second statement, numbered after the first; then nothing is left to pay.
    second = statement_issue(actor=officer, unit=case.unit, period_from=DAY - dt.timedelta(days=7),
                             period_to=DAY, now=LATER)
    assert (second.reference, second.claim_count, second.total) == (f"ST-41001-{LATER:%Y%m%d}-2", 1,
                                                                     Decimal("180.00"))
    with pytest.raises(DomainError) as err:
        statement_issue(actor=officer, unit=case.unit, period_from=DAY - dt.timedelta(days=7), period_to=DAY)
    assert (err.value.code, err.value.status) == ("NOTHING_TO_PAY", 409)
    assert PaymentStatement.objects.count() == 2


def test_nothing_to_pay_and_a_backwards_period_change_nothing():
    case = unit_with_claims()
    with pytest.raises(DomainError) as err:
        statement_issue(actor=None, unit=case.unit, period_from=DAY + dt.timedelta(days=1),
                        period_to=DAY + dt.timedelta(days=5))
    assert err.value.code == "NOTHING_TO_PAY" and "ไม่มีเคลม" in err.value.message_th
    with pytest.raises(DomainError) as err:
        statement_issue(actor=None, unit=case.unit, period_from=DAY, period_to=DAY - dt.timedelta(days=1))
    assert (err.value.code, err.value.field) == ("INVALID_INPUT", "period_to")
    assert not PaymentStatement.objects.exists() and not AuditEntry.objects.filter(action="statement.issue").exists()


def test_issue_for_all_units_makes_one_statement_per_unit_with_claims():
    first, second = unit_with_claims(), make_claim_case()
    claim_submit(actor=None, unit=second.unit, authen_code=second.visit.authen_code, now=NOW)
    make_claim_case(verified=False)  # a unit with only a claim in review: no statement
    issued = statements_issue_all(actor=None, period_from=DAY, period_to=DAY, now=LATER)
    assert sorted((s.unit_id, s.claim_count) for s in issued) == sorted([(first.unit.pk, 3), (second.unit.pk, 1)])
    assert statements_issue_all(actor=None, period_from=DAY, period_to=DAY) == []


def test_marking_paid_pays_the_statement_and_each_claim_once():
    officer = make_officer()
    case = unit_with_claims()
    statement = statement_issue(actor=officer, unit=case.unit, period_from=DAY, period_to=DAY, now=LATER)
    paid_at = LATER + dt.timedelta(hours=3)
    statement_mark_paid(actor=officer, statement_id=statement.pk, now=paid_at)
    statement.refresh_from_db()
    assert (statement.status, statement.paid_at, statement.paid_by) == ("paid", paid_at, officer)
    assert set(statement.claims.values_list("status", "paid_at")) == {("paid", paid_at)}
    assert not Claim.objects.filter(status="paid", statement__isnull=True).exists()
    with pytest.raises(DomainError) as err:
        statement_mark_paid(actor=officer, statement_id=statement.pk)
    assert (err.value.code, err.value.status) == ("STATEMENT_ALREADY_PAID", 409)
    assert AuditEntry.objects.filter(action="statement.paid").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_issuing_at_once_never_put_a_claim_on_two_statements():
    case = unit_with_claims()
    one, two = make_officer("one"), make_officer("two")
    results = race([lambda: statement_issue(actor=one, unit=case.unit, period_from=DAY, period_to=DAY),
                    lambda: statement_issue(actor=two, unit=case.unit, period_from=DAY - dt.timedelta(days=1),
                                            period_to=DAY)])
    assert codes(results)["ok"] >= 1, results
    statements = list(PaymentStatement.objects.all())
    on_statements = Claim.objects.filter(statement__isnull=False)
    assert sum(s.claim_count for s in statements) == on_statements.count() == 4
    for statement in statements:
        assert statement_sum(statement) == statement.total
    assert len({s.reference for s in statements}) == len(statements)


@pytest.mark.django_db(transaction=True)
def test_the_same_period_issued_twice_at_once_gives_one_statement_and_nothing_to_pay():
    case = unit_with_claims()
    results = race([lambda: statement_issue(actor=None, unit=case.unit, period_from=DAY, period_to=DAY)
                    for _ in range(4)])
    assert codes(results) == {"ok": 1, "NOTHING_TO_PAY": 3}
    assert PaymentStatement.objects.get().claim_count == 3


def test_the_csv_has_a_bom_thai_headers_every_claim_and_the_total():
    case = unit_with_claims()
    statement = statement_issue(actor=None, unit=case.unit, period_from=DAY, period_to=DAY, now=LATER)
    text = statement_csv(statement)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["เลขที่ใบแจ้ง", "รหัสหน่วย", "เลขอ้างอิงเคลม"]
    body = rows[1:-1]
    assert sorted(r[2] for r in body) == sorted(c.reference for c in statement.claims.all())
    assert sum(Decimal(r[7]) for r in body) == Decimal(rows[-1][7]) == Decimal("510.00")
    assert rows[-1][2] == "รวม 3 เคลม" and body[0][6] == case.service.name_th


def test_the_pdf_shows_the_units_thai_name_and_the_total_in_text():
    case = unit_with_claims()
    Unit.objects.filter(pk=case.unit.pk).update(name="ร้านยาสุขภาพดีถ้วนหน้า")
    # Each line of the PDF's text as drawn: the service's name with marks above and below (ผู้ ปู่ น้ำ).
    statement = statement_issue(actor=None, unit=Unit.objects.get(pk=case.unit.pk), period_from=DAY,
                                period_to=DAY, now=LATER)
    pdf = statement_pdf(statement)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "ร้านยาสุขภาพดีถ้วนหน้า" in text and "ใบแจ้งการจ่ายเงิน" in text
    assert "สำนักงานหลักประกันสุขภาพแห่งชาติ" in text
    assert "510.00" in text and statement.reference in text
    assert "2569" in text  # Buddhist year


def test_making_a_pdf_leaves_pillow_refusing_truncated_images():
    """WeasyPrint switches Pillow's LOAD_TRUNCATED_IMAGES on for the whole process; the face frames need it off."""
    from PIL import ImageFile

    case = make_claim_case()
    claim_at(case)
    statement = statement_issue(actor=make_officer(), unit=case.unit, period_from=NOW.date(), period_to=NOW.date(),
                                now=NOW)
    statement_pdf(statement)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
