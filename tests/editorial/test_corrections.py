"""Corrections and updates in public: published with a change, shown under the article, in its
JSON-LD and on /corrections/, and never edited away silently."""

import datetime as dt

import lxml.html
import pytest
from django.urls import reverse

from articles.models import ArticleEvent, Correction
from tests.factories import change_form, make_article
from tests.public.test_reading import json_ld

pytestmark = pytest.mark.django_db
Action = ArticleEvent.Action


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def page_of(client, article):
    client.logout()
    return lxml.html.fromstring(client.get(article.get_absolute_url()).content)


def correct(client, editor, article, kind="correction", note="The ferry runs on Mondays, not Sundays.", **fields):
    client.force_login(editor)
    article.refresh_from_db()
    data = change_form(article, correction_kind=kind, correction_note=note, **fields)
    return client.post(change_url(article), data)


def test_an_editor_publishes_a_change_with_a_correction_readers_see_under_the_body(client, editor):
    article = make_article(title="Ferry returns", body="<p>On Sundays.</p>")

    correct(client, editor, article, body="<p>On Mondays.</p>")

    correction = Correction.objects.get()
    assert (correction.kind, correction.created_by) == ("correction", editor)
    event = ArticleEvent.objects.get(action=Action.CORRECTED)
    assert event.note == "Correction: The ferry runs on Mondays, not Sundays." and event.user == editor
    page = page_of(client, article)
    notes = page.xpath("//section[@class='corrections']//li")
    assert [" ".join(li.text_content().split()) for li in notes][0].startswith("Correction, ")
    assert "The ferry runs on Mondays, not Sundays." in notes[0].text_content()
    assert notes[0].xpath(".//time/@datetime")  # the time, in the newsroom's zone
    assert page.xpath("//article//section[@class='corrections']/preceding-sibling::div[@class='article__body']")
    updated = page.xpath("//p[@class='meta']/a[@class='updated']")[0]  # the latest, by the publish time
    assert updated.text_content().startswith("Updated ") and updated.get("href") == "#corrections-title"


def test_corrections_are_newest_first_and_only_corrections_are_in_json_ld_and_on_the_list(client, editor):
    article = make_article(title="Ferry returns")
    correct(client, editor, article, kind="update", note="The first sailing is now at 07:00.", title="Ferry is back")
    correct(client, editor, article, note="The ferry runs on Mondays.", title="Ferry is back on Mondays")

    page = page_of(client, article)
    items = [li.text_content() for li in page.xpath("//section[@class='corrections']//li")]
    assert "Mondays" in items[0] and "07:00" in items[1]
    data = json_ld(page)
    assert [c["text"] for c in data["correction"]] == ["The ferry runs on Mondays."]
    assert data["correction"][0]["@type"] == "CorrectionComment"
    newest = Correction.objects.first().published_at
    assert dt.datetime.fromisoformat(data["dateModified"]) >= newest.replace(microsecond=0)

    listing = client.get(reverse("articles:corrections")).content.decode()
    assert "The ferry runs on Mondays." in listing and "07:00" not in listing
    assert article.get_absolute_url() in listing


def test_a_correction_needs_its_note_and_a_writer_cannot_publish_one(client, editor, writer):
    article = make_article(title="Ferry returns")
    response = correct(client, editor, article, note="")
    assert response.status_code == 200 and "Say what was wrong" in response.content.decode()

    correct(client, writer, article, title="Ferry returns soon")  # a forged POST: a pending change, no note
    assert not Correction.objects.exists()


def test_a_pending_change_is_published_with_a_correction(client, writer, editor):
    article = make_article(title="Ferry returns on Sunday")
    client.force_login(writer)
    client.post(change_url(article), change_form(article, title="Ferry returns on Monday"))
    client.force_login(editor)

    client.post(
        reverse("admin:articles_article_pending_publish", args=[article.pk]),
        {"correction_kind": "correction", "correction_note": "It returns on Monday."},
    )

    article.refresh_from_db()
    assert article.title == "Ferry returns on Monday"
    assert Correction.objects.get().note == "It returns on Monday."


def test_amending_or_removing_a_correction_is_recorded(client, editor):
    article = make_article(title="Ferry returns")
    correct(client, editor, article)
    correction = Correction.objects.get()
    url = reverse("admin:articles_correction_change", args=[correction.pk])
    when = correction.published_at.astimezone(dt.UTC)

    client.post(
        url,
        {
            "kind": "correction",
            "note": "The ferry runs on weekdays.",
            "published_at_0": f"{when:%Y-%m-%d}",
            "published_at_1": f"{when:%H:%M:%S}",
        },
    )
    changed = ArticleEvent.objects.get(action=Action.CORRECTION_CHANGED)
    assert changed.note.startswith("Was correction of ") and "Mondays, not Sundays" in changed.note
    client.post(reverse("admin:articles_correction_delete", args=[correction.pk]), {"post": "yes"})

    assert not Correction.objects.exists()
    removed = ArticleEvent.objects.get(action=Action.CORRECTION_REMOVED)
    assert "The ferry runs on weekdays." in removed.note and removed.user == editor
    assert "weekdays" not in page_of(client, article).text_content()


def test_a_new_correction_reaches_the_stored_article_page(client, editor, fragments_cache):
    article = make_article(title="Ferry returns")
    assert "Corrections and updates" not in client.get(article.get_absolute_url()).content.decode()

    correct(client, editor, article)

    assert "Mondays, not Sundays" in page_of(client, article).text_content()


@pytest.mark.parametrize("count", [1, 12])
def test_the_corrections_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for n in range(count):
        Correction.objects.create(article=make_article(title=f"Story {n}"), note=f"Note {n}.")
    Correction.objects.create(article=make_article(title="Draft", status="draft"), note="Not public.")

    with django_assert_num_queries(2):  # the corrections with their articles; the navigation's sections
        response = client.get(reverse("articles:corrections"))

    assert response.content.decode().count('class="corrections-page__item"') == count
    assert "Not public." not in response.content.decode()
