"""Fakes for LINE in the messaging tests.

``line``: push/reply recorded in place of the LINE client (``raksa.messaging.line_api``, the app's one
seam), with failures on demand. ``line_errors``: the client's errors module (raksa.integrations.line.errors);
until that module is on this branch, a stand-in with the contract's classes and attributes.
``signed_post``: posts a body to /line/webhook with X-Line-Signature = base64(HMAC-SHA256(secret, body)).
When the client's ``parse_webhook`` is missing, a fake checks that signature (with the SDK's own
SignatureValidator) and parses the JSON, as the contract says the real one does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import types
from dataclasses import dataclass, field

import pytest
from django.conf import settings

from raksa.messaging import line_api


def _real_line_module(name: str):
    try:
        return __import__(f"raksa.integrations.line.{name}", fromlist=[name])
    except ImportError:
        return None


def _stand_in_errors():
    module = types.ModuleType("line_errors_stand_in")

    class LineApiError(Exception):
        def __init__(self, detail: str = "", *, status: int | None = None, retryable: bool = False) -> None:
            super().__init__(detail)
            self.detail, self.status, self.retryable = detail, status, retryable

    class WebhookSignatureInvalid(Exception):
        pass

    class WebhookMalformed(Exception):
        pass

    module.LineApiError = LineApiError
    module.WebhookSignatureInvalid = WebhookSignatureInvalid
    module.WebhookMalformed = WebhookMalformed
    return module


@pytest.fixture
def line_errors(monkeypatch):
    real = _real_line_module("errors")
    if real is not None:
        return real
    module = _stand_in_errors()
    monkeypatch.setattr(line_api, "errors", lambda: module)
    return module


def api_error(errors, *, retryable: bool, status: int | None = 500, detail: str = "upstream error") -> Exception:
    """A LineApiError whatever its constructor looks like (the contract fixes only its attributes)."""
    exc = errors.LineApiError.__new__(errors.LineApiError)
    Exception.__init__(exc, detail)
    exc.status, exc.retryable, exc.detail = status, retryable, detail
    return exc


@dataclass
class FakeLine:
    errors: object
    pushes: list[dict] = field(default_factory=list)    # every call, failed ones included
    delivered: dict[str, dict] = field(default_factory=dict)  # retry key -> push, as LINE dedupes them
    replies: list[dict] = field(default_factory=list)
    fail_next: int = 0
    fail_always: bool = False
    retryable: bool = True
    reply_fails: bool = False

    def push_message(self, *, to: str, messages: list[dict], retry_key: str) -> None:
        call = {"to": to, "messages": messages, "retry_key": retry_key}
        self.pushes.append(call)
        if self.fail_always or self.fail_next > 0:
            self.fail_next -= 1
            raise api_error(self.errors, retryable=self.retryable, status=503 if self.retryable else 400)
        self.delivered.setdefault(retry_key, call)

    def reply_message(self, *, reply_token: str, messages: list[dict]) -> None:
        if self.reply_fails:
            raise api_error(self.errors, retryable=False, status=400, detail="Invalid reply token")
        self.replies.append({"reply_token": reply_token, "messages": messages})

    def received(self, user_id: str) -> list[dict]:
        """What the user saw: delivered pushes and replies (replies carry no user: the token's)."""
        return [m for call in self.delivered.values() if call["to"] == user_id for m in call["messages"]]


@pytest.fixture
def line(monkeypatch, line_errors) -> FakeLine:
    fake = FakeLine(errors=line_errors)
    monkeypatch.setattr(line_api, "push_message", fake.push_message)
    monkeypatch.setattr(line_api, "reply_message", fake.reply_message)
    return fake


def _fake_parse_webhook(errors):
    def parse_webhook(*, body: str, signature: str | None) -> list[dict]:
        from linebot.v3 import SignatureValidator

        if not signature or not SignatureValidator(settings.LINE_CHANNEL_SECRET).validate(body, signature):
            raise errors.WebhookSignatureInvalid("bad signature")
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise errors.WebhookMalformed(str(exc)) from None
        if not isinstance(data, dict) or not isinstance(data.get("events"), list):
            raise errors.WebhookMalformed("no events")
        return data["events"]
    return parse_webhook


def sign(body: str, secret: str | None = None) -> str:
    secret = secret or settings.LINE_CHANNEL_SECRET
    return base64.b64encode(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()).decode()


@pytest.fixture
def webhook(monkeypatch, line_errors, client):
    """``webhook(body, signature=...)`` posts to /line/webhook; the signature defaults to a valid one."""
    if _real_line_module("webhook") is None:
        monkeypatch.setattr(line_api, "parse_webhook", _fake_parse_webhook(line_errors))

    def post(body: str, *, signature: str | None = "valid"):
        headers = {}
        if signature == "valid":
            headers["HTTP_X_LINE_SIGNATURE"] = sign(body)
        elif signature is not None:
            headers["HTTP_X_LINE_SIGNATURE"] = signature
        return client.post("/line/webhook", data=body, content_type="application/json", **headers)
    return post
