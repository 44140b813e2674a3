"""Admin forms: the editor widget and upload checks; the rules live in sanitizer.py and images.py."""

from ckeditor.widgets import CKEditorWidget
from django import forms
from django.core.files.uploadedfile import UploadedFile

from articles.images import attach_processed, process_upload, read_upload
from articles.models import Article, Image
from articles.sanitizer import sanitize_html


class EditorWidget(CKEditorWidget):
    """CKEditor 4 plus the script that sends Django's CSRF token with image uploads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, config_name="newsroom", **kwargs)

    @property
    def media(self):
        # Naming ckeditor.js again tells Django's media merge to put our hook after it.
        return super().media + forms.Media(js=["ckeditor/ckeditor/ckeditor.js", "articles/editor.js"])


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title", "slug", "standfirst", "byline", "body", "lead_image", "lead_caption",
            "status", "publish_at", "section", "keywords",
        ]  # fmt: skip
        widgets = {"body": EditorWidget()}

    def clean_body(self):
        # The model sanitises again on save; doing it here turns an oversized
        # body into a form error instead of a failed save.
        return sanitize_html(self.cleaned_data["body"])


class HttpsURLField(forms.URLField):
    """A URL typed without a scheme means https (Django 6's default, early)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class ImageAdminForm(forms.ModelForm):
    processed = None

    class Meta:
        model = Image
        fields = ["file", "source_url", "alt_text", "credit", "copyright"]
        field_classes = {"source_url": HttpsURLField}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.processed = process_upload(read_upload(upload))
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("source_url") and not self.errors:
            raise forms.ValidationError("Upload a picture or give its remote address.")
        return cleaned

    def save(self, commit=True):
        image = super().save(commit=False)
        if self.processed is not None:
            attach_processed(image, self.processed)
        if commit:
            image.save()
        return image
