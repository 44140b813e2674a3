"""Permissions that match the roles (docs/editorial.md, "Who can do what").

Both groups read an article's inline figures (the read-only list on its form); Editors also
keep the redirects and read the import log. Without these, Editors met a 403 behind links
the docs send them to. Users and groups stay the superusers' alone.
"""

from django.db import migrations

from articles.migrations._grants import granting

GRANTS = {
    "Writers": ["view_articlefigure"],
    "Editors": [
        "view_articlefigure",
        "view_importrun",
        "add_redirect", "change_redirect", "delete_redirect", "view_redirect",
    ],
}  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_pending_changes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(*granting(GRANTS))]
