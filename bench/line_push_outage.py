"""``line.push.lost``: pushes accepted by Raksa but never delivered to LINE, across a 10-second outage.

Starts the LINE stand-in (its own process, port and state directory) and two job workers (manage.py
db_worker) pointed at it, accepts N pushes through ``message_send`` (as the services do), stops the stand-in
hard (SIGKILL) once some have been delivered, keeps it down for ``--outage`` seconds, starts it again on the same
state, and waits until every push is either delivered or given up. Lost = pushes accepted − distinct retry keys
the stand-in accepted. Prints one JSON line per figure. Run with DJANGO_SETTINGS_MODULE and DATABASE_URL set.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_standin(port: int, state: str, log) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "line_standin", "--host", "127.0.0.1", "--port", str(port),
                             "--state-dir", state], cwd=ROOT, stdout=log, stderr=log)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_standin/stats", timeout=1).read()
            return proc
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the LINE stand-in did not start")


def delivered(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_standin/stats", timeout=2) as answer:
        return int(json.load(answer)["pushes_delivered"])


def line(name: str, value, unit: str) -> None:
    print(json.dumps({"name": name, "value": value, "unit": unit}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pushes", type=int, default=1000)
    parser.add_argument("--outage", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=150.0)
    args = parser.parse_args()
    port = free_port()
    os.environ["LINE_API_BASE_URL"] = os.environ["LINE_API_DATA_BASE_URL"] = f"http://127.0.0.1:{port}"
    django.setup()
    from django_tasks_db.models import DBTaskResult

    from raksa.messaging.models import OutboundMessage
    from raksa.messaging.services import message_send

    # Jobs the earlier phases queued and no worker ran (the booking surge's notifications, the webhook
    # benchmark's events) would share the workers with these pushes: they are not this figure's, so they go.
    left = DBTaskResult.objects.filter(status="READY").delete()[0]
    print(f"push bench: removed {left} jobs left by earlier benchmark phases", file=sys.stderr)

    work = tempfile.mkdtemp(prefix="raksa-bench-push.")
    log = open(Path(work) / "processes.log", "ab")
    standin = start_standin(port, work, log)
    workers = [subprocess.Popen([sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload",
                                 "--no-startup-delay", "--interval", "0.1", "-v", "0"], cwd=ROOT, stdout=log,
                                stderr=log, env=os.environ.copy()) for _ in range(args.workers)]
    try:
        from django.db import transaction

        started = time.monotonic()
        sent = []
        for start in range(0, args.pushes, 100):
            with transaction.atomic():
                sent += [message_send(line_user_id=f"U{i:032x}", kind="bench",
                                      messages=[{"type": "text", "text": f"ทดสอบ {i}"}]).pk
                         for i in range(start, min(start + 100, args.pushes))]
        ours = OutboundMessage.objects.filter(pk__in=sent)
        accepted = len(sent)
        while delivered(port) < accepted // 5 and time.monotonic() - started < 30:
            time.sleep(0.05)
        print(f"push bench: {delivered(port)} of {accepted} delivered; stopping the stand-in for {args.outage} s",
              file=sys.stderr)
        standin.send_signal(signal.SIGKILL)
        standin.wait()
        time.sleep(args.outage)
        standin = start_standin(port, work, log)
        print("push bench: stand-in back", file=sys.stderr)
        while time.monotonic() - started < args.max_seconds:
            if not ours.filter(status="queued").exists():
                break
            time.sleep(0.2)
        seconds = time.monotonic() - started
        got = delivered(port)
        statuses = dict(ours.values_list("status").annotate(n=django.db.models.Count("pk")).order_by())
        print(f"push bench: {statuses} in {seconds:.1f} s; the stand-in holds {got} distinct pushes", file=sys.stderr)
        line("line.push.lost", accepted - got, "pushes")
        line("line.push.failed", statuses.get("failed", 0), "pushes")
        line("line.push.seconds", round(seconds, 1), "s")
    finally:
        for proc in [standin, *workers]:
            proc.terminate()
        for proc in [standin, *workers]:
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
