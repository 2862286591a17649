"""A claim as the unit reads it: its status and each stored reason with its title and what to do, in the active
language (``raksa.claims.rules.base.explain`` holds the texts; a reason code it does not know is shown as is)."""

from __future__ import annotations

from dataclasses import dataclass

from interfaces.portal.labels import is_english
from raksa.claims.models import Claim, ClaimStatus, ReasonClass
from raksa.claims.rules.base import explain
from raksa.core.choices import choice_labels


@dataclass(frozen=True)
class Reason:
    code: str
    klass: str
    klass_label: str
    title: str
    todo: str
    detail: str


def _pick(labels) -> str:
    return labels.en if is_english() else labels.th


def claim_status_label(status: str) -> str:
    return _pick(choice_labels(ClaimStatus, status))


def reasons_of(claim: Claim) -> list[Reason]:
    english = is_english()
    found = []
    for hit in claim.reasons or []:
        code = str(hit.get("code", ""))
        rule = explain(code)
        klass = str(hit.get("class", rule.klass if rule else ""))
        found.append(Reason(
            code=code, klass=klass, klass_label=_pick(choice_labels(ReasonClass, klass)),
            title=(rule.title_en if english else rule.title_th) if rule else code,
            todo=(rule.todo_en if english else rule.todo_th) if rule else "",
            detail=str(hit.get("detail") or "")))
    return found


def can_correct(claim: Claim) -> bool:
    return claim.status == ClaimStatus.REJECTED and claim.current
