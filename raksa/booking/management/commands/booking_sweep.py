"""Open each day's new slots, expire unconfirmed bookings (freeing their seats for the waiting list),
mark no-shows and lapse the open visits of days that have ended.

Run every minute in production (cron or a small service): ``manage.py booking_sweep``;
``--every 60`` keeps running and sweeps each minute (``make run`` starts it beside the web server).
"""

import json
import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from raksa.booking.services import bookings_sweep
from raksa.booking.slots import slots_roll_forward
from raksa.core.timeutil import service_day
from raksa.messaging.services import outbound_requeue_stale, webhook_events_requeue_stale
from raksa.verification.visits import visits_lapse

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Expire unconfirmed bookings past their time and mark no-shows."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: once)")

    def handle(self, *args, every: int, **options):
        rolled_on = None
        while True:
            try:
                rolled_on = self.sweep(rolled_on, report_always=not every)
            except DatabaseError:
                if not every:
                    raise
                # Repeating: the database may be away for a while (a restart, a failover). Each sweep is
                # its own transactions, so nothing is half done: log it and sweep again next time.
                logger.exception("booking_sweep failed; trying again in %s s", every)
                close_old_connections()
            if not every:
                return
            time.sleep(every)

    def sweep(self, rolled_on, *, report_always: bool):
        today = service_day()
        if rolled_on != today:  # once per Bangkok day: open the day that entered each window
            self.stdout.write(json.dumps({"slots_roll_forward": slots_roll_forward(today=today)}))
            rolled_on = today
        counts = bookings_sweep()
        counts["line_requeued"] = outbound_requeue_stale()  # LINE pushes whose job was lost
        counts["line_events_requeued"] = webhook_events_requeue_stale()  # LINE events whose job was lost
        counts["visits_lapsed"] = visits_lapse()  # open visits of a Bangkok day that has ended
        if any(counts.values()) or report_always:
            self.stdout.write(json.dumps({"booking_sweep": counts}))
        return rolled_on
