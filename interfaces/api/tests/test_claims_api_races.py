"""A hundred concurrent retries of one claim, each its own thread and PostgreSQL connection, through the whole
API (auth, Idempotency-Key, claim_submit, the rules): one claim, one answer for all, byte for byte."""

import json

import pytest
from django.db import connection  # noqa: F401 (connection: the skipif below)
from django.test import Client
from django.utils import timezone

from raksa.claims.models import Claim, ClaimSubmission
from raksa.testing.claims import make_claim_case
from raksa.testing.races import race
from raksa.units.services import unit_api_key_issue

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="races need PostgreSQL")]


def test_a_hundred_concurrent_retries_of_one_claim_make_one_claim_and_one_answer(bangkok_morning):
    case = make_claim_case(now=timezone.now())
    key, _ = unit_api_key_issue(actor=None, unit=case.unit, label="ระบบร้านยา")
    body = json.dumps({"authen_code": case.visit.authen_code, "icd10": ["R50.9"]})

    def retry():
        answer = Client().post("/api/v1/claims", body, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_IDEMPOTENCY_KEY="one-claim")
        return answer.status_code, answer.content

    results = race([retry] * 100)
    assert not [r for r in results if isinstance(r, Exception)], results[:3]
    assert len(set(results)) == 1, {r[:1] for r in results}
    status, content = results[0]
    assert status == 201 and json.loads(content)["reference"] == f"{case.visit.authen_code}-1"
    assert Claim.objects.count() == 1 and ClaimSubmission.objects.count() == 1


def test_concurrent_claims_of_one_visit_under_different_keys_make_one_claim(bangkok_morning):
    case = make_claim_case(now=timezone.now())
    key, _ = unit_api_key_issue(actor=None, unit=case.unit, label="ระบบร้านยา")
    body = json.dumps({"authen_code": case.visit.authen_code})

    def send(n):
        answer = Client().post("/api/v1/claims", body, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_IDEMPOTENCY_KEY=f"key-{n}")
        return answer.status_code, answer.json().get("code")

    results = race([lambda n=n: send(n) for n in range(20)])
    assert sorted(results, key=str) == sorted([(201, None)] + [(409, "CLAIM_DUPLICATE")] * 19, key=str)
    assert Claim.objects.count() == 1
