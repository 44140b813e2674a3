"""Alt text required on every way a picture is added, the original file name kept, the library's
filters and grid, and the picture chooser that lead images and author photos use (#17)."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.admin.image_library import ImageChooserWidget
from articles.models import Author, Image
from articles.models.images import cut_at_word
from tests.factories import image_bytes, make_article, make_image, make_user

pytestmark = pytest.mark.django_db

ADD = "admin:articles_image_add"
CHANGELIST = "admin:articles_image_changelist"
SUMMARY = "admin:articles_image_summary"
UPLOAD = "admin:articles_image_upload"


def add_form(client, *, name="harbour at dawn.jpg", query="", **fields):
    data = {"alt_text": "", "credit": "", "copyright": "", "source_url": "", **fields}
    data["file"] = SimpleUploadedFile(name, image_bytes(color="teal"), content_type="image/jpeg")
    return client.post(reverse(ADD) + query, data)


def listed(client, query=""):
    response = client.get(reverse(CHANGELIST) + query)
    assert response.status_code == 200, query
    return {image.pk for image in response.context["cl"].result_list}


# --- Alt text: described, or decorative on purpose ----------------------------------------------------


@pytest.mark.parametrize("query", ["", "?_popup=1&_to_field=id"])  # the library's add page, and the "+" popup
def test_adding_a_picture_needs_alt_text_or_the_decorative_choice(client, editor, query):
    client.force_login(editor)
    popup = {"_popup": "1", "_to_field": "id"} if query else {}
    refused = add_form(client, query=query, alt_text="   ", **popup)
    assert refused.status_code == 200
    assert "Every picture needs alt text" in refused.context["adminform"].form.errors["alt_text"][0]
    assert Image.objects.count() == 0

    both = add_form(client, query=query, alt_text="A line", decorative="on", **popup)
    assert "A decorative picture has no alt text" in both.context["adminform"].form.errors["alt_text"][0]
    assert Image.objects.count() == 0

    stored = add_form(client, query=query, decorative="on", **popup)
    assert stored.status_code == (200 if query else 302)
    image = Image.objects.get()
    assert (image.alt_text, image.decorative, image.original_name) == ("", True, "harbour at dawn.jpg")
    assert "harbour" not in image.file.name  # the stored name stays generated
    if query:  # the popup hands the new picture back to the form that opened it
        assert (
            b"popup-response" in stored.content
            and f"&quot;value&quot;: &quot;{image.pk}&quot;".encode() in stored.content
        )


def test_described_alt_text_is_stored_with_spaces_tidied(client, editor):
    client.force_login(editor)
    response = add_form(client, alt_text="  Boats   at the quay ")
    assert response.status_code == 302
    assert Image.objects.get().alt_text == "Boats at the quay"


def test_a_decorative_picture_cannot_hold_alt_text_in_the_database():
    image = make_image(decorative=True)
    image.alt_text = "Sneaked in"
    with pytest.raises(IntegrityError), transaction.atomic():
        image.save()


def test_the_editors_upload_without_alt_text_stores_nothing_and_says_where_to_go(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("pasted.png", image_bytes(fmt="PNG"), content_type="image/png")
    answer = client.post(reverse(UPLOAD), {"upload": upload}).json()  # what CKEditor 4 sends
    assert answer["uploaded"] == 0
    assert "needs alt text" in answer["error"]["message"] and "Browse Server" in answer["error"]["message"]
    assert Image.objects.count() == 0

    upload = SimpleUploadedFile("C:\\Photos\\pasted.png", image_bytes(fmt="PNG"), content_type="image/png")
    answer = client.post(reverse(UPLOAD), {"upload": upload, "alt_text": "A ferry"}).json()
    image = Image.objects.get()
    assert answer == {"uploaded": 1, "fileName": image.name, "url": image.url}
    assert (image.alt_text, image.original_name, image.uploaded_by) == ("A ferry", "pasted.png", editor)


def test_upload_many_takes_decorative_pictures_and_keeps_file_names(client, editor):
    client.force_login(editor)
    files = [
        SimpleUploadedFile("rule.png", image_bytes(fmt="PNG", color="silver"), content_type="image/png"),
        SimpleUploadedFile("ferry.jpg", image_bytes(color="navy"), content_type="image/jpeg"),
    ]
    response = client.post(reverse("admin:articles_image_upload_many"), {"files": files}, follow=True)
    formset = response.context["formset"]
    data = {f"form-{key}": value for key, value in formset.management_form.initial.items()}
    for index, form in enumerate(formset.forms):
        data[f"form-{index}-key"] = form.initial["key"]
    data.update({"form-0-decorative": "on", "form-1-alt_text": "The ferry leaving"})
    client.post(reverse("admin:articles_image_describe"), data)
    stored = {image.original_name: (image.alt_text, image.decorative) for image in Image.objects.all()}
    assert stored == {"rule.png": ("", True), "ferry.jpg": ("The ferry leaving", False)}


# --- Labels: alt text cut at a word, else the file's name ----------------------------------------------


def test_a_picture_is_called_by_its_alt_text_cut_at_a_word_else_its_file_name():
    long = "Fishing boats tied up at the quay at dawn, their nets drying on the harbour wall in the first light"
    label = cut_at_word(long, 80)
    assert len(label) <= 80 and label.endswith("…")
    assert long.startswith(label[:-1]) and long[len(label) - 1] == " "
    assert cut_at_word("Short", 80) == "Short"
    credited = make_image(alt_text="", credit="Ann Lee", original_name="IMG_2041.jpg")
    assert str(credited) == "IMG_2041.jpg"  # never the photographer's name
    assert str(make_image(alt_text=long, data=image_bytes(color="red"))) == label


# --- The library: filters, search, grid --------------------------------------------------------------


def test_the_library_filters_unused_missing_alt_text_mine_and_by_date(client, editor, writer):
    mine_unused = make_image(alt_text="Mine", uploaded_by=editor, data=image_bytes(color="red"))
    theirs_used = make_image(alt_text="", uploaded_by=writer, data=image_bytes(color="blue"))
    decorative = make_image(decorative=True, uploaded_by=writer, data=image_bytes(color="green"))
    make_article(lead_image=theirs_used)
    Image.objects.filter(pk=decorative.pk).update(created_at=timezone.now() - timedelta(days=400))
    client.force_login(editor)

    assert listed(client, "?use=unused") == {mine_unused.pk, decorative.pk}
    assert listed(client, "?use=used") == {theirs_used.pk}
    assert listed(client, "?alt=missing") == {theirs_used.pk}
    assert listed(client, "?alt=decorative") == {decorative.pk}
    assert listed(client, "?uploader=me") == {mine_unused.pk}
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    past_week = urlencode({"created_at__gte": str(midnight - timedelta(days=7))})  # the filter's "Past 7 days"
    assert listed(client, f"?{past_week}") == {mine_unused.pk, theirs_used.pk}


def test_the_library_searches_file_names_and_captions(client, editor):
    quay = make_image(alt_text="Boats", original_name="IMG_2041.jpg", data=image_bytes(color="red"))
    hall = make_image(alt_text="Hall", data=image_bytes(color="blue"))
    make_article(lead_image=quay, lead_caption="Home for the winter")
    make_article(
        title="Two", body=f'<figure class="image"><img src="{hall.url}"><figcaption>Council meets</figcaption></figure>'
    )
    client.force_login(editor)
    assert listed(client, "?q=IMG_2041") == {quay.pk}
    assert listed(client, "?q=winter") == {quay.pk}
    assert listed(client, "?q=council") == {hall.pk}


def test_the_grid_shows_thumbnails_and_the_table_stays(client, editor):
    image = make_image(alt_text="", original_name="DSC_1.JPG")
    client.force_login(editor)
    grid = client.get(reverse(CHANGELIST) + "?view=grid").content.decode()
    assert 'class="newsroom-grid"' in grid and "DSC_1.JPG" in grid and "No alt text" in grid
    assert f'href="{reverse("admin:articles_image_change", args=[image.pk])}"' in grid
    table = client.get(reverse(CHANGELIST)).content.decode()
    assert 'id="result_list"' in table and 'class="newsroom-grid"' not in table


def test_the_chooser_is_the_library_as_a_popup_grid(client, editor):
    image = make_image(alt_text="Boats")
    client.force_login(editor)
    page = client.get(reverse(CHANGELIST) + "?_popup=1&_to_field=id").content.decode()
    assert "Choose a picture" in page and f'data-popup-opener="{image.pk}"' in page
    assert "Upload a picture" in page and "_popup=1" in page
    # As the editor's file browser (CKEditor adds its own parameters): picking hands back the address.
    page = client.get(reverse(CHANGELIST) + "?_popup=1&view=grid&CKEditor=id_body&CKEditorFuncNum=3&langCode=en")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-ckeditor-function="3"' in html and f'data-ckeditor-url="{image.url}"' in html
    assert "data-popup-opener" not in html


def test_uploading_inside_the_editors_chooser_returns_to_it(client, editor):
    client.force_login(editor)
    filters = "_popup%3D1%26view%3Dgrid%26CKEditorFuncNum%3D3"
    response = add_form(client, query=f"?_popup=1&_changelist_filters={filters}", alt_text="A ferry", _popup="1")
    assert response.status_code == 302
    assert response["Location"] == reverse(CHANGELIST) + "?_popup=1&view=grid&CKEditorFuncNum=3"


# --- The chooser on forms -------------------------------------------------------------------------------


def test_the_article_and_author_forms_use_the_chooser(client, editor):
    photo = make_image(alt_text="Ann Lee at her desk")
    author = Author.objects.create(name="Ann Lee", slug="ann-lee", photo=photo)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_author_change", args=[author.pk])).content.decode()
    assert 'class="newsroom-chooser"' in page and "Ann Lee at her desk" in page and "articles/image_chooser.js" in page
    page = client.get(reverse("admin:articles_article_add")).content.decode()
    assert (
        'name="lead_image"' in page
        and "No picture chosen" in page
        and "select2" not in page.split("id_lead_image")[1][:200]
    )


def test_the_chooser_shows_nothing_for_values_no_picture_can_have():
    image = make_image(alt_text="Boats")
    assert ImageChooserWidget.chosen_image(str(image.pk)) == image
    assert ImageChooserWidget.chosen_image("99999999999999999999") is None  # too big for the column
    assert ImageChooserWidget.chosen_image("abc") is None
    assert ImageChooserWidget.chosen_image(str(image.pk + 1)) is None


def test_the_summary_says_what_was_picked_to_staff_only(client, editor, django_user_model):
    image = make_image(alt_text="Boats at the quay")
    client.force_login(editor)
    summary = client.get(reverse(SUMMARY), {"pk": image.pk}).json()
    assert summary["label"] == "Boats at the quay"
    assert summary["change_url"] == reverse("admin:articles_image_change", args=[image.pk])
    assert summary["thumbnail"].endswith(".webp")  # a small rendition, not the full picture
    assert client.get(reverse(SUMMARY), {"pk": "nope"}).status_code == 404
    assert client.get(reverse(SUMMARY), {"pk": "99999999999999999999"}).status_code == 404

    nobody = make_user(django_user_model, "staff-no-groups")
    client.force_login(nobody)
    assert client.get(reverse(SUMMARY), {"pk": image.pk}).status_code == 403
    client.logout()
    assert client.get(reverse(SUMMARY), {"pk": image.pk}).status_code == 302  # to the login page


def test_the_grid_and_the_editors_chooser_escape_what_people_typed(client, editor):
    make_image(alt_text='"><script>alert(1)</script>', original_name='x"><img src=x onerror=alert(2)>.jpg')
    client.force_login(editor)
    for query in ["?view=grid", "?_popup=1&CKEditorFuncNum=1"]:
        html = client.get(reverse(CHANGELIST) + query).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html
    html = client.get(reverse(CHANGELIST) + '?_popup=1&CKEditorFuncNum=1");alert(3);//').content.decode()
    assert '");alert(3)' not in html and "data-ckeditor-function" not in html  # only a number is written out


def test_the_grid_costs_the_same_queries_for_few_or_many_pictures(client, editor):
    client.force_login(editor)
    counts = []
    for color in ["red", "green", "blue", "navy", "olive", "teal"]:
        make_article(title=color, lead_image=make_image(alt_text=color, data=image_bytes(color=color)))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(CHANGELIST) + "?view=grid").status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts
