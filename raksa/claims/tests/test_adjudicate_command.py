"""manage.py claims_adjudicate: decides every submitted claim in batches, JSON summary on stdout."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from raksa.claims.models import Claim
from raksa.claims.tests.helpers import stored_claim
from raksa.testing.claims import make_claim_case

pytestmark = pytest.mark.django_db


def test_the_command_decides_every_submitted_claim_in_batches_and_prints_a_summary():
    good = [stored_claim(make_claim_case()) for _ in range(3)]
    bad = stored_claim(make_claim_case(), amount="999")
    out, err = io.StringIO(), io.StringIO()
    call_command("claims_adjudicate", "--batch-size", "2", stdout=out, stderr=err)
    summary = json.loads(out.getvalue())
    assert (summary["claims"], summary["decided"], summary["statuses"]) == (4, 4, {"accepted": 3, "rejected": 1})
    assert {"load_s", "evaluate_s", "write_s", "rate"} <= set(summary)
    assert err.getvalue().count("claims_adjudicate[0]:") == 2  # one progress line per batch
    for claim in [*good, bad]:
        claim.refresh_from_db()
    assert [c.status for c in good] == ["accepted"] * 3 and bad.status == "rejected"
    out = io.StringIO()
    call_command("claims_adjudicate", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["claims"] == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="workers run on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_workers_decide_as_one_would():
    """Two processes (each its own connection: the data must be committed, hence a transactional test)."""
    from raksa.claims.tests.test_adjudicate import _mixed_claims

    claims = _mixed_claims()
    out = io.StringIO()
    call_command("claims_adjudicate", "--workers", "2", stdout=out, stderr=io.StringIO())
    summary = json.loads(out.getvalue())
    assert (summary["workers"], summary["decided"]) == (2, len(claims))
    two = {c.pk: (c.status, c.reasons) for c in Claim.objects.all()}
    Claim.objects.update(status="submitted", reasons=[], decided_at=None)
    call_command("claims_adjudicate", stdout=io.StringIO(), stderr=io.StringIO())
    assert {c.pk: (c.status, c.reasons) for c in Claim.objects.all()} == two
