"""Domain errors: a stable machine-readable code plus a message in Thai and in English.

Entry points turn these into HTTP 4xx bodies or form errors; domain code raises them and never
knows which entry point called it.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. ``code`` is stable (clients switch on it); messages are for people."""

    status = 422
    code = "INVALID"

    def __init__(self, message_en: str, message_th: str, *, code: str | None = None,
                 field: str | None = None) -> None:
        super().__init__(message_en)
        if code:
            self.code = code
        self.message_en = message_en
        self.message_th = message_th
        self.field = field

    def message(self, language: str | None) -> str:
        return self.message_en if (language or "th").startswith("en") else self.message_th

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message_th, "message_en": self.message_en,
                "field": self.field}


class InvalidInput(DomainError):
    status = 422
    code = "INVALID_INPUT"


class NotFound(DomainError):
    status = 404
    code = "NOT_FOUND"


class Conflict(DomainError):
    status = 409
    code = "CONFLICT"


class Forbidden(DomainError):
    status = 403
    code = "FORBIDDEN"


class Unauthenticated(DomainError):
    """The caller did not say who they are, or said it with a credential that is not valid."""

    status = 401
    code = "AUTH_REQUIRED"
