"""The stand-in's parts wired together, and the server that serves them."""

from __future__ import annotations

import logging
import signal
import sqlite3
import sys
from urllib.parse import urlsplit

from line_standin.config import Config
from line_standin.http import Request, Router, StandinServer
from line_standin.store import Store
from line_standin.tokens import Tokens
from line_standin.webhook import Delivery

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


class App:
    def __init__(self, config: Config):
        self.config = config
        self.store = Store(config.state_dir)
        self.tokens = Tokens(self.store, config)
        self.delivery = Delivery(self.store, config)
        self.raksa_origin = _origin(config.raksa_url)

    def profile(self, user: sqlite3.Row) -> dict:
        """LINE's profile of a user (messaging-api.yml UserProfileResponse)."""
        return {"userId": user["user_id"], "displayName": user["display_name"], "language": "th",
                "pictureUrl": f"{self.config.public_url}/_standin/avatar/{user['user_id']}.svg"}

    def cors(self, request: Request) -> dict[str, str]:
        """CORS for the stand-in's own endpoints (the LIFF shim on Raksa's pages calls them): Raksa's origin,
        and any origin on this machine (127.0.0.1, localhost)."""
        origin = request.header("Origin")
        if not origin or not request.path.startswith(("/_standin/", "/static/")):
            return {}
        if origin != self.raksa_origin and urlsplit(origin).hostname not in LOCAL_HOSTS:
            return {}
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin",
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "600"}

    def router(self) -> Router:
        from line_standin import messaging_api, standin_api

        router = Router()
        messaging_api.routes(router, self)
        standin_api.routes(router, self)
        return router


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def serve(config: Config) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s line-standin %(levelname)s %(message)s")
    app = App(config)
    server = StandinServer((config.host, config.port), app.router(), cors=app.cors, access_log=config.access_log)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    logging.getLogger("line_standin").info(
        "LINE stand-in on %s (chat viewer at /), state in %s, webhook to %s", config.public_url,
        app.store.path, config.webhook_url)
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
