"""A webhook event handled by two jobs at once (the sweep queued it again while the first still ran) is handled
once: the event's row lock makes the second wait, and it then finds the event handled. Real PostgreSQL, threads
with their own connections, released together."""

import pytest
from django.db import connection  # noqa: F401 (connection: the skipif below)

from raksa.messaging.models import WebhookEvent
from raksa.messaging.services import webhook_events_accept
from raksa.messaging.tasks import webhook_event_handle
from raksa.messaging.tests import helpers as h
from raksa.testing.races import race

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="races need PostgreSQL")]


def test_two_jobs_for_one_event_answer_the_citizen_once(line):
    webhook_events_accept(events=[h.text_message(h.user_id(1), "สวัสดี").to_dict()])
    event_id = WebhookEvent.objects.get().pk
    outcomes = race([lambda: webhook_event_handle.call(event_id)] * 4)
    assert outcomes == ["handled"] * 4  # each job reports the event's outcome
    assert len(line.replies) + len(line.pushes) == 1  # but the help went out once
    assert WebhookEvent.objects.get().outcome == "handled"
