"""Officers may view the LINE events list (raksa.units.roles.OFFICER_PERMISSIONS) in existing databases:
0002's step again, now that WebhookEvent's view permission is in the list."""

import importlib

from django.db import migrations

grant = importlib.import_module("raksa.messaging.migrations.0002_officers_see_messages").grant


class Migration(migrations.Migration):
    dependencies = [("messaging", "0003_webhook_event_retries")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
