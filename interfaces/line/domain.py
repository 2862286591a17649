"""The LIFF pages' calls into linking (raksa.people) and the rights QR (raksa.verification), imported
lazily: the pages name the services by the contract (docs: issue 10, part D), and a build without them
answers a clear "not available yet" page instead of failing to start.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from raksa.core.errors import DomainError


class PartUnavailable(DomainError):
    """A service this page needs is not installed in this build."""

    status = 503
    code = "SERVICE_UNAVAILABLE"


def _service(name: str, modules: tuple[str, ...]) -> Any:
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        found = getattr(module, name, None)
        if found is not None:
            return found
    raise PartUnavailable(f"This part of Raksa is not available yet ({name}). Please try again later.",
                          "ส่วนนี้ของระบบยังไม่พร้อมใช้งาน กรุณาลองใหม่ภายหลัง หรือติดต่อหน่วยบริการ",
                          code="SERVICE_UNAVAILABLE")


PEOPLE = ("raksa.people.services", "raksa.people.selectors", "raksa.people")
VERIFICATION = ("raksa.verification.services", "raksa.verification.selectors", "raksa.verification")


def citizen_by_line_user(line_user_id: str):
    """The citizen linked to this LINE account, or None. The link is ``Citizen.line_user_id`` itself, so
    without the linking part's selector the same one-row lookup answers."""
    try:
        selector = _service("citizen_by_line_user", ("raksa.people.selectors", *PEOPLE))
    except PartUnavailable:
        from raksa.people.models import Citizen

        return Citizen.objects.filter(line_user_id=line_user_id).first()
    return selector(line_user_id)


def citizen_line_link(*, line_user_id: str, national_id: str, birth_date: dt.date, laser_code: str):
    return _service("citizen_line_link", PEOPLE)(line_user_id=line_user_id, national_id=national_id,
                                                 birth_date=birth_date, laser_code=laser_code)


def citizen_line_unlink(*, line_user_id: str) -> None:
    _service("citizen_line_unlink", PEOPLE)(line_user_id=line_user_id)


def rights_qr_issue(*, citizen):
    """An ``IssuedRightsQr``: ``token`` (opaque), ``expires_at``, ``booking`` (that day's, or None)."""
    return _service("rights_qr_issue", VERIFICATION)(citizen=citizen)


def rights_qr_resolve(*, token: str):
    return _service("rights_qr_resolve", VERIFICATION)(token=token)
