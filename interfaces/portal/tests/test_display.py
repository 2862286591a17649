"""The queue display board: no login, a signed link, ticket numbers only."""

import pytest
from django.urls import reverse

from raksa.booking.display import display_token_for
from raksa.booking.queue import booking_check_in, ticket_call_next, ticket_issue_walk_in
from raksa.core.thaidate import format_date
from raksa.core.timeutil import service_day
from raksa.testing.factories import UnitFactory

from .helpers import book, local, slot_at

pytestmark = pytest.mark.django_db


def board_path(unit):
    return reverse("display:board", args=[display_token_for(unit)])


def test_board_lives_under_the_portal_until_config_urls_mounts_it(unit):
    token = display_token_for(unit)
    assert board_path(unit) == f"/display/{token}/"
    assert reverse("display:live", args=[token]) == f"/display/{token}/live/"


def test_board_needs_no_login_and_shows_numbers_only(client, unit, schedule, citizen):
    today = service_day()
    booking = book(citizen, slot_at(unit, local(today, 23)), now=local(today, 0))
    booking_check_in(actor=None, booking_id=booking.pk)  # B-001
    for _ in range(3):
        ticket_issue_walk_in(actor=None, unit=unit)  # A-001..A-003
    ticket_call_next(actor=None, unit=unit)  # A-001 (issued before... ) or B-001, whichever is first in order
    response = client.get(board_path(unit))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th">' in content
    assert "ร้านยารักษ์สุขภาพ" in content and "เชิญหมายเลข" in content and "คิวถัดไป" in content
    assert format_date(today, language="th") in content
    for label in ("A-001", "A-002", "A-003"):
        assert label in content
    for secret in (citizen.full_name, citizen.first_name_th, citizen.cid_masked, booking.reference):
        assert secret not in content
    assert 'src="/static/portal/board.js"' in content
    assert response["Cache-Control"].startswith("max-age=0")


def test_board_shows_the_latest_called_number_largest(client, unit):
    for _ in range(3):
        ticket_issue_walk_in(actor=None, unit=unit)
    ticket_call_next(actor=None, unit=unit)
    ticket_call_next(actor=None, unit=unit)
    content = client.get(board_path(unit)).content.decode()
    assert '<p id="board-now" class="board__now">A-002</p>' in content
    assert "<li>A-001</li>" in content.split('id="board-also"')[1].split("</ul>")[0]
    assert "<li>A-003</li>" in content.split('id="board-waiting"')[1].split("</ol>")[0]


def test_live_data_is_numbers_only(client, unit, schedule, citizen):
    ticket_issue_walk_in(actor=None, unit=unit)
    ticket_issue_walk_in(actor=None, unit=unit)
    ticket_call_next(actor=None, unit=unit)
    response = client.get(reverse("display:live", args=[display_token_for(unit)]))
    data = response.json()
    assert response["Cache-Control"].startswith("max-age=0")
    assert data["calling"] == ["A-001"] and data["waiting"] == ["A-002"] and data["waiting_count"] == 1
    assert set(data) == {"calling", "waiting", "waiting_count", "date", "time"}
    assert data["date"] == format_date(service_day(), language="th")


def test_empty_board(client, unit):
    content = client.get(board_path(unit)).content.decode()
    assert "board__now--none" in content and "ยังไม่มีผู้รอเรียก" in content


@pytest.mark.parametrize("token", ["nonsense", "x" * 300])
def test_a_bad_link_is_a_clear_404(client, unit, token):
    response = client.get(f"/display/{token}/")
    assert response.status_code == 404
    assert "ลิงก์จอแสดงคิวนี้ใช้ไม่ได้" in response.content.decode()
    assert client.get(f"/display/{token}/live/").status_code == 404


def test_a_forged_token_does_not_reveal_another_unit(client, unit):
    other = UnitFactory(hcode="67890", name="ร้านยาอื่น")
    token = display_token_for(other)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert client.get(f"/display/{forged}/").status_code == 404


def test_board_in_english(client, unit):
    client.cookies["django_language"] = "en"
    content = client.get(board_path(unit)).content.decode()
    assert "Now calling number" in content and "Next" in content


def test_queue_page_links_to_this_units_board(staff_client, unit):
    content = staff_client.get("/portal/queue/").content.decode()
    assert f'href="http://testserver{board_path(unit)}"' in content
