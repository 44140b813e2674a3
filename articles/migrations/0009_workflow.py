"""Workflow: an event for sending an article back to draft; both groups may read the audit trail."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUPS = ["Writers", "Editors"]


def allow_reading_events(apps, schema_editor):
    # Permissions are normally made after all migrations run; make them now (as 0002 does).
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_events = Permission.objects.get(content_type__app_label="articles", codename="view_articleevent")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(view_events)


def disallow_reading_events(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_events = Permission.objects.filter(content_type__app_label="articles", codename="view_articleevent")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*view_events)


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_search")]

    operations = [
        migrations.AlterField(
            model_name="articleevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("submitted", "Submitted for review"),
                    ("returned", "Sent back to draft"),
                    ("published", "Published"),
                    ("scheduled", "Scheduled"),
                    ("unpublished", "Unpublished"),
                    ("restored", "Revision restored"),
                    ("deleted", "Deleted"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(allow_reading_events, disallow_reading_events),
    ]
