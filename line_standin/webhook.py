"""Webhook events as LINE builds them, signed as LINE signs them, and their delivery to Raksa.

Body: {"destination": <bot user ID>, "events": [event]}; header X-Line-Signature =
base64(HMAC-SHA256(channel secret, raw body)). Events follow webhook.yml: webhookEventId (a ULID),
deliveryContext.isRedelivery, timestamp (ms), mode "active", source {type: user, userId}, replyToken.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
import time
import urllib.error
import urllib.request

from line_standin.config import Config
from line_standin.store import Store, now_ms

log = logging.getLogger("line_standin")

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
EVENT_TYPES = ("follow", "unfollow", "message", "postback")
DELIVERY_TIMEOUT_SECONDS = 10


def ulid(ms: int | None = None) -> str:
    """A ULID: 48 bits of milliseconds and 80 random bits in Crockford's base 32 (26 characters)."""
    value = ((now_ms() if ms is None else ms) << 80) | int.from_bytes(os.urandom(10), "big")
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def build_event(*, kind: str, user_id: str, text: str | None = None, data: str | None = None,
                is_unblocked: bool = False) -> dict:
    """A webhook event of ``kind`` from ``user_id`` (without its reply token, added by the caller)."""
    event: dict[str, object] = {
        "type": kind,
        "mode": "active",
        "timestamp": now_ms(),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": ulid(),
        "deliveryContext": {"isRedelivery": False},
    }
    if kind == "follow":
        event["follow"] = {"isUnblocked": is_unblocked}
    elif kind == "message":
        event["message"] = {"id": str(int(time.time() * 1000) * 1000 + secrets.randbelow(1000)), "type": "text",
                            "quoteToken": secrets.token_urlsafe(48), "text": text or ""}
    elif kind == "postback":
        event["postback"] = {"data": data or ""}
    return event


class Delivery:
    """Posts signed webhook bodies to Raksa and records each event, so it can be redelivered."""

    def __init__(self, store: Store, config: Config):
        self.store = store
        self.config = config

    def body_for(self, events: list[dict]) -> bytes:
        return json.dumps({"destination": self.config.bot_user_id, "events": events}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")

    def post(self, body: bytes) -> tuple[int | None, str]:
        """(Raksa's status or None when it did not answer, the body it answered or the error)."""
        request = urllib.request.Request(self.config.webhook_url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "LineBotWebhook/2.0",
            "X-Line-Signature": signature(self.config.channel_secret, body),
        })
        try:
            with urllib.request.urlopen(request, timeout=DELIVERY_TIMEOUT_SECONDS) as answer:
                return answer.status, answer.read(2000).decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(2000).decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as exc:
            return None, f"{self.config.webhook_url}: {getattr(exc, 'reason', exc)}"

    def deliver(self, event: dict) -> tuple[int | None, str]:
        status, answer = self.post(self.body_for([event]))
        if status is None or not 200 <= status < 300:
            log.warning("webhook %s (%s) to %s: %s %s", event["webhookEventId"], event["type"],
                        self.config.webhook_url, status or "no answer", answer[:200])
        with self.store.write() as db:
            db.execute("UPDATE events SET deliveries = deliveries + 1, last_status = ? WHERE webhook_event_id = ?",
                       (status, event["webhookEventId"]))
        return status, answer

    def record(self, db: sqlite3.Connection, event: dict) -> None:
        """Stores the event and its reply token (inside the caller's write)."""
        user_id = event["source"]["userId"]
        db.execute("INSERT INTO events (webhook_event_id, user_id, event, created_at) VALUES (?, ?, ?, ?)",
                   (event["webhookEventId"], user_id, json.dumps(event, ensure_ascii=False), now_ms()))
        if "replyToken" in event:
            db.execute("INSERT INTO reply_tokens (token, user_id, expires_at) VALUES (?, ?, ?)",
                       (event["replyToken"], user_id, now_ms() + self.config.reply_token_seconds * 1000))

    def past_event(self, *, webhook_event_id: str | None, user_id: str | None) -> dict | None:
        """A recorded event (by ID, else the user's latest, else the latest of all) marked as redelivered."""
        with self.store.read() as db:
            if webhook_event_id:
                row = db.execute("SELECT event FROM events WHERE webhook_event_id = ?", (webhook_event_id,)).fetchone()
            elif user_id:
                row = db.execute("SELECT event FROM events WHERE user_id = ? ORDER BY seq DESC LIMIT 1",
                                 (user_id,)).fetchone()
            else:
                row = db.execute("SELECT event FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        if row is None:
            return None
        event = json.loads(row["event"])
        event["deliveryContext"] = {"isRedelivery": True}
        return event
