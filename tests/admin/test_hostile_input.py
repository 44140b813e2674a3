"""Staff can type anything into an address or a form: a bad value is a 400, a 404 or a form error, never a 500.

Some of these fail only on PostgreSQL (a NUL in a query); the suite runs there too in CI.
"""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.admin.test_admin import article_form
from tests.factories import make_article, make_author, make_image, make_keyword, make_section

pytestmark = pytest.mark.django_db

BAD_IDS = ["1 OR 1=1", "\x00", "12345678901234567890", "-99999999999999999999", "abc"]


@pytest.fixture
def staff_client(client, editor):
    client.raise_request_exception = False  # a crash is a 500 answer to read, not an exception here
    client.force_login(editor)
    return client


@pytest.mark.parametrize("year", ["99999999999", "-99999999999", "10000", "abc"])
def test_a_date_drill_down_out_of_range_is_refused(staff_client, year):
    url = reverse("admin:articles_article_changelist")
    response = staff_client.get(url, {"publish_at__year": year, "publish_at__month": "1"})
    assert response.status_code in (302, 400)  # 302: Django's "?e=1" page for a date it can parse but not use


@pytest.mark.parametrize("field", ["lead_image", "section", "keywords", "author_list"])
@pytest.mark.parametrize("value", BAD_IDS)
def test_a_bad_choice_in_the_article_form_is_a_form_error(staff_client, field, value):
    make_image(), make_section(), make_keyword(), make_author()
    response = staff_client.post(reverse("admin:articles_article_add"), article_form(**{field: value}))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.get(field)
    assert not Article.objects.exists()


@pytest.mark.parametrize("value", BAD_IDS)
def test_a_bad_choice_in_the_change_form_is_a_form_error(staff_client, value):
    article = make_article(title="Harbour reopens")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_form(slug=article.slug, loaded_version=article.version, lead_image=value, keywords=[value, "1"])
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) >= {"lead_image", "keywords"}


@pytest.mark.parametrize("page", ["change", "history", "delete"])
@pytest.mark.parametrize("object_id", ["%00", "a%00b", "12345678901234567890"])
def test_a_bad_object_id_in_an_admin_address_is_not_found(staff_client, page, object_id):
    url = f"/admin/articles/article/{object_id}/{page}/"
    # 302: Django's "no such article" back to the list; 400: a NUL (newsroom/admin.py)
    assert staff_client.get(url).status_code in (302, 400, 404)


@pytest.mark.parametrize("term", ["\x00", "a\x00", "%"])
@pytest.mark.parametrize("field", ["keywords", "section", "lead_image", "authors"])
def test_the_autocomplete_takes_any_term(staff_client, term, field):
    query = {"app_label": "articles", "model_name": "article", "field_name": field, "term": term}
    response = staff_client.get(reverse("admin:autocomplete"), query)
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("query", ["\x00", "a\x00b"])
def test_a_nul_in_an_admin_search_is_refused(staff_client, query):
    for name in ["articles_article", "articles_keyword", "articles_image", "articles_author"]:
        assert staff_client.get(reverse(f"admin:{name}_changelist"), {"q": query}).status_code in (200, 400)
