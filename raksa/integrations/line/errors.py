"""What the LINE client raises. Callers decide what a failure means for the user; these say what happened."""

from typing import Literal

IdTokenReason = Literal[
    "malformed", "algorithm", "unknown_key", "signature", "issuer", "audience", "expired", "not_yet_valid", "nonce"
]


class LineApiError(Exception):
    """A Messaging API call failed. ``retryable``: the same call may succeed later (network error, timeout,
    5xx, 429); a push is then retried with the same retry key, so LINE delivers it once. ``status`` is the
    HTTP status, None when no answer came."""

    def __init__(self, detail: str = "", *, status: int | None = None, retryable: bool = False) -> None:
        super().__init__(f"LINE API {status or 'no answer'}: {detail}")
        self.status = status
        self.retryable = retryable
        self.detail = detail


class IdTokenInvalid(Exception):
    """A LIFF / LINE Login ID token was refused; ``reason`` says why (one of IdTokenReason)."""

    def __init__(self, reason: IdTokenReason, detail: str = "") -> None:
        super().__init__(f"ID token refused ({reason}){': ' + detail if detail else ''}")
        self.reason = reason
        self.detail = detail


class WebhookSignatureInvalid(Exception):
    """X-Line-Signature missing or not the channel secret's HMAC of the body: the request is not LINE's."""


class WebhookMalformed(Exception):
    """A signed webhook body that is not LINE's shape (not JSON, no "events" list, an event without type)."""
