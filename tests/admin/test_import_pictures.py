"""Pictures an import left as remote references, fetched from the review page as a job with the
importer's SSRF-guarded download (a local server stands in for the web, as in test_fetching.py)."""

import pytest
from django.test import TestCase
from django.urls import reverse

from articles.models import Image
from tests.factories import make_article
from tests.importing import test_fetching

# The local web server and the fetch settings of the importer's own download tests.
server, allow_local, refuse_private = test_fetching.server, test_fetching.allow_local, test_fetching.refuse_private

pytestmark = pytest.mark.django_db


def fetch_from_review_page(client):
    """Press the button; the job runs as the request commits; the review page it goes back to."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("admin:articles_article_import_fetch_pictures"))
    return client.get(response["Location"])


def test_remote_pictures_are_fetched_stored_and_shown_from_here(client, editor, allow_local):
    picture = Image.objects.create(source_url=allow_local.url("/pic.png"), alt_text="The quay")
    not_a_picture = Image.objects.create(source_url=allow_local.url("/page.html"), alt_text="A page")
    article = make_article(title="Quay reopens", lead_image=picture)
    client.force_login(editor)
    review = client.get(reverse("admin:articles_article_import_review")).content.decode()
    assert "2 pictures are shown from another site" in review and "Fetch and store the remote pictures" in review

    page = fetch_from_review_page(client).content.decode()

    assert "Fetching 2 remote pictures in the background" in page
    assert "1 picture is shown from another site" in page  # the page that is no picture stays remote
    picture.refresh_from_db()
    assert picture.file and picture.width and picture.checksum
    assert picture.source_url == allow_local.url("/pic.png")  # where it came from, still known
    not_a_picture.refresh_from_db()
    assert not not_a_picture.file
    assert picture.file.url in client.get(article.get_absolute_url()).content.decode()


def test_a_private_address_is_never_fetched(client, editor, refuse_private):
    picture = Image.objects.create(source_url=refuse_private.url("/pic.png"), alt_text="Inside")
    client.force_login(editor)
    fetch_from_review_page(client)  # refuse_private fails the test on any connection
    picture.refresh_from_db()
    assert not picture.file
    assert refuse_private.requests == []


def test_who_may_not_change_pictures_cannot_fetch_them(client, django_user_model):
    reader = django_user_model.objects.create_user("staff-reader", password="x", is_staff=True)
    client.force_login(reader)
    assert client.post(reverse("admin:articles_article_import_fetch_pictures")).status_code == 403
