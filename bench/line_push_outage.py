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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent


def delivered(standin) -> int:
    """Distinct pushes the stand-in accepted (a retried one counts once: its retry key)."""
    return int(standin.stats()["pushes_delivered"])


def line(name: str, value, unit: str) -> None:
    print(json.dumps({"name": name, "value": value, "unit": unit}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pushes", type=int, default=1000)
    parser.add_argument("--outage", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=150.0)
    args = parser.parse_args()
    django.setup()
    from django.conf import settings

    from raksa.testing.line_standin import LineStandin

    work = tempfile.mkdtemp(prefix="raksa-bench-push.")
    standin = LineStandin(state_dir=Path(work) / "state", raksa_url="http://127.0.0.1:9",  # no webhooks here
                          channel_secret=settings.LINE_CHANNEL_SECRET,
                          channel_access_token=settings.LINE_CHANNEL_ACCESS_TOKEN,
                          login_channel_id=settings.LINE_LOGIN_CHANNEL_ID,
                          id_token_issuer=settings.LINE_ID_TOKEN_ISSUER)
    # the workers (their own processes) send to it
    os.environ["LINE_API_BASE_URL"] = os.environ["LINE_API_DATA_BASE_URL"] = standin.base_url
    from django_tasks_db.models import DBTaskResult

    from raksa.messaging.models import OutboundMessage
    from raksa.messaging.services import message_send

    # Jobs the earlier phases queued and no worker ran (the booking surge's notifications, the webhook
    # benchmark's events) would share the workers with these pushes: they are not this figure's, so they go.
    left = DBTaskResult.objects.filter(status="READY").delete()[0]
    print(f"push bench: removed {left} jobs left by earlier benchmark phases", file=sys.stderr)

    log = open(Path(work) / "workers.log", "ab")
    standin.start()
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
        while delivered(standin) < accepted // 5 and time.monotonic() - started < 30:
            time.sleep(0.05)
        print(f"push bench: {delivered(standin)} of {accepted} delivered; stopping the stand-in for {args.outage} s",
              file=sys.stderr)
        standin.process.kill()  # SIGKILL: no goodbye, as a crash
        standin.process.wait()
        time.sleep(args.outage)
        standin.start()  # same port, same state
        print("push bench: stand-in back", file=sys.stderr)
        while time.monotonic() - started < args.max_seconds:
            if not ours.filter(status="queued").exists():
                break
            time.sleep(0.2)
        seconds = time.monotonic() - started
        got = delivered(standin)
        statuses = dict(ours.values_list("status").annotate(n=django.db.models.Count("pk")).order_by())
        print(f"push bench: {statuses} in {seconds:.1f} s; the stand-in holds {got} distinct pushes", file=sys.stderr)
        line("line.push.lost", accepted - got, "pushes")
        line("line.push.failed", statuses.get("failed", 0), "pushes")
        line("line.push.seconds", round(seconds, 1), "s")
    finally:
        standin.stop()
        for proc in workers:
            proc.terminate()
        for proc in workers:
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
