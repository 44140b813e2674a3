"""Full-text search, per database (statements frozen in migrations/_search_sql.py).

PostgreSQL: a search_document tsvector column kept by a trigger, with a GIN index.
SQLite: an FTS5 table kept in step by triggers. SearchEntry is the unmanaged
model that lets SQLite queries join that table; it creates nothing itself.
"""

import django.db.models.deletion
from django.db import migrations, models

from articles.migrations import _search_sql


def install(apps, schema_editor):
    _search_sql.install(schema_editor)


def uninstall(apps, schema_editor):
    _search_sql.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_workflow_images_audit")]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_column="rowid",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                # The model uses FTS5Document (models/fulltext.py), a TextField with a MATCH lookup; the
                # model is unmanaged, so its fields here only document it and nothing compares them.
                ("document", models.TextField(db_column="articles_article_fts")),
                ("rank", models.FloatField()),
            ],
            options={"db_table": "articles_article_fts", "managed": False},
        ),
    ]
