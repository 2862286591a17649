"""A small HTTP layer over the standard library: requests, responses, a router and a threaded server.

HTTP/1.1 with keep-alive (Raksa's LINE client keeps its connections), one thread per connection.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger("line_standin")

MAX_BODY = 10 * 1024 * 1024  # rich menu images are at most 1 MB at LINE; JSON far less


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    request_id: str = ""  # X-Line-Request-Id of the answer
    params: dict[str, str] = field(default_factory=dict)  # from the route's pattern

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> object:
        """The body as JSON; raises BadRequest (LINE's 400 shape) when it is not."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadRequest("The request body has 1 error(s)",
                             [{"message": f"Invalid JSON: {exc}", "property": ""}]) from None


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: object, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, "application/json", dict(headers or {}))


def line_error(status: int, message: str, details: list[dict] | None = None,
               headers: dict[str, str] | None = None) -> Response:
    """LINE's error body: {"message": …, "details": [{"message", "property"}]} (details only when any)."""
    payload: dict[str, object] = {"message": message}
    if details:
        payload["details"] = details
    return json_response(status, payload, headers)


class HttpError(Exception):
    def __init__(self, response: Response):
        super().__init__(response.status)
        self.response = response


class BadRequest(HttpError):
    def __init__(self, message: str, details: list[dict] | None = None):
        super().__init__(line_error(400, message, details))


Handler = Callable[[Request], Response]


class Router:
    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """``pattern`` is a path with ``{name}`` parts (one path segment each)."""
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        self.routes.append((method, re.compile(f"^{regex}$"), handler))

    def resolve(self, method: str, path: str) -> tuple[Handler | None, dict[str, str], bool]:
        """(handler, params, path_known): path_known tells 405 from 404."""
        path_known = False
        for route_method, regex, handler in self.routes:
            match = regex.match(path)
            if match:
                path_known = True
                if route_method == method:
                    return handler, match.groupdict(), True
        return None, {}, path_known


class StandinServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # the benchmark's 64 clients connect at once

    def __init__(self, address: tuple[str, int], router: Router, *,
                 cors: Callable[[Request], dict[str, str]], access_log: bool = False):
        self.router = router
        self.cors = cors
        self.access_log = access_log
        super().__init__(address, RequestHandler)


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: StandinServer
    server_version = "line-standin"
    sys_version = ""
    timeout = 120  # seconds a kept-alive connection may sit idle (its thread is freed then)
    # Headers and body go out as two writes: with Nagle's algorithm the second waits for the client's delayed
    # ACK (40 ms a request on a kept-alive connection).
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_DELETE = do_PUT = do_OPTIONS = do_HEAD = do_GET

    def _handle(self) -> None:
        request_id = str(uuid.uuid4())
        try:
            response = self._respond(request_id)
        except Exception:  # a bug here: a 500 in LINE's shape, the traceback on stderr
            log.exception("error while serving %s %s", self.command, self.path)
            response = line_error(500, "An error occurred in the stand-in")
            self.close_connection = True
        self._send(response, request_id)

    def _respond(self, request_id: str) -> Response:
        split = urlsplit(self.path)
        length_header = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            return line_error(411, "Content-Length is required")
        try:
            length = int(length_header or 0)
        except ValueError:
            self.close_connection = True
            return line_error(400, "Invalid Content-Length")
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            return line_error(413, "Request entity too large")
        body = self.rfile.read(length) if length else b""
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        request = Request(self.command, split.path, query, {k.lower(): v for k, v in self.headers.items()}, body,
                          request_id)
        cors = self.server.cors(request)
        if request.method == "OPTIONS":
            return Response(204, headers=cors)
        handler, params, path_known = self.server.router.resolve(request.method, request.path)
        if handler is None and request.method == "HEAD":
            handler, params, path_known = self.server.router.resolve("GET", request.path)
        if handler is None:
            if path_known:
                return line_error(405, "Method not allowed", headers=cors)
            return line_error(404, "Not found", headers=cors)
        request.params = params
        try:
            response = handler(request)
        except HttpError as exc:
            response = exc.response
        for name, value in cors.items():
            response.headers.setdefault(name, value)
        return response

    def _send(self, response: Response, request_id: str) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("X-Line-Request-Id", request_id)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        if self.server.access_log:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def log_error(self, format: str, *args: object) -> None:
        sys.stderr.write(f"{self.address_string()} - {format % args}\n")
