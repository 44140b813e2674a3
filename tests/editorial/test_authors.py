"""Authors in the editorial workflow: a writer's change to a live article's authors waits for an editor,
revisions keep the authors in order, and restoring a revision brings them back."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.editorial import pending, revisions, workflow
from articles.models import Article, ArticleEvent, Author
from tests.factories import change_form, make_article, make_author

pytestmark = pytest.mark.django_db


def names(article) -> list[str]:
    return [author.name for author in Article.objects.with_authors().get(pk=article.pk).author_list]


def test_a_writers_change_of_authors_waits_and_an_editor_publishes_it_in_order(client, writer, editor):
    ann, bo, cy = make_author("Ann Lee"), make_author("Bo Ek"), make_author("Cy Young")
    article = make_article(title="Harbour reopens", authors=[ann, bo])
    client.force_login(writer)
    form = client.get(reverse("admin:articles_article_change", args=[article.pk])).context["adminform"].form
    assert form.initial["author_list"] == [ann.pk, bo.pk]

    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_form(article, author_list=[cy.pk, bo.pk, ann.pk]),
    )

    assert response.status_code == 302
    assert names(article) == ["Ann Lee", "Bo Ek"]  # readers keep the published authors
    change = Article.objects.get(pk=article.pk).pending_change
    assert change.fields["authors"] == [cy.pk, bo.pk, ann.pk]
    assert ArticleEvent.objects.get(action=ArticleEvent.Action.CHANGE_SUBMITTED).note == "Changed: authors"
    assert "Cy Young" not in client.get(article.get_absolute_url()).content.decode()
    form = client.get(reverse("admin:articles_article_change", args=[article.pk])).context["adminform"].form
    assert form.initial["author_list"] == [cy.pk, bo.pk, ann.pk]  # the writer goes on editing the change
    assert "Cy Young" in form["author_list"].as_widget()

    client.force_login(editor)
    compare = client.get(reverse("admin:articles_article_pending_compare", args=[article.pk]))
    sections = {section.name: section for section in compare.context["sections"]}
    assert [name for name, section in sections.items() if section.changed] == ["Authors"]
    preview = client.get(reverse("admin:articles_article_pending_preview", args=[article.pk])).content.decode()
    assert preview.index("Cy Young") < preview.index("Bo Ek") < preview.index("Ann Lee")
    assert names(article) == ["Ann Lee", "Bo Ek"]  # the preview was rolled back

    pending.publish(article=Article.objects.get(pk=article.pk), user=editor)
    assert names(article) == ["Cy Young", "Bo Ek", "Ann Lee"]
    newest = revisions.versions_of(article.pk)[0]
    assert revisions.reader_fields(newest)["authors"] == [cy.pk, bo.pk, ann.pk]


def test_an_editors_form_save_sets_the_authors_in_the_order_chosen(client, editor):
    ann, bo = make_author("Ann Lee"), make_author("Bo Ek")
    article = make_article(title="Harbour reopens", byline="Staff reporter")
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), change_form(article, author_list=[bo.pk, ann.pk])
    )
    assert response.status_code == 302
    assert names(article) == ["Bo Ek", "Ann Lee"]
    assert ArticleEvent.objects.filter(action=ArticleEvent.Action.EDITED).latest("pk").note == "Changed: authors"
    # The form shows them in that order, not by name.
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert page.index(">Bo Ek</option>") < page.index(">Ann Lee</option>")


def test_restoring_a_revision_brings_its_authors_back_in_order(client, editor):
    ann, bo, cy = make_author("Ann Lee"), make_author("Bo Ek"), make_author("Cy Young")
    article = make_article(title="Live", status=Article.Status.DRAFT)
    article.set_authors([bo.pk, ann.pk])
    workflow.save(article=article, user=editor)
    first = revisions.versions_of(article.pk)[0]
    article.title = "Rewritten"
    workflow.save(article=article, user=editor)
    article.set_authors([cy.pk])
    workflow.save(article=article, user=editor)
    assert revisions.reader_fields(first)["authors"] == [bo.pk, ann.pk]

    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_revision", args=[article.pk, first.pk]))
    authors = next(section for section in page.context["sections"] if section.name == "Authors")
    assert authors.changed
    client.post(reverse("admin:articles_article_revision", args=[article.pk, first.pk]))

    assert names(article) == ["Bo Ek", "Ann Lee"]
    assert revisions.reader_fields(revisions.versions_of(article.pk)[0])["authors"] == [bo.pk, ann.pk]


def test_a_restored_revision_says_which_authors_are_gone(editor):
    ann, bo = make_author("Ann Lee"), make_author("Bo Ek")
    article = make_article(title="Live", status=Article.Status.DRAFT, authors=[ann, bo])
    workflow.save(article=article, user=editor)
    version = revisions.versions_of(article.pk)[0]
    Author.objects.filter(pk=bo.pk).delete()
    restored = workflow.restore(article=Article.objects.get(pk=article.pk), version=version, user=editor)
    assert restored.missing == ["1 author(s)"]
    assert names(article) == ["Ann Lee"]


def test_a_recovered_article_shows_and_keeps_its_authors(client, editor):
    ann, bo = make_author("Ann Lee"), make_author("Bo Ek")
    article = make_article(title="Deleted by mistake", status=Article.Status.DRAFT, authors=[bo, ann])
    workflow.save(article=article, user=editor)
    pk = article.pk
    workflow.delete(article=article, user=editor)
    version = Version.objects.get_deleted(Article).get()
    client.force_login(editor)
    form = client.get(reverse("admin:articles_article_recover", args=[version.pk])).context["adminform"].form
    assert form.initial["author_list"] == [bo.pk, ann.pk]
    fields = version.field_dict
    stored = Article(
        pk=pk, title=fields["title"], slug=fields["slug"], status=fields["status"], version=fields["version"]
    )
    data = change_form(stored, author_list=form.initial["author_list"])
    response = client.post(reverse("admin:articles_article_recover", args=[version.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert names(Article(pk=pk)) == ["Bo Ek", "Ann Lee"]
