"""Stored fragments (caching/fragments.py): used while valid, forgotten by every change readers would see."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from articles.caching import fragments
from articles.images import renditions
from articles.importing import ImportOptions, import_paths
from articles.models import Article, ArticleFigure, ArticleFragment, Keyword
from tests.factories import image_bytes, make_article, make_image, make_keyword, make_section
from tests.importing.samples import post, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    section, keyword = make_section("Harbour news"), make_keyword("Harbour")
    # Different colours: the same picture twice would be one Image row (duplicates are reused).
    lead = make_image(alt_text="The quay at dawn", credit="Photo Desk", color="navy")
    inline = make_image(alt_text="Boats in a row", credit="Ann Lee", color="orange")
    older = make_article(
        title="Older story",
        section=section,
        keywords=[keyword],
        lead_image=make_image(alt_text="Older picture", color="olive"),
    )
    older.publish_at = timezone.now() - timedelta(days=1)
    older.save()
    # Between them, the "previous" link: related articles leave it out, so the older story is related.
    make_article(title="In between", publish_at=timezone.now() - timedelta(hours=12))
    article = make_article(
        title="Ferry returns",
        standfirst="After ten years.",
        section=section,
        keywords=[keyword],
        lead_image=lead,
        body=f'<p>First <b>paragraph</b>.</p><figure class="image"><img src="{inline.url}">'
        "<figcaption>Boats wait</figcaption></figure>",
    )
    return {"article": article, "older": older, "lead": lead, "inline": inline, "section": section}


def kinds_stored(article):
    return set(ArticleFragment.objects.filter(article=article).values_list("kind", flat=True))


def test_pages_store_fragments_and_serve_them_as_html_not_text(client, story):
    article, older = story["article"], story["older"]
    client.get(article.get_absolute_url())
    home = client.get(reverse("articles:home")).content.decode()
    assert kinds_stored(article) == {"main", "featured"}  # the newest is the home page's featured card
    assert kinds_stored(older) == {"teaser", "card"}
    page = client.get(article.get_absolute_url()).content.decode()  # from the stored fragments now
    assert "<p>First <b>paragraph</b>.</p>" in page and "&lt;p&gt;" not in page
    assert '<span class="caption">Boats wait</span>' in page
    assert '<li class="teaser">' in page and "Older story" in page
    assert '<article class="card">' in home and "&lt;article" not in home


def test_an_edit_shows_on_the_next_view(client, story):
    article = story["article"]
    client.get(article.get_absolute_url())
    article.title, article.body = "Ferry is back", "<p>New words.</p>"
    article.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Ferry is back" in page and "New words." in page and "First" not in page


def test_a_corrected_picture_shows_on_every_page_that_draws_it(client, story):
    article, older = story["article"], story["older"]
    client.get(article.get_absolute_url()), client.get(reverse("articles:home"))
    inline = story["inline"]
    inline.alt_text = "Fishing boats in a row"
    inline.save()
    older.lead_image.alt_text = "A corrected description"
    older.lead_image.save()
    # The older story's teaser and card are decorative (alt=""), so check they were forgotten.
    assert not ArticleFragment.objects.filter(article=older, version=Article.objects.get(pk=older.pk).fragment_version)
    assert "Fishing boats in a row" in client.get(article.get_absolute_url()).content.decode()


def test_a_caption_edited_in_its_figure_row_shows(client, story):
    article = story["article"]
    client.get(article.get_absolute_url())
    figure = ArticleFigure.objects.get(article=article)
    figure.caption = "Boats wait for the tide"
    figure.save()
    assert "Boats wait for the tide" in client.get(article.get_absolute_url()).content.decode()


def test_a_renamed_or_deleted_section_leaves_no_old_name_behind(client, story):
    article, older, section = story["article"], story["older"], story["section"]
    client.get(article.get_absolute_url()), client.get(reverse("articles:home"))
    section.name = "Waterfront"
    section.save()
    assert "Waterfront" in client.get(article.get_absolute_url()).content.decode()
    home = client.get(reverse("articles:home")).content.decode()
    assert "Harbour news" not in home and home.count("Waterfront") >= 2  # navigation and the older card
    section.delete()
    assert "Waterfront" not in client.get(older.get_absolute_url()).content.decode()


def test_new_renditions_forget_the_fragments_of_articles_showing_the_picture(client, story):
    article = story["article"]
    client.get(article.get_absolute_url())
    before = Article.objects.get(pk=article.pk).fragment_version
    renditions.generate_renditions(story["lead"], data=image_bytes(size=(900, 600)))
    assert Article.objects.get(pk=article.pk).fragment_version != before
    assert "srcset" in client.get(article.get_absolute_url()).content.decode()


def test_a_fragment_from_other_code_or_settings_is_not_used(client, story):
    article = story["article"]
    client.get(article.get_absolute_url())
    stored_with = ArticleFragment.objects.get(article=article, kind="main").fingerprint
    with override_settings(MEDIA_URL="/elsewhere/media/"):
        assert fragments.fingerprint() != stored_with
        page = client.get(article.get_absolute_url()).content.decode()
        assert "/elsewhere/media/" in page
        assert ArticleFragment.objects.get(article=article, kind="main").fingerprint == fragments.fingerprint()
    assert fragments.fingerprint() == stored_with


def test_a_fragment_made_from_older_data_is_never_used(client, story):
    """A reader who read the article before an edit committed stores a fragment with the old version."""
    article = story["article"]
    client.get(article.get_absolute_url())
    fragment = ArticleFragment.objects.get(article=article, kind="main")
    fragment.html = "<p>Stale words a slow reader drew.</p>"
    fragment.save()
    assert "Stale words" in client.get(article.get_absolute_url()).content.decode()  # valid: used
    fragments.forget(Article.objects.filter(pk=article.pk))  # what any change does
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Stale words" not in page and "First <b>paragraph</b>" in page


def test_a_fragment_that_cannot_be_stored_costs_only_a_remake(client, story, monkeypatch, caplog):
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(ArticleFragment.objects, "bulk_create", locked)
    response = client.get(story["article"].get_absolute_url())
    assert response.status_code == 200 and "First <b>paragraph</b>" in response.content.decode()
    assert "Could not store" in caplog.text
    assert not ArticleFragment.objects.exists()


def test_an_added_removed_or_renamed_keyword_shows_on_the_article_page(client, story):
    """The main fragment lists the article's keywords: every change to them makes it anew."""
    article = story["article"]
    client.get(article.get_absolute_url())
    ferries = make_keyword("Ferries")
    article.keywords.add(ferries)
    assert ">Ferries</a>" in client.get(article.get_absolute_url()).content.decode()
    ferries.name = "Ferry services"
    ferries.save()
    assert ">Ferry services</a>" in client.get(article.get_absolute_url()).content.decode()
    ferries.articles.remove(article)
    assert "Ferry services" not in client.get(article.get_absolute_url()).content.decode()
    article.keywords.get().delete()
    assert ">Harbour</a>" not in client.get(article.get_absolute_url()).content.decode()


def test_keyword_changes_forget_only_the_articles_they_touch(story, tmp_path):
    """Keyword ids are not article ids: giving a new (imported) or an existing article a keyword
    whose id is another article's leaves that other article's fragments alone."""
    bystander = make_article(pk=9999, title="Bystander")
    shared_id = Keyword.objects.create(pk=bystander.pk, name="Tides", slug="tides")
    version = Article.objects.get(pk=bystander.pk).fragment_version
    write(tmp_path, "tides.md", post("title: Spring tides\ndate: 2021-03-04\nkeywords: tides", "<p>High water.</p>"))
    report = import_paths([tmp_path], ImportOptions())
    assert report.counts["created"] == 1
    story["article"].keywords.add(shared_id)
    assert Article.objects.get(pk=bystander.pk).fragment_version == version
