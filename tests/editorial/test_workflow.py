"""Draft → in review → published, who may do what by every route, and the audit trail."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from articles.editorial import workflow
from articles.models import Article, ArticleEvent
from tests.factories import change_form, make_article

pytestmark = pytest.mark.django_db

Status, Action = Article.Status, ArticleEvent.Action
CHANGELIST = "admin:articles_article_changelist"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def actions(article):
    return list(article.events.order_by("pk").values_list("action", flat=True))


def run_action(client, name, *articles):
    return client.post(reverse(CHANGELIST), {"action": name, "_selected_action": [a.pk for a in articles]})


# --- Writers -------------------------------------------------------------------


def test_writer_submits_a_draft_for_review_with_the_form_button(client, writer):
    draft = make_article(title="Harbour plan", status=Status.DRAFT, created_by=writer)
    client.force_login(writer)
    response = client.post(change_url(draft), change_form(draft, title="Harbour plan, v2", _submit_for_review="1"))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Harbour plan, v2", Status.REVIEW)
    event = draft.events.get()
    assert (event.action, event.user, event.article_title) == (Action.SUBMITTED, writer, "Harbour plan, v2")


def test_writer_submits_a_new_article_straight_away(client, writer):
    client.force_login(writer)
    data = change_form(Article(title="Fresh", status=Status.DRAFT), loaded_version="", _submit_for_review="1")
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert (article.status, actions(article)) == (Status.REVIEW, [Action.SUBMITTED])


def test_writer_submits_with_the_bulk_action_and_only_drafts_move(client, writer):
    draft = make_article(title="Draft", status=Status.DRAFT, created_by=writer)
    live = make_article(title="Live")
    client.force_login(writer)
    run_action(client, "submit_for_review", draft, live)
    draft.refresh_from_db()
    live.refresh_from_db()
    assert (draft.status, live.status) == (Status.REVIEW, Status.PUBLISHED)
    assert actions(draft) == [Action.SUBMITTED] and actions(live) == []


def test_writer_sees_only_the_submit_action(client, writer):
    client.force_login(writer)
    choices = dict(client.get(reverse(CHANGELIST)).context["action_form"].fields["action"].choices)
    assert "submit_for_review" in choices
    assert not {"publish", "unpublish", "send_back", "delete_selected"} & set(choices)


@pytest.mark.parametrize("forged_status", ["published", "review", "draft"])
def test_writer_cannot_move_an_article_in_review_with_a_forged_status(client, writer, forged_status):
    article = make_article(title="In review", status=Status.REVIEW, created_by=writer)
    client.force_login(writer)
    client.post(change_url(article), change_form(article, status=forged_status, title="Edited"))
    article.refresh_from_db()
    assert (article.title, article.status) == ("Edited", Status.REVIEW)
    assert actions(article) == []


@pytest.mark.parametrize("action", ["publish", "unpublish", "send_back", "delete_selected"])
def test_writer_cannot_use_editor_actions(client, writer, action):
    draft = make_article(title="Draft", status=Status.DRAFT)
    review = make_article(title="Review", status=Status.REVIEW)
    live = make_article(title="Live")
    client.force_login(writer)
    run_action(client, action, draft, review, live)
    states = dict(Article.objects.values_list("title", "status"))
    assert states == {"Draft": Status.DRAFT, "Review": Status.REVIEW, "Live": Status.PUBLISHED}
    assert not ArticleEvent.objects.exists()


def test_writer_cannot_reschedule_a_live_article(client, writer):
    live = make_article(title="Live", publish_at=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(writer)
    assert b'name="publish_at_0"' not in client.get(change_url(live)).content  # read-only for writers
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    data = change_form(live, publish_at_0=f"{tomorrow:%Y-%m-%d}", publish_at_1="10:00:00")
    assert client.post(change_url(live), data).status_code == 302
    live.refresh_from_db()
    assert live.is_live


@pytest.mark.parametrize("step", [workflow.publish, workflow.unpublish, workflow.send_back])
def test_the_service_refuses_writers_whatever_the_caller(writer, step):
    article = make_article(
        title="Any",
        status={workflow.publish: Status.REVIEW, workflow.unpublish: Status.PUBLISHED}.get(step, Status.REVIEW),
    )
    with pytest.raises(PermissionDenied):
        step(article=article, user=writer)
    article.refresh_from_db()
    assert not ArticleEvent.objects.exists()


def test_the_service_refuses_a_status_set_by_hand(writer):
    article = make_article(title="Draft", status=Status.DRAFT)
    article.status = Status.PUBLISHED
    with pytest.raises(PermissionDenied):
        workflow.save(article=article, user=writer)
    assert Article.objects.get().status == Status.DRAFT


def test_people_without_article_rights_cannot_submit(django_user_model):
    stranger = django_user_model.objects.create_user(username="stranger", is_staff=True)
    draft = make_article(title="Draft", status=Status.DRAFT)
    with pytest.raises(PermissionDenied):
        workflow.submit(article=draft, user=stranger)


# --- Editors -------------------------------------------------------------------


def test_editor_publishes_an_article_in_review_through_the_form(client, editor):
    article = make_article(title="Ready", status=Status.REVIEW)
    client.force_login(editor)
    response = client.post(change_url(article), change_form(article, status="published"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_live
    assert actions(article) == [Action.PUBLISHED]
    assert article.events.get().user == editor


def test_editor_sends_an_article_back_and_unpublishes_with_actions(client, editor):
    review = make_article(title="Review", status=Status.REVIEW)
    live = make_article(title="Live")
    client.force_login(editor)
    run_action(client, "send_back", review)
    run_action(client, "unpublish", live)
    review.refresh_from_db()
    live.refresh_from_db()
    assert (review.status, actions(review)) == (Status.DRAFT, [Action.RETURNED])
    assert (live.status, actions(live)) == (Status.DRAFT, [Action.UNPUBLISHED])


def test_editor_publish_action_writes_one_event_per_article(client, editor):
    first = make_article(title="One", status=Status.REVIEW)
    second = make_article(title="Two", status=Status.DRAFT)
    client.force_login(editor)
    response = run_action(client, "publish", first, second)
    assert response.status_code == 302
    assert sorted(ArticleEvent.objects.values_list("article_title", "action")) == [
        ("One", Action.PUBLISHED),
        ("Two", Action.PUBLISHED),
    ]


def test_deleting_leaves_an_event_that_outlives_the_article(client, editor):
    doomed = make_article(title="Doomed", status=Status.DRAFT)
    also = make_article(title="Also doomed", status=Status.DRAFT)
    client.force_login(editor)
    response = client.post(reverse("admin:articles_article_delete", args=[doomed.pk]), {"post": "yes"})
    assert response.status_code == 302
    client.post(reverse(CHANGELIST), {"action": "delete_selected", "_selected_action": [also.pk], "post": "yes"})
    assert not Article.objects.exists()
    events = ArticleEvent.objects.order_by("pk")
    assert [(e.article_title, e.action, e.user, e.article) for e in events] == [
        ("Doomed", Action.DELETED, editor, None),
        ("Also doomed", Action.DELETED, editor, None),
    ]


def test_changelist_shows_every_state(client, editor):
    make_article(title="A draft", status=Status.DRAFT)
    make_article(title="In review", status=Status.REVIEW)
    make_article(title="Scheduled", publish_at=timezone.now() + datetime.timedelta(days=1))
    make_article(title="Live")
    client.force_login(editor)
    html = client.get(reverse(CHANGELIST)).content.decode()
    for modifier, label in [("draft", "Draft"), ("review", "In review"), ("scheduled", "Scheduled"), ("live", "Live")]:
        assert f'<span class="newsroom-state newsroom-state--{modifier}">{label}</span>' in html
    review_only = client.get(reverse(CHANGELIST), {"state": "review"}).context["cl"].result_list
    assert [a.title for a in review_only] == ["In review"]


def test_audit_trail_is_visible_on_the_article_and_in_its_own_list(client, editor, writer):
    article = make_article(title="Audited", status=Status.DRAFT)
    workflow.submit(article=article, user=writer)
    workflow.publish(article=article, user=editor)
    for user in (writer, editor):
        client.force_login(user)
        page = client.get(change_url(article)).content.decode()
        assert "Submitted for review" in page and "Published" in page
        listing = client.get(reverse("admin:articles_articleevent_changelist"))
        assert listing.status_code == 200
        assert [e.action for e in listing.context["cl"].result_list] == [Action.PUBLISHED, Action.SUBMITTED]
    assert client.get(reverse("admin:articles_articleevent_add")).status_code == 403


# --- Scheduling ------------------------------------------------------------------


def test_scheduled_article_appears_by_itself_at_its_time(client, editor):
    article = make_article(title="Embargoed", status=Status.REVIEW)
    at = datetime.datetime(2031, 3, 1, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(at - datetime.timedelta(hours=2), tick=False):
        client.force_login(editor)
        data = change_form(article, status="published", publish_at_0="2031-03-01", publish_at_1="10:00:00")
        assert client.post(change_url(article), data).status_code == 302
        article.refresh_from_db()
        assert (article.state_label, actions(article)) == ("Scheduled", [Action.SCHEDULED])
        client.logout()
        assert client.get(article.get_absolute_url()).status_code == 404
    with time_machine.travel(at - datetime.timedelta(seconds=1), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 404
    with time_machine.travel(at, tick=False):
        assert client.get(article.get_absolute_url()).status_code == 200
        article.refresh_from_db()
        assert article.state_label == "Live"
        assert list(Article.objects.published()) == [article]


def test_moving_a_live_article_into_the_future_is_a_schedule_event(editor):
    live = make_article(title="Live", publish_at=timezone.now() - datetime.timedelta(days=1))
    workflow.publish(article=live, user=editor, at=timezone.now() + datetime.timedelta(days=1))
    assert (live.state_label, actions(live)) == ("Scheduled", [Action.SCHEDULED])


def test_publish_now_makes_a_draft_with_a_future_date_live_and_keeps_a_past_one(client, editor):
    """A writer may put a date on a draft; "Publish selected articles now" must not quietly schedule it."""
    now = timezone.now()
    dated = make_article(title="Dated", status=Status.DRAFT, publish_at=now + datetime.timedelta(days=30))
    earlier = make_article(title="Published before", status=Status.DRAFT, publish_at=now - datetime.timedelta(days=3))
    client.force_login(editor)
    assert run_action(client, "publish", dated, earlier).status_code == 302
    dated.refresh_from_db()
    earlier.refresh_from_db()
    assert dated.status == Status.PUBLISHED and now <= dated.publish_at <= timezone.now()
    assert list(Article.objects.published()) == [dated, earlier]
    assert earlier.publish_at == now - datetime.timedelta(days=3)  # a republished article keeps its place
