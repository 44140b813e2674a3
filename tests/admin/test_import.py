import html
import io
import stat
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from articles.admin.forms import LegacyImportForm
from articles.importing.uploads import UploadError, unpack
from articles.models import Article, ArticleEvent, Image, ImportRun, Keyword
from tests.factories import image_bytes

pytestmark = pytest.mark.django_db

POST = """---
title: Ferry timetable changes in spring
date: 2021-03-04T09:30:00Z
description: Boats every twenty minutes from June.
keywords: ferry, transport
image: /assets/ferry.jpg
---
<p>The council approved the new timetable.</p>
<img src="https://images.example.org/quay.jpg" alt="">
<p class="imageCaption">Photo: Harbour Desk</p>
"""


def zip_upload(members: dict[str, bytes], name="site.zip") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
        link = zipfile.ZipInfo("posts/link.md")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def post_import(client, upload, **fields):
    """Post the import form; its job runs as the request's transaction commits (the immediate backend in
    tests), and the page it redirects to (the run's report) is returned; a form error's page otherwise."""
    data = {"files": [upload], "legacy_url_pattern": "news/{filename}", "legacy_base_url": "", **fields}
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("admin:articles_article_import"), data)
    return client.get(response["Location"]) if response.status_code == 302 else response


def site_zip():
    return zip_upload(
        {
            "posts/ferry.md": POST.encode(),
            "assets/ferry.jpg": image_bytes(size=(90, 60)),
            "../escape.md": POST.encode(),
            "posts/broken.md": b"---\ntitle: [never closed\n---\nA body.\n",
        }
    )


def test_dry_run_reports_and_saves_nothing(client, editor):
    client.force_login(editor)
    response = post_import(client, site_zip(), dry_run="on")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dry run: nothing was saved" in html
    assert "posts/ferry.md" in html
    assert "malformed YAML" in html
    assert "../escape.md refused" in html
    assert "posts/link.md refused" in html
    assert not Article.objects.exists()
    assert not Image.objects.exists()
    assert ImportRun.objects.get().dry_run is True


def test_editor_imports_a_zip_with_its_pictures(client, editor):
    client.force_login(editor)
    response = post_import(client, site_zip())
    assert response.status_code == 200
    article = Article.objects.get()
    assert article.is_live
    assert article.lead_image.file  # /assets/ferry.jpg found inside the zip and stored
    assert (article.lead_image.width, article.lead_image.height) == (90, 60)
    assert article.legacy_url == "/news/ferry"
    assert ImportRun.objects.get().report["created"] == 1
    assert client.get("/news/ferry")["Location"] == article.get_absolute_url()


def test_writer_imports_only_drafts(client, writer):
    client.force_login(writer)
    post_import(client, site_zip())
    assert Article.objects.get().status == Article.Status.DRAFT


def test_readers_cannot_reach_the_import_pages(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert client.get(reverse("admin:articles_article_import")).status_code == 302
    assert client.get(reverse("admin:articles_article_import_review")).status_code == 302


def test_review_page_lists_what_needs_a_look(client, editor):
    client.force_login(editor)
    post_import(client, site_zip())
    html = client.get(reverse("admin:articles_article_import_review")).content.decode()
    article = Article.objects.get()
    assert reverse("admin:articles_article_change", args=[article.pk]) in html
    assert "figure 1: hotlinked from https://images.example.org/quay.jpg" in html
    assert "figure 1: no alt text" in html
    assert "caption looks like a credit" in html
    assert "posts/broken.md" in html


def test_a_corrupt_zip_fails_the_run_and_says_why(client, editor, settings):
    client.force_login(editor)
    response = post_import(client, SimpleUploadedFile("site.zip", b"PK not really"))
    assert "is not a readable .zip file" in response.content.decode()
    assert ImportRun.objects.get().state == ImportRun.State.FAILED
    assert not list(settings.NEWSROOM_IMPORT_UPLOADS_DIR.iterdir())  # its files are removed


def test_writer_reimport_cannot_reschedule_a_live_article(client, editor, writer):
    client.force_login(editor)
    post_import(client, site_zip())
    article = Article.objects.get()
    live_since = article.publish_at
    client.force_login(writer)
    later = POST.replace("date: 2021-03-04T09:30:00Z", "date: 2031-01-01T00:00:00Z")
    post_import(client, zip_upload({"posts/ferry.md": later.encode()}), overwrite="on")
    # Read, and refused: a writer changes no published text (tests/editorial/test_pending_changes.py).
    assert ImportRun.objects.first().report["conflicts"] == 1
    article.refresh_from_db()
    assert article.is_live
    assert article.publish_at == live_since


def raw_zip(members: dict[str, bytes], compression=zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return buffer.getvalue()


def broken_upload(client, data: bytes, monkeypatch, tmp_path):
    """Post a broken .zip; assert its run failed, nothing was imported and its half-unpacked folder is
    gone; return the run's error."""
    response = post_import(client, SimpleUploadedFile("site.zip", data, content_type="application/zip"))
    assert response.status_code == 200
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.FAILED
    assert html.escape(run.error) in response.content.decode()
    assert not list((tmp_path / "import-uploads").iterdir())  # the half-unpacked folder is gone
    assert not Article.objects.exists()
    return run.error


@pytest.mark.parametrize("headers", [2, 1], ids=["everywhere", "local-header-only"])
def test_a_name_marked_utf8_that_is_not_fails_the_run(client, editor, monkeypatch, tmp_path, headers):
    data = raw_zip({"posts/ferry.md": POST.encode(), "posts/café.md": POST.encode()})
    assert data.count("café".encode()) == 2  # local header, then the central directory
    data = data.replace("café".encode(), b"caf\xff\xff", headers)
    client.force_login(editor)
    error = broken_upload(client, data, monkeypatch, tmp_path)
    assert "site.zip" in error and ("not a readable .zip file" in error or "cannot be read" in error)


@pytest.mark.parametrize(
    "members",
    [{"posts": b"x", "posts/ferry.md": POST.encode()}, {"posts/ferry.md": POST.encode(), "posts": b"x"}],
    ids=["file-first", "folder-first"],
)
def test_a_file_and_a_folder_of_the_same_name_fails_the_run(client, editor, monkeypatch, tmp_path, members):
    client.force_login(editor)
    error = broken_upload(client, raw_zip(members), monkeypatch, tmp_path)
    assert "a file and a folder in the upload have the same name" in error


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2])
def test_damaged_data_in_a_zip_fails_the_run(client, editor, monkeypatch, tmp_path, compression):
    data = bytearray(raw_zip({"posts/ferry.md": POST.encode() * 20}, compression))
    # Its first byte of data: a bad CRC, a broken deflate stream, or bz2's OSError (not the disk's).
    data[30 + len("posts/ferry.md")] ^= 0xFF
    client.force_login(editor)
    error = broken_upload(client, bytes(data), monkeypatch, tmp_path)
    assert "site.zip: posts/ferry.md cannot be read" in error


def test_a_name_too_long_for_the_disk_fails_the_run(client, editor, monkeypatch, tmp_path):
    client.force_login(editor)
    error = broken_upload(client, raw_zip({f"posts/{'x' * 300}.md": POST.encode()}), monkeypatch, tmp_path)
    assert "could not be unpacked: File name too long" in error


def test_a_full_disk_is_an_upload_error(tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "ferry.md").symlink_to("/dev/full")  # every write fails with ENOSPC
    upload = SimpleUploadedFile("site.zip", raw_zip({"posts/ferry.md": POST.encode()}))
    with pytest.raises(UploadError, match="site.zip: posts/ferry.md could not be unpacked: No space left on device"):
        unpack([upload], tmp_path)


def test_folder_entries_in_a_zip_are_skipped(client, editor):
    client.force_login(editor)
    response = post_import(client, zip_upload({"posts/": b"", "posts/ferry.md": POST.encode()}))
    assert response.status_code == 200
    assert ImportRun.objects.get().state == ImportRun.State.DONE
    assert Article.objects.get().title == "Ferry timetable changes in spring"


# --- An import runs with its user's permissions ---------------------------------------------------

DRAFT = POST.replace("keywords: ferry, transport\n", "draft: true\n")


def test_only_who_may_publish_is_offered_overwrite(client, editor, writer):
    client.force_login(writer)
    assert "overwrite" not in client.get(reverse("admin:articles_article_import")).context["form"].fields
    client.force_login(editor)
    assert "overwrite" in client.get(reverse("admin:articles_article_import")).context["form"].fields


def test_a_writers_overwrite_is_ignored(client, editor, writer):
    client.force_login(editor)
    post_import(client, zip_upload({"posts/ferry.md": DRAFT.encode()}))
    article = Article.objects.get()
    article.title = "Edited by the desk"
    article.save()  # edited since its import
    client.force_login(writer)
    changed = DRAFT.replace("Ferry timetable changes in spring", "Rewritten by the writer")
    post_import(client, zip_upload({"posts/ferry.md": changed.encode()}), overwrite="on")
    assert ImportRun.objects.first().report["conflicts"] == 1
    article.refresh_from_db()
    assert article.title == "Edited by the desk"


def test_a_writers_import_changes_no_keyword_and_records_its_update(client, editor, writer):
    Keyword.objects.create(name="Ferries", slug="ferries", description="Boats.")
    category = "---\nextends: _layouts.category\ntitle: Renamed\ndescription: Rewritten.\n---\n"
    client.force_login(writer)
    post_import(client, zip_upload({"_categories/ferries.md": category.encode(), "posts/ferry.md": DRAFT.encode()}))
    assert Keyword.objects.get(slug="ferries").name == "Ferries"
    changed = DRAFT.replace("Ferry timetable changes in spring", "The new ferry timetable")
    post_import(client, zip_upload({"posts/ferry.md": changed.encode()}))
    event = ArticleEvent.objects.get()
    assert (event.action, event.user, event.article.title) == ("imported", writer, "The new ferry timetable")


@pytest.mark.parametrize("pattern", ["{path.__class__.__mro__}", "{path[0]}", "{path:>50000000}", "{0}", "{slug!r}"])
def test_a_pattern_that_is_more_than_placeholders_is_refused(pattern, settings):
    form = LegacyImportForm(data={"legacy_url_pattern": f"/news/{pattern}"})
    assert not form.is_valid()
    assert form.errors["legacy_url_pattern"][0].startswith(f"legacy URL pattern '/news/{pattern}': ")
    settings.NEWSROOM_LEGACY_URL_PATTERN = pattern  # the default the form falls back on is checked too
    form = LegacyImportForm(data={"legacy_url_pattern": ""})
    assert not form.is_valid()
    assert "legacy_url_pattern" in form.errors
