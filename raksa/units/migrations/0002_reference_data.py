"""Reference data every installation needs: the 77 provinces and the officers' group with its rights."""

import csv
from pathlib import Path

from django.db import migrations

from raksa.units.roles import officers_group_ensure

PROVINCES = Path(__file__).resolve().parent.parent / "data" / "provinces.csv"

def load(apps, schema_editor):
    Province = apps.get_model("units", "Province")
    with PROVINCES.open(encoding="utf-8") as f:
        Province.objects.bulk_create(
            [Province(code=row["code"], name_th=row["name_th"], name_en=row["name_en"]) for row in csv.DictReader(f)],
            ignore_conflicts=True,
        )
    # Permissions are normally created after all migrations; create them now so the group can hold them.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    officers_group_ensure(Group, Permission)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0001_initial"),
        ("people", "0002_reveal_permission"),
        ("audit", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
