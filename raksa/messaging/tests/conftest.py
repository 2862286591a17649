"""LINE in the messaging tests.

``line``: push/reply recorded in place of the LINE client (``raksa.messaging.line_api``, the app's one
seam), with failures on demand, raising the client's own LineApiError. ``webhook``: posts a body to
/line/webhook with X-Line-Signature = base64(HMAC-SHA256(secret, body)); the client's real parse_webhook
checks it. End to end over HTTP with the stand-in: test_line_end_to_end.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field

import pytest
from django.conf import settings

from raksa.integrations.line import errors as errors_module
from raksa.messaging import line_api


@pytest.fixture
def line_errors():
    return errors_module


def api_error(errors, *, retryable: bool, status: int | None = 500, detail: str = "upstream error") -> Exception:
    return errors.LineApiError(detail, status=status, retryable=retryable)


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


def sign(body: str, secret: str | None = None) -> str:
    secret = secret or settings.LINE_CHANNEL_SECRET
    return base64.b64encode(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()).decode()


@pytest.fixture
def webhook(client):
    """``webhook(body, signature=...)`` posts to /line/webhook; the signature defaults to a valid one."""

    def post(body: str, *, signature: str | None = "valid"):
        headers = {}
        if signature == "valid":
            headers["HTTP_X_LINE_SIGNATURE"] = sign(body)
        elif signature is not None:
            headers["HTTP_X_LINE_SIGNATURE"] = signature
        return client.post("/line/webhook", data=body, content_type="application/json", **headers)
    return post
