"""Editors type and read times in the newsroom's zone (TIME_ZONE): Django's admin does it, checked here."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ARTICLE_INLINES_EMPTY, make_article

pytestmark = pytest.mark.django_db


def test_the_schedule_is_typed_and_shown_in_the_newsroom_zone(client, settings, editor):
    settings.TIME_ZONE = "Europe/London"
    article = make_article(title="Harbour reopens", status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.force_login(editor)
    data = {
        "title": article.title,
        "slug": article.slug,
        "body": "<p>Boats are back.</p>",
        "status": "draft",
        "publish_at_0": "2026-07-01",
        "publish_at_1": "13:00",
        "loaded_version": article.version,
        **ARTICLE_INLINES_EMPTY,
        "_continue": "Save",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.publish_at == datetime(2026, 7, 1, 12, 0, tzinfo=UTC)  # BST is UTC+1
    assert 'name="publish_at_1" value="13:00:00"' in client.get(url).content.decode()


def test_the_changelist_shows_and_filters_by_the_local_day(client, settings, editor):
    settings.TIME_ZONE = "Asia/Kolkata"
    make_article(title="Late story", publish_at=datetime(2026, 7, 5, 20, 0, tzinfo=UTC))  # 6 July, 01:30 IST
    client.force_login(editor)
    changelist = reverse("admin:articles_article_changelist")
    html = client.get(changelist).content.decode()
    assert '<time datetime="2026-07-06T01:30:00+05:30" title="6 Jul 2026, 01:30 IST">' in html
    assert ">6 July<" in html  # the date hierarchy offers the local day
    local_day = {"publish_at__year": 2026, "publish_at__month": 7, "publish_at__day": 6}
    assert "Late story" in client.get(changelist, local_day).content.decode()
    utc_day = {**local_day, "publish_at__day": 5}
    assert "Late story" not in client.get(changelist, utc_day).content.decode()
