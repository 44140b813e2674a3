from django.db import migrations, models


def count_words(apps, schema_editor):
    """Articles saved before the field existed: counted once here, as save() counts them since."""
    from articles.migrations._backfill import fill_from_body
    from articles.reading import word_count

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
