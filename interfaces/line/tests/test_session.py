"""Signing in: a verified LIFF ID token becomes the short signed cookie; a refused token is a Thai 401."""

import time

import pytest
from django.test import Client, RequestFactory

from interfaces.line.session import COOKIE, session_user_id

from .conftest import LINE_USER, ec_key, id_token, sign_in

pytestmark = pytest.mark.django_db


def _post(client, token, next_url="/liff/bookings"):
    return client.post("/liff/session", {"id_token": token, "next": next_url})


def test_without_the_cookie_a_page_answers_the_signing_in_page(client, settings):
    response = client.get("/liff/bookings")
    assert response.status_code == 200
    body = response.content.decode()
    assert "กำลังเข้าสู่ระบบ" in body
    assert f'src="{settings.LINE_LIFF_SDK_URL}"' in body
    assert f'data-liff-id="{settings.LINE_LIFF_ID}"' in body
    assert 'name="next" value="/liff/bookings"' in body
    assert response["Cache-Control"] == "no-store"


def test_a_verified_token_sets_a_signed_httponly_lax_cookie_and_goes_back(client, line_login, settings):
    response = _post(client, line_login.token())
    assert response.status_code == 303
    assert response["Location"] == "/liff/bookings"
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/liff/"
    assert int(cookie["max-age"]) == settings.RAKSA_LIFF_SESSION_SECONDS
    assert not cookie["secure"]  # tests and the demo run over http; production sets SESSION_COOKIE_SECURE
    request = RequestFactory().get("/liff/")
    request.COOKIES[COOKIE] = cookie.value
    assert session_user_id(request) == LINE_USER
    assert cookie.value.startswith(LINE_USER + ":")  # the id is signed, not hidden: it is no secret


def test_the_cookie_is_secure_where_the_session_cookie_is(client, line_login, settings):
    settings.SESSION_COOKIE_SECURE = True
    assert _post(client, line_login.token()).cookies[COOKIE]["secure"]


def _swap_payload(signed: str, other: str) -> str:
    """``signed``'s header and signature around ``other``'s claims: a signature that does not match."""
    header, _claims, signature = signed.split(".")
    return ".".join([header, other.split(".")[1], signature])


def _refusals(line_login):
    other = ec_key("not-published")
    now = int(time.time())
    return {
        "expired": line_login.token(exp=now - 120, iat=now - 3720),
        "audience": line_login.token(aud="1999999999"),
        "issuer": line_login.token(iss="https://evil.example"),
        "signature": _swap_payload(line_login.token(), line_login.token(sub="U" + "9" * 32)),
        "unknown_key": id_token(other, sub=LINE_USER),
        "garbage": "not-a-token",
    }


@pytest.mark.parametrize("why", ["expired", "audience", "issuer", "signature", "unknown_key", "garbage"])
def test_a_refused_token_is_a_thai_401_page_that_says_reopen_from_line(client, line_login, why):
    response = _post(client, _refusals(line_login)[why])
    assert response.status_code == 401
    body = response.content.decode()
    assert "กรุณาปิดหน้านี้แล้วเปิดใหม่จาก LINE" in body
    assert "open it again from LINE" in body  # English below
    assert body.index("เปิดใหม่จาก LINE") < body.index("open it again from LINE")
    assert COOKIE not in response.cookies


def test_no_token_is_refused_without_a_cookie(client):
    response = client.post("/liff/session", {"next": "/liff/"})
    assert response.status_code == 400
    assert COOKIE not in response.cookies


def test_next_never_leaves_the_liff_pages(client, line_login):
    assert _post(client, line_login.token(), "https://evil.example/liff/")["Location"] == "/liff/"
    assert _post(client, line_login.token(), "/portal/")["Location"] == "/liff/"
    assert _post(client, line_login.token(), "//evil.example/liff/")["Location"] == "/liff/"


def test_session_post_needs_the_csrf_token(line_login):
    client = Client(enforce_csrf_checks=True)
    assert _post(client, line_login.token()).status_code == 403
    page = client.get("/liff/")
    token = page.cookies["csrftoken"].value
    response = client.post("/liff/session", {"id_token": line_login.token(), "next": "/liff/",
                                             "csrfmiddlewaretoken": token})
    assert response.status_code == 303


def test_a_tampered_or_expired_cookie_means_signing_in_again(client, linked, settings):
    assert "สวัสดีคุณมาลี" in client.get("/liff/").content.decode()
    client.cookies[COOKIE] = client.cookies[COOKIE].value.replace(LINE_USER, "U" + "c" * 32)
    assert "กำลังเข้าสู่ระบบ" in client.get("/liff/").content.decode()
    sign_in(client)
    settings.RAKSA_LIFF_SESSION_SECONDS = 1
    time.sleep(2.1)
    assert "กำลังเข้าสู่ระบบ" in client.get("/liff/").content.decode()


def test_reading_the_session_costs_no_database_query(client, linked, django_assert_num_queries):
    request = RequestFactory().get("/liff/")
    request.COOKIES = dict((k, v.value) for k, v in client.cookies.items())
    with django_assert_num_queries(0):
        assert session_user_id(request) == LINE_USER


def test_the_demo_phone_frame_switching_users_signs_in_again(client, linked):
    other = "U" + "d" * 32
    assert "กำลังเข้าสู่ระบบ" in client.get(f"/liff/?standin_user={other}").content.decode()
    assert "กำลังเข้าสู่ระบบ" not in client.get(f"/liff/?standin_user={LINE_USER}").content.decode()


def test_liff_pages_may_be_framed_by_the_standin_only(client, settings):
    response = client.get("/liff/")
    assert "X-Frame-Options" not in response
    assert response["Content-Security-Policy"] == "frame-ancestors 'self' http://127.0.0.1:8100"
    settings.LINE_API_BASE_URL = "https://api.line.me"
    response = client.get("/liff/")
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" not in response


def test_the_liff_state_redirect_of_line_loads_the_sdk_even_when_signed_in(client, linked):
    body = client.get("/liff/?liff.state=%2Fbook").content.decode()
    assert "กำลังเข้าสู่ระบบ" in body and 'data-liff-id="' in body
