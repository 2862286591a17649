"""The webhook's fast lane (interfaces.line.webhook.WebhookFastLane, in config/wsgi.py) answers as the
Django view does, stores the same rows, and leaves anything unusual to Django."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from config.wsgi import application, django_application
from interfaces.line.webhook import WebhookFastLane
from raksa.messaging.models import WebhookEvent
from raksa.messaging.tests import helpers as h
from raksa.messaging.tests.conftest import sign

pytestmark = pytest.mark.django_db(transaction=True)  # the lane gives its connection back, as a server does


def call(app, body: str, *, signature: str | None = "valid", method: str = "POST", host: str = "testserver",
         **extra: str):
    data = body.encode()
    environ = {"REQUEST_METHOD": method, "PATH_INFO": "/line/webhook", "SCRIPT_NAME": "", "QUERY_STRING": "",
               "SERVER_NAME": host, "SERVER_PORT": "80", "HTTP_HOST": host, "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(data), "wsgi.errors": sys.stderr, "CONTENT_TYPE": "application/json",
               "CONTENT_LENGTH": str(len(data)), **extra}
    if signature == "valid":
        environ["HTTP_X_LINE_SIGNATURE"] = sign(body)
    elif signature:
        environ["HTTP_X_LINE_SIGNATURE"] = signature
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen.update(status=int(status.split()[0]), headers=dict(headers))
    content = b"".join(app(environ, start_response))
    connection.close()  # as the end of a request does (the lane's own call already gave it back)
    return seen["status"], json.loads(content) if content.startswith(b"{") else None, seen["headers"]


@pytest.fixture
def both():
    return {"lane": application, "django": django_application}


@pytest.mark.parametrize("app", ["lane", "django"])
def test_both_doors_store_a_signed_call_once(both, app):
    body = h.body(h.follow(h.user_id(1)), h.text_message(h.user_id(1), "สวัสดี"))
    assert call(both[app], body)[:2] == (200, {})
    assert call(both[app], body)[:2] == (200, {})  # redelivered
    assert WebhookEvent.objects.count() == 2 and DBTaskResult.objects.count() == 2


@pytest.mark.parametrize("case", ["no_signature", "bad_signature", "not_json", "no_event_id"])
def test_both_doors_refuse_alike_and_write_nothing(both, case):
    body = h.body(h.follow(h.user_id(1)))
    if case == "no_signature":
        calls = {"signature": None}
    elif case == "bad_signature":
        calls = {"signature": sign(body, "forged")}
    elif case == "not_json":
        body, calls = "{nope", {}
    else:
        body, calls = h.raw_body({"type": "follow", "source": {"type": "user", "userId": "U1"}}), {}
    lane, django = call(both["lane"], body, **calls), call(both["django"], body, **calls)
    assert lane[0] == django[0] == 400 and lane[1] == django[1]
    assert lane[1]["code"] in ("INVALID_SIGNATURE", "WEBHOOK_MALFORMED") and lane[1]["message"]
    assert WebhookEvent.objects.count() == 0 and DBTaskResult.objects.count() == 0


def test_the_lane_leaves_other_methods_hosts_and_huge_bodies_to_django():
    handed: list[str] = []

    def django_stand_in(environ, start_response):
        handed.append(environ["REQUEST_METHOD"])
        start_response("418 I'm a Teapot", [])
        return [b""]
    lane = WebhookFastLane(django_stand_in)
    body = h.body(h.follow(h.user_id(1)))
    assert call(lane, "", method="GET")[0] == 418
    assert call(lane, body, host="evil.example")[0] == 418
    assert call(lane, body)[0] == 200  # the lane's own
    huge = h.raw_body({"type": "x", "pad": "x" * 1_000_001})
    assert call(lane, huge)[0] == 418
    assert handed == ["GET", "POST", "POST"] and WebhookEvent.objects.count() == 1


def test_behind_the_production_proxy_the_lane_serves_https_and_leaves_plain_http_to_django(settings):
    """Production (SECURE_SSL_REDIRECT behind a proxy that says X-Forwarded-Proto): LINE's calls come over HTTPS
    and take the lane; a plain-HTTP one is Django's to redirect."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    handed: list[str] = []

    def django_stand_in(environ, start_response):
        handed.append(environ.get("HTTP_X_FORWARDED_PROTO", ""))
        start_response("301 Moved Permanently", [])
        return [b""]
    lane = WebhookFastLane(django_stand_in)
    body = h.body(h.follow(h.user_id(1)))
    assert call(lane, body, HTTP_X_FORWARDED_PROTO="https")[:2] == (200, {})
    assert call(lane, body, HTTP_X_FORWARDED_PROTO="http")[0] == 301
    assert handed == ["http"] and WebhookEvent.objects.count() == 1


def test_a_failing_call_in_a_group_fails_alone(monkeypatch):
    from django.db import DatabaseError

    from interfaces.line import webhook as lane_module

    stored: list[list[str]] = []

    def accept(*, events):
        if any(e["webhookEventId"] == "bad" for e in events):
            raise DatabaseError("this one cannot be stored")
        stored.append([e["webhookEventId"] for e in events])
        return len(events)
    monkeypatch.setattr(lane_module, "webhook_events_accept", accept)
    results = lane_module._accept_together([[{"webhookEventId": "a"}], [{"webhookEventId": "bad"}],
                                            [{"webhookEventId": "c"}]])
    assert results[0] is None and isinstance(results[1], DatabaseError) and results[2] is None
    assert stored == [["a"], ["c"]]
