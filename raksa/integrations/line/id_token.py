"""LIFF / LINE Login ID tokens, verified here (line-bot-sdk has no such thing): ES256 only, against LINE's
JWKS (settings.LINE_JWKS_URL), with joserfc doing the cryptography.

The JWKS is cached per process and URL, and fetched again when a token names a key id (``kid``) the cache
does not hold (LINE rotated its keys) — at most once a second, so that tokens with made-up kids cannot
turn Raksa into a JWKS fetching loop — and when the cached copy is an hour old (a withdrawn key goes).
"""

import json
import logging
import threading
import time
from dataclasses import dataclass

import urllib3
from django.conf import settings
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from .errors import IdTokenInvalid

log = logging.getLogger(__name__)

ALGORITHM = "ES256"  # LINE signs LIFF / LINE Login ID tokens with ES256; nothing else is accepted
CLOCK_SKEW_SECONDS = 60
JWKS_TIMEOUT = urllib3.Timeout(connect=2.0, read=3.0)
JWKS_REFETCH_SECONDS = 1.0  # an unknown kid fetches the JWKS again at most this often
JWKS_MAX_AGE_SECONDS = 3600.0


@dataclass(frozen=True)
class IdTokenClaims:
    sub: str  # the LINE user ID
    name: str | None  # display name (with the "profile" scope)
    picture: str | None
    aud: str  # the LINE Login channel ID
    iss: str
    exp: int
    iat: int


class _Jwks:
    """The EC P-256 keys of one JWKS URL by kid; thread-safe (one fetch at a time, others wait for it)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.keys: dict[str, ECKey] = {}
        self.fetched_at: float | None = None  # time.monotonic() of the last fetch, whether it worked or not
        self.lock = threading.Lock()

    def key(self, kid: str) -> ECKey | None:
        with self.lock:
            age = None if self.fetched_at is None else time.monotonic() - self.fetched_at
            if age is None or age >= JWKS_MAX_AGE_SECONDS or (kid not in self.keys and age >= JWKS_REFETCH_SECONDS):
                self.fetched_at = time.monotonic()
                try:
                    self.keys = _fetch_keys(self.url)
                except _FETCH_ERRORS as error:
                    log.warning("LINE JWKS %s not fetched: %s", self.url, error)
            return self.keys.get(kid)


def _fetch_keys(url: str) -> dict[str, ECKey]:
    response = urllib3.request("GET", url, timeout=JWKS_TIMEOUT, retries=False)
    if response.status != 200:
        raise ValueError(f"HTTP {response.status}")
    keys = {}
    for jwk in json.loads(response.data)["keys"]:
        if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256" and isinstance(jwk.get("kid"), str):
            keys[jwk["kid"]] = ECKey.import_key(jwk)
    return keys


# No answer, not 200, not JSON, not a JWKS: the cached keys stay.
_FETCH_ERRORS = (urllib3.exceptions.HTTPError, ValueError, LookupError, TypeError, AttributeError, JoseError)

_jwks_by_url: dict[str, _Jwks] = {}
_jwks_by_url_lock = threading.Lock()


def _jwks() -> _Jwks:
    url = settings.LINE_JWKS_URL
    with _jwks_by_url_lock:
        return _jwks_by_url.setdefault(url, _Jwks(url))


def verify_id_token(token: str, *, nonce: str | None = None, now: float | None = None) -> IdTokenClaims:
    """The claims of a LINE ID token that is ES256-signed by a key of LINE's JWKS, issued by
    settings.LINE_ID_TOKEN_ISSUER for settings.LINE_LOGIN_CHANNEL_ID, not expired, not issued in the future
    (``CLOCK_SKEW_SECONDS`` allowed both ways) and, when ``nonce`` is given, carrying that nonce.
    Raises IdTokenInvalid with the reason otherwise."""
    now = time.time() if now is None else now
    try:
        signed = jws.extract_compact(token.encode("utf-8"))
        header = signed.headers()
        claims = json.loads(signed.payload)
    except (JoseError, ValueError, TypeError, AttributeError) as error:
        raise IdTokenInvalid("malformed", str(error)) from error
    if header.get("alg") != ALGORITHM:
        raise IdTokenInvalid("algorithm", f"alg {header.get('alg')!r}, {ALGORITHM} expected")
    kid = header.get("kid")
    key = _jwks().key(kid) if isinstance(kid, str) else None
    if key is None:
        raise IdTokenInvalid("unknown_key", f"kid {kid!r} not in {settings.LINE_JWKS_URL}")
    try:
        valid = jws.validate_compact(signed, key, algorithms=[ALGORITHM])
    except JoseError as error:
        raise IdTokenInvalid("signature", str(error)) from error
    if not valid:
        raise IdTokenInvalid("signature")

    if not isinstance(claims, dict) or not all(isinstance(claims.get(name), str) for name in ("sub", "iss", "aud")):
        raise IdTokenInvalid("malformed", "sub, iss and aud are required strings")
    if not all(type(claims.get(name)) in (int, float) for name in ("exp", "iat")):
        raise IdTokenInvalid("malformed", "exp and iat are required numbers")
    if claims["iss"] != settings.LINE_ID_TOKEN_ISSUER:
        raise IdTokenInvalid("issuer", f"iss {claims['iss']!r}")
    if claims["aud"] != settings.LINE_LOGIN_CHANNEL_ID:
        raise IdTokenInvalid("audience", f"aud {claims['aud']!r}")
    if now > claims["exp"] + CLOCK_SKEW_SECONDS:
        raise IdTokenInvalid("expired", f"expired {now - claims['exp']:.0f} s ago")
    if claims["iat"] > now + CLOCK_SKEW_SECONDS:
        raise IdTokenInvalid("not_yet_valid", f"issued {claims['iat'] - now:.0f} s from now")
    if nonce is not None and claims.get("nonce") != nonce:
        raise IdTokenInvalid("nonce")
    return IdTokenClaims(
        sub=claims["sub"],
        name=claims.get("name"),
        picture=claims.get("picture"),
        aud=claims["aud"],
        iss=claims["iss"],
        exp=int(claims["exp"]),
        iat=int(claims["iat"]),
    )
