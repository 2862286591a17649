"""The stand-in's options and its HTTP server (standard library: one thread per connection).

Protocol (Raksa's own assumption of the registry's interface; civil_registry_standin/README.md):
``POST /v1/photo`` with ``Authorization: Bearer <token>`` and ``{"pid": "<13 digits>"}`` answers 200
``{"pid", "content_type": "image/jpeg", "photo": <base64>}``; 400 a malformed body, 401 a missing or wrong
token, 404 a person without a photo, 503 while ``--broken``. ``GET /health`` answers 200 without a token.
"""

from __future__ import annotations

import argparse
import base64
import hmac
import json
import logging
import os
import re
import signal
import sys
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from civil_registry_standin.photos import load_records

log = logging.getLogger("civil_registry_standin")

DEFAULT_TOKEN = "raksa-demo-civil-registry-token"  # Raksa's RAKSA_CIVIL_REGISTRY_TOKEN outside production
MAX_BODY = 64 * 1024
PID = re.compile(r"[0-9]{13}")


@dataclass(frozen=True)
class Config:
    host: str
    port: int
    token: str
    delay: float = 0.0  # seconds to wait before answering a photo request (tests of the client's timeout)
    broken: bool = False  # answer every photo request 503, as a registry whose back end is down
    extra: dict[str, Path] = field(default_factory=dict)


def _photo_option(text: str) -> tuple[str, Path]:
    pid, sep, path = text.partition("=")
    if not sep or not PID.fullmatch(pid) or not Path(path).is_file():
        raise argparse.ArgumentTypeError(f"expected PID=FILE (13 digits, an existing image file): {text!r}")
    return pid, Path(path)


def parse_args(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> Config:
    env = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(
        prog="python -m civil_registry_standin",
        description="A local stand-in for the civil registry's reference photos (POST /v1/photo). The token "
                    "also reads RAKSA_CIVIL_REGISTRY_TOKEN, the port CIVIL_REGISTRY_STANDIN_PORT.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(env.get("CIVIL_REGISTRY_STANDIN_PORT", "8101")))
    parser.add_argument("--token", default=env.get("RAKSA_CIVIL_REGISTRY_TOKEN", DEFAULT_TOKEN),
                        help="the bearer token callers must send")
    parser.add_argument("--photo", type=_photo_option, action="append", default=[], metavar="PID=FILE",
                        help="one more record: this national ID's photo is this image file (repeatable)")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before answering a photo")
    parser.add_argument("--broken", action="store_true", help="answer every photo request 503")
    args = parser.parse_args(argv)
    return Config(host=args.host, port=args.port, token=args.token, delay=args.delay, broken=args.broken,
                  extra=dict(args.photo))


class Handler(BaseHTTPRequestHandler):
    server: RegistryServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # the path only: bodies hold national IDs
        pass

    def _answer(self, status: int, payload: dict) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, code: str, message: str) -> None:
        self._answer(status, {"code": code, "message": message})

    def do_GET(self) -> None:
        if self.path == "/health":
            self._answer(200, {"status": "ok", "records": len(self.server.records)})
        else:
            self._error(404, "NO_SUCH_ENDPOINT", "no such endpoint")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            self._error(413, "BODY_TOO_LARGE", "the body is too large")
            return
        body = self.rfile.read(length)
        if self.path != "/v1/photo":
            self._error(404, "NO_SUCH_ENDPOINT", "no such endpoint")
            return
        config = self.server.config
        sent = self.headers.get("Authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {config.token}".encode()):
            self._error(401, "UNAUTHORIZED", "a valid bearer token is required")
            return
        try:
            pid = json.loads(body)["pid"]
        except (ValueError, TypeError, KeyError):
            self._error(400, "BAD_REQUEST", 'the body must be JSON {"pid": "<13 digits>"}')
            return
        if not isinstance(pid, str) or not PID.fullmatch(pid):
            self._error(400, "BAD_REQUEST", "pid must be 13 digits")
            return
        if config.delay:
            time.sleep(config.delay)
        if config.broken:
            self._error(503, "UNAVAILABLE", "the registry is not available")
            return
        photo = self.server.records.get(pid)
        if photo is None:
            log.info("photo: no record")
            self._error(404, "NOT_FOUND", "no photo for this person")
            return
        log.info("photo: answered %d bytes", len(photo))
        self._answer(200, {"pid": pid, "content_type": "image/jpeg", "photo": base64.b64encode(photo).decode()})


class RegistryServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, config: Config):
        self.config = config
        self.records = load_records(config.extra)
        super().__init__((config.host, config.port), Handler)


def serve(config: Config) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s civil-registry-standin %(levelname)s %(message)s")
    server = RegistryServer(config)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    log.info("civil registry stand-in on http://%s:%d (%d records)", config.host, config.port, len(server.records))
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
