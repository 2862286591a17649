"""Open each day's new slots, expire unconfirmed bookings (freeing their seats for the waiting list)
and mark no-shows.

Run every minute in production (cron or a small service): ``manage.py booking_sweep``;
``--every 60`` keeps running and sweeps each minute (``make run`` starts it beside the web server).
"""

import json
import time

from django.core.management.base import BaseCommand

from raksa.booking.services import bookings_sweep
from raksa.booking.slots import slots_roll_forward
from raksa.core.timeutil import service_day


class Command(BaseCommand):
    help = "Expire unconfirmed bookings past their time and mark no-shows."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: once)")

    def handle(self, *args, every: int, **options):
        rolled_on = None
        while True:
            if rolled_on != service_day():  # once per Bangkok day: open the day that entered each window
                rolled_on = service_day()
                self.stdout.write(json.dumps({"slots_roll_forward": slots_roll_forward(today=rolled_on)}))
            counts = bookings_sweep()
            if counts["expired"] or counts["no_show"] or not every:
                self.stdout.write(json.dumps({"booking_sweep": counts}))
            if not every:
                return
            time.sleep(every)
