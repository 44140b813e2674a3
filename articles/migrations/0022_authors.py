"""Authors with their own pages, credited on articles in order (ArticleAuthor).

Writers add authors and read them (the importer creates the ones it meets); Editors keep them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from articles.migrations._grants import granting

GRANTS = {
    "Writers": ["add_author", "view_author"],
    "Editors": ["add_author", "change_author", "delete_author", "view_author"],
}


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_dashboard_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="byline",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Who wrote it, for copy no author here wrote (“Reuters”, “Staff reporter”). Readers see it only when the article has no author.",
                max_length=200,
            ),
        ),
        migrations.CreateModel(
            name="Author",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="As readers see it in bylines.", max_length=200)),
                (
                    "slug",
                    models.SlugField(
                        allow_unicode=True, help_text="The author page's address; unique.", max_length=200, unique=True
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="What they do here, e.g. “Health correspondent”.",
                        max_length=100,
                    ),
                ),
                (
                    "bio",
                    models.TextField(
                        blank=True, default="", help_text="Two or three sentences, shown on the author page."
                    ),
                ),
                (
                    "links",
                    models.TextField(
                        blank=True,
                        default="",
                        help_text="Their profiles elsewhere (website, social networks), one address per line. Search engines read them as the same person.",
                    ),
                ),
                (
                    "photo",
                    models.ForeignKey(
                        blank=True,
                        help_text="A portrait, shown on the author page.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="author_photos",
                        to="articles.image",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        blank=True,
                        help_text="The staff account of this author, if they have one.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="author",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="ArticleAuthor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveSmallIntegerField(help_text="Order in the byline, from 0.")),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="author_links", to="articles.article"
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="article_links", to="articles.author"
                    ),
                ),
            ],
            options={
                "ordering": ["position"],
            },
        ),
        migrations.AddField(
            model_name="article",
            name="authors",
            field=models.ManyToManyField(
                blank=True, related_name="articles", through="articles.ArticleAuthor", to="articles.author"
            ),
        ),
        migrations.AddConstraint(
            model_name="articleauthor",
            constraint=models.UniqueConstraint(fields=("article", "position"), name="article_author_unique_position"),
        ),
        migrations.AddConstraint(
            model_name="articleauthor",
            constraint=models.UniqueConstraint(fields=("article", "author"), name="article_author_unique_author"),
        ),
        migrations.RunPython(*granting(GRANTS)),
    ]
