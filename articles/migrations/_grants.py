"""Granting the articles app's (or another app's) permissions to the newsroom's groups, for data migrations.

Permissions are normally made after all migrations run; these make them first
(as 0002 does). A group an administrator deleted stays deleted, and adding a
permission a group holds already is a no-op, so running again changes nothing.
"""

from django.contrib.auth.management import create_permissions


def granting(grants: dict[str, list[str]], app_label: str = "articles"):
    """(forward, backward) functions for RunPython: give each group in grants its codenames (of app_label's
    models), or take them away."""

    def grant(apps, schema_editor):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        Permission = apps.get_model("auth", "Permission")
        for group in apps.get_model("auth", "Group").objects.filter(name__in=grants):
            codenames = grants[group.name]
            permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            missing = set(codenames) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"Permissions missing for group {group.name}: {sorted(missing)}")
            group.permissions.add(*permissions)

    def revoke(apps, schema_editor):
        Permission = apps.get_model("auth", "Permission")
        for group in apps.get_model("auth", "Group").objects.filter(name__in=grants):
            codenames = grants[group.name]
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )

    return grant, revoke
