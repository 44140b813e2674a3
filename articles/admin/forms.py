"""The admin's forms: the article form with its editor widget and stale-edit check, the picture form with
its crops, the multi-file uploads (pictures, legacy imports). The rules they apply live in content/,
images/, editorial/ and importing/; these only turn them into form errors."""

import math

from ckeditor.widgets import CKEditorWidget
from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.admin.alt_text import DECORATIVE_HELP, AltTextRequired
from articles.admin.bad_input import KeyCheckedAutocompleteSelectMultiple, KeyCheckedMultipleChoiceField
from articles.content.nesting import MAX_DEPTH, MAX_ELEMENTS, MAX_FORMATTING, measure
from articles.content.sanitizer import check_size, sanitize_html
from articles.content.text import WORDS_PER_MINUTE
from articles.editorial import workflow
from articles.images.decode import STORAGE_ERRORS, read_upload, storage_failure_message
from articles.images.ingest import attach_processed, original_file_name, process_upload
from articles.images.renditions import CARD_RATIO, RATIOS, SOCIAL_RATIO
from articles.importing.addresses import LegacyUrlPattern, PatternError
from articles.importing.frontmatter import parse_key_map
from articles.importing.options import check_source_name
from articles.models import Article, Author, Correction, Image
from articles.public.seo import DESCRIPTION_CHARS


class OrderedAutocompleteSelectMultiple(KeyCheckedAutocompleteSelectMultiple):
    """The admin's autocomplete multi-select with the chosen options in the order given. Select2 adds
    each new choice at the end, so what the form sends back is the order they were chosen in."""

    def optgroups(self, name, value, attr=None):
        order = {str(pk): i for i, pk in enumerate(value)}
        groups = super().optgroups(name, value, attr)
        for _, options, _ in groups:
            options.sort(key=lambda option: order.get(str(option["value"]), len(order)))
        return groups


class OrderedModelMultipleChoiceField(KeyCheckedMultipleChoiceField):
    """Chosen rows as a list in the order sent, not a queryset; a new order is a change."""

    def clean(self, value):
        chosen = {str(row.pk): row for row in super().clean(value)}
        return [chosen[pk] for pk in dict.fromkeys(str(pk) for pk in value or []) if pk in chosen]

    def has_changed(self, initial, data):
        return [str(pk) for pk in initial or []] != [str(pk) for pk in data or []]


class EditorWidget(CKEditorWidget):
    """CKEditor 4 plus the script that sends Django's CSRF token with image uploads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, config_name="newsroom", **kwargs)

    @property
    def media(self):
        # Naming ckeditor.js again tells Django's media merge to put our hook after it.
        return super().media + forms.Media(js=["ckeditor/ckeditor/ckeditor.js", "articles/editor.js"])


# Where search engines and social cards cut a headline and a description: conventions, not
# published limits (docs/editorial.md says where they come from). Shown by static/articles/counts.js.
COUNTED_FIELDS = {
    "title": (60, "search results show about 60"),
    "standfirst": (
        160,
        f"search results show about 155–160 of a description; the page's own stops at {DESCRIPTION_CHARS}",
    ),
}


class ArticleAdminForm(forms.ModelForm):
    # Optimistic locking: the version the form was loaded with comes back with
    # the POST; a save based on an older version is refused (editorial/workflow.py).
    # Its data-* attributes tell static/articles/autosave.js what it is editing.
    loaded_version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # Shown to editors on published articles (ArticleAdmin.get_fieldsets); editorial/corrections.py.
    correction_kind = forms.ChoiceField(
        choices=[("", "No, a silent fix (a typo)"), *Correction.Kind.choices],
        required=False,
        label="Tell readers",
        help_text="A correction says something published was wrong; an update adds news. Shown under the article "
        "with the time, on /corrections/ (corrections only), and in its structured data.",
    )
    correction_note = forms.CharField(
        required=False, max_length=1000, label="Note to readers", widget=forms.Textarea(attrs={"rows": 2})
    )
    # Article.authors keeps an order, which a plain many-to-many field would lose (saved by
    # ArticleAdmin.save_related(), or kept in a pending change).
    author_list = OrderedModelMultipleChoiceField(
        Author.objects.all(),
        required=False,
        label="Authors",
        widget=OrderedAutocompleteSelectMultiple(Article._meta.get_field("authors"), admin.site),
        help_text="In byline order: remove and add an author again to move them to the end. With none, "
        "readers see the byline.",
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "standfirst", "byline", "body", "lead_image", "lead_caption",
            "status", "publish_at", "section", "keywords",
        ]  # fmt: skip
        widgets = {"body": EditorWidget(attrs={"data-words-per-minute": WORDS_PER_MINUTE})}

    class Media:
        # Naming ckeditor.js first puts the counts' script after it (Django's media merge).
        js = ["ckeditor/ckeditor/ckeditor.js", "articles/counts.js"]

    user = None  # who fills it in: ArticleAdmin.get_form() sets it

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        for name, (limit, note) in COUNTED_FIELDS.items():
            self.fields[name].widget.attrs.update({"data-count-limit": limit, "data-count-note": note})
        field = self.fields["loaded_version"]
        field.widget.attrs["data-article"] = self.instance.pk or "new"
        if self.instance.pk:
            field.required = True
            field.initial = self.instance.version
            field.widget.attrs["data-saved-at"] = self.instance.updated_at.isoformat()
        field.error_messages["required"] = "This form is missing the version it was loaded with; reload the page."
        pending_related = getattr(self.instance, "pending_related", None)
        if pending_related is not None:  # the form shows the article's pending change (admin/pending.py)
            self.initial["keywords"] = pending_related.keyword_ids
            self.initial["author_list"] = pending_related.author_ids
        elif self.instance.pk:
            self.initial["author_list"] = list(self.instance.author_links.values_list("author_id", flat=True))

    def clean(self):
        cleaned = super().clean()
        kind, note = cleaned.get("correction_kind"), cleaned.get("correction_note", "").strip()
        if kind and not note:
            self.add_error("correction_note", "Say what was wrong and what is right now.")
        elif note and not kind:
            self.add_error("correction_kind", "Choose correction or update for this note.")
        if self.instance.pk and cleaned.get("loaded_version"):
            try:
                # Locks the row until the admin's transaction (which saves next) ends.
                workflow.lock(article_pk=self.instance.pk, loaded_version=cleaned["loaded_version"])
            except workflow.StaleEdit as stale:
                self.conflict = stale
                # Whoever presses Save again has seen the warning: that save replaces the newer version.
                self.data = self.data.copy()
                self.data[self.add_prefix("loaded_version")] = stale.version
                raise forms.ValidationError(self.conflict_message(stale), code="stale") from stale
        return cleaned

    def conflict_message(self, stale):
        return format_html(
            "{} saved this article at {} while you were editing, so your changes were not saved. "
            'They are still in this form. Check the <a href="{}" target="_blank">saved version</a> '
            '(or <a href="{}">compare revisions</a>), then press Save again to replace it with yours.',
            stale.saved_by,
            f"{timezone.localtime(stale.saved_at):%H:%M}",
            reverse("admin:articles_article_preview", args=[self.instance.pk]),
            reverse("admin:articles_article_history", args=[self.instance.pk]),
        )

    def clean_publish_at(self):
        # A writer's past date would be kept by an editor's "Publish now" (workflow.publish_now): the
        # story would appear backdated. Only those who may publish date a story in the past; an
        # unchanged date (one an editor set) stays whoever saves. The form shows whole seconds.
        publish_at, saved = self.cleaned_data.get("publish_at"), self.instance.publish_at
        if (
            publish_at
            and publish_at < timezone.now()
            and (saved is None or publish_at.replace(microsecond=0) != saved.replace(microsecond=0))
            and (self.user is None or not workflow.may_publish(self.user))
        ):
            raise forms.ValidationError("Only editors can set a publish time in the past.", code="past")
        return publish_at

    def clean_body(self):
        # The model sanitises again on save; doing it here turns an oversized
        # body into a form error instead of a failed save.
        body = self.cleaned_data["body"]
        check_size(body)
        # The sanitizer would flatten it (keeping the text); an editor is told instead.
        shape = measure(body)
        if not shape.within_limits:
            raise forms.ValidationError(
                "The body nests too deeply or has too many elements (the limits are %(depth)s levels, "
                "%(formatting)s open formatting elements and %(elements)s elements). Paste it as plain text "
                "or simplify it.",
                code="body_too_deep",
                params={"depth": MAX_DEPTH, "formatting": MAX_FORMATTING, "elements": f"{MAX_ELEMENTS:,}"},
            )
        return sanitize_html(body)


class HttpsURLField(forms.URLField):
    """A URL typed without a scheme means https (Django 6's default, early)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


# Explicit crops an editor may set, by Image.crops key: the shapes pages cut pictures
# to (images/renditions.py), 3:2 cards and the 1.91:1 social image. Lead pictures keep
# their own shape, uncropped. Without one, renditions crop around the focal point.
CROP_RATIOS = {CARD_RATIO: ("crop_card", RATIOS[CARD_RATIO]), SOCIAL_RATIO: ("crop_social", RATIOS[SOCIAL_RATIO])}
CROP_HELP = "Left, top, width, height in pixels of the picture, e.g. 0, 120, 1600, 900. Empty: follow the focal point."


def crop_field(label):
    return forms.CharField(label=label, required=False, help_text=CROP_HELP)


class ImageAdminForm(AltTextRequired, forms.ModelForm):
    processed = None
    duplicate = None  # an Image that already holds the uploaded picture (same checksum)
    cleaned_crops = None

    crop_card = crop_field("3:2 crop (cards)")
    crop_social = crop_field("1.91:1 crop (social)")

    class Meta:
        model = Image
        fields = ["file", "source_url", "alt_text", "decorative", "credit", "copyright", "focal_x", "focal_y"]
        help_texts = {"decorative": DECORATIVE_HELP}
        field_classes = {"source_url": HttpsURLField}
        # Set by clicking the picture (static/articles/focal_point.js).
        widgets = {"focal_x": forms.HiddenInput, "focal_y": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        width, height = self.instance.width, self.instance.height
        for key, (name, _ratio) in CROP_RATIOS.items():
            box = (self.instance.crops or {}).get(key)
            if box and width and height and name in self.fields:
                x, y, w, h = box
                self.fields[name].initial = ", ".join(
                    str(round(value * size)) for value, size in [(x, width), (y, height), (w, width), (h, height)]
                )

    @property
    def media(self):
        return super().media + forms.Media(js=["articles/focal_point.js", "articles/alt_text.js"])

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.processed = process_upload(read_upload(upload))
            self.instance.original_name = original_file_name(upload.name)
            self.duplicate = Image.objects.exclude(pk=self.instance.pk).by_checksum(self.processed.checksum)
            if self.duplicate is not None and self.instance.pk:
                raise forms.ValidationError(
                    format_html(
                        'This picture is already in the library: <a href="{}">{}</a>.',
                        reverse("admin:articles_image_change", args=[self.duplicate.pk]),
                        self.duplicate,
                    )
                )
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("source_url") and not self.errors:
            raise forms.ValidationError("Upload a picture or give its remote address.")
        for name in ["focal_x", "focal_y"]:
            value = cleaned.get(name)
            if value is not None and not 0 <= value <= 1:
                self.add_error(None, "The focal point must lie on the picture.")
        self.cleaned_crops = self._clean_crops(cleaned)
        return cleaned

    def _clean_crops(self, cleaned) -> dict:
        """Pixel boxes typed by the editor -> Image.crops fractions, each inside the frame and of its ratio."""
        if self.processed is not None:
            width, height = self.processed.width, self.processed.height
        else:
            width, height = self.instance.width, self.instance.height
        crops = {}
        for key, (name, ratio) in CROP_RATIOS.items():
            text = (cleaned.get(name) or "").strip()
            if not text:
                continue
            try:
                x, y, w, h = (float(part) for part in text.replace(";", ",").split(","))
                if not all(math.isfinite(n) for n in (x, y, w, h)):  # "nan" passes every comparison below
                    raise ValueError
            except ValueError:
                self.add_error(name, "Give four numbers: left, top, width, height.")
                continue
            if not (width and height):
                self.add_error(name, "Crops need a stored picture of known size.")
            elif w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > width or y + h > height:
                self.add_error(name, f"The crop must lie within the picture ({width} × {height} pixels).")
            elif abs(w / h - ratio) > ratio * 0.01:
                self.add_error(name, f"The crop is {w / h:.2f}:1, not {key}: {w:g} wide means {w / ratio:.0f} high.")
            else:
                crops[key] = [round(x / width, 6), round(y / height, 6), round(w / width, 6), round(h / height, 6)]
        return crops

    def _post_clean(self):
        super()._post_clean()
        if not self.errors and self.cleaned_crops is not None:
            self.instance.crops = self.cleaned_crops
        if self.duplicate is not None:
            return  # the admin reuses the stored one (ImageAdmin.save_form); nothing to write
        # Write the picture to storage while the form can still say no: a full
        # or read-only disk (or unreachable object storage) becomes an error on
        # the form, and the admin never reaches the row's save.
        if self.processed is not None and not self.errors:
            try:
                attach_processed(self.instance, self.processed)
            except STORAGE_ERRORS as error:
                self.add_error("file", storage_failure_message(error))
            self.processed = None

    def save(self, commit=True):
        image = super().save(commit=False)
        if self.processed is not None:  # normally _post_clean() has stored it already
            attach_processed(image, self.processed)
        if commit:
            image.save()
        return image


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: a list of uploads, each cleaned like a FileField's one."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean  # (a zero-argument super() cannot be called inside the comprehension)
        files = data if isinstance(data, list | tuple) else [data]
        return [single(item, initial) for item in files]


class UploadManyForm(forms.Form):
    files = MultipleFileField(
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        help_text="Choose one or more JPEG, PNG, GIF or WebP pictures. You describe each one on the next page.",
    )


class DescribeForm(AltTextRequired, forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    alt_text = forms.CharField(
        max_length=500,
        required=False,  # required unless decorative: AltTextRequired
        help_text="Describe the picture for people who cannot see it. Required unless it is decorative.",
        widget=forms.TextInput(attrs={"size": 60}),
    )
    decorative = forms.BooleanField(required=False, help_text=DECORATIVE_HELP)
    credit = forms.CharField(max_length=255, required=False)
    copyright = forms.CharField(max_length=255, required=False)


class DescribeUploadForm(AltTextRequired, forms.Form):
    """The alt text sent with an upload to the editor's endpoint (ImageAdmin.upload_view)."""

    alt_text = forms.CharField(max_length=500, required=False)
    decorative = forms.BooleanField(required=False)


DescribeFormSet = forms.formset_factory(DescribeForm, extra=0)


class LegacyImportForm(forms.Form):
    files = MultipleFileField(
        help_text="Front-matter files (.md, .markdown, .txt, .html) or a .zip of a folder of them, "
        "pictures included (site-relative image paths are looked up inside the .zip)."
    )
    dry_run = forms.BooleanField(
        required=False, initial=True, help_text="Check everything and show the report; save nothing."
    )
    legacy_url_pattern = forms.CharField(
        required=False,
        help_text="Old address of a post, e.g. /blog/{year}/{month}/{slug} or Jekyll's /:year/:month/:title.html. "
        "Empty: the site's own permalink setting (_config.yml, config.toml), else {path}, its path in the .zip.",
    )
    key_map = forms.CharField(
        required=False,
        label="Key map",
        help_text="The site's own front-matter keys read as ours, e.g. newstitle=title, blurb=description.",
    )
    legacy_base_url = forms.URLField(
        required=False, assume_scheme="https", help_text="The old site, to make its site-relative links absolute."
    )
    source_site = forms.CharField(
        required=False,
        label="Source",
        help_text="The old site's name, e.g. its host. Articles are known by it and their path in the .zip, "
        "so another site's files never replace them. Empty: the host in the site's config file, else 'uploads'.",
    )
    overwrite = forms.BooleanField(required=False, help_text="Replace articles that were edited since their import.")
    strict = forms.BooleanField(required=False, help_text="A file with any warning fails and writes nothing.")

    def __init__(self, *args, may_publish: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_publish:
            # Replacing what the desk edited since the import is an editor's call.
            del self.fields["overwrite"]

    def clean_legacy_url_pattern(self):
        pattern = self.cleaned_data["legacy_url_pattern"].strip()
        try:
            LegacyUrlPattern.parse(pattern or settings.NEWSROOM_LEGACY_URL_PATTERN)
        except PatternError as error:
            raise forms.ValidationError(str(error)) from None
        return pattern

    def clean_source_site(self):
        name = self.cleaned_data["source_site"]
        try:
            return check_source_name(name) if name.strip() else ""
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_key_map(self):
        try:
            return parse_key_map(self.cleaned_data["key_map"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
