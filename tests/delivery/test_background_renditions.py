"""Renditions in the background (images/renditions.py) when a job queue runs them: an upload stores
the original and queues its renditions; pages show the original until they exist; a new crop is made
in the background and the article's page shows it once made."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.images import renditions
from articles.models import Image
from tests.delivery.conftest import run_due
from tests.factories import image_bytes, make_article, make_image, post_picture

pytestmark = pytest.mark.django_db


def image_form(image, **overrides):
    data = {"alt_text": image.alt_text, "credit": "", "copyright": "", "source_url": ""}
    data.update({"focal_x": "", "focal_y": "", "crop_card": "", "crop_social": "", **overrides})
    return data


def test_an_upload_stores_the_original_and_queues_its_renditions(
    client, editor, dummy_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post_picture(client, editor, size=(1000, 600)).status_code == 302
    image = Image.objects.get()
    assert image.renditions == {} and image.file.storage.exists(image.file.name)
    assert [(r.task.name, r.args) for r in dummy_tasks.results] == [("make_renditions", [image.pk, image.file.name])]

    # Until they exist, the page shows the stored original: a picture, never a broken one.
    article = make_article(title="Quay works", lead_image=image, publish_at=timezone.now())
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<img src="{image.url}"' in page and "srcset" not in page

    assert run_due(dummy_tasks) == [("make_renditions", len(Image.objects.get().renditions))]
    image.refresh_from_db()
    assert {"640.webp", "640.jpg", "1000.jpg", "3:2/900.jpg"} <= set(image.renditions)
    assert all(image.file.storage.exists(name) for name in image.renditions.values())
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<picture>" in page and image.file.storage.url(image.renditions["640.webp"]) in page


def test_a_new_crop_is_made_in_the_background_and_the_page_follows(
    client, editor, dummy_tasks, django_capture_on_commit_callbacks
):
    image = make_image(alt_text="Quay", data=image_bytes(size=(1600, 900), color="teal"))
    renditions.generate_renditions(image)  # made before the queue was in use
    before = dict(Image.objects.get(pk=image.pk).renditions)
    article = make_article(title="Quay works", lead_image=image, publish_at=timezone.now())
    card = f"{renditions.CARD_RATIO}/640.jpg"
    url = image.file.storage.url
    assert url(before[card]) in client.get("/").content.decode()  # the home page's card (a stored fragment)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_image_change", args=[image.pk]), image_form(image, focal_x="0.9", focal_y="0.5")
        )
    assert response.status_code == 302
    assert Image.objects.get(pk=image.pk).renditions == before  # the save did not wait for Pillow

    with django_capture_on_commit_callbacks(execute=True):
        run_due(dummy_tasks)
    image.refresh_from_db()
    assert image.renditions[card] != before[card]  # a new crop has new names
    assert not image.file.storage.exists(before[card])
    client.logout()
    home = client.get("/").content.decode()  # the stored card was forgotten when the new crop was recorded
    assert url(image.renditions[card]) in home and url(before[card]) not in home
    assert article.title in home


def test_a_job_for_a_picture_deleted_or_given_another_file_since_does_nothing():
    image = make_image()
    assert renditions.make_renditions.call(image.pk, "images/another.jpg") == 0
    assert renditions.make_renditions.call(image.pk + 1000, image.file.name) == 0


def test_without_a_job_queue_renditions_are_made_with_the_upload(client, editor):
    assert post_picture(client, editor, size=(1000, 600)).status_code == 302  # tests run jobs at once
    assert "640.jpg" in Image.objects.get().renditions
