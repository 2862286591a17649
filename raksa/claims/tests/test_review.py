"""An officer accepts or rejects a claim in review; only in-review claims, audited, the reason kept for the unit."""

import pytest

from raksa.audit.models import AuditEntry
from raksa.booking.tests.helpers import NOW
from raksa.claims.models import Claim
from raksa.claims.review import claim_review_accept, claim_review_reject
from raksa.claims.submit import claim_correct, claim_submit
from raksa.core.errors import DomainError
from raksa.testing.claims import make_claim_case
from raksa.testing.factories import make_officer
from raksa.testing.races import codes, race

pytestmark = pytest.mark.django_db


def in_review():
    case = make_claim_case(verified=False)
    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW)
    assert claim.status == "in_review"
    assert [r["code"] for r in claim.reasons] == ["NO_IDENTITY_VERIFICATION"]
    return case, claim


def test_accepting_a_claim_in_review_records_who_and_when_and_keeps_its_reasons():
    officer = make_officer()
    _case, claim = in_review()
    accepted = claim_review_accept(actor=officer, claim_id=claim.pk, note="  ตรวจใบสั่งยาแล้ว  ", now=NOW)
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by, claim.decided_at, claim.decision_note) == (
        "accepted", officer, NOW, "ตรวจใบสั่งยาแล้ว")
    assert accepted.pk == claim.pk and [r["code"] for r in claim.reasons] == ["NO_IDENTITY_VERIFICATION"]
    entry = AuditEntry.objects.get(action="claim.review.accept")
    assert (entry.actor, entry.object_id, entry.after["status"]) == (officer, str(claim.pk), "accepted")


def test_rejecting_adds_the_officers_reason_and_the_unit_may_correct_it():
    officer = make_officer()
    case, claim = in_review()
    claim_review_reject(actor=officer, claim_id=claim.pk, reason="ไม่มีหลักฐานการให้บริการ", now=NOW)
    claim.refresh_from_db()
    assert claim.status == "rejected" and claim.decided_by == officer
    assert claim.reasons[-1] == {"code": "OFFICER_REJECTED", "class": "Deny", "version": 1,
                                 "detail": "ไม่มีหลักฐานการให้บริการ"}
    assert AuditEntry.objects.get(action="claim.review.reject").after["reason"] == "ไม่มีหลักฐานการให้บริการ"
    correction = claim_correct(actor=None, unit=case.unit, claim_id=claim.pk, now=NOW)
    assert correction.version == 2 and correction.supersedes_id == claim.pk


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_rejection_needs_a_reason_and_a_bad_one_changes_nothing(reason):
    _case, claim = in_review()
    with pytest.raises(DomainError) as err:
        claim_review_reject(actor=make_officer(), claim_id=claim.pk, reason=reason, now=NOW)
    assert err.value.status == 422 and err.value.field == "reason"
    claim.refresh_from_db()
    assert claim.status == "in_review" and not AuditEntry.objects.filter(action__startswith="claim.review").exists()


def test_only_a_claim_in_review_is_decided():
    case = make_claim_case()
    accepted = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW)
    assert accepted.status == "accepted"
    for decide in (lambda: claim_review_accept(actor=None, claim_id=accepted.pk),
                   lambda: claim_review_reject(actor=None, claim_id=accepted.pk, reason="ไม่ผ่าน")):
        with pytest.raises(DomainError) as err:
            decide()
        assert (err.value.code, err.value.status) == ("CLAIM_NOT_IN_REVIEW", 409)
        assert "ผ่าน" in err.value.message_th
    with pytest.raises(DomainError) as err:
        claim_review_accept(actor=None, claim_id=accepted.pk + 1000)
    assert (err.value.code, err.value.status) == ("CLAIM_NOT_FOUND", 404)
    accepted.refresh_from_db()
    assert accepted.status == "accepted" and accepted.decided_by is None


@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once_one_wins_the_other_is_told():
    _case, claim = in_review()
    one, two = make_officer("one"), make_officer("two")
    results = race([lambda: claim_review_accept(actor=one, claim_id=claim.pk),
                    lambda: claim_review_reject(actor=two, claim_id=claim.pk, reason="ซ้ำ")])
    assert codes(results) == {"ok": 1, "CLAIM_NOT_IN_REVIEW": 1}
    claim = Claim.objects.get(pk=claim.pk)
    assert AuditEntry.objects.filter(action__startswith="claim.review").count() == 1
    assert claim.status in ("accepted", "rejected")
