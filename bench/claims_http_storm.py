"""The claims retry storm (scripts/bench-claims-http.sh): send storm.jsonl with C concurrent clients (keep-alive,
in plan order, like bench/loadgen.py) keeping every answer's status and body, then print as JSON lines:

``claims.duplicates``: authen codes of the storm with more than one claim in the database (must be 0);
``claims.storm.mismatched_keys``: Idempotency-Keys sent more than once whose answers were not all identical
(status and body byte for byte; must be 0); ``claims.storm.rate`` / ``claims.storm.p99_ms``: the storm's pace.
stderr: the outcomes and the counts behind the figures.

    claims_http_storm.py PLAN META --port P [--concurrency 64]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

from bench.loadgen import _fast_event_loop, _request, percentile  # noqa: E402


async def _client(host: str, port: int, queue: asyncio.Queue, answers: list) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while True:
            try:
                n, key, request = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            writer.write(request)
            status_line = await reader.readline()
            if not status_line:  # an idle connection closed: reconnect and send this request again
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                queue.put_nowait((n, key, request))
                continue
            status = int(status_line.split()[1])
            length, close = 0, False
            for line in (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower().split("\r\n"):
                name, _, value = line.partition(":")
                if name == "content-length":
                    length = int(value)
                elif name == "connection" and value.strip() == "close":
                    close = True
            body = await reader.readexactly(length) if length else b""
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
            answers.append((key, status, body, (time.perf_counter() - started) * 1000))
    finally:
        writer.close()


async def storm(plan: list[dict], host: str, port: int, concurrency: int) -> tuple[list, float]:
    queue: asyncio.Queue = asyncio.Queue()
    for n, item in enumerate(plan):
        queue.put_nowait((n, item["headers"]["Idempotency-Key"], _request(item, host, port)))
    answers: list = []
    started = time.perf_counter()
    await asyncio.gather(*(_client(host, port, queue, answers) for _ in range(concurrency)))
    return answers, time.perf_counter() - started


def line(name: str, value, unit: str) -> None:
    print(json.dumps({"name": name, "value": value, "unit": unit}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("plan", type=Path)
    parser.add_argument("meta", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    plan = [json.loads(row) for row in args.plan.read_text().splitlines() if row]
    _fast_event_loop()
    answers, seconds = asyncio.run(storm(plan, args.host, args.port, args.concurrency))

    import django

    django.setup()
    from django.db import connection

    by_key: dict[str, set] = defaultdict(set)
    outcomes: Counter = Counter()
    for key, status, body, _ in answers:
        by_key[key].add((status, body))
        outcomes[str(status) if status < 400 else f"{status} {json.loads(body or b'{}').get('code')}"] += 1
    sent = Counter(item["headers"]["Idempotency-Key"] for item in plan)
    repeated = [k for k, n in sent.items() if n > 1]
    mismatched = [k for k in repeated if len(by_key[k]) != 1]
    codes = sorted({item["body"]["authen_code"] for item in plan})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM (SELECT authen_code FROM claims_claim WHERE authen_code = ANY(%s)"
                       " GROUP BY authen_code HAVING count(*) > 1) d", [codes])
        duplicates = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM claims_claim WHERE authen_code = ANY(%s)", [codes])
        claims = cursor.fetchone()[0]
    print(f"claims storm: {len(answers)} answers of {len(plan)} submissions in {seconds:.1f} s; outcomes "
          f"{dict(outcomes)}; {len(repeated)} keys sent more than once ({sum(sent[k] for k in repeated)} sends), "
          f"{len(mismatched)} with differing answers; {len(codes)} authen codes, {claims} claims in the database",
          file=sys.stderr)
    latencies = [ms for *_, ms in answers]
    line("claims.duplicates", duplicates, "authen codes")
    if len(answers) < len(plan):
        print(f"claims storm: {len(plan) - len(answers)} submissions got no answer", file=sys.stderr)
    line("claims.storm.mismatched_keys", len(mismatched), "keys")
    line("claims.storm.rate", round(len(answers) / seconds, 1) if seconds else 0.0, "submissions/s")
    line("claims.storm.p99_ms", round(percentile(latencies, 99), 2), "ms")


if __name__ == "__main__":
    main()
