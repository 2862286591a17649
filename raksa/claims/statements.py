"""Payment statements: a unit's accepted claims over a period, paid together; CSV and PDF copies.

``statement_issue`` takes the unit's *current accepted* claims with a service date in the period that are on
no statement yet. It locks the unit row (so the unit's statement numbers never collide) and then those claims
in primary-key order (``select_for_update(of=("self",))``): an officer issuing at the same moment waits, and
PostgreSQL re-checks the waiting query's conditions on the rows the first one changed, so a claim never lands
on two statements (raksa/claims/tests/test_statements.py races two issuers). A claim that a citizen's report
or an officer moves out of ``accepted`` meanwhile waits for the lock too and is not taken.

The database backs the rest: a claim on a statement is accepted or paid, a paid claim has a statement and
``paid_at``. ``total`` is the sum of the claims' amounts, written here and checked by the tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone

from raksa.audit.services import audit_record
from raksa.claims.models import Claim, ClaimStatus, PaymentStatement, PaymentStatementStatus
from raksa.core import thaidate
from raksa.core.errors import Conflict, InvalidInput, NotFound
from raksa.core.timeutil import service_day
from raksa.units.models import Unit

# Thai fonts of Debian's fonts-thai-tlwg (scripts/install-system-deps.sh); WeasyPrint finds them through
# fontconfig and shapes Thai (vowels above and below, tone marks) through Pango/HarfBuzz.
PDF_FONTS = '"Garuda", "Loma", "Norasi", sans-serif'
# Every Thai letter, vowel, tone mark and digit on its own (except SARA AM, which shapers split into NIKHAHIT and
# SARA AA). WeasyPrint maps each glyph to the text of the first place it is drawn, and a mark drawn first inside a
# cluster would be mapped to the wrong character; drawn alone first (transparent, 1 px, before anything else, in
# each weight the document uses) each glyph maps to itself and `pdftotext -raw` reads the Thai back. The one
# glyph two characters share, SARA AA in SARA AM, reads back as NIKHAHIT + SARA AA (ํา): the same letters
# (NFKC), drawn identically; raksa.testing.statements.pdf_text folds it back when comparing.
PDF_GLYPH_PRIMER = " ".join(chr(c) for c in [*range(0x0E01, 0x0E3B), *range(0x0E3F, 0x0E5C)] if c != 0x0E33)


def _nothing_to_pay() -> Conflict:
    return Conflict("This unit has no accepted claims in this period that are not on a statement yet.",
                    "หน่วยบริการนี้ไม่มีเคลมที่ผ่านแล้วและยังไม่อยู่ในใบแจ้งการจ่ายเงินในช่วงวันที่นี้",
                    code="NOTHING_TO_PAY")


def _period(period_from: Any, period_to: Any) -> tuple[dt.date, dt.date]:
    days = []
    for name, value in (("period_from", period_from), ("period_to", period_to)):
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value))
            except ValueError:
                raise InvalidInput("Give the date as YYYY-MM-DD.", "กรุณาระบุวันที่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.)",
                                   field=name) from None
        days.append(value)
    if days[1] < days[0]:
        raise InvalidInput("The period ends before it starts.", "วันสิ้นสุดอยู่ก่อนวันเริ่มต้น", field="period_to")
    return days[0], days[1]


def payable_claims(*, unit_id: int | None, period_from: dt.date, period_to: dt.date):
    """Claims that a statement for this period would take (all units when ``unit_id`` is None)."""
    claims = Claim.objects.filter(current=True, status=ClaimStatus.ACCEPTED, statement__isnull=True,
                                  service_date__gte=period_from, service_date__lte=period_to)
    return claims if unit_id is None else claims.filter(unit_id=unit_id)


def _reference(unit: Unit, now: dt.datetime) -> str:
    prefix = f"ST-{unit.hcode}-{service_day(now):%Y%m%d}-"
    taken = PaymentStatement.objects.filter(reference__startswith=prefix).count()
    return f"{prefix}{taken + 1}"


def statement_issue(*, actor: Any, unit: Unit, period_from: Any, period_to: Any,
                    now: dt.datetime | None = None) -> PaymentStatement:
    """A statement of the unit's payable claims in the period (409 ``NOTHING_TO_PAY`` when there are none)."""
    now = now or timezone.now()
    period_from, period_to = _period(period_from, period_to)
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        claims = list(payable_claims(unit_id=unit.pk, period_from=period_from, period_to=period_to)
                      .select_for_update(of=("self",)).order_by("pk").only("pk", "amount"))
        if not claims:
            raise _nothing_to_pay()
        total = sum((c.amount for c in claims), Decimal("0.00"))
        statement = PaymentStatement.objects.create(
            reference=_reference(unit, now), unit=unit, period_from=period_from, period_to=period_to,
            claim_count=len(claims), total=total, issued_at=now, issued_by=_user(actor))
        Claim.objects.filter(pk__in=[c.pk for c in claims]).update(statement=statement)
        audit_record(actor=actor, action="statement.issue", obj=statement, at=now, after={
            "reference": statement.reference, "unit": unit.hcode, "period_from": period_from.isoformat(),
            "period_to": period_to.isoformat(), "claim_count": len(claims), "total": str(total),
            "claims": [c.pk for c in claims]})
    return statement


def statements_issue_all(*, actor: Any, period_from: Any, period_to: Any,
                         now: dt.datetime | None = None) -> list[PaymentStatement]:
    """One statement per unit that has payable claims in the period (each in its own transaction)."""
    period_from, period_to = _period(period_from, period_to)
    unit_ids = (payable_claims(unit_id=None, period_from=period_from, period_to=period_to)
                .order_by().values_list("unit_id", flat=True).distinct())
    issued = []
    for unit in Unit.objects.filter(pk__in=list(unit_ids)).order_by("hcode"):
        try:
            issued.append(statement_issue(actor=actor, unit=unit, period_from=period_from, period_to=period_to,
                                          now=now))
        except Conflict as exc:  # another officer took them meanwhile
            if exc.code != "NOTHING_TO_PAY":
                raise
    return issued


def statement_mark_paid(*, actor: Any, statement_id: int, now: dt.datetime | None = None) -> PaymentStatement:
    """The money went out: the statement and each of its claims become paid (409 when already paid)."""
    now = now or timezone.now()
    with transaction.atomic():
        statement = PaymentStatement.objects.select_for_update().filter(pk=statement_id).first()
        if statement is None:
            raise NotFound("No such payment statement.", "ไม่พบใบแจ้งการจ่ายเงินนี้", code="STATEMENT_NOT_FOUND")
        if statement.status == PaymentStatementStatus.PAID:
            raise Conflict(f"Statement {statement.reference} is already paid.",
                           f"ใบแจ้ง {statement.reference} จ่ายแล้ว", code="STATEMENT_ALREADY_PAID")
        claim_ids = list(Claim.objects.select_for_update(of=("self",)).filter(statement=statement)
                         .order_by("pk").values_list("pk", flat=True))
        Claim.objects.filter(pk__in=claim_ids).update(status=ClaimStatus.PAID, paid_at=now)
        statement.status, statement.paid_at, statement.paid_by = PaymentStatementStatus.PAID, now, _user(actor)
        statement.save(update_fields=["status", "paid_at", "paid_by"])
        audit_record(actor=actor, action="statement.paid", obj=statement, at=now,
                     before={"status": PaymentStatementStatus.ISSUED},
                     after={"status": statement.status, "claim_count": len(claim_ids), "total": str(statement.total)})
    return statement


def statement_claims(statement: PaymentStatement):
    return statement.claims.select_related("service").order_by("service_date", "authen_code", "version")


def statement_sum(statement: PaymentStatement) -> Decimal:
    """The sum of the statement's claims as the database has it (tests compare it with ``total``)."""
    return statement.claims.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")


CSV_HEADER = ["เลขที่ใบแจ้ง", "รหัสหน่วย", "เลขอ้างอิงเคลม", "รหัสยืนยันการเข้ารับบริการ", "วันที่รับบริการ",
              "รหัสบริการ", "บริการ", "ยอดเบิก (บาท)", "สถานะ"]


def statement_csv(statement: PaymentStatement) -> str:
    """The statement's claims, one per row, then the total: UTF-8 with a BOM (Excel then reads the Thai);
    dates ISO (YYYY-MM-DD, what spreadsheets parse), amounts with two decimals and no separators."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    status = dict(ClaimStatus.choices)
    for claim in statement_claims(statement):
        writer.writerow([statement.reference, statement.unit.hcode, claim.reference, claim.authen_code,
                         claim.service_date.isoformat(), claim.service.code, claim.service.name_th,
                         f"{claim.amount:.2f}", status[claim.status].split(" (")[0]])
    writer.writerow([statement.reference, statement.unit.hcode, f"รวม {statement.claim_count} เคลม", "", "", "",
                     "", f"{statement.total:.2f}", ""])
    return out.getvalue()


def baht(value: Decimal) -> str:
    return f"{value:,.2f}"


def statement_html(statement: PaymentStatement) -> str:
    claims = [{"reference": c.reference, "day": thaidate.format_date(c.service_date, short=True),
               "service": f"{c.service.code} {c.service.name_th}", "amount": baht(c.amount)}
              for c in statement_claims(statement)]
    return render_to_string("claims/statement_pdf.html", {
        "statement": statement, "unit": statement.unit, "claims": claims, "fonts": PDF_FONTS,
        "primer": PDF_GLYPH_PRIMER,
        "total": baht(statement.total), "period_from": thaidate.format_date(statement.period_from),
        "period_to": thaidate.format_date(statement.period_to),
        "issued_at": thaidate.format_datetime(statement.issued_at),
        "paid_at": thaidate.format_datetime(statement.paid_at) if statement.paid_at else "",
        "status": dict(PaymentStatementStatus.choices)[statement.status].split(" (")[0],
    })


def statement_pdf(statement: PaymentStatement) -> bytes:
    """The statement as a PDF (A4) with Thai text shaped correctly. Nothing is fetched: the fetcher allows
    only ``data:`` URLs, so a stray link in the document cannot reach the network."""
    from PIL import ImageFile
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s, and only PDFs need it
    from weasyprint.urls import URLFetcher

    # WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process when imported; the statements embed
    # no images, and the face frames must never be decoded truncated: off again.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    return HTML(string=statement_html(statement), base_url=None,
                url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None
