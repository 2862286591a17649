"""Create Raksa's rich menu in LINE (or the stand-in) and make it every user's default:
``manage.py line_rich_menu``. Run it once per channel, and again after changing the menu: the client
deletes Raksa's older menus. ``--wait N``: LINE (the stand-in, just started by ``make run``) may not answer
yet: try again for up to N seconds while the failure is one a retry may fix."""

import time

from django.core.management.base import BaseCommand, CommandError

from raksa.messaging import line_api
from raksa.messaging.richmenu import IMAGE, rich_menu_definition


class Command(BaseCommand):
    help = "Create the rich menu (จองคิว / นัดของฉัน / QR ยืนยันสิทธิ์ / สิทธิของฉัน) and set it as default."

    def add_arguments(self, parser):
        parser.add_argument("--wait", type=float, default=0, help="retry for up to N seconds while LINE is away")

    def handle(self, *args, wait: float, **options):
        menu = rich_menu_definition()
        image = IMAGE.read_bytes()
        deadline = time.monotonic() + wait
        while True:
            try:
                rich_menu_id = line_api.rich_menu_setup(menu=menu, image_png=image)
                break
            except Exception as exc:
                if not getattr(exc, "retryable", False) or time.monotonic() >= deadline:
                    raise CommandError(f"line_rich_menu: {exc}") from exc
                time.sleep(0.5)
        self.stdout.write(f"rich menu {rich_menu_id}: " + ", ".join(
            f"{a['action']['label']} -> {a['action']['uri']}" for a in menu["areas"]))
