"""The image library in the admin: many uploads with alt text, duplicates reused, focal points,
crops inside the frame, and no deleting a picture an article uses."""

import io
import os
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PILImage

from articles.images.staging import staging_storage
from articles.models import Image
from tests.factories import image_bytes, make_article, make_image, make_user

pytestmark = pytest.mark.django_db

UPLOAD_MANY = "admin:articles_image_upload_many"
DESCRIBE = "admin:articles_image_describe"


def photo_with_metadata(color="red", artist="Ann Lee", notice="Copyright Harbour Agency") -> bytes:
    picture = PILImage.new("RGB", (80, 60), color)
    exif = picture.getexif()
    exif[0x013B], exif[0x8298] = artist, notice  # EXIF Artist and Copyright
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def describe_data(response, alt_texts):
    formset = response.context["formset"]
    data = {f"form-{key}": value for key, value in formset.management_form.initial.items()}
    for index, (form, alt) in enumerate(zip(formset.forms, alt_texts, strict=True)):
        data[f"form-{index}-key"] = form.initial["key"]
        data[f"form-{index}-alt_text"] = alt
        data[f"form-{index}-credit"] = form.initial.get("credit", "")
        data[f"form-{index}-copyright"] = form.initial.get("copyright", "")
    return data


def test_upload_many_needs_alt_text_for_each_and_reuses_duplicates(client, editor):
    known = make_image(alt_text="Already here", data=image_bytes(color="navy"))
    client.force_login(editor)
    files = [
        upload("harbour.jpg", photo_with_metadata("red")),
        upload("ferry.png", image_bytes(fmt="PNG", color="green"), "image/png"),
        upload("again.jpg", image_bytes(color="navy")),  # the same picture as `known`
        upload("notes.txt", b"not a picture", "text/plain"),
    ]
    response = client.post(reverse(UPLOAD_MANY), {"files": files}, follow=True)

    notes = [str(message) for message in response.context["messages"]]
    assert any("again.jpg is already in the library" in note for note in notes)
    assert any("notes.txt was not added" in note for note in notes)
    assert Image.objects.count() == 1  # nothing new stored before it is described
    formset = response.context["formset"]
    assert [(f.initial["credit"], f.initial["copyright"]) for f in formset.forms] == [
        ("Ann Lee", "Copyright Harbour Agency"),  # suggested from the photo's metadata
        ("", ""),
    ]

    refused = client.post(reverse(DESCRIBE), describe_data(response, ["Boats at the quay", "   "]))
    assert refused.status_code == 200
    assert "Every picture needs alt text." in refused.content.decode()
    assert Image.objects.count() == 1

    done = client.post(reverse(DESCRIBE), describe_data(response, ["Boats at the quay", "The ferry"]), follow=True)
    assert "Added 2 picture(s)" in done.content.decode()
    new = Image.objects.exclude(pk=known.pk).order_by("alt_text")
    assert [(i.alt_text, i.credit, i.uploaded_by) for i in new] == [
        ("Boats at the quay", "Ann Lee", editor),
        ("The ferry", "", editor),
    ]
    assert all(default_storage.exists(image.file.name) for image in new)
    assert staged_files() == []  # parked files are gone


def test_cancelling_stores_nothing_and_cleans_up(client, editor):
    client.force_login(editor)
    client.post(reverse(UPLOAD_MANY), {"files": [upload("a.jpg", image_bytes(color="olive"))]})
    client.post(reverse(DESCRIBE), {"_cancel": "1"})
    assert not Image.objects.exists()
    assert staged_files() == []


def staged_files():
    return staging_storage().listdir("")[1]


def test_parked_pictures_are_private_and_shown_only_to_the_person_describing_them(
    client, editor, settings, django_user_model
):
    client.force_login(editor)
    response = client.post(reverse(UPLOAD_MANY), {"files": [upload("a.jpg", image_bytes(color="olive"))]}, follow=True)
    [item] = response.context["rows"]
    name = staged_files()[0]
    assert not (settings.MEDIA_ROOT / name).exists() and not default_storage.exists(f"staging/{name}")
    preview = reverse("admin:articles_image_staged", args=[item[0].key])
    assert preview in response.content.decode()  # the describe page shows it through the admin

    shown = client.get(preview)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert {"private", "no-store"} <= {part.strip() for part in shown["Cache-Control"].split(",")}
    assert b"".join(shown.streaming_content)[:2] == b"\xff\xd8"

    other = make_user(django_user_model, "other-editor", "Editors")
    client.force_login(other)
    assert client.get(preview).status_code == 404  # not in their session
    client.logout()
    assert client.get(preview).status_code == 302  # to the login page
    assert client.get(f"{settings.MEDIA_URL}staging/{name}").status_code == 404


def test_a_batch_left_undescribed_for_a_day_is_cleared_and_the_page_says_start_again(client, editor):
    client.force_login(editor)
    client.post(reverse(UPLOAD_MANY), {"files": [upload("a.jpg", image_bytes(color="olive"))]})
    [name] = staged_files()
    call_command("prune_media", "--delete", stdout=io.StringIO())
    assert staged_files() == [name]  # young: someone may be describing it

    then = time.time() - 25 * 3600
    os.utime(staging_storage().path(name), (then, then))
    listed = io.StringIO()
    call_command("prune_media", "--delete", stdout=listed)
    assert f"removed staging/{name}" in listed.getvalue()
    assert staged_files() == []
    response = client.get(reverse(DESCRIBE))
    assert response.status_code == 302 and response["Location"] == reverse(UPLOAD_MANY)


def test_uploading_a_known_picture_on_the_add_form_reuses_it(client, editor):
    known = make_image(alt_text="Already here", data=image_bytes(color="navy"))
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_image_add"),
        {"file": upload("copy.jpg", image_bytes(color="navy")), "alt_text": "A copy", "source_url": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("admin:articles_image_change", args=[known.pk])
    assert "already in the library" in response.content.decode()
    assert list(Image.objects.all()) == [known]


def image_form(image, **overrides):
    data = {
        "alt_text": image.alt_text,
        "credit": image.credit,
        "copyright": image.copyright,
        "source_url": "",
        "focal_x": "",
        "focal_y": "",
        "crop_card": "",
        "crop_social": "",
    }
    data.update(overrides)
    return data


def test_focal_point_and_crops_are_saved_as_fractions(client, editor):
    image = make_image(alt_text="Quay", data=image_bytes(size=(1600, 900), color="teal"))
    client.force_login(editor)
    page = client.get(reverse("admin:articles_image_change", args=[image.pk])).content.decode()
    assert 'class="newsroom-focal__picture"' in page and "articles/focal_point.js" in page
    response = client.post(
        reverse("admin:articles_image_change", args=[image.pk]),
        image_form(
            image, focal_x="0.25", focal_y="0.75", crop_card="100, 0, 1350, 900", crop_social="0, 30, 1600, 838"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (0.25, 0.75)
    assert image.crops == {"3:2": [0.0625, 0.0, 0.84375, 1.0], "1.91:1": [0.0, 0.033333, 1.0, 0.931111]}
    # The form shows them back in pixels.
    page = client.get(reverse("admin:articles_image_change", args=[image.pk])).content.decode()
    assert 'value="100, 0, 1350, 900"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("crop_card", "800, 0, 1350, 900", "must lie within the picture"),
        ("crop_card", "0, 0, 900, 900", "not 3:2"),
        ("crop_social", "0, 0, 800, 800", "not 1.91:1"),
        ("crop_card", "a, b", "Give four numbers"),
        ("crop_card", "nan, nan, nan, nan", "Give four numbers"),  # NaN passes every comparison
        ("crop_card", "0, 0, inf, inf", "Give four numbers"),
        ("focal_x", "1.5", "focal point must lie on the picture"),
    ],
)
def test_crops_and_focal_points_outside_the_frame_are_refused(client, editor, field, value, message):
    image = make_image(alt_text="Quay", data=image_bytes(size=(1600, 900), color="teal"))
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_image_change", args=[image.pk]), image_form(image, **{field: value, "focal_y": "0.5"})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    image.refresh_from_db()
    assert (image.crops, image.focal_x) == ({}, None)


def test_a_picture_in_use_cannot_be_deleted_one_at_a_time(client, editor):
    photo = make_image(alt_text="Boats")
    article = make_article(title="Harbour reopens", lead_image=photo)
    client.force_login(editor)
    url = reverse("admin:articles_image_delete", args=[photo.pk])
    for response in (client.get(url, follow=True), client.post(url, {"post": "yes"}, follow=True)):
        html = response.content.decode()
        assert response.redirect_chain[-1][0] == reverse("admin:articles_image_change", args=[photo.pk])
        assert "Not deleted: “Boats” is used in" in html
        assert reverse("admin:articles_article_change", args=[article.pk]) in html
    assert Image.objects.filter(pk=photo.pk).exists()


def test_bulk_delete_refuses_while_any_picture_is_in_use_and_deletes_unused_ones(client, editor):
    used = make_image(alt_text="Used inline", color="red")
    unused = make_image(alt_text="Unused", color="blue")
    make_article(title="Inline", body=f'<figure class="image"><img src="{used.url}" alt="x"></figure>')
    client.force_login(editor)
    changelist = reverse("admin:articles_image_changelist")

    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [used.pk, unused.pk]}, follow=True
    )
    assert "Not deleted: “Used inline” is used in" in response.content.decode()
    assert Image.objects.count() == 2

    confirm = client.post(changelist, {"action": "delete_selected", "_selected_action": [unused.pk]})
    assert confirm.status_code == 200  # Django's confirmation page
    client.post(changelist, {"action": "delete_selected", "_selected_action": [unused.pk], "post": "yes"})
    assert list(Image.objects.all()) == [used]


def test_writers_cannot_reach_the_library_upload_without_add_permission(client, django_user_model):
    reader = django_user_model.objects.create_user(username="viewer", is_staff=True)
    client.force_login(reader)
    assert client.get(reverse(UPLOAD_MANY)).status_code == 403
