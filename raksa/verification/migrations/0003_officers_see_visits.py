"""Officers may view visits and verification attempts (raksa.units.roles.OFFICER_PERMISSIONS) in existing
databases: the messaging app's grant step again, now that these permissions are in the list."""

import importlib

from django.db import migrations

grant = importlib.import_module("raksa.messaging.migrations.0002_officers_see_messages").grant


class Migration(migrations.Migration):
    dependencies = [("verification", "0002_visits_attempts_line_confirmations"),
                    ("messaging", "0004_officers_see_events")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
