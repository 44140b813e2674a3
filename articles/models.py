"""Newsroom's content model.

An Article's body is HTML the editor writes; every image the article shows is an
Image row plus the use of that image in the article (its caption). The lead
image is a foreign key with its own caption; inline figures are ArticleFigure
rows derived from the body on every save (articles/rendering.py), so the body
and the rows never disagree.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify

from articles.links import path_to
from articles.search import FTS5Document


def image_upload_to(instance: Image, filename: str) -> str:
    """Dated folder and a generated name; only the extension survives from the upload."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


def slug_base(text: str, max_length=200) -> str:
    """The slug unique_slug() tries first for text.

    Non-Latin titles keep their letters (allow_unicode); a title with no
    letters at all still gets a usable slug.
    """
    return slugify(text, allow_unicode=True)[:max_length].strip("-") or "untitled"


def unique_slug(model: type[models.Model], text: str, *, exclude_pk=None, max_length=200) -> str:
    """A slug from text that no other row of model uses: "title", "title-2", ..."""
    base = slug_base(text, max_length)
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
        return path_to("articles:section", slug=self.slug)


class Keyword(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(blank=True, default="", help_text="Shown at the top of the keyword page.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_to("articles:keyword", slug=self.slug)


class Image(models.Model):
    """A picture, stored in media storage or only referenced by its remote address."""

    file = models.ImageField(
        upload_to=image_upload_to,
        width_field="width",
        height_field="height",
        blank=True,
        max_length=255,
        help_text="Uploads are checked and re-encoded; location metadata is removed.",
    )
    source_url = models.URLField(
        max_length=1000,
        blank=True,
        default="",
        db_index=True,
        help_text="The image's original remote address, if it came from elsewhere.",
    )
    alt_text = models.CharField(
        max_length=500,
        blank=True,
        default="",
        help_text="Describe the picture for people who cannot see it. Leave empty only for pure decoration.",
    )
    credit = models.CharField(
        max_length=255,
        blank=True,
        default="",
        help_text="Photographer or agency, shown under the picture. Read from the photo's metadata when present.",
    )
    copyright = models.CharField(
        max_length=255,
        blank=True,
        default="",
        help_text="Copyright notice or licence. Read from the photo's metadata when present.",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    focal_x = models.FloatField(
        null=True,
        blank=True,
        help_text="Where the subject is, from 0 (left) to 1 (right); crops keep it in frame.",
    )
    focal_y = models.FloatField(null=True, blank=True, help_text="Where the subject is, from 0 (top) to 1 (bottom).")
    crops = models.JSONField(
        default=dict,
        blank=True,
        help_text='Explicit crops per aspect ratio, as fractions: {"3:2": [x, y, width, height]}.',
    )
    # Generated sizes and formats: {"640.webp": "storage/name.webp", ...}, kept on
    # the row so pages list them without another query.
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    checksum = models.CharField(
        max_length=64,
        blank=True,
        default="",
        editable=False,
        db_index=True,
        help_text="SHA-256 of the stored file, to find duplicates.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(source_url=""),
                name="image_has_file_or_source_url",
            ),
            models.CheckConstraint(
                condition=(Q(focal_x__isnull=True) | Q(focal_x__gte=0, focal_x__lte=1))
                & (Q(focal_y__isnull=True) | Q(focal_y__gte=0, focal_y__lte=1)),
                name="image_focal_point_in_frame",
            ),
        ]

    def __str__(self):
        return self.alt_text[:80] or self.credit or self.name

    @property
    def name(self) -> str:
        path = self.file.name or self.source_url
        return path.rsplit("/", 1)[-1]

    @property
    def url(self) -> str:
        """Where a browser fetches the picture: the stored file, else its remote address."""
        return self.file.url if self.file else self.source_url


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers may see: status published and a publish time that has come.

        The one definition of "published"; views, feeds and search all use it.
        The app's clock, not the database's, decides "now", so every query and
        cache agrees on one time (a prepared query passes its own now).
        """
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now or timezone.now())

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def newest_first(self):
        """The order of every list of articles readers see."""
        return self.order_by("-publish_at", "-pk")

    def for_listing(self):
        """Everything a card on a list page shows, in one query."""
        return self.select_related("section", "lead_image").defer("body_text").newest_first()

    def for_cards(self):
        """for_listing() without the columns no card shows: the body and the import's metadata."""
        return self.for_listing().defer("body", "source_metadata")

    def showing_image(self, image):
        """Articles with image as their lead picture or in their body."""
        return self.filter(pk__in=Article.objects.filter(Q(lead_image=image) | Q(figures__image=image)).values("pk"))

    def with_drawing(self, kind: str, fingerprint: str | None = None):
        """Each article with its stored drawing of kind, if still valid (articles/drawings.py)."""
        from articles import drawings

        return self.annotate(**{drawings.attribute(kind): drawings.stored(kind, fingerprint)})

    def for_detail(self):
        """Everything the article page shows, in a fixed number of queries."""
        return (
            self.select_related("section", "lead_image")
            .defer("body_text")
            .prefetch_related(
                "keywords",
                models.Prefetch("figures", queryset=ArticleFigure.objects.select_related("image")),
            )
        )

    def with_neighbours(self, now=None):
        """Each article with the published one just before it (older) and after it (newer).

        Two subqueries inside the article's own query, so "previous" and "next"
        links cost the page nothing: article.older and article.newer are
        {"slug": ..., "title": ...} or None. Ties on publish_at go by id.
        """
        when, pk = models.OuterRef("publish_at"), models.OuterRef("pk")
        # The plain publish_at bound, first, repeats what the OR implies, so the database
        # seeks the index to it instead of walking the published articles on that side
        # (1.6 ms at 10,000 articles).
        older = (
            Article.objects.filter(publish_at__lte=when)
            .published(now)
            .filter(Q(publish_at__lt=when) | Q(publish_at=when, pk__lt=pk))
            .order_by("-publish_at", "-pk")
        )
        newer = (
            Article.objects.filter(publish_at__gte=when)
            .published(now)
            .filter(Q(publish_at__gt=when) | Q(publish_at=when, pk__gt=pk))
            .order_by("publish_at", "pk")
        )
        link = JSONObject(slug="slug", title="title")
        return self.annotate(
            older=models.Subquery(older.values(link=link)[:1], output_field=models.JSONField()),
            newer=models.Subquery(newer.values(link=link)[:1], output_field=models.JSONField()),
        )

    def related_to(self, article, *, has_keywords: bool, limit: int = 4):
        """Up to limit articles sharing a keyword with article (else its section), newest first, for cards.

        has_keywords: whether the article has any, which the page already knows.
        One query; none at all when the article has neither keywords nor a section.
        """
        if has_keywords:
            related = self.sharing_a_keyword_with(article.pk)
        elif article.section_id:
            related = self.filter(section_id=article.section_id)
        else:
            return self.none()
        return related.exclude(pk=article.pk).for_cards()[:limit]

    def sharing_a_keyword_with(self, article_id):
        """Articles with at least one of article_id's keywords.

        EXISTS, not IN: the database walks articles newest first and stops at the
        limit-th one sharing a keyword, instead of first listing every article that
        shares one (7 ms with common keywords at 10,000 articles, against 1.4 ms; the
        walk costs more only when almost no article shares a keyword).
        """
        links = Article.keywords.through.objects
        theirs = links.filter(article_id=article_id).values("keyword_id")
        return self.filter(models.Exists(links.filter(article_id=models.OuterRef("pk"), keyword_id__in=theirs)))

    def search(self, query: str):
        """These articles where they match a reader's words, best match first, shaped for cards (for_cards()).

        Each has search_snippet: body text around the matches, the matched
        words marked (see articles.search.snippet_html). Full-text search with
        weights (title > standfirst > body) on PostgreSQL, FTS5 on SQLite.
        """
        from articles.search import search_articles

        return search_articles(self, query)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="The article's address. Filled in from the title; must be unique.",
    )
    standfirst = models.TextField(
        blank=True, default="", help_text="One or two sentences under the headline; also the summary in lists."
    )
    body = models.TextField(
        blank=True,
        default="",
        help_text="Cleaned on save: only safe formatting, links, figures and tables are kept.",
    )
    byline = models.CharField(max_length=200, blank=True, default="", help_text="Who wrote it, as readers see it.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When readers can see it. A future time schedules the article.",
    )
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    keywords = models.ManyToManyField(Keyword, blank=True, related_name="articles")
    lead_image = models.ForeignKey(
        Image,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_articles",
        help_text="Shown above the body and on cards.",
    )
    lead_caption = models.TextField(
        blank=True, default="", help_text="What the lead image shows in this article. The credit comes from the image."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Bumped on every save; lets a later optimistic-locking check refuse stale edits.
    version = models.PositiveIntegerField(default=1, editable=False)

    # Provenance, filled in by the legacy importer.
    source_path = models.CharField(
        max_length=500,
        blank=True,
        default="",
        # A plain index too: SQLite cannot use the partial unique one for "= %s".
        db_index=True,
        help_text="Legacy file this article was imported from.",
    )
    source_checksum = models.CharField(max_length=64, blank=True, default="", editable=False)
    source_metadata = models.JSONField(default=dict, blank=True, editable=False)
    legacy_url = models.CharField(
        max_length=500, blank=True, default="", db_index=True, help_text="The article's address on the old site."
    )
    # The version the importer wrote; a higher version means an editor has changed it since.
    import_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # New on every change to what the article's stored drawings show (ArticleDrawing);
    # a drawing made from older data carries an older token and is never used.
    drawing_token = models.CharField(max_length=32, blank=True, default="", editable=False)
    # Counted from the body on every save: pages and the API read it without re-reading the body.
    word_count = models.PositiveIntegerField(default=0, editable=False)
    # The body's readable text, kept on every save: what search indexes and cuts snippets from
    # (articles/search.py). Pages never read it, so the querysets below leave it out.
    body_text = models.TextField(blank=True, default="", editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        permissions = [("publish_article", "Can publish and unpublish articles")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "review", "published"]),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="article_published_has_publish_at",
            ),
            models.UniqueConstraint(
                fields=["source_path"],
                condition=~Q(source_path=""),
                name="article_unique_source_path",
            ),
        ]
        indexes = [models.Index(fields=["status", "-publish_at"], name="article_status_publish_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, known_images=None, prepared=None, **kwargs):
        """Sanitise the body and make the figure rows match it, in one transaction.

        A caller that already ran rendering.prepare_body() on this body (the
        importer) passes the result as prepared, and the Image rows it found
        as known_images, to spare doing both twice.
        """
        from articles import reading, rendering, search

        self.fill_defaults()
        self.drawing_token = new_drawing_token()
        if prepared is None or prepared.html != self.body:
            prepared = rendering.prepare_body(self.body)
        self.body = prepared.html
        self.word_count = reading.word_count(self.body)
        self.body_text = search.html_text(self.body)
        old_url = None
        if self.pk:
            self.version += 1
            old = Article.objects.filter(pk=self.pk).values("slug", "status").first()
            if old and old["slug"] != self.slug and old["status"] == self.Status.PUBLISHED:
                old_url = reverse("articles:detail", kwargs={"slug": old["slug"]})
        adding = self._state.adding
        # No savepoint: a failure here fails the caller's transaction as a whole,
        # which is what every caller wants, and saves two queries per save.
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            rendering.sync_figures(self, prepared.figures, new=adding, known=known_images)
            if old_url:
                # Readers and search engines that knew the old address still find the article.
                Redirect.objects.update_or_create(
                    old_path=Redirect.normalize_path(old_url), defaults={"article": self, "new_url": ""}
                )

    def get_absolute_url(self, *, memo=True):
        return path_to("articles:detail", slug=self.slug, memo=memo)

    def clean(self):
        self.fill_defaults()

    def fill_defaults(self):
        """Derived fields, set before validation and before every save."""
        self.title = self.title.strip()
        if not self.slug:
            self.slug = unique_slug(Article, self.title, exclude_pk=self.pk)
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()  # publishing without a time means now

    @property
    def is_live(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED and self.publish_at is not None and self.publish_at <= timezone.now()
        )

    @property
    def state_label(self) -> str:
        """Draft, In review, Scheduled or Live: what an editor needs to know at a glance."""
        if self.status != self.Status.PUBLISHED:
            return self.get_status_display()
        return "Live" if self.is_live else "Scheduled"

    @cached_property
    def keyword_list(self) -> list[dict]:
        """The article's keywords as {"name", "slug"}, read once however many parts of a page
        show them (each keywords.all() builds a new manager); the article page reads them as
        such (articles/pages.py), other pages from what for_detail() prefetched."""
        return [{"name": keyword.name, "slug": keyword.slug} for keyword in self.keywords.all()]

    @property
    def reading_minutes(self) -> int:
        from articles import reading

        return reading.reading_minutes(self.word_count)

    @property
    def lead_credit(self) -> str:
        return self.lead_image.credit if self.lead_image else ""

    def rendered_body(self):
        """Body HTML with each figure drawn from its row (caption and credit)."""
        from articles import rendering

        return rendering.render_body(self.body, list(self.figures.all()))


class SearchEntry(models.Model):
    """SQLite only: an article's row in the FTS5 table that migration 0008 creates.

    Triggers keep the table in step with articles_article (see articles/search.py);
    the model exists so search can join it. PostgreSQL never touches it.
    """

    article = models.OneToOneField(
        Article, primary_key=True, db_column="rowid", on_delete=models.DO_NOTHING, related_name="search_entry"
    )
    document = FTS5Document(db_column="articles_article_fts")
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "articles_article_fts"

    def __str__(self):
        return f"Search entry for article {self.pk}"


def new_drawing_token() -> str:
    return uuid.uuid4().hex


class ArticleDrawing(models.Model):
    """Stored HTML of one part of an article as readers see it (articles/drawings.py).

    Drawn on the first view after each change and kept, so busy pages do not
    run the same templates on every request. Valid only while its token is
    the article's drawing_token and its fingerprint is that of the code and
    settings that draw it.
    """

    class Kind(models.TextChoices):
        MAIN = "main", "Headline, lead picture and body"
        CARD = "card", "Card on list pages"
        FEATURED = "featured", "Featured card at the top of a list"
        TEASER = "teaser", "Related-article teaser"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="drawings")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    token = models.CharField(max_length=32)
    fingerprint = models.CharField(max_length=32)
    html = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "kind"], name="drawing_unique_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.article_id}"


class ArticleFigure(models.Model):
    """One inline image in an article's body, with the caption it has there."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="figures")
    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="figure_uses")
    position = models.PositiveSmallIntegerField(help_text="Order of the figure in the body, from 0.")
    caption = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="figure_unique_position"),
        ]

    def __str__(self):
        return f"{self.article} — figure {self.position + 1}"


class Redirect(models.Model):
    """An old address that answers 301 to an article (or any URL) instead of 404."""

    old_path = models.CharField(
        max_length=500,
        unique=True,
        help_text="A path on this site, starting with /, for example /blog/old-post. Trailing slashes are ignored.",
    )
    article = models.ForeignKey(
        Article,
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


class ImportRun(models.Model):
    """One legacy import (command or admin page) and its full report, for review later."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=500, blank=True, default="", help_text="What was imported.")
    dry_run = models.BooleanField(default=False)
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Import of {self.source or 'uploaded files'} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def counts(self) -> dict[str, int]:
        return {k: v for k, v in self.report.items() if isinstance(v, int)}


class ArticleEvent(models.Model):
    """Who did what to an article and when: the newsroom's audit trail."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Sent back to draft"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        UNPUBLISHED = "unpublished", "Unpublished"
        RESTORED = "restored", "Revision restored"
        DELETED = "deleted", "Deleted"

    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    # Kept as text so the trail survives the article's deletion.
    article_title = models.CharField(max_length=300)
    action = models.CharField(max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.article_title}"
