"""A writer's change to a published story waits for an editor: readers keep the published version,
editors preview, compare, publish or send it back, and every step is recorded."""

from pathlib import Path

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.editorial import pending, workflow
from articles.importing import ImportOptions, import_paths
from articles.models import Article, ArticleEvent, PendingChange
from tests.factories import change_form, make_article, make_image, make_keyword
from tests.importing.samples import post, write

pytestmark = pytest.mark.django_db
Action = ArticleEvent.Action


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def reader_sees(client, article) -> str:
    client.logout()
    return client.get(article.get_absolute_url()).content.decode()


def writer_proposes(client, writer, article, **overrides):
    client.force_login(writer)
    return client.post(change_url(article), change_form(article, **overrides))


def test_a_writers_save_of_a_live_article_waits_and_readers_keep_the_published_text(client, writer):
    article = make_article(title="Harbour reopens", body="<p>Boats are back.</p>")
    before = (article.version, Version.objects.get_for_object(article).count())

    response = writer_proposes(client, writer, article, title="Harbour reopens at last", body="<p>All boats.</p>")

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body, article.version) == ("Harbour reopens", "<p>Boats are back.</p>", before[0])
    assert Version.objects.get_for_object(article).count() == before[1]
    change = article.pending_change
    assert change.fields["title"] == "Harbour reopens at last" and change.proposed_by == writer and change.waiting
    event = ArticleEvent.objects.get(action=Action.CHANGE_SUBMITTED)
    assert event.user == writer and event.note == "Changed: headline, body"
    page = reader_sees(client, article)
    assert "Harbour reopens" in page and "at last" not in page and "All boats" not in page
    assert "at last" not in client.get("/feed/").content.decode()
    assert "at last" not in client.get(f"/api/articles/{article.slug}").content.decode()


def test_the_writer_goes_on_editing_the_pending_change_and_keywords_wait_too(client, writer):
    article = make_article(title="Harbour reopens")
    harbour = make_keyword("Harbour")
    writer_proposes(client, writer, article, title="Harbour reopens at last", keywords=[harbour.pk])

    form = client.get(change_url(article)).context["adminform"].form
    assert form.initial["title"] == "Harbour reopens at last"
    assert list(form.initial["keywords"]) == [harbour.pk]
    assert not article.keywords.exists()  # the published article has none yet

    again = writer_proposes(client, writer, article, title="Harbour reopens at last", keywords=[harbour.pk])
    assert again.status_code == 302
    assert ArticleEvent.objects.filter(action=Action.CHANGE_SUBMITTED).count() == 1  # the same change: no new event


def test_an_editor_compares_previews_and_publishes_the_change(client, writer, editor):
    article = make_article(title="Harbour reopens", body="<p>Boats are back.</p>")
    harbour = make_keyword("Harbour")
    writer_proposes(client, writer, article, title="Harbour reopens at last", keywords=[harbour.pk])
    client.force_login(editor)

    compare = client.get(reverse("admin:articles_article_pending_compare", args=[article.pk]))
    changed = {section.name for section in compare.context["sections"] if section.changed}
    assert changed == {"Headline", "Keywords"}
    preview = client.get(reverse("admin:articles_article_pending_preview", args=[article.pk])).content.decode()
    assert "Harbour reopens at last" in preview
    article.refresh_from_db()
    assert article.title == "Harbour reopens"  # the preview wrote nothing

    client.post(reverse("admin:articles_article_pending_publish", args=[article.pk]))

    article.refresh_from_db()
    assert article.title == "Harbour reopens at last" and list(article.keywords.all()) == [harbour]
    assert not PendingChange.objects.exists()
    event = ArticleEvent.objects.get(action=Action.CHANGE_PUBLISHED)
    assert event.user == editor and event.note == "Proposed by writer; changed: headline, keywords"
    newest = Version.objects.get_for_object(article).first()
    assert newest.field_dict["title"] == "Harbour reopens at last" and newest.field_dict["keywords"] == [harbour.pk]
    assert "Harbour reopens at last" in reader_sees(client, article)


def test_the_list_shows_waiting_changes_and_its_publish_action_applies_them(client, writer, editor):
    article = make_article(title="Harbour reopens")
    draft = make_article(title="A draft", status=Article.Status.DRAFT)
    writer_proposes(client, writer, article, title="Harbour reopens at last")
    client.force_login(editor)
    changelist = reverse("admin:articles_article_changelist")

    waiting = client.get(changelist, {"state": "change"})
    assert [a.pk for a in waiting.context["cl"].result_list] == [article.pk]
    assert "change waiting for review" in waiting.content.decode()
    client.post(changelist, {"action": "publish", "_selected_action": [article.pk, draft.pk]})

    article.refresh_from_db()
    draft.refresh_from_db()
    assert article.title == "Harbour reopens at last" and draft.status == Article.Status.PUBLISHED


def test_an_editor_sends_a_change_back_with_a_note_and_the_writer_sees_it(client, writer, editor):
    article = make_article(title="Harbour reopens")
    writer_proposes(client, writer, article, title="Harbour reopens at last")
    client.force_login(editor)
    url = reverse("admin:articles_article_pending_return", args=[article.pk])

    assert client.post(url, {"note": ""}).status_code == 302
    assert PendingChange.objects.get().waiting  # a note is required
    client.post(url, {"note": "Source the quote, please."})

    change = PendingChange.objects.get()
    assert not change.waiting and change.returned_note == "Source the quote, please."
    assert ArticleEvent.objects.get(action=Action.CHANGE_RETURNED).note == "Source the quote, please."
    client.force_login(writer)
    assert "Source the quote, please." in client.get(change_url(article)).content.decode()
    writer_proposes(client, writer, article, title="Harbour reopens, quote sourced")
    assert PendingChange.objects.get().waiting  # in review again


def test_an_editors_own_save_of_a_live_article_publishes_at_once_unless_kept_pending(client, editor):
    article = make_article(title="Harbour reopens", body="<p>Boats.</p>")
    client.force_login(editor)

    client.post(change_url(article), change_form(article, title="Harbour reopens today"))
    article.refresh_from_db()
    assert article.title == "Harbour reopens today"
    assert ArticleEvent.objects.get(action=Action.EDITED).note == "Changed: headline"

    client.post(change_url(article), change_form(article, title="Harbour reopens, maybe", _keep_pending="1"))
    article.refresh_from_db()
    assert article.title == "Harbour reopens today"
    assert article.pending_change.fields["title"] == "Harbour reopens, maybe"


def test_an_editors_save_of_the_form_showing_a_change_publishes_it(client, writer, editor):
    article = make_article(title="Harbour reopens")
    writer_proposes(client, writer, article, title="Harbour reopens at last")
    client.force_login(editor)
    shown = client.get(change_url(article)).context["adminform"].form.initial

    client.post(change_url(article), change_form(article, title=shown["title"]))

    article.refresh_from_db()
    assert article.title == "Harbour reopens at last" and not PendingChange.objects.exists()
    assert ArticleEvent.objects.filter(action=Action.CHANGE_PUBLISHED, user=editor).exists()


def test_a_save_that_changes_nothing_writes_no_event_or_revision_and_keeps_caches(client, editor, monkeypatch):
    article = make_article(title="Harbour reopens")
    versions = Version.objects.get_for_object(article).count()
    client.force_login(editor)
    saves = []
    monkeypatch.setattr(Article, "save", lambda self, *a, **k: saves.append(self))

    response = client.post(change_url(article), change_form(article))

    assert response.status_code == 302 and saves == []  # no save: no cache made stale
    assert Version.objects.get_for_object(article).count() == versions
    assert not ArticleEvent.objects.exists()


@pytest.mark.parametrize("route", ["forged status", "restore", "bulk publish", "import", "api"])
def test_a_writer_makes_no_text_public_by_any_route(client, writer, editor, tmp_path, route):
    article = make_article(title="Harbour reopens", body="<p>Boats are back.</p>")
    workflow.save(article=article, user=editor)  # a revision of the first text, to restore
    client.force_login(editor)
    client.post(change_url(article), change_form(article, title="Harbour reopens, rewritten"))
    article.refresh_from_db()
    client.force_login(writer)

    if route == "forged status":
        client.post(change_url(article), change_form(article, title="Forged", status="published"))
    elif route == "restore":
        first = Version.objects.get_for_object(article).last()
        client.post(reverse("admin:articles_article_revision", args=[article.pk, first.pk]))
    elif route == "bulk publish":
        writer_proposes(client, writer, article, title="Forged")
        changelist = reverse("admin:articles_article_changelist")
        client.post(changelist, {"action": "publish", "_selected_action": [article.pk]})
    elif route == "api":  # read-only: no method writes
        url = f"/api/articles/{article.slug}"
        for method in (client.post, client.put, client.patch, client.delete):
            assert method(url, {"title": "Forged"}, content_type="application/json").status_code == 405
    else:
        Article.objects.filter(pk=article.pk).update(source_site="old", source_path="harbour.md")
        write(tmp_path, "harbour.md", post("title: Forged\ndate: 2021-01-01"))
        report = import_paths([Path(tmp_path)], ImportOptions(as_drafts=True, source_site="old"))
        assert report.counts["conflicts"] == 1

    article.refresh_from_db()
    assert article.title == "Harbour reopens, rewritten" and article.status == Article.Status.PUBLISHED
    assert "Forged" not in reader_sees(client, article)


def test_a_writer_restoring_a_revision_of_a_live_article_proposes_it(client, writer, editor):
    article = make_article(title="Harbour reopens")
    workflow.save(article=article, user=editor)
    client.force_login(editor)
    client.post(change_url(article), change_form(article, title="Harbour reopens, rewritten"))
    first = Version.objects.get_for_object(article).last()
    assert first.field_dict["title"] == "Harbour reopens"
    client.force_login(writer)

    client.post(reverse("admin:articles_article_revision", args=[article.pk, first.pk]))

    article.refresh_from_db()
    assert article.title == "Harbour reopens, rewritten"
    assert article.pending_change.fields["title"] == "Harbour reopens"


def test_publishing_a_change_needs_the_publish_permission(writer):
    article = make_article(title="Harbour reopens")
    article.title = "Harbour reopens at last"
    pending.propose(article=article, keyword_ids=[], user=writer)
    with pytest.raises(workflow.PermissionDenied):
        pending.publish(article=Article.objects.get(), user=writer)
    assert Article.objects.get().title == "Harbour reopens"


def test_a_change_back_to_the_published_version_is_dropped(writer):
    article = make_article(title="Harbour reopens")
    article.title = "Harbour reopens at last"
    pending.propose(article=article, keyword_ids=[], user=writer)
    article.title = "Harbour reopens"
    assert pending.propose(article=article, keyword_ids=[], user=writer) == []
    assert not PendingChange.objects.exists()


def test_a_writer_cannot_change_a_picture_a_published_article_shows(client, writer, editor):
    shown = make_image(alt_text="Boats at the quay", credit="Ann Lee")
    drafts_only = make_image(alt_text="A draft's picture", color="orange")
    make_article(title="Live", lead_image=shown)
    make_article(title="Draft", status=Article.Status.DRAFT, lead_image=drafts_only, created_by=writer)
    client.force_login(writer)
    url = reverse("admin:articles_image_change", args=[shown.pk])
    fields = {"alt_text": "Forged", "credit": "Forged", "copyright": "", "source_url": ""}

    assert client.post(url, fields).status_code == 403
    assert "Boats at the quay" in client.get(url).content.decode()  # read-only for the writer
    client.post(reverse("admin:articles_image_change", args=[drafts_only.pk]), fields)

    shown.refresh_from_db()
    drafts_only.refresh_from_db()
    assert (shown.alt_text, shown.credit) == ("Boats at the quay", "Ann Lee")
    assert drafts_only.alt_text == "Forged"
    client.force_login(editor)
    client.post(url, fields)
    shown.refresh_from_db()
    assert shown.alt_text == "Forged"
