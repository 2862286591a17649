"""The fast lane for API-key claims answers exactly as the django-ninja endpoint does, and writes the same rows.

Each case is sent over WSGI once to ``config.wsgi.application`` (the lanes in front of Django) and once to Django
alone, each for a fresh visit of its own, and the answers must match: status, JSON body (but the visit's authen
code, the claim's reference, close code and time) and headers; so must the rows (the claim, its audit rows, the
LINE job, the Idempotency-Key's row). The lane serves the common case itself (checked: the full path's view is
not called), and hands everything else to the full path.
"""

import io
import json

import pytest
from django.db import connection  # noqa: F401 (connection: the skipif below)
from django.utils import timezone

from config.wsgi import application, django_application
from interfaces.api import claims as claims_view
from raksa.audit.models import AuditEntry
from raksa.claims import sql_submit
from raksa.claims.models import Claim, ClaimSubmission
from raksa.messaging.jobs import JOB_TABLE
from raksa.testing.claims import make_claim_case, make_item, make_visit
from raksa.testing.factories import CitizenFactory, CoverageFactory
from raksa.testing.races import race
from raksa.units.services import unit_api_key_issue
from raksa.verification.models import Visit, VisitStatus

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the lane's path is PostgreSQL's")]
PATH = "/api/v1/claims"
LANGUAGE_HEADERS = {"Vary", "Content-Language"}  # only the full path's LocaleMiddleware adds these
NEW = ("authen_code", "reference", "close_code", "submitted_at")  # differ from one claim to the next


def call(app, body: bytes | dict, key: str | None, idempotency_key: str | None, **extra) -> tuple[int, dict, dict]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    if key is not None:
        extra = {"HTTP_AUTHORIZATION": f"Bearer {key}", **extra}
    if idempotency_key is not None:
        extra = {"HTTP_IDEMPOTENCY_KEY": idempotency_key, **extra}
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": PATH, "SCRIPT_NAME": "", "QUERY_STRING": "",
               "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(raw), "wsgi.errors": io.StringIO(),
               "CONTENT_LENGTH": str(len(raw)), "CONTENT_TYPE": "application/json",
               "HTTP_HOST": "testserver", "REMOTE_ADDR": "127.0.0.1", **extra}
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    content = b"".join(application(environ, start_response) if app == "lane" else
                       django_application(environ, start_response))
    seen["raw"] = content
    return seen["status"], json.loads(content) if content else {}, seen["headers"]


@pytest.fixture
def world(bangkok_morning):
    case = make_claim_case(now=timezone.now())
    make_item()
    key, api_key = unit_api_key_issue(actor=None, unit=case.unit, label="ระบบร้านยา")
    return {"case": case, "key": key, "api_key": api_key, "n": 0}


def fresh_code(world, *, verified: bool = True) -> str:
    """A new citizen's open visit at the world's unit: its authen code."""
    citizen = CitizenFactory()
    CoverageFactory(citizen=citizen)
    case = world["case"]
    return make_visit(unit=case.unit, citizen=citizen, service=case.service, now=timezone.now(),
                      verified=verified).authen_code


def new_key(world) -> str:
    world["n"] += 1
    return f"key-{world['n']}"


def rows_of(code: str) -> dict:
    """What a claim for ``code`` left in the database, without what differs from one claim to the next."""
    claims = list(Claim.objects.filter(authen_code=code).values(
        "status", "reasons", "amount", "service_amount", "items", "details", "icd10", "source", "submitted_label",
        "rules_version", "version", "current"))
    ids = [str(pk) for pk in Claim.objects.filter(authen_code=code).values_list("pk", flat=True)]
    audits = list(AuditEntry.objects.filter(object_type="claims.claim", object_id__in=ids).order_by("pk")
                  .values_list("action", "actor_label"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {JOB_TABLE} WHERE args_kwargs -> 'kwargs' -> 'ids' @> %s::jsonb",
                       [json.dumps([int(i) for i in ids[:1]] or [0])])
        jobs = cursor.fetchone()[0] if ids else 0
    return {"claims": claims, "audits": audits, "jobs": jobs}


def submission_of(world, key: str) -> tuple | None:
    row = ClaimSubmission.objects.filter(unit=world["case"].unit, key=key).values_list("status_code", "claim_id")
    return next(iter(row), None)


def same(lane, full, *, new=NEW):
    (s1, b1, h1), (s2, b2, h2) = lane, full
    assert s1 == s2, (lane, full)
    assert {k: v for k, v in b1.items() if k not in new} == {k: v for k, v in b2.items() if k not in new}
    drop = LANGUAGE_HEADERS | {"X-Request-ID", "Content-Length"}
    assert {k: v for k, v in h1.items() if k not in drop} == {k: v for k, v in h2.items() if k not in drop}


def _not_here(*args, **kwargs):
    raise AssertionError("the lane should have answered without the full path")


@pytest.mark.parametrize(("outcome", "body"), [
    ("accepted", {"icd10": ["J02.9"]}),
    ("accepted", {"items": [{"code": "DRUG-PARA500", "quantity": 4}], "service_date": None, "details": {}}),
    ("rejected", {"amount": "9999.00"}),
    ("rejected", {"amount": 9999.5}),
    ("in_review", {"unverified": True}),
    (422, {"items": [{"code": "NO-SUCH-ITEM"}]}),
    (422, {"icd10": ["NOT A CODE"]}),
    (422, {"service_date": "2020-01-01"}),
    (422, {"service_code": "NO-SUCH"}),
    (422, {"authen_code": "PP12"}),
])
def test_the_lane_answers_and_writes_as_the_full_path_does(world, monkeypatch, outcome, body):
    answers, rows, submissions = [], [], []
    for app in ("django", "lane"):
        fields = dict(body)
        code = fresh_code(world, verified=not fields.pop("unverified", False))
        fields.setdefault("authen_code", code)
        key = new_key(world)
        if app == "lane":
            monkeypatch.setattr(claims_view, "caller_unit", _not_here)
        answers.append(call(app, fields, world["key"], key))
        rows.append(rows_of(code))
        submissions.append(submission_of(world, key))
        # a retry with the same key and body: the first answer, byte for byte
        again = call(app, fields, world["key"], key)
        assert again[:2] == answers[-1][:2]
    lane, full = answers[1], answers[0]
    assert lane[0] == (201 if isinstance(outcome, str) else outcome), lane
    if isinstance(outcome, str):
        assert lane[1]["status"] == outcome and lane[1]["close_code"].startswith("EP")
    same(lane, full)
    assert rows[0] == rows[1]
    assert submissions[0][0] == submissions[1][0] and (submissions[0][1] is None) == (submissions[1][1] is None)
    if isinstance(outcome, str):
        assert rows[1]["audits"] == [("claim.submit", f"api:{world['api_key'].prefix}"),
                                     ("claim.adjudicate", "rules")] and rows[1]["jobs"] == 1


def test_duplicates_and_reused_keys_are_answered_alike(world, monkeypatch):
    answers = {}
    for app in ("django", "lane"):
        code = fresh_code(world)
        first = call(app, {"authen_code": code}, world["key"], new_key(world))
        assert first[0] == 201
        duplicate = call(app, {"authen_code": code}, world["key"], new_key(world))
        key = new_key(world)
        call(app, {"authen_code": fresh_code(world)}, world["key"], key)
        reused = call(app, {"authen_code": fresh_code(world)}, world["key"], key)
        answers[app] = (duplicate, reused)
        assert duplicate[0] == 409 and duplicate[1]["reference"] == f"{code}-1" in duplicate[1]["message"]
        assert reused[0] == 422 and reused[1]["code"] == "IDEMPOTENCY_KEY_REUSED"
        assert Claim.objects.filter(authen_code=code).count() == 1
    same(answers["lane"][0], answers["django"][0], new=("reference", "message", "message_en"))
    same(answers["lane"][1], answers["django"][1])


@pytest.mark.parametrize("case", ["no key", "bad key", "hcode", "quantity as text", "amount as int", "extra field",
                                  "not json", "nul", "unknown api key", "code as number", "lone surrogate",
                                  "lone surrogate deep"])
def test_everything_else_is_answered_by_the_full_path(world, case):
    idem: str | None = "k"
    api_key = world["key"]
    if case == "no key":
        idem = None
    elif case == "bad key":
        idem = "has space"
    elif case == "unknown api key":
        api_key = "rk_unknown"
    bodies = {
        "hcode": lambda: {"authen_code": fresh_code(world), "hcode": world["case"].unit.hcode},
        "quantity as text": lambda: {"authen_code": fresh_code(world), "items": [{"code": "DRUG-PARA500",
                                                                                  "quantity": "2"}]},
        "amount as int": lambda: {"authen_code": fresh_code(world), "amount": 180},
        "extra field": lambda: {"authen_code": fresh_code(world), "note": "x"},
        "not json": lambda: b'{"authen_code": ',
        "nul": lambda: b'{"authen_code": "PP\\u0000"}',
        "lone surrogate": lambda: b'{"authen_code": "PP\\ud800"}',
        "lone surrogate deep": lambda: (f'{{"authen_code": "{fresh_code(world)}", '
                                        '"details": {"x": "\\udfff"}}').encode(),
        "code as number": lambda: {"authen_code": 1234567890},
    }
    make = bodies.get(case, lambda: {"authen_code": fresh_code(world)})
    answers = []
    for app in ("lane", "django"):
        key = None if idem is None else f"{idem}-{app}" if idem == "k" else idem
        answers.append(call(app, make(), api_key, key))
    same(*answers)
    if case.startswith("lone surrogate"):  # found by an audit: the lane answered 500
        assert answers[0][0] == 422 and answers[0][1]["code"] == "INVALID_INPUT", answers[0]


def test_a_hundred_concurrent_retries_through_the_lane_make_one_claim_and_one_answer(world):
    code = fresh_code(world)

    def retry():
        status, _, _ = answer = call("lane", {"authen_code": code, "icd10": ["R50.9"]}, world["key"], "one-claim")
        return status, json.dumps(answer[1], sort_keys=True)

    results = race([retry] * 100)
    assert not [r for r in results if isinstance(r, Exception)], results[:3]
    assert len(set(results)) == 1, {r[:1] for r in results}
    status, content = results[0]
    assert status == 201 and json.loads(content)["reference"] == f"{code}-1"
    assert Claim.objects.filter(authen_code=code).count() == 1
    assert ClaimSubmission.objects.filter(unit=world["case"].unit, key="one-claim").count() == 1


def test_a_claim_written_around_the_visit_lock_is_answered_as_a_duplicate(world, monkeypatch):
    """A claim committed for the code by a path that did not lock the visit (its facts did not see it): the unique
    index refuses ours by name, and the answer is the duplicate's, 409 with the first claim's reference, not a 500."""
    code = fresh_code(world)
    assert call("lane", {"authen_code": code}, world["key"], new_key(world))[0] == 201
    Visit.objects.filter(authen_code=code).update(status=VisitStatus.OPEN, close_code=None, closed_at=None)
    real, unseen = sql_submit.submit_facts, [True]

    def facts_that_miss_the_claim(**kwargs):
        facts = real(**kwargs)
        if unseen.pop() if unseen else False:
            facts.first_claim = None
        return facts

    monkeypatch.setattr(sql_submit, "submit_facts", facts_that_miss_the_claim)
    key = new_key(world)
    status, body, _ = call("lane", {"authen_code": code, "icd10": ["J02.9"]}, world["key"], key)
    assert (status, body["code"], body["reference"]) == (409, "CLAIM_DUPLICATE", f"{code}-1"), body
    assert not unseen  # the first try did meet the index
    assert call("lane", {"authen_code": code, "icd10": ["J02.9"]}, world["key"], key)[:2] == (status, body)
    assert Claim.objects.filter(authen_code=code).count() == 1
    assert submission_of(world, key)[0] == 409
