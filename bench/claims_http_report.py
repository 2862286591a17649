"""Print the claims rate phase's figures as JSON lines (scripts/bench-claims-http.sh):

    claims_http_report.py HTTP_JSON

``claims.http.rate``: claims answered 201 (stored, decided by the rules, the visit closed) per second of the phase,
64 clients over HTTP; ``claims.http.p99_ms`` / ``p50_ms``: latency of every answer; ``claims.http.errors``: answers
other than 201 (there should be none: each request is a fresh key for an open visit of the unit that sends it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def line(name: str, value, unit: str) -> None:
    print(json.dumps({"name": name, "value": value, "unit": unit}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("http", type=Path)
    http = json.loads(parser.parse_args().http.read_text())
    sent = http["outcomes"].get("201", 0)
    if sent < http["count"]:
        print(f"claims bench: answers other than 201: {http['outcomes']}", file=sys.stderr)
    line("claims.http.rate", round(sent / http["seconds"], 1) if http["seconds"] else 0.0, "claims/s")
    line("claims.http.p50_ms", http["p50_ms"], "ms")
    line("claims.http.p99_ms", http["p99_ms"], "ms")
    line("claims.http.errors", http["count"] - sent, "requests")


if __name__ == "__main__":
    main()
