"""Prepared queries (articles/prepared.py) answer exactly what their querysets answer; memoised paths stay right."""

import re
from datetime import datetime, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from articles.caching.compiled_queries import PreparedQuery
from articles.caching.reverse import path_to
from articles.images.html import render_body
from articles.models import Article, Keyword, Section
from articles.public import queries as pages
from tests.factories import make_article, make_image, make_keyword, make_section

pytestmark = pytest.mark.django_db


def snapshot(article):
    """What a page reads off an article: its fields, the joined rows and the annotations."""
    return (
        {field.attname: getattr(article, field.attname) for field in Article._meta.concrete_fields},
        article.section and article.section.name,
        article.lead_image and (article.lead_image.pk, article.lead_image.url, article.lead_image.renditions),
        getattr(article, "older", None),
        getattr(article, "newer", None),
    )


@pytest.fixture
def site():
    news, sport = make_section("News"), make_section("Sport")
    harbour, storm = make_keyword("Harbour"), make_keyword("Storm")
    start = timezone.now() - timedelta(days=10)
    made = []
    for n in range(8):
        made.append(
            make_article(
                title=f"Story {n}",
                publish_at=start + timedelta(hours=n),
                section=news if n % 2 else sport,
                lead_image=make_image(alt_text=f"Picture {n}") if n % 3 else None,
                keywords=[harbour] if n % 2 else [storm],
                body=f'<p>Words {n}.</p><figure><img src="https://example.com/{n}.jpg" alt="x"></figure>',
            )
        )
    # Same publish time as its neighbour: ties go by id.
    made.append(make_article(title="Tie", publish_at=made[4].publish_at, section=news, keywords=[harbour]))
    make_article(title="Draft", status=Article.Status.DRAFT, keywords=[harbour])
    make_article(title="Scheduled", publish_at=timezone.now() + timedelta(days=1), keywords=[harbour])
    return made


def test_the_article_page_reads_what_its_querysets_read(site):
    now = timezone.now()
    for article in site:
        expected = Article.objects.published(now).for_detail().with_neighbours(now).get(slug=article.slug)
        got = pages.published_article(article.slug, now, [])
        assert snapshot(got) == snapshot(expected)
        assert got.keyword_list == expected.keyword_list
        assert [(f.pk, f.caption, f.image.url) for f in got.figures.all()] == [
            (f.pk, f.caption, f.image.url) for f in expected.figures.all()
        ]
        has_keywords = bool(expected.keywords.all())
        expected_related = list(Article.objects.published(now).related_to(expected, has_keywords=has_keywords))
        related = pages.related_articles(got, now, [])
        assert [linked_article(teaser) for teaser in related] == expected_related
    assert pages.navigation_sections(current="sport") == tuple(
        (section.name, section.slug, section.slug == "sport") for section in Section.objects.all()
    )


def test_drafts_scheduled_and_unknown_slugs_are_not_found(site):
    for title in ("Draft", "Scheduled"):
        assert pages.published_article(Article.objects.get(title=title).slug, timezone.now(), []) is None
    assert pages.published_article("no-such-article", timezone.now(), []) is None
    # A scheduled article is found once its time has come: "now" is a real parameter.
    scheduled = Article.objects.get(title="Scheduled")
    assert pages.published_article(scheduled.slug, timezone.now() + timedelta(days=2), []).pk == scheduled.pk


def linked_article(html: str) -> Article:
    """The article a teaser or card links to."""
    slug = re.search(r'href="/articles/([^/"]+)/"', html).group(1)
    return Article.objects.get(slug=slug)


def test_related_falls_back_to_the_section_and_then_to_nothing(site):
    loner = make_article(title="No keywords", section=Section.objects.get(name="News"))
    now = timezone.now()
    related = pages.related_articles(pages.published_article(loner.slug, now, []), now, [])
    assert related and all(linked_article(teaser).section.name == "News" for teaser in related)
    alone = make_article(title="Nothing to relate")
    now = timezone.now()
    assert pages.related_articles(pages.published_article(alone.slug, now, []), now, []) == []


def test_prepared_article_reads_run_a_fixed_number_of_queries(site, django_assert_num_queries):
    article, now, fresh = site[3], timezone.now(), []
    with django_assert_num_queries(3):  # article (+neighbours), keywords, figures (to draw it)
        found = pages.published_article(article.slug, now, fresh)
    with django_assert_num_queries(0):
        found.keyword_list, list(found.figures.all()), str(render_body(found))
    assert [drawing.kind for drawing in fresh] == ["main"]


def test_values_querysets_come_back_as_dicts(site):
    names = PreparedQuery(lambda prefix: Keyword.objects.filter(slug__gte=prefix).values("name", "slug"), prefix=str)
    assert names(prefix="s") == list(Keyword.objects.filter(slug__gte="s").values("name", "slug"))


def test_values_must_match_the_declared_parameters(site):
    by_id = PreparedQuery(lambda pk: Keyword.objects.filter(pk=pk), pk=int)
    with pytest.raises(TypeError, match="expected int"):
        by_id(pk="1")
    with pytest.raises(TypeError, match="expected values"):
        by_id()
    with pytest.raises(TypeError, match="must be str, int or datetime"):
        PreparedQuery(lambda x: Keyword.objects.all(), x=float)


def test_a_parameter_that_does_not_reach_the_sql_as_a_value_is_refused(site):
    # startswith escapes and wraps the value ("x%"), so no bound value is the marker.
    prefixed = PreparedQuery(lambda prefix: Keyword.objects.filter(name__startswith=prefix), prefix=str)
    with pytest.raises(ValueError, match="do not reach the SQL"):
        prefixed(prefix="Har")
    # A value used only to shape the query in Python never reaches it either.
    ignored = PreparedQuery(lambda when: Keyword.objects.all(), when=datetime)
    with pytest.raises(ValueError, match="do not reach the SQL"):
        ignored(when=timezone.now())


def test_prefetch_related_querysets_are_refused(site):
    with pytest.raises(TypeError, match="without prefetch_related"):
        PreparedQuery(lambda: Article.objects.prefetch_related("keywords"))()


def test_memoised_paths_follow_the_urlconf_and_script_prefix():
    assert path_to("articles:detail", slug="a-b") == reverse("articles:detail", kwargs={"slug": "a-b"})
    assert path_to("articles:detail", slug="ünïcode") == reverse("articles:detail", kwargs={"slug": "ünïcode"})
    set_script_prefix("/news/")
    try:
        assert path_to("articles:home") == "/news/"
    finally:
        set_script_prefix("/")
    assert path_to("articles:home") == "/"
    with override_settings(ROOT_URLCONF="tests.urls_elsewhere"):
        assert path_to("articles:home") == "/elsewhere/"


def test_a_path_asked_for_once_is_not_memoised():
    from articles.caching.reverse import _reverse

    before = _reverse.cache_info().currsize
    assert path_to("articles:detail", slug="asked-once", memo=False) == "/articles/asked-once/"
    assert _reverse.cache_info().currsize == before
    path_to("articles:detail", slug="asked-often")
    assert _reverse.cache_info().currsize == before + 1
