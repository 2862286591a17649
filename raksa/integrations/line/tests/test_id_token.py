"""LINE ID tokens made with test EC P-256 keys, whose public halves a real HTTP server serves as the JWKS."""

import base64
import json
import socket
import threading
import time

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, OctKey

from raksa.integrations.line.errors import IdTokenInvalid
from raksa.integrations.line.id_token import IdTokenClaims, verify_id_token

from .http_server import RecordingServer

CHANNEL_ID = "1650000001"
ISSUER = "https://access.line.me"
CERTS = "/oauth2/v2.1/certs"


def ec_key(kid: str) -> ECKey:
    return ECKey.generate_key("P-256", parameters={"kid": kid, "alg": "ES256", "use": "sig"})


class Jwks:
    """The JWKS server of a test: ``publish`` the keys LINE would list; ``fetches`` counts requests."""

    def __init__(self, server: RecordingServer) -> None:
        self.server = server

    def publish(self, *keys: ECKey) -> None:
        self.server.answer("GET", CERTS, 200, {"keys": [key.as_dict(private=False) for key in keys]})

    @property
    def fetches(self) -> int:
        return sum(1 for r in self.server.requests if r.path == CERTS)


@pytest.fixture
def jwks(settings):
    with RecordingServer() as server:
        settings.LINE_JWKS_URL = server.url + CERTS  # a new URL per test: a cache of its own
        settings.LINE_LOGIN_CHANNEL_ID = CHANNEL_ID
        settings.LINE_ID_TOKEN_ISSUER = ISSUER
        yield Jwks(server)


def claims(**changes) -> dict:
    now = int(time.time())
    return {"iss": ISSUER, "sub": "U1234567890abcdef1234567890abcdef", "aud": CHANNEL_ID, "exp": now + 3600,
            "iat": now, "nonce": "n-1", "amr": ["linesso"], "name": "สมศรี ใจดี",
            "picture": "https://profile.line-scdn.net/p"} | changes


def id_token(key, **changes) -> str:
    return jwt.encode({"alg": "ES256", "kid": key.kid, "typ": "JWT"}, claims(**changes), key)


def unsigned(header: dict, payload: dict, signature: bytes = b"") -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    return ".".join([b64(json.dumps(header).encode()), b64(json.dumps(payload).encode()), b64(signature)])


def refused(token: str, **kwargs) -> str:
    with pytest.raises(IdTokenInvalid) as raised:
        verify_id_token(token, **kwargs)
    return raised.value.reason


def test_a_valid_token_gives_its_claims(jwks):
    key = ec_key("k1")
    jwks.publish(key)
    token_claims = claims()
    token = jwt.encode({"alg": "ES256", "kid": "k1", "typ": "JWT"}, token_claims, key)
    assert verify_id_token(token, nonce="n-1") == IdTokenClaims(
        sub=token_claims["sub"], name="สมศรี ใจดี", picture="https://profile.line-scdn.net/p", aud=CHANNEL_ID,
        iss=ISSUER, exp=token_claims["exp"], iat=token_claims["iat"])
    assert verify_id_token(token).sub == token_claims["sub"]  # no nonce asked: not checked
    assert jwks.fetches == 1  # the second verification used the cached key


def test_name_and_picture_are_optional(jwks):
    key = ec_key("k1")
    jwks.publish(key)
    token_claims = claims()
    del token_claims["name"], token_claims["picture"]
    token = jwt.encode({"alg": "ES256", "kid": "k1"}, token_claims, key)
    assert (verify_id_token(token).name, verify_id_token(token).picture) == (None, None)


def test_expired_and_future_tokens_are_refused_beyond_a_minute_of_clock_skew(jwks):
    key = ec_key("k1")
    jwks.publish(key)
    now = time.time()
    assert refused(id_token(key, exp=int(now) - 61, iat=int(now) - 3600)) == "expired"
    assert verify_id_token(id_token(key, exp=int(now) - 30, iat=int(now) - 3600))  # within the skew
    assert refused(id_token(key, iat=int(now) + 120)) == "not_yet_valid"
    assert verify_id_token(id_token(key, iat=int(now) + 30))
    token = id_token(key)
    assert refused(token, now=now + 3600 + 61) == "expired"  # ``now`` is the clock the checks use


def test_a_token_for_another_channel_or_from_another_issuer_is_refused(jwks):
    key = ec_key("k1")
    jwks.publish(key)
    assert refused(id_token(key, aud="1659999999")) == "audience"
    assert refused(id_token(key, aud=[CHANNEL_ID])) == "malformed"  # LINE's aud is the channel ID string
    assert refused(id_token(key, iss="https://access.line.me.evil.example")) == "issuer"


def test_a_wrong_or_missing_nonce_is_refused_when_one_is_expected(jwks):
    key = ec_key("k1")
    jwks.publish(key)
    assert refused(id_token(key), nonce="n-2") == "nonce"
    token_claims = claims()
    del token_claims["nonce"]
    assert refused(jwt.encode({"alg": "ES256", "kid": "k1"}, token_claims, key), nonce="n-1") == "nonce"


def test_a_bad_signature_is_refused(jwks):
    key, impostor = ec_key("k1"), ec_key("k1")
    jwks.publish(key)
    assert refused(id_token(impostor)) == "signature"  # the published kid, another key
    header, payload, signature = id_token(key).split(".")
    edited = unsigned({}, claims(sub="Uattacker")).split(".")[1]
    assert refused(f"{header}.{edited}.{signature}") == "signature"  # claims edited after signing
    assert refused(f"{header}.{payload}.{signature[:-4]}AAAA") == "signature"


def test_only_es256_is_accepted(jwks):
    key = ec_key("k1")
    jwks.publish(key)
    hs256 = jwt.encode({"alg": "HS256", "kid": "k1"}, claims(), OctKey.import_key("a-shared-secret-" * 4))
    assert refused(hs256) == "algorithm"
    assert refused(unsigned({"alg": "none", "kid": "k1"}, claims())) == "algorithm"
    assert refused(unsigned({"alg": "RS256", "kid": "k1"}, claims(), b"\x00" * 256)) == "algorithm"
    assert refused(unsigned({"alg": "ES384", "kid": "k1"}, claims(), b"\x00" * 96)) == "algorithm"


def test_garbage_is_malformed(jwks):
    for token in ["", "abc", "a.b.c", "a.b", unsigned({"alg": "ES256", "kid": "k1"}, claims()) + ".x"]:
        assert refused(token) == "malformed", token
    assert jwks.fetches == 0  # garbage never makes Raksa fetch LINE's keys


def test_an_unknown_kid_is_refused(jwks):
    jwks.publish(ec_key("k1"))
    assert refused(id_token(ec_key("k-unknown"))) == "unknown_key"
    assert refused(unsigned({"alg": "ES256"}, claims(), b"\x00" * 64)) == "unknown_key"  # no kid at all


def test_a_rotated_key_is_accepted_after_the_jwks_is_fetched_again_at_most_once_a_second(jwks):
    old, new = ec_key("k-old"), ec_key("k-new")
    jwks.publish(old)
    assert verify_id_token(id_token(old))
    assert jwks.fetches == 1

    jwks.publish(new)  # LINE rotates its key
    assert refused(id_token(new)) == "unknown_key"  # within a second of the last fetch: not fetched again
    assert refused(id_token(ec_key("k-made-up"))) == "unknown_key"
    assert jwks.fetches == 1

    time.sleep(1.05)
    assert verify_id_token(id_token(new)).sub  # the unknown kid fetched the JWKS again
    assert jwks.fetches == 2
    assert verify_id_token(id_token(new))
    assert jwks.fetches == 2  # cached again
    assert refused(id_token(old)) == "unknown_key"  # the withdrawn key is gone with the old JWKS


def test_an_unreachable_or_garbled_jwks_refuses_the_token_without_raising_anything_else(jwks, settings):
    jwks.server.answer("GET", CERTS, 503, {"message": "down"})
    assert refused(id_token(ec_key("k1"))) == "unknown_key"
    for path, body in [("/a", {"keys": "none"}), ("/b", ["keys"]), ("/c", b"<html>")]:
        jwks.server.answer("GET", path, 200, body)
        settings.LINE_JWKS_URL = jwks.server.url + path
        assert refused(id_token(ec_key("k1"))) == "unknown_key"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        settings.LINE_JWKS_URL = f"http://127.0.0.1:{sock.getsockname()[1]}/certs"  # nobody listens
    assert refused(id_token(ec_key("k1"))) == "unknown_key"


def test_threads_verifying_at_once_share_one_fetch(jwks):
    key = ec_key("k1")
    jwks.publish(key)
    tokens = [id_token(key, sub=f"U{i:032x}") for i in range(8)]
    results: list[str] = []
    barrier = threading.Barrier(len(tokens))

    def verify(token: str) -> None:
        barrier.wait()
        results.append(verify_id_token(token).sub)

    threads = [threading.Thread(target=verify, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [f"U{i:032x}" for i in range(8)]
    assert jwks.fetches == 1
