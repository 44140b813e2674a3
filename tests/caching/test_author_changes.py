"""Authors and the caches: the article's stored fragments are remade when its authors (or an author's
name or address) change. (Purging author pages: test_purge.py.)"""

import pytest

from articles.models import Article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def version(article):
    return Article.objects.get(pk=article.pk).fragment_version


def test_added_reordered_renamed_or_removed_authors_show_on_the_article_page(client):
    ann, bo = make_author("Ann Lee"), make_author("Bo Ek")
    article = make_article(title="Ferry returns", authors=[ann])
    assert ">Ann Lee</a>" in client.get(article.get_absolute_url()).content.decode()  # stored now
    before = version(article)
    article.set_authors([bo.pk, ann.pk])
    assert version(article) != before
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.index(">Bo Ek</a>") < page.index(">Ann Lee</a>")

    before = version(article)
    bo.name, bo.slug = "Bo Ekdahl", "bo-ekdahl"
    bo.save()
    assert version(article) != before
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/authors/bo-ekdahl/" rel="author">Bo Ekdahl</a>' in page

    ann.delete()
    assert ">Ann Lee</a>" not in client.get(article.get_absolute_url()).content.decode()
    article.set_authors([])
    assert "Bo Ekdahl" not in client.get(article.get_absolute_url()).content.decode()


def test_setting_the_same_authors_again_writes_nothing(django_assert_num_queries):
    ann = make_author("Ann Lee")
    article = make_article(title="Ferry returns", authors=[ann])
    before = version(article)
    with django_assert_num_queries(1):  # the current ones, compared
        assert article.set_authors([ann.pk]) is False
    assert version(article) == before


def test_an_author_change_leaves_other_articles_fragments_alone():
    ann, bo = make_author("Ann Lee"), make_author("Bo Ek")
    article = make_article(title="Ferry returns", authors=[ann])
    bystander = make_article(title="Bystander", authors=[bo])
    kept = version(bystander)
    article.set_authors([ann.pk, bo.pk])
    ann.name = "Ann Leeds"
    ann.save()
    assert version(bystander) == kept
