"""Smaller hardening items (docs/deployment.md, "What is stopped where"): CKEditor's sample and test
pages are not shipped, writers cannot backdate, a remote lead picture is shared too."""

from datetime import timedelta

import lxml.html
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Image
from tests.admin.test_admin import article_form
from tests.factories import make_article
from tests.public.test_reading import head_meta

CKEDITOR_TEST_PAGES = [
    "ckeditor/ckeditor/plugins/exportpdf/tests/manual/integration.html",
    "ckeditor/ckeditor/plugins/wsc/dialogs/ciframe.html",
    "ckeditor/ckeditor/plugins/preview/preview.html",
    "ckeditor/ckeditor/bender-runner.config.json",
]


def test_ckeditor_test_and_sample_pages_are_not_found_by_the_finders():
    assert finders.find("ckeditor/ckeditor/ckeditor.js")  # the editor itself still is
    for path in CKEDITOR_TEST_PAGES:
        assert finders.find(path) is None, path
        assert finders.find(path, find_all=True) == [], path


def test_collectstatic_does_not_copy_ckeditor_test_and_sample_pages(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "collected"
    call_command("collectstatic", interactive=False, verbosity=0)
    copied = {str(p.relative_to(settings.STATIC_ROOT)) for p in settings.STATIC_ROOT.rglob("*") if p.is_file()}
    assert "ckeditor/ckeditor/ckeditor.js" in copied
    assert not [p for p in copied if "/tests/" in p or "/samples/" in p or "/_samples/" in p]
    assert not [p for p in copied if p.startswith("ckeditor/") and p.endswith(".html")]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["writer", "editor"])
def test_only_editors_set_a_publish_time_in_the_past(client, request, role):
    client.force_login(request.getfixturevalue(role))
    past = timezone.localtime() - timedelta(days=30)
    data = article_form(publish_at_0=f"{past:%Y-%m-%d}", publish_at_1=f"{past:%H:%M:%S}")
    response = client.post(reverse("admin:articles_article_add"), data)
    if role == "writer":
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["publish_at"]
        assert not Article.objects.exists()
    else:
        assert response.status_code == 302
        assert Article.objects.get().publish_at < timezone.now() - timedelta(days=29)


@pytest.mark.django_db
def test_a_writer_may_still_save_a_draft_an_editor_dated_in_the_past(client, writer):
    past = timezone.now() - timedelta(days=30)
    article = make_article(title="Unpublished", status=Article.Status.DRAFT, publish_at=past, created_by=writer)
    client.force_login(writer)
    local = timezone.localtime(past)
    data = article_form(
        title="Unpublished, edited",
        slug=article.slug,
        loaded_version=article.version,
        publish_at_0=f"{local:%Y-%m-%d}",
        publish_at_1=f"{local:%H:%M:%S}",  # as the form shows it
    )
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title == "Unpublished, edited"


@pytest.mark.django_db
def test_a_remote_lead_picture_of_unknown_size_is_shared(client):
    remote = Image.objects.create(source_url="https://img.example.org/ferry.jpg", alt_text="The ferry")
    article = make_article(title="Ferry returns", lead_image=remote)
    meta = head_meta(lxml.html.fromstring(client.get(article.get_absolute_url()).content))
    assert meta["og:image"] == ["https://img.example.org/ferry.jpg"]
    assert meta["twitter:image"] == ["https://img.example.org/ferry.jpg"]
    assert meta["og:image:alt"] == ["The ferry"]
    assert "og:image:width" not in meta  # not known, so not claimed


@pytest.mark.django_db
def test_a_remote_lead_picture_of_known_size_says_its_size(client):
    remote = Image.objects.create(source_url="https://img.example.org/ferry.jpg", width=800, height=600)
    article = make_article(title="Ferry returns", lead_image=remote)
    meta = head_meta(lxml.html.fromstring(client.get(article.get_absolute_url()).content))
    assert meta["og:image"] == ["https://img.example.org/ferry.jpg"]
    assert (meta["og:image:width"], meta["og:image:height"]) == (["800"], ["600"])
