"""A rule that crashes while the API decides a claim: the unit is answered 201 with the claim in review and the
reason RULE_ERROR (Thai and English, the error in its detail), never accepted nor a 500; a retry with the same
Idempotency-Key gets that answer again. Through the django-ninja endpoint and through the WSGI lane
(interfaces/api/fast_claims.py) that serves most claims in production."""

import io
import json
import re

import pytest
from django.db import connection
from django.utils import timezone

from config.wsgi import application
from interfaces.api import claims as claims_view
from raksa.claims.models import Claim
from raksa.claims.tests.test_adjudicate import broken
from raksa.testing.claims import make_claim_case
from raksa.units.services import unit_api_key_issue

POSTGRESQL_ONLY = pytest.mark.skipif(connection.vendor != "postgresql", reason="the claims' SQL path is PostgreSQL's")
THAI = re.compile("[\u0e00-\u0e7f]")


@pytest.fixture
def case(bangkok_morning):
    case = make_claim_case(now=timezone.now())
    key, _ = unit_api_key_issue(actor=None, unit=case.unit, label="ระบบร้านยา")
    case.key = key
    return case


def through_django(client, case, body: dict, key: str) -> tuple[int, bytes]:
    answer = client.post("/api/v1/claims", json.dumps(body), content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {case.key}", HTTP_IDEMPOTENCY_KEY=key)
    return answer.status_code, answer.content


def through_the_lane(case, body: dict, key: str) -> tuple[int, bytes]:
    raw = json.dumps(body).encode()
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/claims", "SCRIPT_NAME": "", "QUERY_STRING": "",
               "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(raw), "wsgi.errors": io.StringIO(),
               "CONTENT_LENGTH": str(len(raw)), "CONTENT_TYPE": "application/json", "HTTP_HOST": "testserver",
               "REMOTE_ADDR": "127.0.0.1", "HTTP_AUTHORIZATION": f"Bearer {case.key}", "HTTP_IDEMPOTENCY_KEY": key}
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = int(status.split()[0])

    content = b"".join(application(environ, start_response))
    return seen["status"], content


def assert_in_review_with_the_error(status: int, content: bytes) -> None:
    assert status == 201, content
    body = json.loads(content)
    assert body["status"] == "in_review" and body["close_code"].startswith("EP")
    (reason,) = body["reasons"]
    assert (reason["code"], reason["class"]) == ("RULE_ERROR", "V")
    assert reason["detail"].startswith("AMOUNT_OVER_SCHEDULE: KeyError")
    assert THAI.search(reason["title"]) and THAI.search(reason["todo"])
    assert reason["title_en"] == "An automatic check failed, so this claim went to an officer."
    claim = Claim.objects.get()
    assert (claim.status, [r["code"] for r in claim.reasons], claim.source) == ("in_review", ["RULE_ERROR"], "api")


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_through_the_endpoint_a_crashing_rule_sends_the_claim_to_review(client, case):
    body = {"authen_code": case.visit.authen_code}
    with broken("AMOUNT_OVER_SCHEDULE"):
        first = through_django(client, case, body, "k-1")
    assert_in_review_with_the_error(*first)
    assert through_django(client, case, body, "k-1") == first  # the rule mended: the stored answer, unchanged
    assert Claim.objects.get().status == "in_review"


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_through_the_lane_a_crashing_rule_sends_the_claim_to_review(case, monkeypatch):
    def _not_here(*args, **kwargs):
        raise AssertionError("the lane should have answered without the full path")

    monkeypatch.setattr(claims_view, "caller_unit", _not_here)
    body = {"authen_code": case.visit.authen_code}
    with broken("AMOUNT_OVER_SCHEDULE"):
        first = through_the_lane(case, body, "k-1")
    assert_in_review_with_the_error(*first)
    assert through_the_lane(case, body, "k-1") == first
