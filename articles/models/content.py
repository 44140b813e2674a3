"""Articles and their inline figures (sections and keywords: taxonomy.py).

An Article's body is HTML the editor writes; every image the article shows is an
Image row plus the use of that image in the article (its caption). The lead
image is a foreign key with its own caption; inline figures are ArticleFigure
rows derived from the body on every save (content/body.py prepare_body, then
ArticleFigure.objects.sync()), so the body and the rows never disagree.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from articles.content import text
from articles.content.body import FigureSpec, PreparedBody, prepare_body
from articles.models.authors import ArticleAuthor, Author
from articles.models.editorial import ArticleEvent
from articles.models.fragments import new_fragment_version
from articles.models.images import Image
from articles.models.redirects import Redirect
from articles.models.taxonomy import Keyword, Section, unique_slug


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers may see: status published and a publish time that has come.

        The one definition of "published"; views, feeds and search all use it.
        The app's clock, not the database's, decides "now", so every query and
        cache agrees on one time (a prepared query passes its own now).
        """
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now or timezone.now())

    def scheduled(self, now=None, *, until=None):
        """Published, with a publish time still to come (and not after until, when given)."""
        scheduled = self.filter(status=Article.Status.PUBLISHED, publish_at__gt=now or timezone.now())
        return scheduled.filter(publish_at__lte=until) if until else scheduled

    def in_review(self):
        return self.filter(status=Article.Status.REVIEW)

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def written_by(self, user):
        return self.filter(created_by=user)

    def open_to_writer(self, user):
        """What someone who may not publish sees: live articles (to propose changes to) and their
        own work, the articles they wrote or are credited on. Other people's drafts, articles in
        review and embargoed (scheduled) stories stay with their writers and the editors."""
        credited = ArticleAuthor.objects.filter(article=models.OuterRef("pk"), author__user=user)
        live = Q(status="published", publish_at__lte=timezone.now())
        return self.filter(live | Q(created_by=user) | models.Exists(credited))

    def worked_on_by(self, user):
        """A writer's own work: articles they wrote, and those whose waiting change they proposed."""
        return self.filter(Q(created_by=user) | Q(pending_change__proposed_by=user))

    def with_submission(self):
        """Each article with when it was last submitted for review and by whom (submitted_at,
        submitted_by: a user name), from its events, in the article's own query. An article that
        reached review without an event (made so by a script) counts from its last save, by its writer."""
        submitted = ArticleEvent.objects.filter(
            article=models.OuterRef("pk"), action=ArticleEvent.Action.SUBMITTED
        ).order_by("-at", "-pk")
        return self.annotate(
            submitted_at=Coalesce(models.Subquery(submitted.values("at")[:1]), "updated_at"),
            submitted_by=Coalesce(models.Subquery(submitted.values("user__username")[:1]), "created_by__username"),
        )

    def newest_first(self):
        """The order of every list of articles readers see."""
        return self.order_by("-publish_at", "-pk")

    def for_listing(self):
        """Everything a card on a list page shows, in one query."""
        return self.select_related("section", "lead_image").defer("body_text").newest_first()

    def for_cards(self):
        """for_listing() without the columns no card shows: the body and the import's metadata."""
        return self.for_listing().defer("body", "source_metadata")

    def with_authors(self):
        """Each article's authors in byline order (Article.author_list), in one more query however many."""
        return self.prefetch_related(
            models.Prefetch("author_links", queryset=ArticleAuthor.objects.select_related("author", "author__photo"))
        )

    def showing_image(self, image):
        """Articles with image as their lead picture or in their body: "used in" for editors, and
        the articles whose stored fragments a change to the picture makes stale (with those whose
        author boxes show it as an author's photo)."""
        using = Q(lead_image=image) | Q(figures__image=image) | Q(authors__photo=image)
        return self.filter(pk__in=Article.objects.filter(using).values("pk"))

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

    def related_to(self, article, *, has_keywords: bool, limit: int = 4, besides: tuple[str, ...] = ()):
        """Up to limit articles sharing a keyword with article (else its section), newest first, for cards.

        has_keywords: whether the article has any, which the page already knows.
        besides: slugs of articles the page links to already (previous and next), left out.
        One query; none at all when the article has neither keywords nor a section.
        """
        if has_keywords:
            related = self.sharing_a_keyword_with(article.pk)
        elif article.section_id:
            related = self.filter(section_id=article.section_id)
        else:
            return self.none()
        return related.exclude(pk=article.pk).exclude(slug__in=besides).for_cards()[:limit]

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
    byline = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="Who wrote it, for copy no author here wrote (“Reuters”, “Staff reporter”). "
        "Readers see it only when the article has no author.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When readers can see it. A future time schedules the article.",
    )
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    keywords = models.ManyToManyField(Keyword, blank=True, related_name="articles")
    # Written through ArticleAuthor.objects.sync() (Article.set_authors()), which keeps their order.
    authors = models.ManyToManyField(Author, through=ArticleAuthor, blank=True, related_name="articles")
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

    # Provenance, filled in by the legacy importer: an article is known by its site and path,
    # so two sites' _posts/2019-01-01-hello.md are two articles.
    source_site = models.CharField(
        max_length=100,
        blank=True,
        default="",
        help_text="The old site this article was imported from (the import's source name).",
    )
    source_path = models.CharField(
        max_length=500,
        blank=True,
        default="",
        # A plain index too: SQLite cannot use the partial unique one for "= %s".
        db_index=True,
        help_text="Legacy file this article was imported from, as a path in its site.",
    )
    source_checksum = models.CharField(max_length=64, blank=True, default="", editable=False)
    source_metadata = models.JSONField(default=dict, blank=True, editable=False)
    legacy_url = models.CharField(
        max_length=500, blank=True, default="", db_index=True, help_text="The article's address on the old site."
    )
    # The version the importer wrote; a higher version means an editor has changed it since.
    import_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # New on every change to what the article's stored fragments show (ArticleFragment);
    # a fragment made from older data carries an older version and is never used.
    fragment_version = models.CharField(max_length=32, blank=True, default="", editable=False)
    # Counted from the body on every save: pages and the API read it without re-reading the body.
    word_count = models.PositiveIntegerField(default=0, editable=False)
    # The body's readable text, kept on every save: what search indexes and cuts snippets from
    # (search/). Pages never read it, so the querysets below leave it out.
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
                fields=["source_site", "source_path"],
                condition=~Q(source_path=""),
                name="article_unique_source",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-publish_at"], name="article_status_publish_idx"),
            # A writer's articles in one state (the dashboard's panels): a seek, not a walk of all they wrote.
            models.Index(fields=["created_by", "status", "-publish_at"], name="article_author_status_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, known_images=None, prepared: PreparedBody | None = None, **kwargs):
        """Save the article with everything derived from its body, in one transaction: the
        sanitised body, its text and word count, the figure rows, and a redirect from the old
        address of a live article whose slug changed.

        A caller that already ran prepare_body() on this body (the importer) passes the
        result as prepared, and the Image rows it found as known_images, to spare doing
        both twice.
        """
        self.fill_defaults()
        self.fragment_version = new_fragment_version()  # every stored fragment of it is stale
        prepared = self.derive_from_body(prepared)
        old_path = self.version_up()
        adding = self._state.adding
        # No savepoint: a failure here fails the caller's transaction as a whole,
        # which is what every caller wants, and saves two queries per save.
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            ArticleFigure.objects.sync(self, prepared.figures, new=adding, known=known_images)
            if old_path:
                # Readers and search engines that knew the old address still find the article.
                Redirect.objects.update_or_create(old_path=old_path, defaults={"article": self, "new_url": ""})

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        self.fill_defaults()

    def derive_from_body(self, prepared: PreparedBody | None = None) -> PreparedBody:
        """Sanitise the body, give each picture its canonical figure, and keep its text and word count."""
        if prepared is None or prepared.html != self.body:
            prepared = prepare_body(self.body)
        self.body = prepared.html
        self.word_count = text.word_count(self.body)
        self.body_text = text.html_text(self.body)
        return prepared

    def version_up(self) -> str | None:
        """Count this save in version; the old address (a normalised path) of a live article whose slug
        changes, which then redirects here."""
        if not self.pk:
            return None
        self.version += 1
        old = Article.objects.filter(pk=self.pk).values("slug", "status").first()
        if old and old["slug"] != self.slug and old["status"] == self.Status.PUBLISHED:
            return Redirect.normalize_path(reverse("articles:detail", kwargs={"slug": old["slug"]}))
        return None

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
        show them (each keywords.all() builds a new manager): prefetch them (for_detail() does)."""
        return [{"name": keyword.name, "slug": keyword.slug} for keyword in self.keywords.all()]

    @cached_property
    def author_list(self) -> list[Author]:
        """The article's authors in byline order, read once: prefetch them (with_authors())."""
        return [link.author for link in self.author_links.all()]

    def set_authors(self, author_ids: list[int], *, new: bool = False) -> bool:
        """Credit these authors, in this order (ArticleAuthor.objects.sync()); whether anything changed."""
        self.__dict__.pop("author_list", None)
        return ArticleAuthor.objects.sync(self, author_ids, new=new)

    # Saves this soon after publishing (the publish itself, a last tidy) are not "updates".
    UPDATE_GRACE = timedelta(minutes=10)

    @property
    def updated_after_publishing(self):
        """When readers are told the article was last updated, else None: with a correction or
        update (prefetched corrections), the later of the latest one and the last save; without,
        the last save if well after publishing."""
        if self.publish_at is None:
            return None
        noted = [correction.published_at for correction in self.corrections.all()]
        if noted:
            return max([self.updated_at, *noted]) if self.updated_at else max(noted)
        grace_over = self.updated_at and self.updated_at > self.publish_at + self.UPDATE_GRACE
        return self.updated_at if grace_over else None

    @property
    def reading_minutes(self) -> int:
        return text.reading_minutes(self.word_count)


class ArticleFigureManager(models.Manager):
    def sync(self, article: Article, specs: list[FigureSpec], *, new=False, known: dict | None = None) -> None:
        """Make article's figure rows match specs (its body's figures), position for position.

        new: the article was just inserted, so it has no rows to compare or delete.
        known: Image rows the caller already has, by src (Image.objects.for_sources()).
        """
        images = Image.objects.for_sources(specs, known) if specs else {}
        wanted = [(i, images[s.src].pk, s.caption, s.link) for i, s in enumerate(specs)]
        if not new:
            current = list(article.figures.order_by("position").values_list("position", "image_id", "caption", "link"))
            if current == wanted:
                return
            article.figures.all().delete()
        if wanted:
            self.bulk_create(
                self.model(article=article, position=i, image_id=image_id, caption=caption, link=link)
                for i, image_id, caption, link in wanted
            )


class ArticleFigure(models.Model):
    """One inline image in an article's body, with the caption (and link) it has there."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="figures")
    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="figure_uses")
    position = models.PositiveSmallIntegerField(help_text="Order of the figure in the body, from 0.")
    caption = models.TextField(blank=True, default="")
    link = models.CharField(
        max_length=2000,  # content.body.MAX_LINK_LENGTH: prepare_body() keeps no longer link
        blank=True,
        default="",
        help_text="Where the picture links to, as the body has it (a link around the picture); empty for none.",
    )

    objects = ArticleFigureManager()

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="figure_unique_position"),
        ]

    def __str__(self):
        return f"{self.article} — figure {self.position + 1}"
