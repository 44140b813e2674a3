"""Authors in the admin: their own pages, and an ordered, autocompleted choice on the article form."""

import json

import pytest
from django.urls import reverse

from articles.models import Article, Author
from tests.admin.test_admin import article_form
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def test_an_editor_lists_searches_and_adds_authors(client, editor, writer):
    ann = make_author("Ann Lee", role="Health correspondent")
    make_article(title="Harbour reopens", authors=[ann])
    client.force_login(editor)
    changelist = client.get(reverse("admin:articles_author_changelist"), {"q": "health"})
    assert changelist.status_code == 200
    assert [(row.name, row.article_count) for row in changelist.context["cl"].result_list] == [("Ann Lee", 1)]
    add = client.get(reverse("admin:articles_author_add"))
    assert list(add.context["adminform"].form.fields["user"].queryset) == [editor, writer]  # staff only
    response = client.post(
        reverse("admin:articles_author_add"),
        {"name": "Bo Ek", "slug": "bo-ek", "role": "", "bio": "", "photo": "", "links": "https://example.org/bo",
         "user": writer.pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert Author.objects.get(slug="bo-ek").user == writer
    refused = client.post(
        reverse("admin:articles_author_add"),
        {"name": "Cy", "slug": "cy", "role": "", "bio": "", "photo": "", "links": "not a link", "user": ""},
    )
    assert refused.context["adminform"].form.errors["links"] == ["Not a web address: not a link"]


def test_the_article_form_autocompletes_authors_for_a_writer(client, writer):
    make_author("Ann Lee"), make_author("Bo Ek")
    client.force_login(writer)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "authors", "term": "ann"},
    )
    assert [item["text"] for item in json.loads(response.content)["results"]] == ["Ann Lee"]
    page = client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'data-model-name="article" data-field-name="authors"' in page and 'name="author_list"' in page


def test_a_new_article_is_by_its_writer_and_saved_with_the_authors_in_order(client, writer):
    mine = make_author("Wren Writer", user=writer)
    other = make_author("Ann Lee")
    client.force_login(writer)
    form = client.get(reverse("admin:articles_article_add")).context["adminform"].form
    assert form.initial["author_list"] == [mine.pk]
    response = client.post(reverse("admin:articles_article_add"), article_form(author_list=[other.pk, mine.pk]))
    assert response.status_code == 302
    article = Article.objects.with_authors().get()
    assert article.author_list == [other, mine]
    changelist = client.get(reverse("admin:articles_article_changelist"), {"q": "Wren"})
    assert list(changelist.context["cl"].result_list) == [article]
    assert "Ann Lee, Wren Writer" in changelist.content.decode()
