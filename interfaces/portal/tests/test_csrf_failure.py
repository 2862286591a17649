"""A form sent without its security token (open too long, or from before the last sign-in) is refused with a
page in Thai and English that says nothing was changed and what to do: not Django's English page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_stale_portal_form_is_refused_in_thai_and_english_with_what_to_do():
    response = Client(enforce_csrf_checks=True).post("/portal/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "หน้านี้หมดอายุ ยังไม่ได้บันทึกอะไร" in page and "กรุณาโหลดหน้าใหม่" in page
    assert "nothing was changed" in page and "CSRF" not in page and 'lang="th"' in page
