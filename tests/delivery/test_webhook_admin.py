"""Webhooks in the admin: configured by administrators, addresses checked when saved, the delivery log."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Webhook, WebhookDelivery
from tests.factories import make_article

pytestmark = pytest.mark.django_db
ADD = "/admin/articles/webhook/add/"


def form(url, **fields):
    return {
        "name": "Partner",
        "url": url,
        "events": ["published", "corrected"],
        "secret": "s3cret",
        "active": "on",
        **fields,
    }


def test_an_administrator_adds_a_webhook_with_its_events_and_a_secret_offered(admin_client):
    page = admin_client.get(ADD)
    assert page.status_code == 200
    offered = page.context["adminform"].form["secret"].value()
    assert len(offered) >= 40  # a fresh random secret each time, to copy to the receiver
    assert admin_client.get(ADD).context["adminform"].form["secret"].value() != offered

    # A public address, as a literal: the test needs no DNS.
    response = admin_client.post(ADD, form("https://1.1.1.1/hook"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    hook = Webhook.objects.get()
    assert (hook.url, hook.events, hook.secret, hook.active) == (
        "https://1.1.1.1/hook",
        ["published", "corrected"],
        "s3cret",
        True,
    )


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1/hook", "non-public address"),
        ("http://169.254.169.254/latest/meta-data", "non-public address"),
        ("http://[::ffff:10.0.0.1]/hook", "non-public address"),
        ("https://1.1.1.1:8443/hook", "port 8443 is not allowed"),
        ("ftp://1.1.1.1/hook", "only http and https"),
    ],
)
def test_an_address_deliveries_would_refuse_is_refused_when_saved(admin_client, url, why):
    response = admin_client.post(ADD, form(url))
    assert response.status_code == 200
    assert why in str(response.context["adminform"].form.errors["url"])
    assert not Webhook.objects.exists()


def log(hook, article, codes):
    for code in codes:
        WebhookDelivery.objects.create(
            webhook=hook,
            event="published",
            article=article,
            article_title=article.title,
            body="{}",
            status="delivered" if code == 200 else "failed",
            response_code=code,
            attempts=1 if code == 200 else 10,
        )


def test_the_delivery_log_shows_status_code_and_attempts(admin_client, django_assert_num_queries):
    hook = Webhook.objects.create(name="Partner", url="https://example.org/hook", events=["published"])
    article = make_article(title="Quay works")
    log(hook, article, [200])
    with CaptureQueriesContext(connection) as one:
        admin_client.get("/admin/articles/webhookdelivery/")
    log(hook, article, [503, 410, 500, 502])
    with django_assert_num_queries(len(one)):  # however many deliveries: the webhook comes with each row
        page = admin_client.get("/admin/articles/webhookdelivery/")
    text = page.content.decode()
    assert page.status_code == 200
    for shown in ("503", "410", "Delivered", "Failed, gave up", "Quay works"):
        assert shown in text
    delivery = WebhookDelivery.objects.filter(response_code=503).get()
    detail = admin_client.get(f"/admin/articles/webhookdelivery/{delivery.pk}/change/")
    assert detail.status_code == 200
    assert not detail.context["adminform"].form.fields  # the log is read only: every field is shown, none edited
    assert (
        "/admin/articles/webhookdelivery/add/"
        not in admin_client.get("/admin/articles/webhookdelivery/").content.decode()
    )
    listing = admin_client.get("/admin/articles/webhook/").content.decode()
    assert f"?webhook__id__exact={hook.pk}" in listing and ">5<" in listing


def test_editors_and_writers_see_no_webhooks(client, editor, writer):
    for user in (editor, writer):
        client.force_login(user)
        assert client.get("/admin/articles/webhook/").status_code == 403
        assert client.get("/admin/articles/webhookdelivery/").status_code == 403
