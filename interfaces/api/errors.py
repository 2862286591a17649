"""JSON errors: ``{"code": ..., "message": <Thai>, "message_en": ..., "field": ...}``.

``field`` names the API's own field (``hcode``, ``slot_id``), never the view's parameter
(``payload.hcode``). Validation errors add ``errors``: one ``{"field", "message", "message_en"}`` per
problem. A body that is not JSON (empty included) is 400 ``INVALID_JSON``. What Django or django-ninja answer
outside these handlers (404, 405, 413, 500) is given this shape by :mod:`interfaces.api.middleware`; a NUL
character is refused by :mod:`interfaces.nul_guard` (``nul_character``).
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from raksa.core.errors import DomainError, Forbidden, Unauthenticated  # noqa: F401  (Forbidden is re-exported)

KEY_HEADER = "Authorization: Bearer rk_…"
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 100


class BadRequest(DomainError):
    """400: a request this operation does not take at all (e.g. a claim without its Idempotency-Key)."""

    status = 400
    code = "BAD_REQUEST"


def _body(code: str, message_th: str, message_en: str, field: str | None = None, **extra) -> dict:
    return {"code": code, "message": message_th, "message_en": message_en, "field": field, **extra}


def auth_required() -> Unauthenticated:
    return Unauthenticated(
        f"Authentication required: send your unit's API key in the header {KEY_HEADER} "
        "(a unit administrator issues keys in the portal, under API keys), or log in.",
        f"ต้องยืนยันตัวตน: ส่งกุญแจ API ของหน่วยบริการในส่วนหัว {KEY_HEADER} "
        "(ผู้ดูแลหน่วยออกกุญแจได้ที่พอร์ทัล เมนู กุญแจ API) หรือเข้าสู่ระบบก่อน",
        code="AUTH_REQUIRED")


def invalid_api_key() -> Unauthenticated:
    return Unauthenticated(
        f"This API key is not valid: it is unknown, revoked or malformed. Send a live key as {KEY_HEADER}; "
        "a unit administrator can issue a new one in the portal.",
        f"กุญแจ API นี้ใช้ไม่ได้ (ไม่รู้จัก ถูกเพิกถอน หรือรูปแบบผิด) ส่งกุญแจที่ยังใช้งานได้ในรูปแบบ {KEY_HEADER} "
        "ผู้ดูแลหน่วยออกกุญแจใหม่ได้ที่พอร์ทัล",
        code="INVALID_API_KEY")


def idempotency_key_required() -> BadRequest:
    """400 for a claim sent without a usable Idempotency-Key (why 400: interfaces/api/claims.py)."""
    n = IDEMPOTENCY_KEY_MAX
    return BadRequest(f"Send an {IDEMPOTENCY_HEADER} header with each claim: a new key (a UUID, say; 1 to {n} "
                      "printable ASCII characters) per claim, the same key when you send the same claim again.",
                      f"กรุณาส่งส่วนหัว {IDEMPOTENCY_HEADER} กับทุกเคลม: คีย์ใหม่ต่อเคลม (เช่น UUID ความยาว 1 ถึง {n} "
                      "ตัวอักษร ASCII ที่พิมพ์ได้) และใช้คีย์เดิมเมื่อส่งเคลมเดิมซ้ำ",
                      code="IDEMPOTENCY_KEY_REQUIRED", field=IDEMPOTENCY_HEADER)


def invalid_json() -> dict:
    return _body("INVALID_JSON", "เนื้อหาคำขอไม่ใช่ JSON ที่อ่านได้ ส่งออบเจกต์ JSON พร้อม Content-Type: application/json",
                 "The request body is not valid JSON: send a JSON object with Content-Type: application/json.")


def internal_error() -> dict:
    """A 500: the same body from the fast lane and from Django (the cause is in the log, never in the answer)."""
    return _body("INTERNAL_ERROR", "ระบบขัดข้อง กรุณาลองใหม่อีกครั้ง",
                 "Something went wrong on our side. Please try again.")


def body_too_large(limit: int) -> dict:
    return _body("BODY_TOO_LARGE", f"เนื้อหาคำขอใหญ่เกินกำหนด (ไม่เกิน {limit:,} ไบต์)",
                 f"The request body is too large (at most {limit:,} bytes).")


def path_not_found() -> dict:
    return _body("NOT_FOUND", "ไม่มีบริการของ API ที่ที่อยู่นี้ ตรวจสอบที่อยู่กับเอกสาร /api/v1/docs",
                 "There is no API operation at this address: check the path against the documentation at /api/v1/docs.")


def method_not_allowed(allowed: str) -> dict:
    return _body("METHOD_NOT_ALLOWED", f"ที่อยู่นี้ไม่รับเมธอดนี้ เมธอดที่ใช้ได้: {allowed}",
                 f"This address does not accept this method. Allowed: {allowed}.")


def http_status_error(status: int) -> dict:
    """Any other refusal that did not come with a code of its own (e.g. a host not in ALLOWED_HOSTS: 400)."""
    return _body("HTTP_ERROR", f"คำขอไม่สำเร็จ (HTTP {status})", f"The request failed (HTTP {status}).")


def nul_character(field: str | None) -> dict:
    """422: a NUL character (code 0) in a path, query or body field; PostgreSQL cannot store one in text."""
    return _unstorable(field, "มีอักขระรหัส 0 (อักขระว่าง) ซึ่งรับไม่ได้",
                       "contains a NUL character (code 0), which is not accepted")


def surrogate_character(field: str | None) -> dict:
    """422: a lone UTF-16 surrogate (``\\ud800``–``\\udfff`` escaped in JSON), which is not a character of text."""
    return _unstorable(field, "มีรหัสอักขระครึ่งคู่ที่ไม่ใช่ตัวอักษร ซึ่งรับไม่ได้",
                       "contains a lone surrogate escape (\\ud800-\\udfff), which is not a character of text")


def _unstorable(field: str | None, problem_th: str, problem_en: str) -> dict:
    problem = {"field": field, "message": f"{field} {problem_th}" if field else f"คำขอ{problem_th}",
               "message_en": f"{field} {problem_en}" if field else f"The request {problem_en}"}
    return _body("INVALID_INPUT", f"ข้อมูลไม่ถูกต้อง: {problem['message']}",
                 f"Invalid input: {problem['message_en']}.", field, errors=[problem])


_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}

# pydantic's error types, worded in both languages (anything else: a generic Thai text and pydantic's English)
_PROBLEMS = {
    "missing": ("ต้องระบุ", "is required"),
    "string_type": ("ต้องเป็นข้อความ", "must be a string"),
    "int_type": ("ต้องเป็นจำนวนเต็ม", "must be a whole number"),
    "int_parsing": ("ต้องเป็นจำนวนเต็ม", "must be a whole number"),
    "int_from_float": ("ต้องเป็นจำนวนเต็ม", "must be a whole number"),
    "bool_type": ("ต้องเป็น true หรือ false", "must be true or false"),
    "bool_parsing": ("ต้องเป็น true หรือ false", "must be true or false"),
    "model_type": ("ต้องเป็นออบเจกต์ JSON", "must be a JSON object"),
    "model_attributes_type": ("ต้องเป็นออบเจกต์ JSON", "must be a JSON object"),
    "dict_type": ("ต้องเป็นออบเจกต์ JSON", "must be a JSON object"),
    "string_too_long": ("ยาวเกินกำหนด", "is too long"),
    "literal_error": ("ไม่ใช่ค่าที่รับได้", "is not one of the accepted values"),
    "enum": ("ไม่ใช่ค่าที่รับได้", "is not one of the accepted values"),
}


def api_field(loc) -> str | None:
    """The API's name for what an error's ``loc`` points at: ``("body", "payload", "hcode")`` → ``hcode``
    (the body's parameter name is the view's, not the API's); the whole body → None."""
    parts = list(loc)
    source = parts.pop(0) if parts and parts[0] in _SOURCES else None
    if source == "body" and parts:
        parts.pop(0)
    name = ""
    for part in parts:  # a list's index as the domain writes it: items[0].quantity
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else str(part)
    return name or None


def _problem(error: dict) -> dict:
    field = api_field(error.get("loc", ()))
    th, en = _PROBLEMS.get(error.get("type", ""), ("ค่าไม่ถูกต้อง", str(error.get("msg", "is not valid")).lower()))
    return {"field": field, "message": f"{field} {th}" if field else f"เนื้อหาคำขอ{th}",
            "message_en": f"{field} {en}" if field else f"The request body {en}"}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        if not request.body.strip() and any(e.get("loc", ())[:1] == ("body",) for e in exc.errors):
            return api.create_response(request, invalid_json(), status=400)  # django-ninja reads b"" as no body
        if any(tuple(e.get("loc", ()))[:2] == ("header", IDEMPOTENCY_HEADER) for e in exc.errors):
            return domain_error(request, idempotency_key_required())  # 400, not 422: see interfaces/api/claims.py
        errors = [_problem(e) for e in exc.errors]
        first = errors[0] if errors else {"field": None, "message": "คำขอไม่ถูกต้อง", "message_en": "invalid request"}
        return api.create_response(
            request,
            _body("INVALID_INPUT", f"ข้อมูลไม่ถูกต้อง: {first['message']}",
                  f"Invalid input: {first['message_en']}. See 'errors' for every problem.", first["field"],
                  errors=errors),
            status=422,
        )

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, exc):
        return domain_error(request, auth_required())

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        """django-ninja's own refusals, in the same shape as every other error."""
        if exc.status_code == 400:
            body = invalid_json()
        elif exc.status_code == 403 and "CSRF" in str(exc):
            body = _body("CSRF_FAILED", "หน้าเว็บหมดอายุ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
                         "The page's security token is missing or old: reload the page and try again.")
        else:
            body = _body("HTTP_ERROR", f"คำขอไม่สำเร็จ (HTTP {exc.status_code})", str(exc))
        return api.create_response(request, body, status=exc.status_code)
