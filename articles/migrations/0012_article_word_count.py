from django.db import migrations, models


def count_words(apps, schema_editor):
    """Articles saved before the field existed: counted once here, as save() counts them since."""
    from articles.reading import word_count

    Article = apps.get_model("articles", "Article")
    batch = []
    for article in Article.objects.only("pk", "body").iterator(chunk_size=500):
        article.word_count = word_count(article.body)
        batch.append(article)
        if len(batch) == 500:
            Article.objects.bulk_update(batch, ["word_count"])
            batch = []
    Article.objects.bulk_update(batch, ["word_count"])


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
