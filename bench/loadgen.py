"""A small HTTP/1.1 load generator (asyncio, keep-alive), so a surge needs no extra tool.

Reads a JSON-lines plan of requests on stdin-like file: {"path": ..., "body": {...}, "key": ...} and
sends them with C concurrent clients, each over one kept-alive connection, in plan order. Prints one
JSON object: count, seconds, rate, p50/p99 latency (ms) and a histogram of outcomes (HTTP status and
the error ``code`` of 4xx bodies). Only the project's own server on loopback is ever a target.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import Counter


async def _client(host: str, port: int, queue: asyncio.Queue, latencies: list[float], outcomes: Counter,
                  deadline: float) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < deadline:
            try:
                request = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            writer.write(request)
            status_line = await reader.readline()
            if not status_line:  # server closed an idle connection: reconnect, send this request again
                outcomes["reconnect"] += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                queue.put_nowait(request)
                continue
            status = int(status_line.split()[1])
            length, close = 0, False
            for line in (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower().split("\r\n"):
                name, _, value = line.partition(":")
                if name == "content-length":
                    length = int(value)
                elif name == "connection" and value.strip() == "close":
                    close = True
            payload = await reader.readexactly(length) if length else b""
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
            latencies.append((time.perf_counter() - started) * 1000)
            if 400 <= status < 500:
                try:
                    outcomes[f"{status} {json.loads(payload).get('code')}"] += 1
                except ValueError:
                    outcomes[str(status)] += 1
            else:
                outcomes[str(status)] += 1
    finally:
        writer.close()


def _request(item: dict, host: str, port: int) -> bytes:
    """A booking plan's item: {"path", "body", "key"} (POST JSON with an API key). Other plans add "method",
    "headers" (sent as given) and "raw" (a body sent byte for byte: a signed webhook must not be re-encoded)."""
    body = item["raw"].encode() if "raw" in item else json.dumps(item["body"]).encode() if "body" in item else b""
    headers = {"Host": f"{host}:{port}"}
    if "body" in item or "raw" in item:
        headers["Content-Type"] = "application/json"
    if "key" in item:
        headers["Authorization"] = f"Bearer {item['key']}"
    headers.update(item.get("headers", {}))
    headers["Content-Length"] = str(len(body))
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return f"{item.get('method', 'POST')} {item['path']} HTTP/1.1\r\n{head}\r\n".encode() + body


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def run(plan: list[dict], host: str, port: int, concurrency: int, max_seconds: float,
              latencies: list[float] | None = None) -> dict:
    queue: asyncio.Queue = asyncio.Queue()
    for item in plan:  # written out before the clock starts: the generator shares the server's 2 cores
        queue.put_nowait(_request(item, host, port))
    latencies = [] if latencies is None else latencies
    outcomes: Counter = Counter()
    started = time.perf_counter()
    deadline = time.monotonic() + max_seconds
    results = await asyncio.gather(*(_client(host, port, queue, latencies, outcomes, deadline)
                                     for _ in range(concurrency)), return_exceptions=True)
    seconds = time.perf_counter() - started
    for result in results:
        if isinstance(result, Exception):
            outcomes[f"client error {type(result).__name__}"] += 1
    return {"count": len(latencies), "seconds": round(seconds, 3), "rate": round(len(latencies) / seconds, 1),
            "p50_ms": round(percentile(latencies, 50), 2), "p99_ms": round(percentile(latencies, 99), 2),
            "outcomes": dict(outcomes)}


def _fast_event_loop() -> None:
    """uvloop when installed (pyproject): the generator runs on the same 2 cores as the server, and
    every cycle it spends is one the server does not get."""
    try:
        import uvloop
    except ImportError:
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def main() -> None:
    _fast_event_loop()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("plans", nargs="+", help="JSON-lines files of requests, run one after the other")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--max-seconds", type=float, default=120)
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loadgen only targets this machine's loopback")
    phases, everything = {}, []
    for path in args.plans:
        with open(path) as f:
            plan = [json.loads(line) for line in f if line.strip()]
        latencies: list[float] = []
        phases[path] = asyncio.run(run(plan, args.host, args.port, args.concurrency, args.max_seconds, latencies))
        everything += latencies
    total_seconds = sum(p["seconds"] for p in phases.values())
    outcomes: Counter = Counter()
    for phase in phases.values():
        outcomes.update(phase["outcomes"])
    print(json.dumps({"phases": phases, "count": len(everything), "seconds": round(total_seconds, 3),
                      "rate": round(len(everything) / total_seconds, 1), "p50_ms": round(percentile(everything, 50), 2),
                      "p99_ms": round(percentile(everything, 99), 2), "outcomes": dict(outcomes)}))


if __name__ == "__main__":
    main()
