"""POST /line/webhook: LINE's calls. The signature over the raw body is checked (raksa.integrations.line
parse_webhook), the events are stored with their jobs in one statement (webhook_events_accept), and the
answer goes back at once: the work is done by the jobs. A bad signature or a body that is not a webhook
is 400 JSON and writes nothing."""

from __future__ import annotations

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from raksa.core.errors import DomainError
from raksa.messaging import line_api
from raksa.messaging.services import webhook_events_accept

logger = logging.getLogger(__name__)

BAD_SIGNATURE = {"code": "INVALID_SIGNATURE", "message": "ลายเซ็น X-Line-Signature ไม่ถูกต้องหรือไม่มี",
                 "message_en": "The X-Line-Signature header is missing or does not match the body."}
MALFORMED = {"code": "WEBHOOK_MALFORMED", "message": "เนื้อหาคำขอไม่ใช่ webhook ของ LINE",
             "message_en": "The body is not a LINE webhook."}


@csrf_exempt
def line_webhook(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        response = JsonResponse({"code": "METHOD_NOT_ALLOWED", "message": "ใช้ได้เฉพาะ POST",
                                 "message_en": "Only POST is allowed."}, status=405)
        response["Allow"] = "POST"
        return response
    errors = line_api.errors()
    try:
        body = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return JsonResponse(MALFORMED, status=400)
    try:
        events = line_api.parse_webhook(body=body, signature=request.headers.get("X-Line-Signature"))
    except errors.WebhookSignatureInvalid:
        logger.warning("line.webhook.bad_signature")
        return JsonResponse(BAD_SIGNATURE, status=400)
    except errors.WebhookMalformed:
        return JsonResponse(MALFORMED, status=400)
    try:
        webhook_events_accept(events=events)
    except DomainError as exc:
        return JsonResponse({"code": exc.code, "message": exc.message_th, "message_en": exc.message_en}, status=400)
    return JsonResponse({})
