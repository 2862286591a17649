"""The register of rules: each has a stable code, a class, Thai and English texts (each in one language) and
what to do; each has tests that make it fail and pass (its code is asserted in a test_rules_*.py module)."""

import re
from pathlib import Path

import pytest

from raksa.claims.models import ReasonClass
from raksa.claims.rules import RULES, explain
from raksa.claims.rules.base import ENGINE_REASONS

THAI = re.compile(r"[\u0E00-\u0E7F]")
ALL = [*RULES, *ENGINE_REASONS.values()]


@pytest.mark.parametrize("rule", ALL, ids=lambda r: r.code)
def test_every_reason_has_a_code_a_class_and_texts_in_one_language_each(rule):
    assert re.fullmatch(r"[A-Z][A-Z_]+", rule.code) and rule.klass in ReasonClass.values and rule.version >= 1
    assert THAI.search(rule.title_th) and THAI.search(rule.todo_th)
    assert rule.title_en and rule.todo_en and not THAI.search(rule.title_en + rule.todo_en)
    assert explain(rule.code) is rule


def test_the_issue_s_rules_are_all_registered():
    assert {"AUTHEN_MISSING", "AUTHEN_UNKNOWN", "AUTHEN_FOREIGN", "AUTHEN_EXPIRED", "VISIT_NOT_CLOSED_BY_UNIT",
            "DUPLICATE", "NOT_ELIGIBLE", "SERVICE_NOT_FOR_UNIT_TYPE", "SERVICE_NOT_CONTRACTED", "UNIT_NOT_VERIFIED",
            "UNIT_SUSPENDED", "AMOUNT_OVER_SCHEDULE", "FREQUENCY_DENTAL", "FREQUENCY_PHYSIO", "LATE",
            "NO_IDENTITY_VERIFICATION", "OUTSIDE_OPENING_HOURS", "SEVERAL_UNITS_SAME_DAY",
            "UNIT_VOLUME_SPIKE"} <= {r.code for r in RULES}
    assert len({r.code for r in RULES}) == len(RULES)


def test_every_rule_is_named_in_the_rule_tests():
    here = Path(__file__)
    text = "".join(p.read_text() for p in here.parent.glob("test_rules_*.py") if p.name != here.name)
    missing = [r.code for r in RULES if f'"{r.code}"' not in text]
    assert not missing, f"rules without tests: {missing}"
