"""Small builders for tests: real rows through the real save paths."""

import io
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage

from articles.images.ingest import create_image
from articles.models import Article, ArticleFigure, Author, Image, Keyword, Redirect, Section

# The management forms of the article change page's inlines (figures, events), empty.
ARTICLE_INLINES_EMPTY = {
    f"{prefix}-{name}": "0"
    for prefix in ("figures", "events")
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
}


# `db_worker` run in the test's process calls close_old_connections(), which on PostgreSQL closes
# a connection held in a test's transaction: tests that run it commit their rows, as production does.
runs_db_worker = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def image_bytes(fmt="JPEG", size=(64, 48), color="steelblue", **save_options) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, color).save(out, format=fmt, **save_options)
    return out.getvalue()


def make_image(**fields) -> Image:
    data = fields.pop("data", None) or image_bytes(color=fields.pop("color", "steelblue"))
    image = create_image(data=data, **fields)
    return image


def make_article(**fields) -> Article:
    keywords = fields.pop("keywords", [])
    authors = fields.pop("authors", [])
    fields.setdefault("title", "A story")
    fields.setdefault("status", Article.Status.PUBLISHED)
    article = Article.objects.create(**fields)
    if keywords:
        article.keywords.set(keywords)
    if authors:
        article.set_authors([author.pk for author in authors])
    return article


def make_author(name="Jo Reporter", **fields) -> Author:
    return Author.objects.create(name=name, slug=slugify(name, allow_unicode=True), **fields)


def make_keyword(name="Harbour") -> Keyword:
    return Keyword.objects.create(name=name, slug=slugify(name, allow_unicode=True))


def make_section(name="News") -> Section:
    return Section.objects.create(name=name, slug=slugify(name, allow_unicode=True))


def make_site() -> tuple[Article, Image]:
    """A small site for backup tests: a published article with keywords, a figure and a redirect, and a draft."""
    picture = make_image(alt_text="The harbour at dawn")
    article = make_article(
        title="Harbour reopens",
        standfirst="Boats are back.",
        body="<p>The harbour reopened on Monday.</p>",
        section=make_section(),
        keywords=[make_keyword("Harbour"), make_keyword("Boats")],
    )
    ArticleFigure.objects.create(article=article, image=picture, position=0, caption="Dawn")
    Redirect.objects.create(old_path="/2019/harbour.html", article=article)
    make_article(title="A draft", status=Article.Status.DRAFT)
    return article, picture


def make_user(django_user_model, username, group=None, **fields):
    user = django_user_model.objects.create_user(username=username, password="pw-" + username, is_staff=True, **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def chromium_or_skip() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not path:
        pytest.skip("Chromium is not installed (apt-get install -y chromium); CI installs it")
    return path


def post_picture(client, user, *, size=(120, 80), **fields):
    """Upload a JPEG through the admin's "add image" form as user; the response."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(user)
    upload = SimpleUploadedFile("harbour.jpg", image_bytes(size=size), content_type="image/jpeg")
    data = {"file": upload, "alt_text": "Boats at the quay", "credit": "", "copyright": "", "source_url": "", **fields}
    return client.post(reverse("admin:articles_image_add"), data)


def change_form(article, **overrides):
    """The change form's POST as a browser sends it after loading the page."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "byline": article.byline,
        "body": article.body,
        "lead_image": "",
        "lead_caption": "",
        "status": article.status,
        "publish_at_0": "",
        "publish_at_1": "",
        "section": "",
        "loaded_version": str(article.version),
        **ARTICLE_INLINES_EMPTY,
        "_save": "Save",
    }
    if article.publish_at:
        when = timezone.localtime(article.publish_at)
        data.update({"publish_at_0": f"{when:%Y-%m-%d}", "publish_at_1": f"{when:%H:%M:%S}"})
    data.update(overrides)
    return data
