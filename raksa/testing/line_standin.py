"""The LINE stand-in (line_standin/, a separate program) as a subprocess for the tests.

Fixtures (registered in the root conftest.py):

- ``line_standin``: a stand-in on a free port with its own temporary state directory, its channel secret,
  token and LINE Login channel taken from Django's settings. Django's LINE settings (API and data hosts,
  JWKS, LIFF SDK URL) point at it for the test. When the test also uses ``live_server`` (the ``page`` and
  ``phone`` fixtures do), the stand-in's webhooks and phone frame go to that server; otherwise to a port where
  nothing listens (a webhook answers 502).
- ``line_standin_factory``: ``start(raksa_url=…, args=(…))`` for more stand-ins or another Raksa URL; all are stopped
  when the test ends.

The object has ``base_url`` and small helpers (``get``, ``post``, ``messages``, ``id_token``, ``webhook``,
``redeliver``, ``stats``, ``rotate_key``, ``restart``), each answering a ``StandinAnswer``
(status, headers, body) or plain values.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
NOWHERE = "http://127.0.0.1:9"  # the discard port: nothing answers
START_TIMEOUT_SECONDS = 15


@dataclass
class StandinAnswer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


def stop_process(process: subprocess.Popen | None) -> None:
    """Stop a stand-in's process: SIGTERM, then SIGKILL after 5 s (nothing if it is not running)."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The stand-in with its clocks moved by the test's offset (time-machine, ticking): ``python -c`` this, the
# offset in seconds, then the stand-in's options.
_SHIFTED = ("import runpy, sys, time, time_machine; offset = float(sys.argv.pop(1)); "
            "time_machine.travel(time.time() + offset, tick=True).start(); sys.argv[0] = 'line_standin'; "
            "runpy.run_module('line_standin', run_name='__main__', alter_sys=True)")


def on_the_tests_clock() -> list[str]:
    """The command that starts the stand-in, on the test's clock: when the test moved time (``bangkok_morning``,
    ``--bangkok-time``), the stand-in moves by as much, or its ID tokens would be issued hours away from
    Raksa's now and refused (``iat`` in the future, or expired)."""
    from time_machine import escape_hatch

    if not escape_hatch.is_travelling():
        return [sys.executable, "-m", "line_standin"]
    offset = time.time() - escape_hatch.time.time()
    return [sys.executable, "-c", _SHIFTED, repr(offset)]


@dataclass
class LineStandin:
    state_dir: Path
    raksa_url: str
    channel_secret: str
    channel_access_token: str
    login_channel_id: str
    id_token_issuer: str
    args: tuple[str, ...] = ()  # more command-line options
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def host(self) -> str:
        """The host name browsers use for it: Raksa's own (localhost for pytest-django's live_server), so that
        the viewer, its phone frame and Raksa's frame-ancestors policy all name the same site."""
        raksa_host = urlsplit(self.raksa_url).hostname
        return raksa_host if raksa_host in ("localhost", "127.0.0.1") else "127.0.0.1"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.state_dir.parent / f"{self.state_dir.name}.log"

    # --- the process ------------------------------------------------------------------------------

    def start(self) -> None:
        env = {**os.environ, "LINE_CHANNEL_SECRET": self.channel_secret,
               "LINE_CHANNEL_ACCESS_TOKEN": self.channel_access_token,
               "LINE_LOGIN_CHANNEL_ID": self.login_channel_id, "LINE_ID_TOKEN_ISSUER": self.id_token_issuer,
               "RAKSA_URL": self.raksa_url, "LINE_STANDIN_URL": self.base_url}
        options = ["--host", "127.0.0.1", "--port", str(self.port), "--state-dir", str(self.state_dir), *self.args]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(on_the_tests_clock() + options, cwd=REPO, env=env, stdout=log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the LINE stand-in exited ({self.process.returncode}):\n{self.log()}")
            try:
                if self.get("/_standin/health").status == 200:
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the LINE stand-in did not answer within {START_TIMEOUT_SECONDS} s:\n{self.log()}")

    def stop(self) -> None:
        stop_process(self.process)

    def restart(self) -> None:
        """Stops and starts it again on the same port with the same state directory."""
        self.stop()
        self.start()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # --- HTTP -------------------------------------------------------------------------------------

    def request(self, method: str, path: str, *, json_body: object = None, data: bytes | None = None,
                headers: dict[str, str] | None = None, timeout: float = 15) -> StandinAnswer:
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers = {"Content-Type": "application/json", **(headers or {})}
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return StandinAnswer(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
        except urllib.error.HTTPError as error:
            return StandinAnswer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())

    def get(self, path: str, **kwargs: object) -> StandinAnswer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json_body: object = None, **kwargs: object) -> StandinAnswer:
        return self.request("POST", path, json_body=json_body, **kwargs)

    def bot_headers(self) -> dict[str, str]:
        """The channel access token, as Raksa's LINE client sends it."""
        return {"Authorization": f"Bearer {self.channel_access_token}"}

    # --- helpers ----------------------------------------------------------------------------------

    def users(self) -> list[dict]:
        return self.get("/_standin/users").json()["users"]

    def messages(self, user_id: str) -> list[dict]:
        """What the user received, in order: [{id, via, retry_key, timestamp, message}]."""
        return self.get(f"/_standin/messages?user_id={user_id}").json()["messages"]

    def id_token(self, user_id: str, nonce: str | None = None) -> str:
        body = {"user_id": user_id} if nonce is None else {"user_id": user_id, "nonce": nonce}
        return self.post("/_standin/id-token", body).json()["id_token"]

    def webhook(self, user_id: str, type: str, *, text: str | None = None,
                data: str | None = None) -> StandinAnswer:
        """The user follows / unfollows / sends ``text`` / taps a postback with ``data``: the stand-in signs the
        event and posts it to Raksa; the answer carries Raksa's status and the event."""
        body = {"user_id": user_id, "type": type, "text": text, "data": data}
        return self.post("/_standin/webhook", {k: v for k, v in body.items() if v is not None})

    def redeliver(self, *, user_id: str | None = None, webhook_event_id: str | None = None) -> StandinAnswer:
        body = {"user_id": user_id, "webhookEventId": webhook_event_id}
        return self.post("/_standin/redeliver", {k: v for k, v in body.items() if v is not None})

    def stats(self) -> dict:
        return self.get("/_standin/stats").json()

    def rotate_key(self) -> str:
        return self.post("/_standin/rotate-key", {}).json()["kid"]


@pytest.fixture
def line_standin_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., LineStandin]]:
    from django.conf import settings

    started: list[LineStandin] = []

    def start(*, raksa_url: str = NOWHERE, args: tuple[str, ...] = (), **overrides: str) -> LineStandin:
        options = {"channel_secret": settings.LINE_CHANNEL_SECRET,
                   "channel_access_token": settings.LINE_CHANNEL_ACCESS_TOKEN,
                   "login_channel_id": settings.LINE_LOGIN_CHANNEL_ID,
                   "id_token_issuer": settings.LINE_ID_TOKEN_ISSUER, **overrides}
        standin = LineStandin(state_dir=tmp_path_factory.mktemp("line-standin") / "state",
                              raksa_url=raksa_url.rstrip("/"), args=tuple(args), **options)
        started.append(standin)
        standin.start()
        return standin

    yield start
    for standin in started:
        standin.stop()


@pytest.fixture
def line_standin(request: pytest.FixtureRequest, line_standin_factory: Callable[..., LineStandin],
                 settings: Any) -> LineStandin:  # settings: pytest-django's fixture
    raksa_url = request.getfixturevalue("live_server").url if "live_server" in request.fixturenames else NOWHERE
    standin = line_standin_factory(raksa_url=raksa_url)
    settings.LINE_STANDIN_URL = standin.base_url
    settings.LINE_API_BASE_URL = standin.base_url
    settings.LINE_API_DATA_BASE_URL = standin.base_url
    settings.LINE_JWKS_URL = f"{standin.base_url}/oauth2/v2.1/certs"
    settings.LINE_LIFF_SDK_URL = f"{standin.base_url}/static/liff-shim.js"
    return standin
