"""Stored HTML of the parts of an article that busy pages show again and again (caching/fragments.py)."""

from __future__ import annotations

import uuid

from django.db import models


def new_fragment_version() -> str:
    return uuid.uuid4().hex


class ArticleFragment(models.Model):
    """Stored HTML of one part of an article as readers see it: made on the first view after each change
    and kept, so busy pages do not run the same templates on every request.

    Valid only while its version is the article's fragment_version (renewed by every change to
    what the part shows) and its fingerprint is that of the code and settings that made it.
    """

    class Kind(models.TextChoices):
        MAIN = "main", "Headline, lead picture, body and keywords"
        CARD = "card", "Card on list pages"
        FEATURED = "featured", "Featured card at the top of a list"
        TEASER = "teaser", "Related-article teaser"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="fragments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    version = models.CharField(max_length=32)
    fingerprint = models.CharField(max_length=32)
    html = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "kind"], name="fragment_unique_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.article_id}"
