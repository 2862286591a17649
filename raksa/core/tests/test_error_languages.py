"""Every refusal speaks one language per message: ``message`` (Thai) has Thai in it, ``message_en`` has none.

Three sweeps, so that a new error cannot slip past: (1) every DomainError built in the code from written text
(found by reading the source: the literal parts of its first two arguments); (2) every error factory in the
domain's errors modules, called with each status its argument can take; (3) the rights check's and the claims
rules' texts. A proper noun passed in at run time (a unit's Thai name) is not the message's own language and is
not part of these sweeps.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from raksa.booking import errors as booking_errors
from raksa.booking.models import BookingStatus, TicketStatus
from raksa.claims import errors as claims_errors
from raksa.claims.rules import RULES
from raksa.claims.rules.base import ENGINE_REASONS
from raksa.core.errors import DomainError
from raksa.eligibility.services import MESSAGES as ELIGIBILITY_MESSAGES
from raksa.people import errors as people_errors
from raksa.verification import errors as verification_errors

ROOT = Path(__file__).resolve().parents[3]
THAI = re.compile("[\u0e00-\u0e7f]")
ERROR_CLASSES = {"DomainError", "InvalidInput", "NotFound", "Conflict", "Forbidden", "Unauthenticated",
                 "NotEligible", "LinkLocked", "FaceEngineDown", "BadRequest"}


def literal_parts(node: ast.expr) -> str | None:
    """The written text of a string argument (an f-string's literal parts), or None if it is not written text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = literal_parts(node.left), literal_parts(node.right)
        return None if left is None or right is None else left + right
    return None


def written_errors() -> list[tuple[str, str, str]]:
    found = []
    for folder in ("raksa", "interfaces"):
        for path in (ROOT / folder).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not (isinstance(node, ast.Call) and len(node.args) >= 2):
                    continue
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name not in ERROR_CLASSES:
                    continue
                en, th = literal_parts(node.args[0]), literal_parts(node.args[1])
                if en is not None and th is not None:
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", en, th))
    return found


def test_every_error_written_in_the_code_is_english_then_thai():
    found = written_errors()
    assert len(found) > 100  # the sweep reads the code (there are a few hundred)
    mixed = [(where, en, th) for where, en, th in found
             if THAI.search(en) or not THAI.search(th)]
    assert not mixed, "\n".join(f"{where}: en={en!r} th={th!r}" for where, en, th in mixed)


def _arguments(parameter: str) -> list:
    """Values to call an error factory with, by its parameter's name (every status a status can be)."""
    table = {
        "status": [s for s in BookingStatus.values], "wanted": [s for s in TicketStatus.values],
        "label": ["A-001"], "why_en": ["The day is closed."], "why_th": ["วันนี้ปิดให้บริการ"],
        "field": ["hcode"], "en": ["Bad value."], "th": ["ค่าไม่ถูกต้อง"], "code": ["INVALID_INPUT"],
        "status_en": ["Rejected"], "status_th": ["ถูกปฏิเสธ"], "status_label_en": ["Closed"],
        "status_label_th": ["ปิดแล้ว"], "reference": ["PP0000000001-1"], "claim_id": [1], "unit_name": ["Unit 1"],
        "reasons": [[], [{"code": "X", "message": "ไม่มีสิทธิ", "message_en": "No right."}]],
    }
    return table[parameter]


def factory_errors() -> list[tuple[str, DomainError]]:
    made = []
    for module in (booking_errors, claims_errors, people_errors, verification_errors):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            parameters = [p for p in inspect.signature(function).parameters.values() if p.default is p.empty]
            calls = [{}]
            for parameter in parameters:
                if parameter.name == "status" and name == "ticket_state":
                    values = TicketStatus.values
                else:
                    values = _arguments(parameter.name)
                calls = [{**call, parameter.name: value} for call in calls for value in values]
            made += [(f"{module.__name__}.{name}({call})", function(**call)) for call in calls]
    return made


def test_every_error_factory_answers_in_thai_and_in_english_apart():
    made = factory_errors()
    assert len(made) > 40
    mixed = [(where, e.message_en, e.message_th) for where, e in made
             if THAI.search(e.message_en) or not THAI.search(e.message_th)]
    assert not mixed, "\n".join(f"{where}: en={en!r} th={th!r}" for where, en, th in mixed)


@pytest.mark.parametrize("reason", list(ELIGIBILITY_MESSAGES))
def test_the_rights_checks_reasons_are_english_then_thai(reason):
    en, th = ELIGIBILITY_MESSAGES[reason]
    assert not THAI.search(en) and THAI.search(th)


def test_the_claims_rules_say_what_and_what_to_do_in_each_language_apart():
    assert len(RULES) >= 20
    for spec in [*RULES, *ENGINE_REASONS.values()]:
        assert THAI.search(spec.title_th) and THAI.search(spec.todo_th), spec.code
        assert not THAI.search(spec.title_en) and not THAI.search(spec.todo_en), spec.code
