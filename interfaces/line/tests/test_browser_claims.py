"""A claim sent in a citizen's name, seen and reported in LINE, through the real parts: the unit's software
sends the claim over Raksa's REST API (live server, API key, Idempotency-Key); the job pushes the bubble through
the LINE client to the stand-in (line_standin/, a subprocess); the stand-in's chat viewer shows it; its button
opens "I did not receive this service" in the viewer's phone frame (signed in by the stand-in's ID token); the
citizen confirms and the claim goes to an officer's review. Then the three pages at 360 px are axe-clean.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
from django.utils import timezone
from playwright import sync_api as playwright_sync

from raksa.claims.models import Claim
from raksa.people.models import Citizen
from raksa.testing.browser import BROWSER_MARKS, DESKTOP
from raksa.testing.claims import make_claim_case
from raksa.testing.tasks import run_tasks
from raksa.units.services import unit_api_key_issue

from .test_browser import axe_serious, check, fake_liff, no_line_sdk

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]
expect = playwright_sync.expect
SOMSRI = "สมศรี ใจดี"  # the stand-in's first demo LINE user
SCREENSHOTS = "/tmp/line-claims-{}.png"


def send_claim_over_the_api(base_url: str, key: str, authen_code: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"{base_url}/api/v1/claims", method="POST",
                                     data=json.dumps({"authen_code": authen_code}).encode(),
                                     headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "claim-1",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (the test's own live server)
        return answer.status, json.loads(answer.read())


def test_the_chat_viewer_shows_the_claim_and_report_flags_it_for_review(live_server, line_standin, page):
    case = make_claim_case(now=timezone.now())
    user_id = next(u["userId"] for u in line_standin.users() if u["displayName"] == SOMSRI)
    assert line_standin.webhook(user_id, "follow").status == 200
    Citizen.objects.filter(pk=case.citizen.pk).update(line_user_id=user_id)  # linked (linking: its own tests)
    run_tasks()
    key, _ = unit_api_key_issue(actor=None, unit=case.unit, label="ระบบร้านยา")
    status, sent = send_claim_over_the_api(live_server.url, key, case.visit.authen_code)
    assert (status, sent["status"]) == (201, "accepted")

    # The job pushes "claimed in your name" through the LINE client; the viewer draws the bubble.
    run_tasks()
    viewer = page.context.browser.new_context(locale="th-TH", viewport=DESKTOP).new_page()
    viewer.set_default_timeout(15_000)
    viewer.goto(line_standin.base_url + "/")
    viewer.locator(f'#user-list button[data-user-id="{user_id}"]').click()
    bubble = viewer.locator("#chat .flex-bubble").filter(has_text="มีการเบิกค่าบริการในนามของคุณ")
    expect(bubble).to_have_count(1)
    for seen in (case.unit.name, case.service.name_th, "180.00 บาท", str(timezone.localdate().year + 543)):
        expect(bubble).to_contain_text(seen)
    viewer.screenshot(path=SCREENSHOTS.format("viewer-bubble"), full_page=True)

    # Its button opens the report page in the phone frame; the citizen confirms with a note.
    bubble.get_by_role("button", name="ไม่ได้รับบริการนี้").click()
    phone = viewer.frame_locator("#liff-frame")
    expect(phone.get_by_role("heading", level=1)).to_have_text("คุณไม่ได้รับบริการนี้ใช่หรือไม่?")
    expect(phone.locator(".facts")).to_contain_text(case.unit.name)
    assert Claim.objects.get().status == "accepted"  # asking changes nothing
    phone.get_by_label("เกิดอะไรขึ้น (ไม่บังคับ)").fill("วันนั้นฉันไม่ได้ไปร้านนี้")
    phone.get_by_role("button", name="ใช่ แจ้งว่าฉันไม่ได้รับบริการนี้").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("ขอบคุณที่แจ้งเรา")
    expect(phone.get_by_role("status")).to_contain_text(case.unit.name)
    viewer.screenshot(path=SCREENSHOTS.format("viewer-reported"), full_page=True)
    claim = Claim.objects.get()
    assert (claim.status, claim.citizen_report_note) == ("in_review", "วันนั้นฉันไม่ได้ไปร้านนี้")
    assert claim.reasons[-1]["code"] == "CITIZEN_REPORTED"

    # "Claimed in my name" now says an officer is checking it, and offers no second report.
    phone.get_by_role("link", name="กลับไปที่เคลมในนามของฉัน").click()
    card = phone.locator(f'.claim[data-reference="{claim.reference}"]')
    expect(card).to_contain_text("เจ้าหน้าที่กำลังตรวจสอบ")
    expect(card.get_by_role("link", name="ฉันไม่ได้รับบริการนี้")).to_have_count(0)


def test_the_claim_pages_fit_a_phone_and_are_axe_clean(phone, live_server, line_login, client):
    from raksa.claims.submit import claim_submit

    from .conftest import LINE_USER

    case = make_claim_case(now=timezone.now())
    Citizen.objects.filter(pk=case.citizen.pk).update(line_user_id=LINE_USER)
    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code)
    no_line_sdk(phone)
    phone.add_init_script(fake_liff(line_login.token()))
    scanned: dict[str, list[str]] = {}
    phone.goto(f"{live_server.url}/liff/claims")
    expect(phone.get_by_role("heading", level=1)).to_have_text("เคลมในนามของฉัน")
    check(phone, "claims", scanned)
    phone.get_by_role("link", name="ฉันไม่ได้รับบริการนี้").click()
    check(phone, "claim-report", scanned)
    phone.get_by_role("button", name="ใช่ แจ้งว่าฉันไม่ได้รับบริการนี้").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("ขอบคุณที่แจ้งเรา")
    check(phone, "claim-reported", scanned)
    assert not any(scanned.values()), scanned
    assert not axe_serious(phone)
    claim.refresh_from_db()
    assert claim.status == "in_review"
