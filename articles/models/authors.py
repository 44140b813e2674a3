"""Authors: the people who write articles, each with a page; an article credits them in order.

The free-text byline (Article.byline) stays for copy no person on the staff wrote
("Reuters", "Staff reporter"): readers see it only when an article has no author.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models.signals import m2m_changed
from django.urls import reverse

from articles.models.images import Image


class Author(models.Model):
    name = models.CharField(max_length=200, help_text="As readers see it in bylines.")
    slug = models.SlugField(
        max_length=200, unique=True, allow_unicode=True, help_text="The author page's address; unique."
    )
    role = models.CharField(
        max_length=100, blank=True, default="", help_text="What they do here, e.g. “Health correspondent”."
    )
    bio = models.TextField(blank=True, default="", help_text="Two or three sentences, shown on the author page.")
    photo = models.ForeignKey(
        Image,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_photos",
        help_text="A portrait, shown on the author page.",
    )
    links = models.TextField(
        blank=True,
        default="",
        help_text="Their profiles elsewhere (website, social networks), one address per line. Search engines "
        "read them as the same person.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The staff account of this author, if they have one.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    def clean(self):
        validate = URLValidator(schemes=["http", "https"])
        for link in self._lines():
            try:
                validate(link)
            except ValidationError as error:
                raise ValidationError({"links": f"Not a web address: {link}"}) from error

    @property
    def link_list(self) -> list[str]:
        """The web addresses in links; a line that is not one (written around clean()) is never shown."""
        return [line for line in self._lines() if line.startswith(("https://", "http://"))]

    def _lines(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    @property
    def description(self) -> str:
        """What list pages and feeds say about the author, as they say a keyword's description."""
        return self.bio


class ArticleAuthorManager(models.Manager):
    def sync(self, article, author_ids: list[int], *, new: bool = False) -> bool:
        """Make article's authors these, in this order; whether anything changed.

        The rows are replaced, and m2m_changed is sent as authors.remove() and add()
        would send it, so that the caches (caching/invalidation.py) and django-reversion
        (which follows the rows into the article's revision) hear of it.
        new: the article was created in this transaction, so it has no rows to compare.
        """
        wanted = list(dict.fromkeys(author_ids))
        current = [] if new else list(self.filter(article=article).values_list("author_id", flat=True))
        if current == wanted:
            return False
        signal = {"sender": self.model, "instance": article, "reverse": False, "model": Author, "using": self.db}
        signal["created_in_this_transaction"] = new
        if current:
            m2m_changed.send(action="pre_remove", pk_set=set(current), **signal)
            self.filter(article=article).delete()
            m2m_changed.send(action="post_remove", pk_set=set(current), **signal)
        if wanted:
            m2m_changed.send(action="pre_add", pk_set=set(wanted), **signal)
            self.bulk_create(self.model(article=article, author_id=pk, position=i) for i, pk in enumerate(wanted))
            m2m_changed.send(action="post_add", pk_set=set(wanted), **signal)
        return True


class ArticleAuthor(models.Model):
    """One author's credit on one article, in byline order."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="author_links")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="article_links")
    position = models.PositiveSmallIntegerField(help_text="Order in the byline, from 0.")

    objects = ArticleAuthorManager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="article_author_unique_position"),
            models.UniqueConstraint(fields=["article", "author"], name="article_author_unique_author"),
        ]

    def __str__(self):
        return f"{self.author} on {self.article_id}"
