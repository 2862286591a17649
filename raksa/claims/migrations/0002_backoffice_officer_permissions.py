"""Officers may search and review claims and issue and pay statements (raksa.units.roles.OFFICER_PERMISSIONS) in
existing databases."""

from django.db import migrations

from raksa.units.roles import officers_group_ensure


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():  # permissions are made after migrations: make them now
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    officers_group_ensure(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial"), ("units", "0002_reference_data"),
                    ("auth", "0012_alter_user_first_name_max_length"), ("contenttypes", "0002_remove_content_type_name")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
