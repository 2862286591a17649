"""Read the booking server's log (its stderr: JSON lines from config.settings' LOGGING, and whatever
granian itself prints) after a surge: count the batches' one-by-one fallbacks and pass the rest on.

    server_log.py LOG --surge-from BYTES > fallbacks.json

A fallback is the record that raksa.booking.batch writes when requests of a batch are booked one by
one instead: logger ``raksa.booking.batch``, message ``booking.batch.fallback``, with ``reason`` (str)
and ``requests`` (int, how many requests went one by one). Those from byte ``--surge-from`` on (the
surge; before it, the warm-up) are counted in stdout's ``{"fallbacks": <sum of requests>, "reasons":
{reason: requests}, "warm_up_fallbacks": ...}``. On stderr: one line per reason seen (the records
themselves would be thousands when a batch query is broken), and every other line of the log as it was.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable
from typing import IO

LOGGER = "raksa.booking.batch"
MESSAGE = "booking.batch.fallback"


def fallback(line: str) -> tuple[str, int] | None:
    """(reason, requests) if the line is a fallback record, else None."""
    if not line.startswith("{"):
        return None
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if not isinstance(record, dict) or record.get("logger") != LOGGER or record.get("message") != MESSAGE:
        return None
    # A record without a usable count still says a batch fell back: at least one request went alone.
    requests = record.get("requests")
    return str(record.get("reason", "(no reason given)")), requests if isinstance(requests, int) else 1


def summarize(lines: Iterable[str], others: IO[str]) -> Counter:
    """Requests booked one by one, by reason; every line that is not a fallback record goes to ``others``."""
    reasons: Counter = Counter()
    for line in lines:
        found = fallback(line)
        if found is None:
            others.write(line if line.endswith("\n") else line + "\n")
        else:
            reasons[found[0]] += found[1]
    return reasons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("log")
    parser.add_argument("--surge-from", type=int, default=0, help="byte offset where the surge's log begins")
    args = parser.parse_args()
    with open(args.log, "rb") as f:
        warm_up = f.read(args.surge_from).decode("utf-8", "replace").splitlines(keepends=True)
        surge = f.read().decode("utf-8", "replace").splitlines(keepends=True)
    warm_reasons = summarize(warm_up, sys.stderr)
    reasons = summarize(surge, sys.stderr)
    for phase, counted in (("warm-up (not counted)", warm_reasons), ("surge", reasons)):
        for reason, requests in counted.most_common():
            print(f"booking bench: {phase}: {requests} requests booked one by one after a batch fell back: {reason}",
                  file=sys.stderr)
    print(json.dumps({"fallbacks": sum(reasons.values()), "reasons": dict(reasons),
                      "warm_up_fallbacks": sum(warm_reasons.values())}))


if __name__ == "__main__":
    main()
