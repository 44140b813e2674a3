"""Writers write drafts; Editors also publish. Groups a newsroom starts with."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITER_PERMISSIONS = [
    "add_article", "change_article", "view_article",
    "add_image", "change_image", "view_image",
    "add_keyword", "view_keyword", "view_section",
]  # fmt: skip
EDITOR_PERMISSIONS = [
    *WRITER_PERMISSIONS,
    "delete_article", "publish_article", "delete_image",
    "change_keyword", "delete_keyword", "add_section", "change_section", "delete_section",
]  # fmt: skip


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations run; make them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [("Writers", WRITER_PERMISSIONS), ("Editors", EDITOR_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Writers", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
