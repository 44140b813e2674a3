"""Full-text search, per database (statements in articles/search.py).

PostgreSQL: a search_document tsvector column kept by a trigger, with a GIN index.
SQLite: an FTS5 table kept in step by triggers. SearchEntry is the unmanaged
model that lets SQLite queries join that table; it creates nothing itself.
"""

import django.db.models.deletion
from django.db import migrations, models

import articles.search


def install(apps, schema_editor):
    articles.search.install(schema_editor)


def uninstall(apps, schema_editor):
    articles.search.uninstall(schema_editor)


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
                ("document", articles.search.FTS5Document(db_column="articles_article_fts")),
                ("rank", models.FloatField()),
            ],
            options={"db_table": "articles_article_fts", "managed": False},
        ),
    ]
