"""Old addresses that still work: a legacy post's URL, an article's address before its slug changed."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import Resolver404, resolve


class Redirect(models.Model):
    """An old address that answers 301 to an article (or any URL) instead of 404."""

    old_path = models.CharField(
        max_length=500,
        unique=True,
        help_text="A path on this site, starting with /, for example /blog/old-post. Trailing slashes are ignored.",
    )
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="redirects",
        help_text="Send readers to this article's current address.",
    )
    new_url = models.CharField(
        max_length=1000, blank=True, default="", help_text="Or to this address, when no article is chosen."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False) | ~Q(new_url=""),
                name="redirect_has_target",
            ),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.target_url}"

    def save(self, *args, **kwargs):
        self.old_path = self.normalize_path(self.old_path)
        super().save(*args, **kwargs)

    def clean(self):
        self.old_path = self.normalize_path(self.old_path)

    @staticmethod
    def normalize_path(path: str) -> str:
        """One spelling per path: a leading slash, no trailing slash."""
        return "/" + path.strip().strip("/")

    @property
    def target_url(self) -> str:
        return self.article.get_absolute_url() if self.article_id else self.new_url

    def goes_to_live_page(self) -> bool:
        """False when it leads to an article readers cannot see yet (a draft, one in review, one
        scheduled, or one unpublished since): answering 301 would tell its address, so its headline."""
        if self.article_id:
            return self.article.is_live
        try:
            match = resolve(self.new_url.split("?", 1)[0]) if self.new_url.startswith("/") else None
        except Resolver404:
            return True
        if match is None or match.view_name != "articles:detail":
            return True
        articles = self._meta.get_field("article").related_model.objects  # content.py imports this module
        return articles.published().filter(slug=match.kwargs["slug"]).exists()
