"""What was claimed in a citizen's name, and the citizen's report: what it does to each status, only for the
citizen's own claims, audited; the LINE message when a claim is sent in their name."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from raksa.audit.models import AuditEntry
from raksa.booking.tests.helpers import NOW
from raksa.claims.citizen import claim_report_by_citizen, claims_of_citizen
from raksa.claims.models import Claim, PaymentStatement
from raksa.claims.submit import claim_submit
from raksa.core.errors import DomainError
from raksa.messaging.models import OutboundMessage
from raksa.messaging.notify import notify_run
from raksa.testing.claims import make_claim_case
from raksa.testing.factories import CitizenFactory

pytestmark = pytest.mark.django_db
LINE_USER = "U" + "c" * 32


def sent(**kwargs):
    case = make_claim_case()
    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW, **kwargs)
    return case, claim


def report(case, claim, **kwargs):
    return claim_report_by_citizen(citizen=case.citizen, claim_id=claim.pk, line_user_id=LINE_USER, now=NOW,
                                   **kwargs)


def test_claims_in_my_name_list_the_current_claims_with_unit_date_service_amount_and_status():
    case, claim = sent()
    (line,) = claims_of_citizen(citizen=case.citizen)
    assert (line.id, line.reference, line.unit_name, line.service_date, line.service_name_th, line.amount,
            line.status) == (claim.pk, claim.reference, case.unit.name, NOW.date(), case.service.name_th,
                             Decimal("180.00"), "accepted")
    assert claims_of_citizen(citizen=CitizenFactory()) == []


def test_a_report_sends_an_accepted_claim_to_review_with_the_citizens_reason_and_is_audited():
    case, claim = sent()
    reported = report(case, claim, note="  วันนั้นไม่ได้ไป\x00ร้านนี้ ")
    assert reported.status == "in_review" and reported.citizen_reported_at == NOW
    assert reported.citizen_report_note == "วันนั้นไม่ได้ไปร้านนี้"
    assert reported.reasons[-1] == {"code": "CITIZEN_REPORTED", "class": "V", "version": 1,
                                    "detail": "วันนั้นไม่ได้ไปร้านนี้"}
    entry = AuditEntry.objects.get(action="claim.citizen_report")
    assert (entry.actor_label, entry.before, entry.after["status"]) == (f"line:{LINE_USER}", {"status": "accepted"},
                                                                         "in_review")


def test_a_second_report_changes_nothing():
    case, claim = sent()
    report(case, claim)
    again = claim_report_by_citizen(citizen=case.citizen, claim_id=claim.pk, line_user_id=LINE_USER,
                                    now=NOW + dt.timedelta(hours=1), note="อีกครั้ง")
    assert again.citizen_reported_at == NOW and len(again.reasons) == 1
    assert AuditEntry.objects.filter(action="claim.citizen_report").count() == 1


def test_a_paid_claim_stays_paid_and_is_marked_reported():
    case, claim = sent()
    statement = PaymentStatement.objects.create(reference="ST-1", unit=case.unit, period_from=NOW.date(),
                                                period_to=NOW.date(), claim_count=1, total=claim.amount,
                                                status="paid", issued_at=NOW, paid_at=NOW)
    Claim.objects.filter(pk=claim.pk).update(status="paid", statement=statement, paid_at=NOW)
    reported = report(case, claim)
    assert (reported.status, reported.reasons, reported.citizen_reported_at) == ("paid", [], NOW)


def test_a_rejected_claim_stays_rejected_and_is_marked_reported():
    case, claim = sent(amount="500")
    reported = report(case, claim)
    assert reported.status == "rejected" and reported.citizen_reported_at == NOW
    assert [r["code"] for r in reported.reasons] == ["AMOUNT_OVER_SCHEDULE"]


def test_only_the_citizens_own_claim_can_be_reported():
    case, claim = sent()
    with pytest.raises(DomainError) as err:
        claim_report_by_citizen(citizen=CitizenFactory(), claim_id=claim.pk, line_user_id=LINE_USER, now=NOW)
    assert err.value.code == "CLAIM_NOT_FOUND" and err.value.status == 404
    claim.refresh_from_db()
    assert claim.status == "accepted" and claim.citizen_reported_at is None
    assert not AuditEntry.objects.filter(action="claim.citizen_report").exists()


def test_a_claim_sent_in_a_linked_citizens_name_is_pushed_to_them_in_line_once():
    case = make_claim_case(now=timezone.now())
    type(case.citizen).objects.filter(pk=case.citizen.pk).update(line_user_id=LINE_USER)
    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code)
    assert notify_run(kind="claim_sent", ids=[claim.pk]) == 1
    assert notify_run(kind="claim_sent", ids=[claim.pk]) == 0  # once per authen code
    message = OutboundMessage.objects.get(kind="claim_sent")
    assert (message.line_user_id, message.citizen_id) == (LINE_USER, case.citizen.pk)
    flex = message.messages[0]
    assert case.unit.name in flex["altText"] and "180.00 บาท" in flex["altText"]
    buttons = [b["action"]["uri"] for b in flex["contents"]["footer"]["contents"]]
    assert buttons[0].endswith("/claims") and buttons[1].endswith(f"/claims/{claim.pk}/report")


def test_the_push_job_is_queued_with_the_claim_and_skips_an_unlinked_citizen():
    from django_tasks_db.models import DBTaskResult

    case, claim = sent()
    job = DBTaskResult.objects.get(task_path="raksa.messaging.tasks.notify_send")
    assert job.args_kwargs["kwargs"] == {"kind": "claim_sent", "ids": [claim.pk]}
    assert notify_run(kind="claim_sent", ids=[claim.pk]) == 0 and not OutboundMessage.objects.exists()
