from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from articles.images.html import figure_html, render_body
from articles.models import Article, ArticleFigure, Image
from tests.factories import image_bytes, make_article, make_image

pytestmark = pytest.mark.django_db


def test_slug_from_title_keeps_non_latin_letters():
    article = make_article(title="Путин говорит о выборах")
    assert article.slug == "путин-говорит-о-выборах"


def test_same_title_gets_a_new_slug_not_an_overwrite():
    first = make_article(title="Harbour reopens")
    second = make_article(title="Harbour reopens")
    assert (first.slug, second.slug) == ("harbour-reopens", "harbour-reopens-2")
    assert Article.objects.count() == 2


def test_title_without_letters_still_gets_a_slug():
    assert make_article(title="!!!").slug == "untitled"


def test_explicit_duplicate_slug_is_refused_by_the_database():
    make_article(title="One", slug="same")
    with pytest.raises(IntegrityError):
        make_article(title="Two", slug="same")


def test_published_respects_status_and_publish_time():
    now = timezone.now()
    live = make_article(title="Live", publish_at=now - timedelta(minutes=1))
    scheduled = make_article(title="Later", publish_at=now + timedelta(hours=1))
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    assert list(Article.objects.published()) == [live]
    assert list(Article.objects.scheduled()) == [scheduled]
    assert (live.state_label, scheduled.state_label, draft.state_label) == ("Live", "Scheduled", "Draft")


def test_publishing_without_a_time_means_now():
    article = make_article(title="Now")
    assert article.publish_at is not None
    assert article.publish_at <= timezone.now()


def test_database_refuses_unknown_status():
    article = make_article(title="x")
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(status="bogus")


def test_database_refuses_image_without_file_or_url():
    with pytest.raises(IntegrityError):
        Image.objects.create(alt_text="nothing")


def test_save_sanitises_the_body():
    article = make_article(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"


def test_version_goes_up_on_every_save():
    article = make_article()
    article.save()
    article.save()
    assert article.version == 3


def test_body_figures_become_rows_with_their_captions():
    photo = make_image(alt_text="Boats in the harbour", credit="Ann Lee")
    body = (
        "<p>Intro.</p>"
        f'<figure class="image"><img src="{photo.url}" alt="Boats"><figcaption>The harbour at dawn</figcaption></figure>'
        '<p>More <img src="https://example.org/remote.jpg" alt="Remote"> text.</p>'
    )
    article = make_article(body=body)
    figures = list(article.figures.select_related("image"))
    assert [(f.position, f.image, f.caption) for f in figures] == [
        (0, photo, "The harbour at dawn"),
        (1, Image.objects.get(source_url="https://example.org/remote.jpg"), ""),
    ]
    assert figures[1].image.alt_text == "Remote"


def test_editing_the_body_updates_the_rows_and_keeps_them_in_step():
    photo = make_image()
    article = make_article(body=f'<figure><img src="{photo.url}"><figcaption>Old</figcaption></figure>')
    article.body = f'<figure><img src="{photo.url}"><figcaption>New caption</figcaption></figure><p>x</p>'
    article.save()
    assert list(article.figures.values_list("caption", flat=True)) == ["New caption"]
    article.body = "<p>No pictures now.</p>"
    article.save()
    assert not ArticleFigure.objects.filter(article=article).exists()


def test_rendered_body_draws_figures_from_rows_with_credit():
    photo = make_image(alt_text="Boats", credit="Ann Lee")
    article = make_article(body=f'<figure><img src="{photo.url}" alt="x"><figcaption>At dawn</figcaption></figure>')
    photo.credit = "Ann Lee / Agency"
    photo.save()
    html = render_body(Article.objects.for_detail().get(pk=article.pk))
    assert '<span class="caption">At dawn</span>' in html
    assert '<span class="credit">Ann Lee / Agency</span>' in html
    assert f'width="{photo.width}" height="{photo.height}"' in html
    assert 'alt="Boats"' in html


def test_same_picture_uploaded_twice_is_stored_once():
    data = image_bytes(color="orange")
    first = make_image(data=data)
    second = make_image(data=data)
    assert first.pk == second.pk
    assert Image.objects.count() == 1


def test_image_in_use_cannot_be_deleted():
    from django.db.models import ProtectedError

    photo = make_image()
    make_article(lead_image=photo)
    with pytest.raises(ProtectedError):
        photo.delete()


def test_a_picture_in_a_stray_list_item_is_drawn_once():
    article = make_article(body='<li>Item <img src="https://example.org/a.jpg" alt="A"></li><li>Two</li>')
    html = render_body(Article.objects.for_detail().get(pk=article.pk))
    assert html.count("<img") == 1
    # The list item may hold a figure, so the picture stays in it.
    assert '<ul><li>Item <figure class="image"><img src="https://example.org/a.jpg" alt="A"></figure></li>' in (
        article.body
    )
    assert article.figures.count() == 1


def test_a_linked_picture_in_a_list_item_is_drawn_there_with_its_link():
    first = make_image(alt_text="Menu", color="red")
    second = make_image(alt_text="Dialog", color="blue")
    article = make_article(
        body=(
            f'<ol><li><p>Open the menu.</p><a href="https://example.org/full.png"><img src="{first.url}"></a></li>'
            f'<li><p>Click <img src="{second.url}"> Save.</p></li></ol>'
        )
    )
    figures = list(article.figures.order_by("position"))
    assert [(f.position, f.image, f.link) for f in figures] == [
        (0, first, "https://example.org/full.png"),
        (1, second, ""),
    ]
    html = render_body(Article.objects.for_detail().get(pk=article.pk))
    assert html.startswith('<ol><li><p>Open the menu.</p><figure class="figure figure--inline">')
    assert html.count("<li>") == 2 and html.count("<picture>") == 2
    first_item, second_item = html.split("<li>")[1:]
    assert '<a href="https://example.org/full.png" rel="noopener noreferrer"><picture>' in first_item
    assert f'src="{first.url}"' in first_item and "</picture></a></figure></li>" in first_item
    assert f'src="{second.url}"' in second_item and "<a " not in second_item
    assert second_item.startswith('<p>Click  Save.</p><figure class="figure figure--inline"><picture>')


def test_a_changed_link_alone_rewrites_the_rows():
    photo = make_image()
    article = make_article(body=f'<p><a href="/one"><img src="{photo.url}"></a></p>')
    assert list(article.figures.values_list("link", flat=True)) == ["/one"]
    article.body = article.body.replace('href="/one"', 'href="/two"')
    article.save()
    assert list(article.figures.values_list("link", flat=True)) == ["/two"]


def test_figure_html_draws_no_link_with_a_refused_scheme():
    photo = make_image()
    assert "<a " not in figure_html(photo, link="javascript:alert(1)")
    assert '<a href="/full" rel="noopener noreferrer"><picture>' in figure_html(photo, link="/full")
