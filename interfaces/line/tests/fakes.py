"""Stand-ins for the parts other branches build (issue 10 contracts), used where the real one is absent.

* A (``raksa.integrations.line``): when its modules are missing, fake modules with the contract's names
  (``errors.IdTokenInvalid(reason)``, ``errors.LineApiError``, ``id_token.verify_id_token``) go into
  ``sys.modules``. Tests always replace ``verify_id_token`` with :func:`fake_verify_id_token`: a token is
  ``good:<sub>`` or names the refusal (``expired``, ``audience``, ``issuer``, ``signature``).
* D (``raksa.people`` linking, ``raksa.verification`` rights QR): :class:`FakeLinking` and
  :class:`FakeRightsQr` keep the contract's signatures and error codes; they replace the functions of
  ``interfaces.line.domain``.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sys
import types
from dataclasses import dataclass

from django.utils import timezone

from raksa.core.errors import Conflict, DomainError, Forbidden, NotFound

GOOD_LASER = "ME0123456789"


@dataclass
class Claims:
    sub: str
    name: str = "สมศรี"
    picture: str | None = None
    aud: str = "1650000001"
    iss: str = "https://access.line.me"
    exp: int = 0
    iat: int = 0


def line_client_modules():
    """(errors module, id_token module): the real ones, or fakes put into sys.modules (restored by the caller)."""
    try:
        from raksa.integrations.line import errors, id_token
        return errors, id_token, {}
    except ImportError:
        pass
    errors = types.ModuleType("raksa.integrations.line.errors")

    class IdTokenInvalid(Exception):
        def __init__(self, reason, detail=""):
            super().__init__(reason)
            self.reason, self.detail = reason, detail

    class LineApiError(Exception):
        def __init__(self, detail="", *, status=None, retryable=False):
            super().__init__(detail)
            self.status, self.retryable, self.detail = status, retryable, detail

    errors.IdTokenInvalid, errors.LineApiError = IdTokenInvalid, LineApiError
    id_token = types.ModuleType("raksa.integrations.line.id_token")
    id_token.verify_id_token = lambda token, *, nonce=None, now=None: None
    return errors, id_token, {"raksa.integrations.line.errors": errors, "raksa.integrations.line.id_token": id_token}


def fake_verify_id_token(errors):
    def verify(token, *, nonce=None, now=None):
        if token.startswith("good:"):
            return Claims(sub=token[5:])
        if token == "unreachable":
            raise errors.LineApiError("no answer", retryable=True)
        raise errors.IdTokenInvalid(token if token in ("expired", "audience", "issuer", "signature") else "malformed")

    return verify


class LinkLocked(DomainError):
    status = 429
    code = "LINK_LOCKED"


class FakeLinking:
    """citizen_line_link / unlink / citizen_by_line_user as the contract states them (counting and
    locking in memory: the real one counts in the database)."""

    def __init__(self, max_failures: int = 3) -> None:
        self.lasers: dict[int, str] = {}
        self.failures: dict[str, int] = {}
        self.max_failures = max_failures
        self.calls: list[dict] = []

    def citizen_by_line_user(self, line_user_id):
        from raksa.people.models import Citizen

        return Citizen.objects.filter(line_user_id=line_user_id).first()

    def citizen_line_link(self, *, line_user_id, national_id, birth_date, laser_code, now=None):
        from raksa.people.models import Citizen
        from raksa.people.selectors import citizen_find_by_national_id

        self.calls.append({"line_user_id": line_user_id, "national_id": national_id, "birth_date": birth_date,
                           "laser_code": laser_code})
        if self.failures.get(line_user_id, 0) >= self.max_failures:
            raise LinkLocked("Too many wrong attempts: linking is locked until 14:30 (Thai time).",
                             "ลองผิดหลายครั้งเกินไป ระงับการเชื่อมบัญชีไว้จนถึง 14:30 น. (เวลาประเทศไทย)")
        if Citizen.objects.filter(line_user_id=line_user_id).exists():
            raise Conflict("This LINE account is already linked.", "บัญชี LINE นี้เชื่อมกับบุคคลหนึ่งอยู่แล้ว",
                           code="LINE_ALREADY_LINKED")
        citizen = citizen_find_by_national_id(national_id)
        if (citizen is None or citizen.birth_date != birth_date
                or self.lasers.get(citizen.pk, GOOD_LASER) != laser_code):
            self.failures[line_user_id] = self.failures.get(line_user_id, 0) + 1
            raise Forbidden("These details do not match the registry.", "ข้อมูลไม่ตรงกับทะเบียน กรุณาตรวจสอบแล้วลองอีกครั้ง",
                            code="LINK_REFUSED")
        if citizen.line_user_id:
            raise Conflict("This national ID is already linked to another LINE account.",
                           "เลขประจำตัวประชาชนนี้เชื่อมกับบัญชี LINE อื่นอยู่แล้ว", code="CITIZEN_ALREADY_LINKED",
                           field="national_id")
        Citizen.objects.filter(pk=citizen.pk).update(line_user_id=line_user_id)
        citizen.line_user_id = line_user_id
        return citizen

    def citizen_line_unlink(self, *, line_user_id):
        from raksa.people.models import Citizen

        if not Citizen.objects.filter(line_user_id=line_user_id).update(line_user_id=None):
            raise NotFound("This LINE account is not linked.", "บัญชี LINE นี้ยังไม่ได้เชื่อมกับบุคคลใด",
                           code="LINE_NOT_LINKED")


@dataclass
class IssuedRightsQr:
    token: str
    expires_at: dt.datetime
    booking: object | None


class FakeRightsQr:
    def __init__(self, seconds: int = 120) -> None:
        self.seconds = seconds
        self.tokens: dict[str, tuple[int, dt.datetime, bool]] = {}

    def rights_qr_issue(self, *, citizen, now=None):
        from raksa.booking.models import ACTIVE_STATUSES, Booking
        from raksa.core.timeutil import service_day

        now = now or timezone.now()
        self.tokens = {t: v for t, v in self.tokens.items() if v[0] != citizen.pk}  # older ones voided
        token = secrets.token_urlsafe(24)
        self.tokens[token] = (citizen.pk, now + dt.timedelta(seconds=self.seconds), False)
        booking = (Booking.objects.filter(citizen=citizen, day=service_day(now), status__in=ACTIVE_STATUSES)
                   .select_related("unit", "slot").first())
        return IssuedRightsQr(token=token, expires_at=now + dt.timedelta(seconds=self.seconds), booking=booking)

    def rights_qr_resolve(self, *, token, now=None):
        from raksa.people.models import Citizen

        now = now or timezone.now()
        if token not in self.tokens:
            raise NotFound("Unknown code.", "ไม่รู้จักรหัสนี้", code="QR_UNKNOWN")
        citizen_id, expires_at, used = self.tokens[token]
        if used:
            raise Conflict("Used.", "ใช้แล้ว", code="QR_USED")
        if expires_at <= now:
            raise Conflict("Expired.", "หมดอายุ", code="QR_EXPIRED")
        self.tokens[token] = (citizen_id, expires_at, True)
        return Citizen.objects.get(pk=citizen_id), None


def real_part_present(name: str, modules: tuple[str, ...]) -> bool:
    from interfaces.line import domain

    try:
        domain._service(name, modules)
    except domain.PartUnavailable:
        return False
    return True


def install_line_client(monkeypatch):
    """The LINE client's modules (real or fake) with verify_id_token faked; returns the errors module."""
    errors, id_token, fakes = line_client_modules()
    for name, module in fakes.items():
        monkeypatch.setitem(sys.modules, name, module)
    if fakes:
        import raksa.integrations.line as package

        monkeypatch.setattr(package, "errors", errors, raising=False)
        monkeypatch.setattr(package, "id_token", id_token, raising=False)
    monkeypatch.setattr(id_token, "verify_id_token", fake_verify_id_token(errors))
    return errors
