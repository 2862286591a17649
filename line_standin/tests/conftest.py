"""A tiny local "Raksa": it records the webhook calls the stand-in makes and serves a LIFF page that uses the
stand-in's LIFF shim (for the viewer's browser test)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

LIFF_PAGE = """<!doctype html><html lang="th"><head><meta charset="utf-8"><title>LIFF test page</title>
<script src="{standin}/static/liff-shim.js"></script></head><body>
<p id="out">…</p><p id="api">…</p><button id="scan">scan</button><button id="close">close</button>
<script>
  var out = document.getElementById("out");
  function unknownApi() {{
    try {{ liff.isApiAvailable("nonsense"); return "no error"; }} catch (error) {{ return error.code; }}
  }}
  var before = liff.isApiAvailable("scanCodeV2");
  liff.init({{liffId: "1650000001-raksa"}}).then(function () {{
    document.getElementById("api").textContent = [before, liff.isApiAvailable("scanCodeV2"),
      liff.isApiAvailable("shareTargetPicker"), unknownApi()].join("|");
    var claims = liff.getDecodedIDToken();
    return liff.getProfile().then(function (profile) {{
      out.textContent = [profile.displayName, claims.sub, claims.aud, liff.isInClient(), liff.isLoggedIn(),
                         liff.getIDToken().split(".").length].join("|");
    }});
  }}).catch(function (error) {{ out.textContent = "ERROR " + error; }});
  document.getElementById("scan").onclick = function () {{
    liff.scanCodeV2().then(function (result) {{ out.textContent = "QR:" + result.value; }},
                           function (error) {{ out.textContent = "REFUSED " + error.code; }});
  }};
  document.getElementById("close").onclick = function () {{ liff.closeWindow(); }};
</script></body></html>"""


@dataclass
class Receiver:
    url: str
    calls: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)  # (path, headers, body)
    status: int = 200
    standin_url: str = ""  # where the LIFF page loads the shim from


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.calls.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            self._answer(state.status, "application/json", b"{}")

        def do_GET(self) -> None:
            if self.path.startswith("/liff/"):
                self._answer(200, "text/html; charset=utf-8", LIFF_PAGE.format(standin=state.standin_url).encode())
            else:
                self._answer(404, "text/plain", b"not found")

        def _answer(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
