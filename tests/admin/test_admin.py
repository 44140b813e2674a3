import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Image
from tests.factories import ARTICLE_INLINES_EMPTY, image_bytes, make_article, make_image, make_keyword, make_section

pytestmark = pytest.mark.django_db


def article_form(**overrides):
    data = {
        "title": "Harbour reopens",
        "slug": "",
        "standfirst": "The harbour is open again.",
        "byline": "Jo Reporter",
        "body": "<p>Boats are back.</p>",
        "lead_image": "",
        "lead_caption": "",
        "status": "draft",
        "publish_at_0": "",
        "publish_at_1": "",
        "section": "",
        **ARTICLE_INLINES_EMPTY,
        "_save": "Save",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "url_name",
    ["admin:articles_article_changelist", "admin:articles_article_add", "admin:articles_image_changelist"],
)
def test_admin_pages_load_for_an_editor(client, editor, url_name):
    make_article(title="Listed", lead_image=make_image(), section=make_section())
    client.force_login(editor)
    response = client.get(reverse(url_name), {"q": "Listed"} if "changelist" in url_name else {})
    assert response.status_code == 200


def test_article_changelist_shows_state_and_thumbnail(client, editor):
    make_article(title="Scheduled one", publish_at=timezone.now() + timezone.timedelta(days=1), lead_image=make_image())
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "newsroom-state--scheduled" in html
    assert 'class="newsroom-thumb"' in html


def test_editor_creates_article_with_uploaded_lead_image_and_reader_sees_it(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("harbour.jpg", image_bytes(size=(120, 80)), content_type="image/jpeg")
    response = client.post(
        reverse("admin:articles_image_add"),
        {"file": upload, "alt_text": "Fishing boats tied up at the quay", "credit": "Ann Lee", "source_url": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert (image.width, image.height, image.uploaded_by) == (120, 80, editor)

    section, keyword = make_section("News"), make_keyword("Harbour")
    response = client.post(
        reverse("admin:articles_article_add"),
        article_form(
            lead_image=str(image.pk),
            lead_caption="The first boats came back on Monday",
            status="published",
            section=str(section.pk),
            keywords=[str(keyword.pk)],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert (article.slug, article.status, article.created_by) == ("harbour-reopens", "published", editor)

    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Harbour reopens" in page
    assert '<span class="caption">The first boats came back on Monday</span>' in page
    assert '<span class="credit">Ann Lee</span>' in page
    assert 'alt="Fishing boats tied up at the quay"' in page


def test_writer_cannot_publish_through_the_form(client, writer):
    client.force_login(writer)
    response = client.post(reverse("admin:articles_article_add"), article_form(status="published"))
    assert response.status_code == 302
    assert Article.objects.get().status == Article.Status.DRAFT


def test_writer_editing_keeps_the_status_an_editor_set(client, writer):
    article = make_article(title="Live story")
    client.force_login(writer)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_form(title="Live story, updated", status="draft", slug=article.slug, loaded_version=article.version)
    response = client.post(url, data)
    assert response.status_code == 302
    article.refresh_from_db()
    # The edit waits for an editor (tests/editorial/test_pending_changes.py); nothing a reader sees moved.
    assert (article.title, article.status) == ("Live story", "published")
    assert article.pending_change.fields["title"] == "Live story, updated"


def test_writer_cannot_use_publish_actions(client, writer):
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    client.force_login(writer)
    changelist = reverse("admin:articles_article_changelist")
    # Writers may neither publish nor delete: they are offered submitting for review, and the bulk
    # change of section and keywords (which refuses them live articles: tests/admin/test_bulk_change.py).
    choices = [name for name, _label in client.get(changelist).context["action_form"].fields["action"].choices]
    assert choices == ["", "submit_for_review", "change_section_and_keywords"]
    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_editor_publishes_and_unpublishes_with_actions(client, editor):
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    client.force_login(editor)
    changelist = reverse("admin:articles_article_changelist")
    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_live
    client.post(changelist, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_staff_preview_shows_a_draft_that_readers_cannot_see(client, writer):
    draft = make_article(title="Secret draft", status=Article.Status.DRAFT, created_by=writer)
    preview = reverse("admin:articles_article_preview", args=[draft.pk])
    assert client.get(preview).status_code == 302  # to the login page
    client.force_login(writer)
    response = client.get(preview)
    assert response.status_code == 200
    assert "Secret draft" in response.content.decode()
    assert "Preview: readers cannot see this article yet." in response.content.decode()


def test_non_staff_user_is_kept_out_of_the_admin(client, django_user_model):
    reader = django_user_model.objects.create_user(username="reader", password="x")
    client.force_login(reader)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 302


def test_image_admin_lists_where_an_image_is_used(client, editor):
    photo = make_image()
    article = make_article(title="Uses the photo", lead_image=photo)
    client.force_login(editor)
    html = client.get(reverse("admin:articles_image_change", args=[photo.pk])).content.decode()
    assert reverse("admin:articles_article_change", args=[article.pk]) in html


def test_groups_have_the_expected_publish_rights(writer, editor):
    assert not writer.has_perm("articles.publish_article")
    assert writer.has_perm("articles.add_article")
    assert editor.has_perm("articles.publish_article")
