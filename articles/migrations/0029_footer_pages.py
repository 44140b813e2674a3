"""Editors keep the footer pages (About, Contact, Corrections policy, Privacy): Django's flatpages."""

from django.db import migrations

from articles.migrations._grants import granting

GRANTS = {"Editors": ["add_flatpage", "change_flatpage", "delete_flatpage", "view_flatpage"]}


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0028_documents"),
        ("flatpages", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(*granting(GRANTS, app_label="flatpages")),
    ]
