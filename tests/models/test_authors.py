"""Author and ArticleAuthor: order kept, one credit per author and position, links checked."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import ArticleAuthor, Author
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def test_set_authors_keeps_the_order_given_and_drops_repeats():
    ann, bo, cy = make_author("Ann Lee"), make_author("Bo Ek"), make_author("Cy Young")
    article = make_article(title="Harbour reopens")
    assert article.set_authors([cy.pk, ann.pk, cy.pk, bo.pk]) is True
    assert list(article.author_links.values_list("author_id", "position")) == [(cy.pk, 0), (ann.pk, 1), (bo.pk, 2)]
    assert article.author_list == [cy, ann, bo]
    assert article.set_authors([bo.pk]) is True
    assert article.author_list == [bo]  # set_authors() forgets the list read before
    assert list(ann.articles.all()) == []


def test_an_author_is_credited_once_per_article_and_a_position_holds_one():
    ann, bo = make_author("Ann Lee"), make_author("Bo Ek")
    article = make_article(title="Harbour reopens", authors=[ann])
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleAuthor.objects.create(article=article, author=ann, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleAuthor.objects.create(article=article, author=bo, position=0)


def test_deleting_an_author_removes_their_credits_not_the_articles():
    ann = make_author("Ann Lee")
    article = make_article(title="Harbour reopens", authors=[ann])
    ann.delete()
    article.refresh_from_db()
    assert list(article.authors.all()) == []


def test_links_must_be_web_addresses_and_only_those_are_shown():
    author = Author(name="Ann Lee", slug="ann-lee", links="https://example.org/ann\n\n  http://old.example/ann  ")
    author.full_clean()
    assert author.link_list == ["https://example.org/ann", "http://old.example/ann"]
    author.links = "https://example.org/ann\njavascript:alert(1)"
    with pytest.raises(ValidationError) as error:
        author.full_clean()
    assert error.value.message_dict["links"] == ["Not a web address: javascript:alert(1)"]
    assert author.link_list == ["https://example.org/ann"]


def test_an_author_has_a_page_and_a_name():
    ann = make_author("Ann Lee", bio="Ann covers hospitals.")
    assert (str(ann), ann.get_absolute_url(), ann.description) == (
        "Ann Lee",
        "/authors/ann-lee/",
        "Ann covers hospitals.",
    )
