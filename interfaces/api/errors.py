"""JSON errors: ``{"code": ..., "message": <Thai>, "message_en": ..., "field": ...}``."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from raksa.core.errors import DomainError, Forbidden  # noqa: F401  (Forbidden is re-exported)


def _body(code: str, message_th: str, message_en: str, field: str | None = None, **extra) -> dict:
    return {"code": code, "message": message_th, "message_en": message_en, "field": field, **extra}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        errors = [{"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None, "detail": e.get("msg")}
                  for e in exc.errors]
        first = errors[0]["field"] if errors else None
        return api.create_response(
            request,
            _body("INVALID_INPUT", f"ข้อมูลไม่ถูกต้อง: {first or 'คำขอ'}",
                  f"Invalid input: {first or 'request'}. See 'errors'.", first, errors=errors),
            status=422,
        )

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, exc):
        return api.create_response(
            request, _body("NOT_AUTHENTICATED", "กรุณาเข้าสู่ระบบก่อน", "Log in first."), status=401)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        """django-ninja's own refusals, in the same shape as every other error."""
        if exc.status_code == 400:
            body = _body("INVALID_JSON", "เนื้อหาคำขอไม่ใช่ JSON ที่อ่านได้", "The request body is not valid JSON.")
        elif exc.status_code == 403 and "CSRF" in str(exc):
            body = _body("CSRF_FAILED", "หน้าเว็บหมดอายุ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
                         "The page's security token is missing or old: reload the page and try again.")
        else:
            body = _body("HTTP_ERROR", str(exc), str(exc))
        return api.create_response(request, body, status=exc.status_code)
