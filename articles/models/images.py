"""Pictures: an Image is a stored (or only remotely referenced) picture, whatever articles use it.

Alt text, credit and copyright belong to the picture; a caption belongs to its
use in an article (Article.lead_caption, ArticleFigure.caption).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.content.body import media_name


def image_upload_to(instance: Image, filename: str) -> str:
    """Dated folder and a generated name; only the extension survives from the upload."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


LABEL_LENGTH = 80


def cut_at_word(text: str, limit: int) -> str:
    """text, or its words that fit in limit characters followed by an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


class ImageQuerySet(models.QuerySet):
    def by_checksum(self, checksum: str) -> Image | None:
        """The picture already stored with these bytes (after re-encoding), if any: the oldest."""
        return self.filter(checksum=checksum).order_by("pk").first()

    def in_use(self):
        """Pictures an article shows, as lead or inline; they cannot be deleted."""
        return self.filter(Q(lead_articles__isnull=False) | Q(figure_uses__isnull=False)).distinct()

    def unused(self):
        """Pictures no article shows, as lead or inline (an author's photo does not count)."""
        return self.filter(lead_articles__isnull=True, figure_uses__isnull=True)

    def missing_alt_text(self):
        """Pictures with no alt text that nobody has marked decorative: they still need describing."""
        return self.filter(alt_text="", decorative=False)


class ImageManager(models.Manager.from_queryset(ImageQuerySet)):
    def for_sources(self, specs, known: dict | None = None, absent=frozenset()) -> dict[str, Image]:
        """An Image for every src of specs (FigureSpecs), found or created: two queries to look up, one to create.

        known: rows the caller already has by src; only the others are looked up.
        absent: srcs the caller has just found no row for (none has a media name); not looked up again.
        Alt text written in the body fills a picture's alt text when it has none.
        """
        by_src = dict(known or {})
        unknown = [s for s in specs if s.src not in by_src and s.src not in absent]
        names = {media_name(s.src): s.src for s in unknown if media_name(s.src)}
        if names:  # even an empty IN () costs a query compilation
            for image in self.filter(file__in=list(names)):
                by_src[names[image.file.name]] = image
        remote = [s.src for s in unknown if s.src not in by_src]
        if remote:
            for image in self.filter(source_url__in=remote).order_by("pk"):
                by_src.setdefault(image.source_url, image)
        missing = {}
        for spec in specs:
            image = by_src.get(spec.src)
            if image is None:
                missing.setdefault(spec.src, self.model(source_url=spec.src, alt_text=spec.alt))
            elif spec.alt and not image.alt_text and not image.decorative:
                image.alt_text = spec.alt
                image.save(update_fields=["alt_text"])
        if missing:
            created = self.bulk_create(missing.values())
            if any(image.pk is None for image in created):  # backends that cannot return ids
                created = self.filter(source_url__in=list(missing)).order_by("pk")
            for image in created:
                by_src.setdefault(image.source_url, image)
        return by_src


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
        help_text="Describe the picture for people who cannot see it. Required unless the picture is decorative.",
    )
    # An empty alt on purpose (alt=""): the picture adds nothing a reader who cannot see it misses.
    # Without it an empty alt_text means nobody described the picture yet (ImageQuerySet.missing_alt_text).
    decorative = models.BooleanField(
        default=False,
        help_text="Pure decoration: screen readers skip it, and it is stored with no alt text on purpose.",
    )
    original_name = models.CharField(
        max_length=255,
        blank=True,
        default="",
        help_text="The file's name on the uploader's computer; the stored name is generated.",
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

    objects = ImageManager()

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
            models.CheckConstraint(condition=Q(decorative=False) | Q(alt_text=""), name="image_decorative_has_no_alt"),
            # One row per stored picture, even when two imports store it at once (images/ingest.py stored_image).
            models.UniqueConstraint(fields=["checksum"], condition=~Q(checksum=""), name="image_unique_checksum"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """What choosers and messages call the picture: its alt text, cut at a word, else its file's name."""
        return cut_at_word(self.alt_text, LABEL_LENGTH) or self.original_name or self.name

    @property
    def name(self) -> str:
        path = self.file.name or self.source_url
        return path.rsplit("/", 1)[-1]

    @property
    def url(self) -> str:
        """Where a browser fetches the picture: the stored file, else its remote address."""
        return self.file.url if self.file else self.source_url
