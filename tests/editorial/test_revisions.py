"""Revisions (django-reversion): kept on every save, listed, compared and restored."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.editorial import revisions, workflow
from articles.models import Article, ArticleEvent
from tests.factories import change_form, make_article, make_image, make_keyword

pytestmark = pytest.mark.django_db


def versions(article):
    return revisions.versions_of(article.pk)  # newest first


def figure_body(image, caption):
    return f'<figure class="image"><img src="{image.url}" alt="x"><figcaption>{caption}</figcaption></figure>'


def test_every_admin_save_and_action_keeps_a_revision(client, editor):
    article = make_article(title="First", status=Article.Status.DRAFT)
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert client.post(url, change_form(article, title="Second")).status_code == 302
    article.refresh_from_db()
    client.post(reverse("admin:articles_article_changelist"), {"action": "publish", "_selected_action": [article.pk]})
    kept = versions(article)
    assert [v.field_dict["title"] for v in kept] == ["Second", "Second"]
    assert [v.field_dict["status"] for v in kept] == ["published", "draft"]
    assert kept[0].revision.user == editor
    assert "Published" in kept[0].revision.get_comment()


def test_restoring_brings_back_text_pictures_and_keywords_as_a_new_revision(client, editor):
    old_photo, new_photo = make_image(color="red"), make_image(color="blue")
    harbour, ferry = make_keyword("Harbour"), make_keyword("Ferry")
    article = make_article(title="Live", status=Article.Status.DRAFT)
    article.body = "<p>Original words.</p>" + figure_body(old_photo, "Old caption")
    article.standfirst = "Old standfirst"
    article.save()
    workflow.save(article=article, user=editor)  # revision 1
    article.keywords.set([harbour])
    workflow.save(article=article, user=editor)  # revision 2: keywords recorded
    first = versions(article)[0]
    article.title, article.standfirst = "Rewritten", "New standfirst"
    article.body = "<p>New words.</p>" + figure_body(new_photo, "New caption")
    workflow.save(article=article, user=editor)
    article.keywords.set([ferry])
    workflow.publish(article=article, user=editor)
    assert [f.image for f in article.figures.all()] == [new_photo]

    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_revision", args=[article.pk, first.pk]))
    assert page.status_code == 200
    assert "<del>Original </del>" in page.content.decode() and "<ins>New </ins>" in page.content.decode()
    response = client.post(reverse("admin:articles_article_revision", args=[article.pk, first.pk]))

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.standfirst) == ("Live", "Old standfirst")
    assert "Original words." in article.body
    assert [(f.image, f.caption) for f in article.figures.all()] == [(old_photo, "Old caption")]
    assert list(article.keywords.all()) == [harbour]
    assert article.status == Article.Status.PUBLISHED  # restoring text does not unpublish
    event = article.events.latest("pk")
    assert (event.action, event.user) == (ArticleEvent.Action.RESTORED, editor)
    newest = versions(article)[0]
    assert newest.pk != first.pk and newest.field_dict["title"] == "Live"
    assert newest.field_dict["keywords"] == [harbour.pk]


def test_history_lists_revisions_and_compare_marks_the_changed_words(client, editor):
    article = make_article(title="Harbour opens", body="<p>The boats are back.</p>", status=Article.Status.DRAFT)
    workflow.save(article=article, user=editor)
    article.title, article.body = "Harbour reopens", "<p>The ferries are back.</p><p>New paragraph.</p>"
    workflow.save(article=article, user=editor)
    newer, older = versions(article)
    client.force_login(editor)

    history = client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert reverse("admin:articles_article_revision", args=[article.pk, older.pk]) in history
    compare = client.get(reverse("admin:articles_article_compare", args=[article.pk]), {"v": [newer.pk, older.pk]})

    html = compare.content.decode()
    assert compare.status_code == 200
    assert "<del>opens </del>" in html and "<ins>reopens </ins>" in html
    assert "<del>boats </del>" in html and "<ins>ferries </ins>" in html
    assert "<ins>New paragraph.</ins>" in html


def test_compare_refuses_revisions_of_another_article(client, editor):
    mine = make_article(title="Mine")
    other = make_article(title="Other")
    workflow.save(article=mine, user=editor)
    workflow.save(article=other, user=editor)
    client.force_login(editor)
    url = reverse("admin:articles_article_compare", args=[mine.pk])
    response = client.get(url, {"v": [versions(mine)[0].pk, versions(other)[0].pk]})
    assert response.status_code == 404
    with pytest.raises(ValueError, match="another article"):
        workflow.restore(article=mine, version=versions(other)[0], user=editor)


def test_body_lines_read_like_the_article():
    html = (
        "<h2>Heading</h2><p>One <b>bold</b> word.</p><ul><li>First</li></ul><figure><img src='x' alt='Boats'></figure>"
    )
    assert revisions.body_lines(html) == ["Heading", "One bold word.", "• First", "[Picture: Boats]"]


def test_deleted_article_can_be_recovered_by_an_editor_only(client, editor, writer):
    article = make_article(title="Deleted by mistake", status=Article.Status.DRAFT)
    workflow.save(article=article, user=editor)
    pk = article.pk
    workflow.delete(article=article, user=editor)
    version = Version.objects.get_deleted(Article).get()
    client.force_login(writer)
    assert client.get(reverse("admin:articles_article_recover", args=[version.pk])).status_code == 403
    client.force_login(editor)
    fields = version.field_dict
    stored = Article(
        pk=pk, title=fields["title"], slug=fields["slug"], status=fields["status"], version=fields["version"]
    )
    data = change_form(stored)
    response = client.post(reverse("admin:articles_article_recover", args=[version.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    recovered = Article.objects.get(pk=pk)
    assert recovered.title == "Deleted by mistake"
    assert list(recovered.events.values_list("action", flat=True)) == [ArticleEvent.Action.RESTORED]


def test_revision_pages_answer_odd_addresses_without_a_500(client, editor):
    article = make_article(title="Mine")
    workflow.save(article=article, user=editor)
    client.force_login(editor)
    compare = reverse("admin:articles_article_compare", args=[article.pk])
    response = client.get(compare, {"v": ["\u00b2", str(versions(article)[0].pk)]})  # "²".isdigit() is True
    assert response.status_code == 302  # back to the history: choose two revisions
    history = reverse("admin:articles_article_history", args=[article.pk])
    revision = reverse("admin:articles_article_revision", args=[article.pk, versions(article)[0].pk])
    assert client.get(revision.replace(f"/article/{article.pk}/", "/article/abc/", 1)).status_code == 404
    assert (
        client.get(history.replace(f"/article/{article.pk}/", "/article/abc/", 1)).status_code == 302
    )  # Django's "no such article"
