"""Permissions that match the roles (docs/editorial.md, "Who can do what").

Both groups read an article's inline figures (the read-only list on its form); Editors also
keep the redirects and read the import log. Without these, Editors met a 403 behind links
the docs send them to. Users and groups stay the superusers' alone.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Writers": ["view_articlefigure"],
    "Editors": [
        "view_articlefigure",
        "view_importrun",
        "add_redirect", "change_redirect", "delete_redirect", "view_redirect",
    ],
}  # fmt: skip


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations run; make them now (as 0002 does).
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Permission = apps.get_model("auth", "Permission")
    for group, codenames in groups_with_codenames(apps):
        permissions = Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {group.name}: {sorted(missing)}")
        group.permissions.add(*permissions)  # adding one a group holds already is a no-op


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group, codenames in groups_with_codenames(apps):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))


def groups_with_codenames(apps):
    # A group an administrator deleted stays deleted.
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        yield group, GRANTS[group.name]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_pending_changes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
