"""The stand-in's settings: command-line options, else environment variables with the names Raksa's settings
use (config/settings/base.py, "--- LINE ---"), else the same demo defaults."""

from __future__ import annotations

import argparse
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULTS = {
    "LINE_CHANNEL_SECRET": "raksa-demo-channel-secret",
    "LINE_CHANNEL_ACCESS_TOKEN": "raksa-demo-channel-access-token",
    "LINE_LOGIN_CHANNEL_ID": "1650000001",
    "LINE_ID_TOKEN_ISSUER": "https://access.line.me",
    "RAKSA_URL": "http://127.0.0.1:8000",
}


@dataclass(frozen=True)
class Config:
    host: str
    port: int
    state_dir: Path
    channel_secret: str
    channel_access_token: str
    login_channel_id: str
    id_token_issuer: str
    raksa_url: str  # Raksa's origin: webhook {raksa_url}/line/webhook, LIFF endpoint {raksa_url}/liff/
    public_url: str  # how browsers and Raksa reach this program (avatars, the LIFF shim)
    reply_token_seconds: int
    id_token_seconds: int
    access_log: bool
    liff_scan_qr: bool = True  # the LIFF app's "Scan QR" setting: liff.scanCodeV2 may run

    @property
    def webhook_url(self) -> str:
        return f"{self.raksa_url}/line/webhook"

    @property
    def liff_url(self) -> str:
        return f"{self.raksa_url}/liff/"

    @property
    def bot_user_id(self) -> str:
        """The bot's own user ID (the webhook body's ``destination``), fixed by the channel secret."""
        return "U" + hashlib.sha256(("bot:" + self.channel_secret).encode()).hexdigest()[:32]


def parse_args(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> Config:
    env = os.environ if environ is None else environ

    def setting(name: str) -> str:
        return env.get(name, DEFAULTS[name])

    parser = argparse.ArgumentParser(
        prog="python -m line_standin",
        description="A local stand-in for the LINE platform (Messaging API, LINE Login, webhooks) with a chat "
                    "viewer at /. Each option also reads the environment variable named like Raksa's setting "
                    "(LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN, LINE_LOGIN_CHANNEL_ID, LINE_ID_TOKEN_ISSUER, "
                    "RAKSA_URL, LINE_STANDIN_URL).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--state-dir", default="var/line-standin", help="SQLite state (survives a restart)")
    parser.add_argument("--line-channel-secret", default=setting("LINE_CHANNEL_SECRET"))
    parser.add_argument("--line-channel-access-token", default=setting("LINE_CHANNEL_ACCESS_TOKEN"))
    parser.add_argument("--line-login-channel-id", default=setting("LINE_LOGIN_CHANNEL_ID"))
    parser.add_argument("--line-id-token-issuer", default=setting("LINE_ID_TOKEN_ISSUER"))
    parser.add_argument("--raksa-url", default=setting("RAKSA_URL"))
    parser.add_argument("--line-standin-url", default=env.get("LINE_STANDIN_URL"),
                        help="this program's URL as browsers see it (default http://HOST:PORT)")
    # LINE's reply tokens are good for one use, shortly after the webhook; a minute here.
    parser.add_argument("--reply-token-seconds", type=int, default=60)
    parser.add_argument("--id-token-seconds", type=int, default=3600)
    parser.add_argument("--access-log", action="store_true", help="log every request to stderr")
    parser.add_argument("--liff-scan-qr", choices=("on", "off"), default="on",
                        help="the LIFF app's \"Scan QR\" setting: off makes liff.isApiAvailable('scanCodeV2') false")
    args = parser.parse_args(argv)
    public_url = (args.line_standin_url or f"http://{args.host}:{args.port}").rstrip("/")
    return Config(
        host=args.host, port=args.port, state_dir=Path(args.state_dir),
        channel_secret=args.line_channel_secret, channel_access_token=args.line_channel_access_token,
        login_channel_id=args.line_login_channel_id, id_token_issuer=args.line_id_token_issuer,
        raksa_url=args.raksa_url.rstrip("/"), public_url=public_url,
        reply_token_seconds=args.reply_token_seconds, id_token_seconds=args.id_token_seconds,
        access_log=args.access_log, liff_scan_qr=args.liff_scan_qr == "on",
    )
