"""Staff find the LINE pushes that failed after their retries: the back office's list of pushes, filtered by
status, newest first, each with its last error."""

import re

import pytest

from raksa.messaging.models import OutboundMessage
from raksa.testing.factories import CitizenFactory

pytestmark = pytest.mark.django_db
LIST = "/backoffice/messaging/outboundmessage/"


def push(status: str, user: str, **fields) -> OutboundMessage:
    return OutboundMessage.objects.create(kind="booking_confirmed", line_user_id="U" + user * 32, status=status,
                                          messages=[{"type": "flex", "altText": f"จองคิวสำเร็จ {status}"}], **fields)


def recipients(page: str) -> list[str]:
    """The LINE users of the rows shown, in order."""
    return re.findall(r'<td class="field-recipient"><code>(U[0-9a-f]{32})</code></td>', page)


def test_the_failed_pushes_are_listed_with_their_last_error_under_the_status_filter(client, officer):
    citizen = CitizenFactory(first_name_th="มาลี", last_name_th="ศรีสุข")
    push("sent", "1", attempts=1)
    old_failure = push("failed", "2", attempts=8, last_error="LineApiError 500: upstream error", citizen=citizen)
    push("queued", "3")
    push("skipped", "4", attempts=1, last_error="LineApiError 403: blocked")
    new_failure = push("failed", "5", attempts=8, last_error="URLError: timed out")

    everything = client.get(LIST)
    assert everything.status_code == 200
    assert sorted(recipients(everything.content.decode())) == ["U" + c * 32 for c in "12345"]
    statuses = re.search(r'<details data-filter-title="สถานะ"[^>]*>(.*?)</details>', everything.content.decode(),
                         re.S).group(1)
    assert re.findall(r'<a href="\?status__exact=(\w+)">([^<]+)</a>', statuses) == [
        ("queued", "รอส่ง"), ("sent", "ส่งแล้ว"), ("failed", "ส่งไม่สำเร็จ"), ("skipped", "ไม่ส่ง ผู้ใช้บล็อกบัญชี")]

    failed = client.get(LIST, {"status__exact": "failed"})
    page = failed.content.decode()
    assert recipients(page) == [new_failure.line_user_id, old_failure.line_user_id]  # newest first
    assert "URLError: timed out" in page and "LineApiError 500: upstream error" in page
    assert "LineApiError 403: blocked" not in page  # the skipped one is not a failure to act on
    assert f'<td class="field-citizen nowrap">นางมาลี ศรีสุข ({citizen.cid_masked})</td>' in page  # whose it was
    assert page.count('<td class="field-status">ส่งไม่สำเร็จ</td>') == 2
    assert re.search(r'<td class="field-attempts">8</td>', page)

    sent = client.get(LIST, {"status__exact": "sent"}).content.decode()
    assert recipients(sent) == ["U" + "1" * 32]
    found = client.get(LIST, {"status__exact": "failed", "q": old_failure.line_user_id}).content.decode()
    assert recipients(found) == [old_failure.line_user_id]


def test_the_list_changes_nothing(client, officer):
    failure = push("failed", "2", attempts=8, last_error="LineApiError 500: upstream error")
    assert client.get(f"{LIST}add/").status_code == 403
    client.post(f"{LIST}{failure.pk}/change/", {"status": "sent"})
    client.post(f"{LIST}{failure.pk}/delete/", {"post": "yes"})
    failure.refresh_from_db()
    assert (failure.status, failure.attempts) == ("failed", 8)
