"""LINE Login's JWKS and the stand-in's ID tokens: what Raksa verifies with joserfc."""

import time

import pytest
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from line_standin.demo_users import DEMO_USERS

KANJANA = DEMO_USERS[2].user_id


def jwks(standin):
    answer = standin.get("/oauth2/v2.1/certs")
    assert answer.status == 200
    return KeySet.import_key_set(answer.json())


def test_an_id_token_verifies_against_the_jwks_with_lines_claims(line_standin):
    token = line_standin.id_token(KANJANA, nonce="n-123")

    decoded = jwt.decode(token, jwks(line_standin), algorithms=["ES256"])

    claims = decoded.claims
    assert decoded.header["alg"] == "ES256" and decoded.header["kid"]
    assert claims["iss"] == line_standin.id_token_issuer == "https://access.line.me"
    assert claims["aud"] == line_standin.login_channel_id
    assert claims["sub"] == KANJANA and claims["name"] == "กาญจนา ทองดี" and claims["nonce"] == "n-123"
    assert claims["iat"] <= time.time() + 1
    assert 3500 < claims["exp"] - time.time() <= 3600
    assert claims["picture"].startswith(line_standin.base_url)


def test_rotating_the_key_changes_the_kid_and_the_jwks_holds_both(line_standin):
    before = line_standin.id_token(KANJANA)
    old_kid = jwt.decode(before, jwks(line_standin)).header["kid"]

    new_kid = line_standin.rotate_key()
    after = line_standin.id_token(KANJANA)

    keys = jwks(line_standin)
    assert new_kid != old_kid
    assert jwt.decode(after, keys, algorithms=["ES256"]).header["kid"] == new_kid
    assert {k["kid"] for k in line_standin.get("/oauth2/v2.1/certs").json()["keys"]} == {old_kid, new_kid}
    assert jwt.decode(before, keys, algorithms=["ES256"]).claims["sub"] == KANJANA


def test_a_token_from_another_stand_in_does_not_verify(line_standin, line_standin_factory):
    other = line_standin_factory()
    foreign = other.id_token(KANJANA)

    with pytest.raises(JoseError):  # no key for its kid here
        jwt.decode(foreign, jwks(line_standin), algorithms=["ES256"])


def test_the_verify_endpoint_checks_audience_and_nonce(line_standin):
    token = line_standin.id_token(KANJANA, nonce="abc")
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    def verify(body):
        return line_standin.request("POST", "/oauth2/v2.1/verify", data=body.encode(), headers=form)

    good = verify(f"id_token={token}&client_id={line_standin.login_channel_id}&nonce=abc")
    wrong_aud = verify(f"id_token={token}&client_id=999")
    wrong_nonce = verify(f"id_token={token}&client_id={line_standin.login_channel_id}&nonce=xyz")
    garbage = verify(f"id_token=abc.def.ghi&client_id={line_standin.login_channel_id}")

    assert good.status == 200 and good.json()["sub"] == KANJANA
    assert wrong_aud.json()["error_description"] == "Invalid IdToken Audience."
    assert wrong_nonce.json()["error_description"] == "Invalid IdToken Nonce."
    assert garbage.status == 400 and garbage.json()["error"] == "invalid_request"


def test_id_token_is_open_to_raksas_origin_and_local_origins_only(line_standin):
    def preflight(origin):
        return line_standin.request("OPTIONS", "/_standin/id-token", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})

    local = preflight("http://localhost:8123")
    elsewhere = preflight("https://evil.example")
    asked = line_standin.post("/_standin/id-token", {"user_id": KANJANA}, headers={"Origin": "http://127.0.0.1:8000"})

    assert local.status == 204 and local.headers["access-control-allow-origin"] == "http://localhost:8123"
    assert "content-type" in local.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-origin" not in elsewhere.headers
    assert asked.headers["access-control-allow-origin"] == "http://127.0.0.1:8000"


def test_a_bad_id_token_request_is_400(line_standin):
    assert line_standin.post("/_standin/id-token", {"user_id": "kanjana"}).status == 400
    assert line_standin.post("/_standin/id-token", {}).status == 400
    assert line_standin.post("/_standin/id-token", {"user_id": KANJANA, "nonce": 5}).status == 400


def test_the_id_token_answer_says_whether_the_liff_app_may_scan_qr_codes(line_standin_factory):
    allowed = line_standin_factory().post("/_standin/id-token", {"user_id": KANJANA}).json()
    refused = line_standin_factory(args=("--liff-scan-qr", "off")).post("/_standin/id-token",
                                                                         {"user_id": KANJANA}).json()

    assert allowed["availability"]["scanCodeV2"] == {"permission": True}
    assert refused["availability"] == {"scanCodeV2": {"permission": False}, "subwindowOpen": {"permission": False}}
