"""Stored drawings are stored fragments: ArticleDrawing becomes ArticleFragment (its table renamed, rows
kept), its token becomes version, and Article.drawing_token becomes fragment_version."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_article_body_text")]

    operations = [
        migrations.RemoveConstraint(model_name="articledrawing", name="drawing_unique_kind"),
        migrations.RenameModel(old_name="ArticleDrawing", new_name="ArticleFragment"),
        migrations.RenameField(model_name="articlefragment", old_name="token", new_name="version"),
        migrations.AlterField(
            model_name="articlefragment",
            name="article",
            field=models.ForeignKey(on_delete=models.deletion.CASCADE, related_name="fragments", to="articles.article"),
        ),
        migrations.AlterField(
            model_name="articlefragment",
            name="kind",
            field=models.CharField(
                choices=[
                    ("main", "Headline, lead picture, body and keywords"),
                    ("card", "Card on list pages"),
                    ("featured", "Featured card at the top of a list"),
                    ("teaser", "Related-article teaser"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="articlefragment",
            constraint=models.UniqueConstraint(fields=("article", "kind"), name="fragment_unique_kind"),
        ),
        migrations.RenameField(model_name="article", old_name="drawing_token", new_name="fragment_version"),
    ]
