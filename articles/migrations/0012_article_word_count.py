import re

from django.db import migrations, models

from articles.migrations._backfill import fill_from_body

_TAG, _WORD = re.compile(r"<[^>]*>"), re.compile(r"\w+")


def word_count(html: str) -> int:
    """Words in a body, as Article.save() counted them when this migration was written (frozen)."""
    return len(_WORD.findall(_TAG.sub(" ", html)))


def count_words(apps, schema_editor):
    """Articles saved before the field existed: counted once here, as save() counts them since."""
    fill_from_body(apps, "word_count", word_count)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_article_drawings"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="word_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_words, migrations.RunPython.noop, elidable=True),
    ]
