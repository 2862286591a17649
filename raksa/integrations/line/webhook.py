"""LINE webhook bodies: the signature checked and the events parsed with line-bot-sdk v3.

Each event comes back as LINE sent it (the camelCase JSON object, every field kept, so it can be stored
as is), after the SDK's models parsed it. Event types the SDK does not know, and known types whose shape
the SDK refuses (LINE adds message types and fields over time), come back as well, raw, and are logged —
the caller ignores what it does not handle, as the SDK's own WebhookParser does (its UnknownEvent). Every
event must still be an object with a string "type" and "webhookEventId": the caller dispatches on the one
and deduplicates on the other.
"""

import json
import logging
import math

from django.conf import settings
from linebot.v3 import SignatureValidator
from linebot.v3.webhooks import Event

from .errors import WebhookMalformed, WebhookSignatureInvalid

log = logging.getLogger(__name__)


def _signed(body: str, signature: str) -> bool:
    try:
        return SignatureValidator(settings.LINE_CHANNEL_SECRET).validate(body, signature)
    except UnicodeEncodeError:  # a lone surrogate: not text LINE sent
        return False


def _not_json(name: str) -> float:
    raise ValueError(f"{name} is not JSON")  # Python's json reads NaN and Infinity; jsonb (and LINE) do not


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e400: valid JSON, but no float (nor jsonb) holds it
        raise ValueError(f"number {text[:40]} out of range")
    return number


def parse_webhook(*, body: str, signature: str | None) -> list[dict]:
    """The events of a webhook request whose X-Line-Signature (``signature``) is the channel secret's
    HMAC-SHA256 of ``body`` (the raw request body, decoded as UTF-8). Raises WebhookSignatureInvalid
    (missing or wrong signature: checked first, before anything is read) or WebhookMalformed."""
    if not signature or not _signed(body, signature):
        raise WebhookSignatureInvalid("X-Line-Signature missing or wrong")
    try:
        payload = json.loads(body, parse_constant=_not_json, parse_float=_finite)
    except ValueError as error:
        raise WebhookMalformed(f"not JSON: {error}") from error
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        raise WebhookMalformed('no "events" list')
    for event in events:
        if not (isinstance(event, dict) and isinstance(event.get("type"), str)
                and isinstance(event.get("webhookEventId"), str)):
            raise WebhookMalformed('an event without a string "type" and "webhookEventId"')
        if Event.get_discriminator_value(event) is None:
            log.info("LINE webhook event of a type the SDK does not know: %s", event["type"])
            continue
        try:
            Event.from_dict(event)
        except ValueError as error:  # pydantic's ValidationError is a ValueError
            log.warning("LINE webhook %s event the SDK could not parse (%s); passed on raw", event["type"], error)
    return events
