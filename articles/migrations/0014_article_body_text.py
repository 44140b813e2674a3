"""Search indexes Article.body_text, kept by save(), instead of an expression over the body's HTML.

On SQLite the old triggers called a Python function from inside the database
(migrations/_search_sql.py says why that can deadlock); they are dropped before any
row is touched, since this code no longer registers that function.
"""

from django.db import migrations, models

from articles.migrations import _search_sql
from articles.migrations._backfill import fill_from_body


def fill_body_text(apps, schema_editor):
    """Articles saved before the field existed: their text worked out once here, as save() does since."""
    _search_sql.drop_sqlite_triggers(schema_editor)
    fill_from_body(apps, "body_text", _search_sql.html_text)
    _search_sql.index_body_text(schema_editor)


def index_body_html(apps, schema_editor):
    _search_sql.index_body_html(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_drawing_featured_kind")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="body_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_body_text, index_body_html, elidable=False),
    ]
