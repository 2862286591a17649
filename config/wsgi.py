import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django_application = get_wsgi_application()

from interfaces.api.fast_booking import BookingFastLane  # noqa: E402  (needs Django set up)
from interfaces.api.fast_claims import ClaimFastLane  # noqa: E402
from interfaces.api.fast_rights_qr import RightsQrFastLane  # noqa: E402
from interfaces.line.webhook import WebhookFastLane  # noqa: E402

# API-key bookings take a lane without Django's request cycle (see interfaces/api/fast_booking.py), and so do
# API-key rights-QR redemptions in their common case (interfaces/api/fast_rights_qr.py) and LINE's webhook calls
# (interfaces/line/webhook.py), and API-key claims (interfaces/api/fast_claims.py).
application = WebhookFastLane(BookingFastLane(ClaimFastLane(RightsQrFastLane(django_application))))

# Everything loaded so far lives as long as the process: keep the garbage collector from walking it
# again and again (gc.freeze, as large Django deployments do).
gc.freeze()
