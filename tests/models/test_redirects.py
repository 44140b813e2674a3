import pytest
from django.db import IntegrityError

from articles.models import Article, Redirect
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_legacy_path_answers_301_to_the_article(client):
    article = make_article(title="Harbour reopens")
    Redirect.objects.create(old_path="/blog/harbour-reopens/", article=article)
    for path in ["/blog/harbour-reopens", "/blog/harbour-reopens/"]:
        response = client.get(path)
        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url()


def test_an_old_address_in_other_case_finds_its_lower_case_redirect_and_the_exact_one_wins(client):
    lowered, exact = make_article(title="Lowered"), make_article(title="Exact")
    Redirect.objects.create(old_path="/2021/07/ferry-is-back", article=lowered)
    assert client.get("/2021/07/Ferry-Is-Back/")["Location"] == lowered.get_absolute_url()
    Redirect.objects.create(old_path="/2021/07/Ferry-Is-Back", article=exact)
    assert client.get("/2021/07/Ferry-Is-Back/")["Location"] == exact.get_absolute_url()
    assert client.get("/2021/07/FERRY-IS-BACK/")["Location"] == lowered.get_absolute_url()


def test_renaming_a_published_article_keeps_the_old_address_working(client):
    article = make_article(title="Harbour reopens")
    old_url = article.get_absolute_url()
    article.slug = "harbour-reopens-after-repairs"
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/articles/harbour-reopens-after-repairs/"
    # Renamed again: the first address follows the article, no chain of hops.
    article.slug = "harbour-open"
    article.save()
    assert client.get(old_url)["Location"] == "/articles/harbour-open/"


def test_renaming_a_draft_makes_no_redirect():
    article = make_article(title="Draft", status=Article.Status.DRAFT)
    article.slug = "draft-2"
    article.save()
    assert not Redirect.objects.exists()


def test_unknown_path_is_still_404(client):
    assert client.get("/no/such/page/").status_code == 404


def test_pages_that_exist_run_no_redirect_query(client, fragments_cache, django_assert_num_queries):
    article = make_article(title="Live")
    client.get(article.get_absolute_url())  # the first view makes and stores the article's fragments
    # The live article with its stored main fragment; the rest from the fragments cache; no redirect lookup.
    with django_assert_num_queries(1):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_redirect_needs_a_target():
    with pytest.raises(IntegrityError):
        Redirect.objects.create(old_path="/nowhere")
