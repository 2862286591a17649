"""LINE Login's ID tokens: an ES256 (P-256) signing key kept in the state, its JWKS, tokens and verify.

As LINE: the JWKS at /oauth2/v2.1/certs lists the keys by ``kid``; a token says which one signed it. Rotating
makes a new key the signer; the JWKS keeps the previous one too, so tokens already handed out still verify.
"""

from __future__ import annotations

import json
import secrets
import time

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet

from line_standin.config import Config
from line_standin.store import Store, now_ms

KEYS_PUBLISHED = 2  # the signer and the one before it


class Tokens:
    def __init__(self, store: Store, config: Config):
        self.store = store
        self.config = config
        with store.read() as db:
            has_key = db.execute("SELECT 1 FROM signing_keys").fetchone()
        if not has_key:
            self.rotate()

    def rotate(self) -> str:
        """A new signing key; returns its kid."""
        kid = secrets.token_hex(16)
        key = ECKey.generate_key("P-256", parameters={"kid": kid, "use": "sig", "alg": "ES256"}, private=True)
        with self.store.write() as db:
            db.execute("INSERT INTO signing_keys (kid, jwk, created_at) VALUES (?, ?, ?)",
                       (kid, json.dumps(key.as_dict(private=True)), now_ms()))
        return kid

    def _keys(self) -> list[ECKey]:
        """The published keys, newest (the signer) first."""
        with self.store.read() as db:
            rows = db.execute("SELECT jwk FROM signing_keys ORDER BY seq DESC LIMIT ?", (KEYS_PUBLISHED,)).fetchall()
        return [ECKey.import_key(json.loads(row["jwk"])) for row in rows]

    def jwks(self) -> dict:
        return {"keys": [key.as_dict(private=False) for key in self._keys()]}

    def id_token(self, *, user_id: str, display_name: str, picture_url: str, nonce: str | None = None) -> str:
        key = self._keys()[0]
        issued = int(time.time())
        claims: dict[str, object] = {
            "iss": self.config.id_token_issuer, "sub": user_id, "aud": self.config.login_channel_id,
            "exp": issued + self.config.id_token_seconds, "iat": issued, "auth_time": issued,
            "amr": ["linesso"], "name": display_name, "picture": picture_url,
        }
        if nonce:
            claims["nonce"] = nonce
        return jwt.encode({"alg": "ES256", "typ": "JWT", "kid": key.kid}, claims, key)

    def verify(self, *, id_token: str, client_id: str, nonce: str | None = None) -> dict:
        """LINE's POST /oauth2/v2.1/verify: the claims, or ValueError with LINE's error description."""
        try:
            token = jwt.decode(id_token, KeySet(self._keys()), algorithms=["ES256"])
        except (JoseError, ValueError) as exc:
            raise ValueError("Invalid IdToken.") from exc
        claims = dict(token.claims)
        if claims.get("iss") != self.config.id_token_issuer:
            raise ValueError("Invalid IdToken Issuer.")
        if int(claims.get("exp", 0)) < time.time():
            raise ValueError("IdToken expired.")
        if claims.get("aud") != client_id:
            raise ValueError("Invalid IdToken Audience.")
        if nonce is not None and claims.get("nonce") != nonce:
            raise ValueError("Invalid IdToken Nonce.")
        return claims
