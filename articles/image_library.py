"""Uploading many pictures at once, each with alt text, without storing one that has none.

Step one checks every file (articles/images.py process_upload: caps, full
decode, re-encode), reuses pictures already in the library (same checksum) and
parks the new ones in a staging folder, remembered in the person's session
with the credit and copyright read from their metadata. Step two asks for alt
text (required), credit and copyright for each; only then are Image rows made.
Nothing a browser sends names a staged file: the session holds the names.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet

from articles.images import ProcessedImage, attach_processed, process_upload, read_upload
from articles.models import Image

SESSION_KEY = "newsroom_staged_images"
STAGING_FOLDER = "staging"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        # FileField cleans one file; the widget hands over every chosen one.
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class UploadManyForm(forms.Form):
    files = MultipleFileField(
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        help_text="Choose one or more JPEG, PNG, GIF or WebP pictures. You describe each one on the next page.",
    )


class DescribeForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    alt_text = forms.CharField(
        max_length=500,
        help_text="Describe the picture for people who cannot see it. Required.",
        error_messages={"required": "Every picture needs alt text."},
        widget=forms.TextInput(attrs={"size": 60}),
    )
    credit = forms.CharField(max_length=255, required=False)
    copyright = forms.CharField(max_length=255, required=False)

    def clean_alt_text(self):
        text = " ".join(self.cleaned_data["alt_text"].split())
        if not text:
            raise ValidationError("Every picture needs alt text.")
        return text


DescribeFormSet = forms.formset_factory(DescribeForm, extra=0)


@dataclass
class Staged:
    key: str
    name: str  # in default_storage, under STAGING_FOLDER
    original_name: str
    checksum: str
    width: int
    height: int
    credit: str
    copyright: str

    @property
    def url(self) -> str:
        return default_storage.url(self.name)


@dataclass
class StageResult:
    staged: list[Staged] = field(default_factory=list)
    reused: list[tuple[str, Image]] = field(default_factory=list)  # (file name, the Image already stored)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)


def stage(uploads, *, session) -> StageResult:
    """Check each upload; reuse known pictures; park new ones until they are described."""
    discard(session)  # an earlier batch left undescribed goes
    result = StageResult()
    seen = {}
    for upload in uploads:
        try:
            processed = process_upload(read_upload(upload))
        except ValidationError as error:
            result.refused.append((upload.name, " ".join(error.messages)))
            continue
        existing = Image.objects.filter(checksum=processed.checksum).order_by("pk").first()
        if existing is not None:
            result.reused.append((upload.name, existing))
            continue
        if processed.checksum in seen:
            result.refused.append((upload.name, f"the same picture as {seen[processed.checksum]}"))
            continue
        seen[processed.checksum] = upload.name
        extension = processed.content.name.rsplit(".", 1)[-1]
        name = default_storage.save(f"{STAGING_FOLDER}/{uuid.uuid4().hex}.{extension}", processed.content)
        result.staged.append(
            Staged(
                key=uuid.uuid4().hex,
                name=name,
                original_name=upload.name[:200],
                checksum=processed.checksum,
                width=processed.width,
                height=processed.height,
                credit=processed.credit,
                copyright=processed.copyright,
            )
        )
    session[SESSION_KEY] = [asdict(item) for item in result.staged]
    return result


def staged(session) -> list[Staged]:
    return [Staged(**item) for item in session.get(SESSION_KEY, [])]


def store(session, descriptions: list[dict], *, user) -> list[Image]:
    """Make an Image row for each staged picture from its description (alt text required)."""
    by_key = {item.key: item for item in staged(session)}
    images = []
    for description in descriptions:
        item = by_key.get(description["key"])
        if item is None:
            continue
        if not description["alt_text"].strip():
            raise ValidationError("Every picture needs alt text.")
        # Someone may have stored the same picture since step one.
        image = Image.objects.filter(checksum=item.checksum).order_by("pk").first()
        if image is None:
            with default_storage.open(item.name, "rb") as parked:
                data = parked.read()
            image = Image(
                alt_text=description["alt_text"],
                credit=description["credit"],
                copyright=description["copyright"],
                uploaded_by=user,
            )
            attach_processed(
                image,
                ProcessedImage(
                    content=ContentFile(data, name=item.name.rsplit("/", 1)[-1]),
                    width=item.width,
                    height=item.height,
                    checksum=item.checksum,
                    credit="",
                    copyright="",
                ),
            )
            image.save()
        images.append(image)
    discard(session)
    return images


def discard(session) -> None:
    for item in staged(session):
        default_storage.delete(item.name)
    session.pop(SESSION_KEY, None)


def in_use(queryset: QuerySet[Image]) -> QuerySet[Image]:
    """The images of queryset that an article shows (as lead or inline); they cannot be deleted."""
    return queryset.filter(Q(lead_articles__isnull=False) | Q(figure_uses__isnull=False)).distinct()
