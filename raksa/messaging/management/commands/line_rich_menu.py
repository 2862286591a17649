"""Create Raksa's rich menu in LINE (or the stand-in) and make it every user's default:
``manage.py line_rich_menu``. Run it once per channel, and again after changing the menu: the client
deletes Raksa's older menus."""

from django.core.management.base import BaseCommand

from raksa.messaging import line_api
from raksa.messaging.richmenu import IMAGE, rich_menu_definition


class Command(BaseCommand):
    help = "Create the rich menu (จองคิว / นัดของฉัน / QR ยืนยันสิทธิ์ / สิทธิของฉัน) and set it as default."

    def handle(self, *args, **options):
        menu = rich_menu_definition()
        rich_menu_id = line_api.rich_menu_setup(menu=menu, image_png=IMAGE.read_bytes())
        self.stdout.write(f"rich menu {rich_menu_id}: " + ", ".join(
            f"{a['action']['label']} -> {a['action']['uri']}" for a in menu["areas"]))
