"""Webhook deliveries as jobs: one body per event, signed, POSTed to each subscribed webhook,
retried with backoff until it is answered with a 2xx or NEWSROOM_WEBHOOK_ATTEMPTS run out.

announce() runs once per event: it makes the body (the API's ArticleOut, public/api.py, so
partners get the representation the API serves) and a WebhookDelivery row per webhook, each
sent by its own deliver() job. The row keeps the body as first made, so a retry sends the same
bytes; the log in the admin shows its status, response code, attempts and times.

Targets are checked like --fetch-images' downloads (importing/fetching.py checked_pool()):
public addresses only, resolved once and connected to as checked, on the allowed ports
(NEWSROOM_WEBHOOK_ALLOWED_PORTS; NEWSROOM_WEBHOOK_ALLOW_PRIVATE for tests). Redirects are not
followed: a 3xx is a failed attempt.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder

from articles.editorial import announcements
from articles.importing.fetching import FetchError, checked_pool
from articles.jobs import can_wait, enqueue_at, retry_delay, task
from articles.models import Article, Webhook, WebhookDelivery
from articles.public.api import ArticleOut, article_detail
from articles.public.seo import absolute_url

from .signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature

logger = logging.getLogger("newsroom.webhooks")

USER_AGENT = "Newsroom-webhooks/1.0"
Status = WebhookDelivery.Status


class SiteRequest(HttpRequest):
    """Stands in for a request when the API's representation is made in a job: URLs are made
    absolute on NEWSROOM_SITE_URL (left relative when it is not set)."""

    def build_absolute_uri(self, location=None):
        return absolute_url(location or "/", settings.NEWSROOM_SITE_URL.rstrip("/"))


def body_for(event: str, article: Article, occurred_at: datetime.datetime) -> str:
    """The JSON every webhook gets for this event: the event, when, and the article as the API shows it."""
    representation = ArticleOut.model_validate(article_detail(SiteRequest(), article)).model_dump()
    payload = {"event": event, "occurred_at": occurred_at, "article": representation}
    return json.dumps(payload, cls=NinjaJSONEncoder)  # the API's own encoder: the same JSON to the byte


def still_true(event: str, article: Article) -> bool:
    """Whether the event still describes the article when its job runs: an article unpublished
    again before "published" was sent is not announced as published, and the other way round."""
    return not article.is_live if event == announcements.UNPUBLISHED else article.is_live


@task()
def announce(article_id: int, event: str, occurred_at: str | None = None) -> int:
    """Make the event's deliveries, one per webhook listening to it, and queue them; how many.
    occurred_at: when the change was committed (ISO 8601; now when not given), not when this job runs."""
    hooks = Webhook.objects.listening_to(event)
    article = Article.objects.for_detail().with_authors().filter(pk=article_id).first()
    if not hooks or article is None or not still_true(event, article):
        return 0
    when = datetime.datetime.fromisoformat(occurred_at) if occurred_at else timezone.now()
    body = body_for(event, article, when)
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(webhook=hook, event=event, article=article, article_title=article.title, body=body)
        for hook in hooks
    )
    for delivery in deliveries:
        deliver.enqueue(str(delivery.pk))
    return len(deliveries)


@task()
def deliver(delivery_id: str) -> str:
    """One attempt at one delivery; another is queued after a wait when it fails. Returns the status."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.done:
        return "gone" if delivery is None else delivery.status
    if not delivery.webhook.active:
        return _record(delivery, code=None, error="The webhook was switched off.", final=True)
    code, error = post(delivery)
    final = code is not None and 200 <= code < 300
    delivery.attempts += 1
    if not final and (delivery.attempts >= settings.NEWSROOM_WEBHOOK_ATTEMPTS or not can_wait(deliver)):
        final = True
    return _record(delivery, code=code, error=error, final=final)


def _record(delivery: WebhookDelivery, *, code: int | None, error: str, final: bool) -> str:
    now = timezone.now()
    delivery.response_code, delivery.error, delivery.last_attempt_at = code, error[:500], now
    delivery.next_attempt_at = None
    if final:
        delivery.status = Status.FAILED if error else Status.DELIVERED
        delivery.delivered_at = None if error else now
    else:
        delivery.status = Status.RETRYING
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    delivery.save()
    if delivery.status == Status.RETRYING:
        enqueue_at(deliver, delivery.next_attempt_at, str(delivery.pk))
    elif delivery.status == Status.FAILED:
        logger.warning(
            "Webhook %s gave up on %s after %s attempt(s): %s", delivery.webhook, delivery.pk, delivery.attempts, error
        )
    return delivery.status


def post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the delivery's body, signed: (response code or None, what went wrong or "")."""
    body = delivery.body.encode()
    timestamp = int(time.time())
    headers = {
        "Host": urlsplit(delivery.webhook.url).netloc,  # the connection goes to the checked address
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.pk),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(delivery.webhook.secret, timestamp, body),
    }
    seconds = settings.NEWSROOM_WEBHOOK_TIMEOUT
    try:
        pool, path = checked_pool(
            delivery.webhook.url,
            urllib3.Timeout(connect=min(5.0, seconds), read=seconds),
            allowed_ports=settings.NEWSROOM_WEBHOOK_ALLOWED_PORTS,
            allow_private=settings.NEWSROOM_WEBHOOK_ALLOW_PRIVATE,
        )
        with pool:
            response = pool.urlopen(
                "POST", path, body=body, headers=headers, redirect=False, retries=False, preload_content=False
            )
            response.drain_conn()
    except FetchError as error:
        return None, f"Refused: {error}"
    except urllib3.exceptions.HTTPError as error:
        return None, f"No answer: {error.__class__.__name__}"
    if 200 <= response.status < 300:
        return response.status, ""
    if 300 <= response.status < 400:
        return response.status, f"HTTP {response.status}: redirects are not followed"
    return response.status, f"HTTP {response.status}"


def send_again(deliveries) -> int:
    """Queue failed deliveries again (the admin's action), with a fresh count of attempts."""
    again = [d for d in deliveries if d.status == Status.FAILED]
    for delivery in again:
        delivery.status, delivery.attempts, delivery.next_attempt_at = Status.PENDING, 0, None
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        deliver.enqueue(str(delivery.pk))
    return len(again)
