"""A correction is audited: ``claim_correct`` writes one ``claim.correct`` row for the new version (who, when, the
version and amount it replaces, the new version, amount and service), in the same transaction as the new row; a
refused correction writes none."""

import datetime as dt

import pytest

from raksa.audit.models import AuditEntry
from raksa.booking.tests.helpers import NOW
from raksa.claims.models import Claim
from raksa.claims.submit import claim_correct, claim_submit
from raksa.core.errors import DomainError
from raksa.testing.claims import make_claim_case
from raksa.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
LATER = NOW + dt.timedelta(hours=2)


@pytest.fixture
def rejected():
    case = make_claim_case()
    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW, amount="500")
    assert claim.status == "rejected"
    return case, claim


def test_a_correction_writes_its_claim_correct_row(rejected):
    case, old = rejected
    clerk = UserFactory(username="somchai")
    fixed = claim_correct(actor=clerk, unit=case.unit, claim_id=old.pk, now=LATER)
    row = AuditEntry.objects.get(action="claim.correct")
    assert (row.object_type, row.object_id, row.actor, row.at) == ("claims.claim", str(fixed.pk), clerk, LATER)
    assert row.before == {"claim": old.pk, "version": 1, "amount": "500.00"}
    assert row.after == {"version": 2, "amount": "180.00", "service": case.service.code}
    # the new version is then decided, with its own row after the correction's
    actions = list(AuditEntry.objects.filter(object_id=str(fixed.pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["claim.correct", "claim.adjudicate"]


def test_a_correction_by_the_units_software_is_audited_under_its_label(rejected):
    case, old = rejected
    fixed = claim_correct(actor=None, unit=case.unit, claim_id=old.pk, actor_label="api:rk_test", source="api",
                          now=LATER)
    row = AuditEntry.objects.get(action="claim.correct", object_id=str(fixed.pk))
    assert (row.actor, row.actor_label) == (None, "api:rk_test")


@pytest.mark.parametrize("why", ["accepted", "corrected-already", "bad-input"])
def test_a_refused_correction_writes_no_row(rejected, why):
    case, claim = rejected
    kwargs = {}
    if why == "accepted":
        case = make_claim_case()
        claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW)
        assert claim.status == "accepted"
    elif why == "corrected-already":
        claim_correct(actor=None, unit=case.unit, claim_id=claim.pk, now=NOW)
    else:
        kwargs = {"items": [{"code": "NOPE", "quantity": 1}]}
    before = AuditEntry.objects.filter(action="claim.correct").count()
    with pytest.raises(DomainError):
        claim_correct(actor=None, unit=case.unit, claim_id=claim.pk, now=LATER, **kwargs)
    assert AuditEntry.objects.filter(action="claim.correct").count() == before
    assert Claim.objects.filter(authen_code=claim.authen_code).count() == (2 if why == "corrected-already" else 1)
