"""Webhooks (delivery/webhooks.py): sent after the editorial actions readers notice, signed, with the
API's representation, retried with backoff, refused for private addresses; against a real local server."""

import json
import time
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from articles.delivery import signing
from articles.delivery import webhooks as delivering
from articles.editorial import corrections, workflow
from articles.models import Article, Webhook, WebhookDelivery
from tests.delivery.conftest import run_due
from tests.factories import change_form, make_article, make_keyword, make_section, runs_db_worker

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status
ALL_EVENTS = [choice for choice, _ in Webhook.Event.choices]


def hook(url, events=ALL_EVENTS, **fields):
    return Webhook.objects.create(name="Partner", url=url + "/hooks/newsroom", events=events, **fields)


@pytest.fixture
def receiver(webhooks_to_this_machine):
    receiver = webhooks_to_this_machine
    receiver.hook = hook(receiver.url)
    return receiver


@pytest.fixture
def draft():
    return make_article(
        title="Harbour wall", status=Article.Status.DRAFT, section=make_section(), keywords=[make_keyword()]
    )


@pytest.fixture
def live(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_article(title="Quay works", publish_at=timezone.now() - timedelta(hours=1))


def events_sent(receiver):
    return [json.loads(request.body)["event"] for request in receiver.requests]


def test_publishing_posts_the_apis_representation_signed(
    receiver, draft, editor, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=draft, user=editor)

    [request] = receiver.requests
    assert (request.method, request.path) == ("POST", "/hooks/newsroom")
    assert request.headers["X-Newsroom-Event"] == "published"
    assert request.headers["Content-Type"] == "application/json"
    assert signing.verify(
        receiver.hook.secret,
        timestamp=request.headers["X-Newsroom-Timestamp"],
        signature_header=request.headers["X-Newsroom-Signature"],
        body=request.body,
    )
    body = json.loads(request.body)
    assert body["event"] == "published"
    assert abs(datetime.fromisoformat(body["occurred_at"]) - Article.objects.get(pk=draft.pk).publish_at) < timedelta(
        seconds=2
    )
    # One representation: what the API serves for the article, byte for byte as JSON.
    assert body["article"] == client.get(f"/api/articles/{draft.slug}").json()
    assert body["article"]["keywords"][0]["name"] == "Harbour"

    delivery = WebhookDelivery.objects.get()
    assert str(delivery.pk) == request.headers["X-Newsroom-Delivery"]
    assert (delivery.status, delivery.response_code, delivery.attempts) == (Status.DELIVERED, 200, 1)
    assert delivery.delivered_at is not None and delivery.article_id == draft.pk


def test_a_signature_made_with_another_secret_or_over_another_body_does_not_verify():
    body, now = b'{"event": "published"}', int(time.time())
    header = signing.signature("s3cret", now, body)
    assert signing.verify("s3cret", timestamp=str(now), signature_header=header, body=body)
    assert not signing.verify("other", timestamp=str(now), signature_header=header, body=body)
    assert not signing.verify("s3cret", timestamp=str(now), signature_header=header, body=body + b" ")
    assert not signing.verify("s3cret", timestamp=str(now + 1), signature_header=header, body=body)
    stale = now - signing.TOLERANCE_SECONDS - 1  # a replay of an old delivery
    old = signing.signature("s3cret", stale, body)
    assert not signing.verify("s3cret", timestamp=str(stale), signature_header=old, body=body)


def test_each_editorial_action_sends_its_event(receiver, live, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        live.title = "Quay works finish"
        workflow.save(article=live, user=editor, changed=["title"])
    with django_capture_on_commit_callbacks(execute=True):
        corrections.publish(article=live, kind="correction", note="The quay is in the east harbour.", user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(article=live, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        live.title = "A draft's edit"  # no reader sees a draft: nothing to say
        workflow.save(article=live, user=editor, changed=["title"])

    assert events_sent(receiver) == ["updated", "corrected", "unpublished"]
    assert json.loads(receiver.requests[0].body)["article"]["title"] == "Quay works finish"


def test_a_webhook_hears_only_its_events_and_a_switched_off_one_nothing(
    webhooks_to_this_machine, live, editor, django_capture_on_commit_callbacks
):
    receiver = webhooks_to_this_machine
    hook(receiver.url, events=["unpublished"])
    hook(receiver.url, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        live.title = "Quay works finish"
        workflow.save(article=live, user=editor, changed=["title"])
    assert receiver.requests == []
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(article=live, user=editor)
    assert events_sent(receiver) == ["unpublished"]


def test_scheduling_is_not_publishing_and_a_rolled_back_publish_sends_nothing(
    receiver, draft, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=draft, user=editor, at=timezone.now() + timedelta(days=1))
    assert receiver.requests == []  # readers see nothing yet (going live is tested in test_going_live.py)

    other = make_article(title="Tram news", status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        publish_then_fail(other, editor)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


@transaction.atomic
def publish_then_fail(article, user):
    workflow.publish(article=article, user=user)
    raise RuntimeError("the request failed after publishing")


def test_a_failed_delivery_is_retried_after_a_growing_wait_and_succeeds_once_the_target_recovers(
    receiver, draft, editor, dummy_tasks, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_RETRY_FIRST_SECONDS = 30
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=draft, user=editor)
    assert [name for name, _ in run_due(dummy_tasks)] == ["announce", "deliver"]  # the retry waits

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.attempts) == (Status.RETRYING, 503, 1)
    assert delivery.error == "HTTP 503"
    assert delivery.next_attempt_at == pytest.approx(
        delivery.last_attempt_at + timedelta(seconds=30), abs=timedelta(seconds=1)
    )
    [retry] = dummy_tasks.results
    assert retry.task.run_after == delivery.next_attempt_at  # the backend holds it until then

    dummy_tasks.results.clear()
    retry.task.call(*retry.args)  # the second attempt fails too: the wait doubles
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert dummy_tasks.results[0].task.run_after - delivery.last_attempt_at == pytest.approx(
        timedelta(seconds=60), abs=timedelta(seconds=1)
    )

    receiver.status = 204
    [retry] = dummy_tasks.results
    retry.task.call(*retry.args)  # the worker, once the wait is over
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts, delivery.error) == (
        Status.DELIVERED,
        204,
        3,
        "",
    )
    bodies = {request.body for request in receiver.requests}
    assert len(receiver.requests) == 3 and len(bodies) == 1  # every attempt sent the same bytes
    assert delivery.body.encode() in bodies


def test_attempts_run_out_then_an_editor_sends_it_again(receiver, live, editor, dummy_tasks, settings, admin_client):
    settings.NEWSROOM_WEBHOOK_ATTEMPTS = 3
    settings.NEWSROOM_RETRY_FIRST_SECONDS = 0  # each retry is due at once
    receiver.status = 500
    delivering.announce.call(live.pk, "updated")
    run_due(dummy_tasks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (Status.FAILED, 3, None)
    assert len(receiver.requests) == 3

    receiver.status = 200
    response = admin_client.post(
        "/admin/articles/webhookdelivery/", {"action": "send_again", "_selected_action": [str(delivery.pk)]}
    )
    assert response.status_code == 302
    run_due(dummy_tasks)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (Status.DELIVERED, 1, 200)


def test_a_target_that_refuses_connections_is_a_failed_attempt_not_an_error(
    webhooks_to_this_machine, live, settings, dead_port
):
    settings.NEWSROOM_WEBHOOK_ALLOWED_PORTS = [dead_port]
    hook(f"http://127.0.0.1:{dead_port}")
    delivering.announce.call(live.pk, "updated")  # immediate backend: no waiting, one attempt
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED and delivery.response_code is None
    assert delivery.error.startswith("No answer")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest",
        "http://10.0.0.8/hook",
        "http://2130706433/",
    ],
)
def test_private_and_loopback_targets_are_refused(url, live, settings):
    settings.NEWSROOM_WEBHOOK_ALLOWED_PORTS = [80]
    hook(url.rsplit("/", 1)[0])
    delivering.announce.call(live.pk, "updated")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED
    assert "non-public address" in delivery.error


def test_redirects_are_not_followed(receiver, live):
    receiver.status = 302
    delivering.announce.call(live.pk, "updated")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code) == (Status.FAILED, 302)
    assert "redirects are not followed" in delivery.error


def test_an_event_that_is_no_longer_true_when_its_job_runs_is_not_sent(receiver, live):
    Article.objects.filter(pk=live.pk).update(status=Article.Status.DRAFT)
    assert delivering.announce.call(live.pk, "published") == 0
    assert delivering.announce.call(live.pk + 1000, "published") == 0  # deleted
    assert receiver.requests == []


@runs_db_worker
def test_the_database_worker_delivers_once_the_receiver_recovers(receiver, live, database_tasks, settings):
    settings.NEWSROOM_RETRY_FIRST_SECONDS = 0.5
    receiver.status = 502
    delivering.announce.enqueue(live.pk, "updated")
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (Status.RETRYING, 1, 502)

    receiver.status = 200
    time.sleep(max(0.0, (delivery.next_attempt_at - timezone.now()).total_seconds()) + 0.05)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (Status.DELIVERED, 2, 200)


def test_saving_a_live_article_in_the_admin_sends_updated_and_a_change_readers_cannot_see_nothing(
    receiver, live, editor, client, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    url = f"/admin/articles/article/{live.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, change_form(live, title="Quay works finish")).status_code == 302
    assert events_sent(receiver) == ["updated"]

    live.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):  # nothing a reader sees changed
        assert client.post(url, change_form(live)).status_code == 302
    assert events_sent(receiver) == ["updated"]
