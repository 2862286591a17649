"""A plan of signed LINE webhook calls for bench/loadgen.py: ``line.webhook.rate`` and ``line.webhook.p99_ms``.

Each call carries one event (LINE batches several when it can; one is the harder case: a request, a
signature check and a commit per event), signed as LINE signs: base64(HMAC-SHA256(channel secret, body)).
The events are text messages from many users, each with its own ``webhookEventId``, built with the SDK's own
models so the body is what LINE sends. Run with Django settings (the channel secret comes from them).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--users", type=int, default=2000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    from django.conf import settings
    from linebot.v3.webhooks import (
        CallbackRequest,
        DeliveryContext,
        MessageEvent,
        TextMessageContent,
        UserSource,
    )

    secret = settings.LINE_CHANNEL_SECRET.encode()
    now = int(time.time() * 1000)
    with open(args.out, "w") as out:
        for i in range(args.events):
            user = f"U{hashlib.md5(f'bench-user-{i % args.users}'.encode()).hexdigest()}"
            event = MessageEvent(
                type="message", mode="active", timestamp=now + i, source=UserSource(type="user", user_id=user),
                webhook_event_id=f"01BENCH{i:019d}", delivery_context=DeliveryContext(is_redelivery=False),
                reply_token=hashlib.sha1(f"reply-{i}".encode()).hexdigest(),
                message=TextMessageContent(type="text", id=str(900000000 + i), text="สวัสดี",
                                           quote_token=f"q{i}"))
            body = CallbackRequest(destination="U" + "b" * 32, events=[event]).to_json()
            signature = base64.b64encode(hmac.new(secret, body.encode(), hashlib.sha256).digest()).decode()
            out.write(json.dumps({"path": "/line/webhook", "raw": body,
                                  "headers": {"X-Line-Signature": signature}}) + "\n")


if __name__ == "__main__":
    main()
