"""What a rule is, and the register of rules.

A rule is a plain function ``check(claim: ClaimFacts, batch: Batch) -> str | bool | None``: it returns a
falsy value when the claim passes, ``True`` or a short detail string (shown to the unit, e.g. "ฟัน 36 อุดไปแล้ว
เมื่อ 3 ก.พ.") when it fails. It reads only the facts the engine gathered for the whole batch (no queries of
its own), so thousands of claims are checked with a handful of queries.

``code`` is stable (units' software switches on it), ``version`` goes up whenever what the rule checks
changes, and both are stored with every decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from raksa.claims.models import ReasonClass

if TYPE_CHECKING:
    from raksa.claims.rules.facts import Batch, ClaimFacts


@dataclass(frozen=True)
class Rule:
    code: str
    klass: str  # ReasonClass value: "C" | "V" | "Deny"
    version: int
    title_th: str
    title_en: str
    todo_th: str
    todo_en: str
    check: Callable[[ClaimFacts, Batch], str | bool | None]

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "class": self.klass, "version": str(self.version), "title": self.title_th,
                "title_en": self.title_en, "todo": self.todo_th, "todo_en": self.todo_en}


@dataclass(frozen=True)
class Hit:
    """One failed rule on one claim, as stored in ``Claim.reasons``."""

    code: str
    klass: str
    version: int
    detail: str = ""

    def as_json(self) -> dict:
        return {"code": self.code, "class": self.klass, "version": self.version, "detail": self.detail}


RULES: list[Rule] = []
_BY_CODE: dict[str, Rule] = {}


def rule(code: str, klass: str, *, version: int = 1, th: str, en: str, todo_th: str, todo_en: str):
    """Register ``check`` as the rule ``code`` (decorator)."""
    if klass not in ReasonClass.values:
        raise ValueError(f"rule {code}: class must be one of {ReasonClass.values}")

    def register(check):
        if code in _BY_CODE:
            raise ValueError(f"rule {code} is registered twice")
        registered = Rule(code, klass, version, th, en, todo_th, todo_en, check)
        RULES.append(registered)
        _BY_CODE[code] = registered
        return check

    return register


def rule_by_code(code: str) -> Rule | None:
    return _BY_CODE.get(code)


# Reasons the engine itself gives (not rules of their own): a rule that crashed, an officer's decisions and the
# citizen's report. They have texts like any rule so that every stored reason can be explained.
ENGINE_REASONS: dict[str, Rule] = {}


def _engine_reason(code: str, klass: str, th: str, en: str, todo_th: str, todo_en: str) -> None:
    ENGINE_REASONS[code] = Rule(code, klass, 1, th, en, todo_th, todo_en, lambda claim, batch: None)


_engine_reason("RULE_ERROR", ReasonClass.VERIFY, "การตรวจอัตโนมัติขัดข้อง เคลมนี้จึงส่งให้เจ้าหน้าที่ตรวจ",
               "An automatic check failed, so this claim went to an officer.",
               "ไม่ต้องทำอะไร เจ้าหน้าที่จะตรวจและแจ้งผล", "Nothing to do: an officer will check it and decide.")
_engine_reason("OFFICER_REJECTED", ReasonClass.DENY, "เจ้าหน้าที่ตรวจแล้วไม่อนุมัติ", "An officer reviewed and rejected it.",
               "อ่านเหตุผลของเจ้าหน้าที่ แก้ไขแล้วส่งใหม่หากแก้ไขได้", "Read the officer's reason; correct and resend if you can.")


def explain(code: str) -> Rule | None:
    """The texts of a stored reason code (a rule or an engine reason)."""
    return _BY_CODE.get(code) or ENGINE_REASONS.get(code)
