"""Optimistic locking: the second of two overlapping saves is refused and its text kept."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction
from django.urls import reverse

from articles.editorial import workflow
from articles.models import Article
from tests.factories import change_form, make_article


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.mark.django_db
def test_the_second_of_two_editors_is_refused_and_keeps_her_text(client, editor, writer):
    article = make_article(title="Harbour", body="<p>Original.</p>", status=Article.Status.DRAFT, created_by=writer)
    loaded = article.version  # both opened the form now

    client.force_login(editor)
    first = client.post(change_url(article), change_form(article, body="<p>Editor's words.</p>"))
    assert first.status_code == 302

    client.force_login(writer)
    second = client.post(
        change_url(article), change_form(article, title="Writer's title", body="<p>Writer's words.</p>")
    )

    assert second.status_code == 200
    html = second.content.decode()
    assert "editor saved this article at" in html and "while you were editing" in html
    preview = reverse("admin:articles_article_preview", args=[article.pk])
    assert f'<a href="{preview}" target="_blank">saved version</a>' in html  # the saved version, linked
    form = second.context["adminform"].form
    assert (form["title"].value(), form["body"].value()) == ("Writer's title", "<p>Writer's words.</p>")
    article.refresh_from_db()
    assert (article.title, article.body, article.version) == ("Harbour", "<p>Editor's words.</p>", loaded + 1)

    # The re-shown form carries the version she has now seen: saving again is her deliberate choice.
    assert form["loaded_version"].value() == loaded + 1
    again = client.post(
        change_url(article),
        change_form(article, title="Writer's title", body="<p>Writer's words.</p>", loaded_version=loaded + 1),
    )
    assert again.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.version) == ("Writer's title", loaded + 2)


@pytest.mark.django_db
def test_a_form_without_its_version_is_refused(client, editor):
    article = make_article(title="Harbour", status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.post(change_url(article), change_form(article, title="Changed", loaded_version=""))
    assert response.status_code == 200
    assert "missing the version it was loaded with" in response.content.decode()
    assert Article.objects.get().title == "Harbour"


@pytest.mark.django_db
def test_the_service_refuses_a_stale_save(editor):
    article = make_article(title="Harbour", status=Article.Status.DRAFT)
    stale_copy = Article.objects.get(pk=article.pk)
    article.title = "First"
    workflow.save(article=article, user=editor, loaded_version=article.version)
    stale_copy.title = "Second"
    with pytest.raises(workflow.StaleEdit) as refused:
        workflow.save(article=stale_copy, user=editor, loaded_version=stale_copy.version)
    assert refused.value.version == article.version
    assert Article.objects.get().title == "First"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the database)")
# serialized_rollback: an earlier transactional test may have flushed the
# Writers/Editors groups that the data migration made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_race_cannot_slip_between_the_check_and_the_save(editor):
    """Two saves from the same loaded version in two connections: one wins, the other is refused.

    The first holds the row lock (SELECT ... FOR UPDATE) with its save not yet
    committed; the second, started meanwhile, waits for that lock instead of
    reading the old version, and then sees the new one.
    """
    article = make_article(title="Harbour", status=Article.Status.DRAFT)
    loaded = article.version
    first_locked, second_started = threading.Event(), threading.Event()
    outcome = {}

    def second_editor():
        try:
            copy = Article.objects.get(pk=article.pk)
            copy.title = "Second"
            second_started.set()
            workflow.save(article=copy, user=editor, loaded_version=loaded)
            outcome["second"] = "saved"
        except workflow.StaleEdit:
            outcome["second"] = "refused"
        finally:
            close_old_connections()
            connection.close()

    with transaction.atomic():
        workflow.lock(article_pk=article.pk, loaded_version=loaded)
        first_locked.set()
        thread = threading.Thread(target=second_editor)
        thread.start()
        assert second_started.wait(10)
        # Wait (bounded) until the second connection is blocked on our row lock.
        with connection.cursor() as cursor:
            for _ in range(200):
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0]:
                    break
                threading.Event().wait(0.05)
            else:
                pytest.fail("the second save never waited for the lock")
        article.title = "First"
        workflow.save(article=article, user=editor, loaded_version=loaded)
    thread.join(10)

    assert outcome == {"second": "refused"}
    assert Article.objects.get().title == "First"
