"""What an editor's browser does on the admin's import page, run inside `manage.py shell` by
tests/system/test_import_jobs.py: post an upload, poll its progress. Not a test module."""

import io
import json
import zipfile

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

POST = "---\ntitle: Story number {n}\ndate: 2021-03-04T09:30:00Z\n---\n<p>Paragraph {n} of the archive.</p>\n"


def _editor_client() -> Client:
    editor, created = get_user_model().objects.get_or_create(username="editor", defaults={"is_staff": True})
    if created:
        editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)
    return client


def post_import(count: int) -> None:
    """Upload a .zip of `count` posts; print the run's id."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(count):
            archive.writestr(f"posts/story-{n}.md", POST.format(n=n))
    upload = SimpleUploadedFile("archive.zip", buffer.getvalue(), content_type="application/zip")
    response = _editor_client().post(
        reverse("admin:articles_article_import"), {"files": [upload], "legacy_url_pattern": "news/{filename}"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    print("run", response["Location"].rstrip("/").rsplit("/", 1)[-1])


def progress(run_id: int) -> None:
    response = _editor_client().get(reverse("admin:articles_article_import_progress", args=[run_id]))
    print("progress", json.dumps(response.json()))
