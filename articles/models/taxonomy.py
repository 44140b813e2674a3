"""What articles are filed under: sections (the site's navigation) and keywords, and the unique
slugs every addressable model takes."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from articles.content import text


def unique_slug(model: type[models.Model], source: str, *, exclude_pk=None, max_length=200) -> str:
    """A slug from source that no other row of model uses: "title", "title-2", ..."""
    base = text.slug_base(source, max_length)
    others = model._default_manager.exclude(pk=exclude_pk) if exclude_pk is not None else model._default_manager
    candidate, n = base, 1
    # Exact lookups use the unique index; a prefix LIKE would scan the table.
    while others.filter(slug=candidate).exists():
        n += 1
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(blank=True, default="", help_text="Shown at the top of the section page.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the site's navigation; lower first.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Keyword(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(blank=True, default="", help_text="Shown at the top of the keyword page.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:keyword", kwargs={"slug": self.slug})
