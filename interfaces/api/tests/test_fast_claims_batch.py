"""The claims' group commit (raksa/claims/batch.py) answers and writes exactly as the one-at-a-time path does.

Each scenario runs twice, each time on fresh visits: once one request at a time through the endpoint's own
``claim_answer`` (the key's row, ``claim_submit_answered``), once as one batch through ``claims_submit_many`` with
the lane's renderer, the requests it hands back then answered one at a time as the lane does. The answers must be
the same bytes (once each visit's authen code is replaced by its label and the close code and time dropped) and
so must the rows (claims, their audit rows with request ids, LINE jobs, visits, the keys' rows and stored answers).
"""

import datetime as dt
import json
import logging

import pytest
from django.db import connection
from django.utils import timezone

from interfaces.api import fast_claims
from interfaces.api.claims import body_identity, claim_answer
from interfaces.api.tests.test_fast_claims import call, fresh_code, rows_of
from raksa.audit.models import AuditEntry
from raksa.claims import batch as claims_batch
from raksa.claims import sql_batch
from raksa.claims.batch import ClaimRequest, claims_submit_many
from raksa.claims.models import Claim, ClaimSubmission
from raksa.core.errors import DomainError
from raksa.core.request_context import reset_request_id, set_request_id
from raksa.testing.claims import make_claim_case, make_item, make_visit
from raksa.testing.factories import CitizenFactory, CoverageFactory
from raksa.testing.races import race
from raksa.units.services import unit_api_key_issue
from raksa.verification.models import Visit
from raksa.verification.visits import new_close_code

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the batch is PostgreSQL's")]

# A step: (visit label, key label, body fields). Labels starting "dup" are claimed before the batch; "unverified"
# has no verification attempt; "twin1"/"twin2" are two visits of one citizen; "nowhere" has no visit at all.
ACCEPTED = ("a", "k-a", {"icd10": ["J02.9"]})
REJECTED = ("b", "k-b", {"amount": "9999.00"})
MANY = [
    ACCEPTED,
    REJECTED,
    ("unverified", "k-c", {}),  # in review
    ("d", "k-d", {"items": [{"code": "DRUG-PARA500", "quantity": 4}], "details": {}, "service_date": None}),
    ("dup", "k-dup", {}),  # a duplicate of a claim sent before
    ("a", "k-a", {"icd10": ["J02.9"]}),  # the same key and body again in the batch: the first answer
    ("e", "k-b", {}),  # the same key with another body: 422
    ("a", "k-a2", {}),  # a second key for a visit claimed earlier in the batch: 409
    ("f", "k-f", {"items": [{"code": "NO-SUCH-ITEM", "quantity": 1}]}),  # 422
    ("pre", "k-pre", {}),  # a key answered before the batch, sent again
    ("twin1", "k-t1", {}),
    ("twin2", "k-t2", {}),  # the same citizen's second claim in the batch (yesterday's visit: late, in review)
    ("nowhere", "k-n", {}),  # AUTHEN_UNKNOWN
    ("g", "k-g", {"amount": 9999.5}),
]
BEFORE = [("dup", "k-before", {}), ("pre", "k-pre", {})]  # sent one at a time before the scenario, both runs


@pytest.fixture
def world(bangkok_morning):  # as test_fast_claims.py's
    case = make_claim_case(now=timezone.now())
    make_item()
    key, api_key = unit_api_key_issue(actor=None, unit=case.unit, label="ระบบร้านยา")
    return {"case": case, "key": key, "api_key": api_key, "n": 0}


def visits_for(world, steps) -> dict[str, str]:
    codes: dict[str, str] = {"nowhere": "PP0000000001"}
    twin = CitizenFactory()
    CoverageFactory(citizen=twin)
    case = world["case"]
    if any(label == "twin1" for label, _key, _body in steps):  # yesterday's visit (lapsed by today's), today's
        codes["twin2"] = make_visit(unit=case.unit, citizen=twin, service=case.service,
                                    now=timezone.now() - dt.timedelta(days=1)).authen_code
        codes["twin1"] = make_visit(unit=case.unit, citizen=twin, service=case.service, now=timezone.now()).authen_code
    for label, _key, _body in steps:
        if label not in codes:
            codes[label] = fresh_code(world, verified=label != "unverified")
    return codes


def request_of(world, run, n, codes, step) -> tuple[dict, str, bytes, str]:
    label, key, fields = step
    raw = json.dumps({"authen_code": codes[label], **fields}).encode()
    return fast_claims._payload(raw), f"{run}-{key}", raw, f"req-{n}"


def one_at_a_time(world, payload, key, raw, request_id) -> tuple[int, bytes]:
    token = set_request_id(request_id)
    try:
        return claim_answer(unit=world["case"].unit, key=key, payload=payload, raw_body=raw, actor=None,
                            actor_label=f"api:{world['api_key'].prefix}")
    except DomainError as exc:  # as the lane answers it
        return exc.status, fast_claims._encode(exc.as_dict())
    finally:
        reset_request_id(token)


def as_batch(world, requests, *, count: bool = False) -> tuple[list[tuple[int, bytes]], int]:
    """The lane's run (``fast_claims._submit_together``): the batch, then the requests it handed back one at a time.
    Also (``count``: not from several threads at once): how many the batch answered itself."""
    batch = [(ClaimRequest(unit=world["case"].unit, key=key, identity=body_identity(raw, "/claims"), fields=payload,
                           actor_label=f"api:{world['api_key'].prefix}", request_id=request_id), raw)
             for payload, key, raw, request_id in requests]
    decided = []

    def counted(**kwargs):
        decided.extend(claims_submit_many(**kwargs))
        return decided

    if not count:
        return fast_claims._submit_together(batch), -1
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fast_claims, "claims_submit_many", counted)
        answers = fast_claims._submit_together(batch)
    return answers, sum(d is not None for d in decided)


def normal(answer: tuple[int, bytes], codes: dict[str, str]) -> tuple[int, str]:
    body = json.loads(answer[1])
    body.pop("close_code", None), body.pop("submitted_at", None)
    text = json.dumps(body, sort_keys=True, ensure_ascii=False)
    for label, code in codes.items():
        text = text.replace(code, f"<{label}>")
    return answer[0], text


def rows(world, run, codes, steps) -> dict:
    out = {}
    for label, code in codes.items():
        claim_rows = rows_of(code)
        ids = [str(pk) for pk in Claim.objects.filter(authen_code=code).values_list("pk", flat=True)]
        claim_rows["audit_requests"] = list(AuditEntry.objects.filter(object_type="claims.claim", object_id__in=ids)
                                            .order_by("pk").values_list("action", "request_id", "actor_id"))
        claim_rows["visit"] = list(Visit.objects.filter(authen_code=code).values_list("status", "close_code"))
        claim_rows["visit"] = [(s, (c or "")[:2]) for s, c in claim_rows["visit"]]
        out[label] = claim_rows
    for _label, key, _body in steps:
        row = ClaimSubmission.objects.filter(unit=world["case"].unit, key=f"{run}-{key}").values(
            "status_code", "response", "claim__authen_code").first()
        if row is not None:
            row["response"] = normal((row["status_code"], json.dumps(row["response"]).encode()), codes)
            row["claim__authen_code"] = next((k for k, c in codes.items() if c == row["claim__authen_code"]), None)
        out[f"key {key}"] = row
    return out


@pytest.mark.parametrize(("steps", "batched"), [([ACCEPTED], 0), ([ACCEPTED, REJECTED], 2), (MANY, 6)],
                         ids=["1", "2", "many"])
def test_a_batch_answers_and_writes_as_one_at_a_time(world, steps, batched):
    results = {}
    fallbacks = sum(claims_batch.FALLBACKS.values())
    for run in ("single", "batch"):
        codes = visits_for(world, BEFORE + steps)
        for n, step in enumerate(BEFORE):
            if any(s[0] == step[0] for s in steps):
                one_at_a_time(world, *request_of(world, run, 100 + n, codes, step))
        requests = [request_of(world, run, n, codes, step) for n, step in enumerate(steps)]
        if run == "single":
            answers = [one_at_a_time(world, *r) for r in requests]
        else:
            answers, answered = as_batch(world, requests, count=True)
            assert answered == batched  # the batch decided these itself (the rest went one at a time)
        results[run] = ([normal(a, codes) for a in answers], rows(world, run, codes, steps), answers)
    single, batch = results["single"], results["batch"]
    assert batch[0] == single[0]
    assert batch[1] == single[1]
    assert sum(claims_batch.FALLBACKS.values()) == fallbacks
    if len(steps) > 2:  # the outcomes the scenario means to cover
        statuses = [(s, json.loads(b).get("status") or json.loads(b)["code"]) for s, b in batch[2]]
        assert statuses == [
            (201, "accepted"), (201, "rejected"), (201, "in_review"), (201, "accepted"), (409, "CLAIM_DUPLICATE"),
            (201, "accepted"), (422, "IDEMPOTENCY_KEY_REUSED"), (409, "CLAIM_DUPLICATE"), (422, "INVALID_INPUT"),
            (201, "accepted"), (201, "accepted"), (201, "in_review"), (422, "AUTHEN_UNKNOWN"), (201, "rejected")]
        assert batch[2][5] == batch[2][0]  # the same key and body in one batch: the first answer, byte for byte


def test_a_failing_batch_goes_one_by_one_logged_and_counted(world, monkeypatch, caplog):
    failing = sql_batch.WRITE_SQL.replace("SELECT id FROM k", "SELECT id FROM k WHERE 1 / (SELECT 0) = 1")
    monkeypatch.setattr(sql_batch, "WRITE_SQL", failing)  # the write fails after writing: nothing may stay
    codes = {str(i): fresh_code(world) for i in range(3)}
    before = sum(claims_batch.FALLBACKS.values())
    with caplog.at_level(logging.WARNING, logger="raksa.claims.batch"):
        answers, answered = as_batch(world, [request_of(world, "f", n, codes, (str(n), f"k{n}", {}))
                                             for n in range(3)], count=True)
    assert answered == 0 and [a[0] for a in answers] == [201, 201, 201]
    assert sum(claims_batch.FALLBACKS.values()) == before + 3
    assert any(r.getMessage() == "claims.batch.fallback" and r.reason == "batch_failed:DivisionByZero"
               for r in caplog.records)
    assert all(Claim.objects.filter(authen_code=c).count() == 1 for c in codes.values())
    assert all(ClaimSubmission.objects.get(unit=world["case"].unit, key=f"f-k{n}").status_code == 201
               for n in range(3))


def test_a_close_code_already_taken_sends_that_claim_alone(world, monkeypatch):
    """As the single path draws again when its close code is taken, the batch writes the others and hands it back."""
    taken = Visit.objects.filter(pk=world["case"].visit.pk)
    call("lane", {"authen_code": world["case"].visit.authen_code}, world["key"], "first")
    drawn = iter([taken.values_list("close_code", flat=True).get()])  # the batch's first draw: a close code taken
    monkeypatch.setattr(claims_batch, "new_close_code", lambda: next(drawn, None) or new_close_code())
    codes = {str(i): fresh_code(world) for i in range(3)}
    before = sum(claims_batch.FALLBACKS.values())
    answers, answered = as_batch(world, [request_of(world, "c", n, codes, (str(n), f"k{n}", {})) for n in range(3)],
                                 count=True)
    assert answered == 2 and [a[0] for a in answers] == [201, 201, 201]
    assert sum(claims_batch.FALLBACKS.values()) == before
    assert all(Claim.objects.filter(authen_code=c).count() == 1 for c in codes.values())
    assert Visit.objects.filter(authen_code__in=codes.values(), status="claimed").count() == 3
    assert [ClaimSubmission.objects.get(unit=world["case"].unit, key=f"c-k{n}").status_code for n in range(3)] == [
        201, 201, 201]


def test_a_hundred_concurrent_retries_in_batches_make_one_claim_and_one_answer(world):
    code = fresh_code(world)
    others = [fresh_code(world) for _ in range(100)]
    retry = request_of(world, "r", 0, {"v": code}, ("v", "one", {"icd10": ["R50.9"]}))

    def send(i):
        other = request_of(world, "r", i + 1, {"o": others[i]}, ("o", f"other-{i}", {}))
        answers, _ = as_batch(world, [retry, other])
        connection.close()
        return answers

    results = race([lambda i=i: send(i) for i in range(100)])
    assert not [r for r in results if isinstance(r, Exception)], [r for r in results if isinstance(r, Exception)][:3]
    assert len({r[0] for r in results}) == 1 and results[0][0][0] == 201
    assert json.loads(results[0][0][1])["reference"] == f"{code}-1"
    assert all(r[1][0] == 201 for r in results)
    assert Claim.objects.filter(authen_code=code).count() == 1
    assert ClaimSubmission.objects.filter(unit=world["case"].unit, key="r-one").count() == 1
    assert Claim.objects.filter(authen_code__in=others).count() == 100


def test_batches_racing_single_submissions_on_one_visit_make_one_claim(world):
    code = fresh_code(world)
    others = [fresh_code(world) for _ in range(10)]

    def batch(i):
        answers, _ = as_batch(world, [request_of(world, "b", 2 * i, {"v": code}, ("v", f"v-{i}", {})),
                                      request_of(world, "b", 2 * i + 1, {"o": others[i]}, ("o", f"o-{i}", {}))])
        return answers

    def single(i):
        return [one_at_a_time(world, *request_of(world, "s", i, {"v": code}, ("v", f"s-{i}", {})))]

    results = race([lambda i=i: batch(i) for i in range(10)] + [lambda i=i: single(i) for i in range(10)])
    assert not [r for r in results if isinstance(r, Exception)], results
    on_visit = [r[0] for r in results]
    assert sorted(s for s, _ in on_visit) == [201] + [409] * 19
    assert {json.loads(b)["reference"] for _, b in on_visit} == {f"{code}-1"}
    assert all(r[1][0] == 201 for r in results[:10])
    assert Claim.objects.filter(authen_code=code).count() == 1
    assert Claim.objects.filter(authen_code__in=others).count() == 10
