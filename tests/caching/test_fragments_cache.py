"""The fragments cache (caching/generation.py, the {% cache %} blocks of base.html and the article page):
blocks made from many rows are kept for the rest of a content generation, never past the next
scheduled publish time, and follow every committed change.

Changes reach it when they commit; a test's transaction never commits, so edits here run inside
django_capture_on_commit_callbacks(execute=True), which runs the callbacks as a commit would.
"""

from datetime import timedelta

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from tests.factories import make_article, make_keyword, make_section

pytestmark = pytest.mark.django_db


def test_the_navigation_follows_a_renamed_section_and_marks_the_current_one(
    client, fragments_cache, django_capture_on_commit_callbacks
):
    news, sport = make_section("News"), make_section("Sport")
    make_article(section=sport)
    home = client.get(reverse("articles:home")).content.decode()
    assert ">News</a>" in home and 'aria-current="page">' not in home.split("</nav>")[0]
    page = client.get(sport.get_absolute_url()).content.decode()
    assert f'<a href="{sport.get_absolute_url()}" aria-current="page">Sport</a>' in page
    with django_capture_on_commit_callbacks(execute=True):
        news.name = "Latest"
        news.save()
    home = client.get(reverse("articles:home")).content.decode()
    assert ">Latest</a>" in home and ">News</a>" not in home


def test_related_articles_and_neighbours_follow_other_articles(
    client, fragments_cache, django_capture_on_commit_callbacks
):
    harbour = make_keyword("Harbour")
    now = timezone.now()
    article = make_article(title="Quay works", keywords=[harbour], publish_at=now - timedelta(hours=2))
    first = client.get(article.get_absolute_url()).content.decode()
    assert 'class="related"' not in first and 'rel="next"' not in first
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Next up", publish_at=now - timedelta(hours=1.5))  # next: never repeated as related
        make_article(title="Ferry back", keywords=[harbour], publish_at=now - timedelta(hours=1))
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Ferry back</a></h3>" in page  # a teaser
    assert 'rel="next"' in page


def test_an_uncommitted_change_leaves_the_blocks_as_they_were(client, fragments_cache):
    """What makes blocks stale is the commit; the test's own transaction never commits."""
    news = make_section("News")
    make_article(section=news)
    client.get(reverse("articles:home"))
    news.name = "Latest"
    news.save()
    assert ">News</a>" in client.get(reverse("articles:home")).content.decode()


def test_a_scheduled_article_reaches_the_blocks_on_time_without_a_save(client, fragments_cache, time_machine):
    harbour = make_keyword("Harbour")
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    article = make_article(title="Quay works", keywords=[harbour], publish_at=now - timedelta(hours=1))
    make_article(title="Next up", publish_at=now - timedelta(minutes=30))  # next: never repeated as related
    make_article(title="Tide tables", keywords=[harbour], publish_at=now + timedelta(minutes=30))
    assert "Tide tables" not in client.get(article.get_absolute_url()).content.decode()
    assert "1 of 1" not in client.get(reverse("articles:home")).content.decode()
    time_machine.move_to(now + timedelta(minutes=31), tick=False)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Tide tables</a></h3>" in page
    home = client.get(reverse("articles:home")).content.decode()
    assert "Tide tables" in home


def test_an_article_s_head_follows_the_article(client, fragments_cache):
    """Its metadata is keyed by the article's own fragment_version: a save renews it at once."""
    article = make_article(title="Quay works", standfirst="Work starts.")
    assert '<meta property="og:title" content="Quay works">' in client.get(article.get_absolute_url()).content.decode()
    article.title = "Quay works begin"
    article.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Quay works begin">' in page


def test_a_site_under_a_prefix_gets_its_own_blocks(client, fragments_cache):
    make_article()
    assert 'class="site-name" href="/"' in client.get(reverse("articles:home")).content.decode()
    set_script_prefix("/news/")
    try:
        page = client.get("/", SCRIPT_NAME="/news").content.decode()
    finally:
        set_script_prefix("/")
    assert 'class="site-name" href="/news/"' in page
    assert 'href="/news/feed/"' in page  # the cached <head> and footer blocks too
