"""The sample content `make run` loads: complete, well-formed and safe to load again.

Expected numbers come from articles.json itself, so editing the stories does
not mean editing these tests.
"""

import html
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles import sample_content
from articles.models import Article, ArticleFigure, Image, Keyword, Section

pytestmark = pytest.mark.django_db

DATA = sample_content.read_data()
ENTRIES = {entry["slug"]: entry for entry in DATA["articles"]}
FIGCAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)


def captions_in(entry) -> list[str]:
    return [" ".join(html.unescape(c).split()) for c in FIGCAPTION.findall("\n".join(entry["body"]))]


@pytest.fixture
def loaded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return sample_content.load()


def test_load_creates_every_article_section_and_image(loaded):
    assert loaded["articles_created"] == len(DATA["articles"])
    assert loaded["images_created"] == len(DATA["images"])
    assert set(Article.objects.values_list("slug", flat=True)) == set(ENTRIES)
    assert set(Section.objects.values_list("slug", flat=True)) == {s["slug"] for s in DATA["sections"]}
    # Inline figures point at the stored pictures, not at new remote-address rows.
    assert Image.objects.count() == len(DATA["images"])
    assert loaded["authors_created"] == len(DATA["authors"])
    for article in Article.objects.select_related("section").with_authors():
        entry = ENTRIES[article.slug]
        assert [author.slug for author in article.author_list] == entry["authors"]
        assert (article.title, article.byline, article.section.slug) == (
            entry["title"],
            entry["byline"],
            entry["section"],
        )
        assert set(article.keywords.values_list("name", flat=True)) == set(entry["keywords"])


def test_every_article_has_a_stored_lead_image_with_size_caption_and_credit(loaded):
    for article in Article.objects.select_related("lead_image"):
        image = article.lead_image
        assert image is not None, article.slug
        assert image.file.storage.exists(image.file.name)
        assert image.width > 0
        assert image.height > 0
        assert all((image.alt_text, image.credit, image.copyright))
        assert article.lead_caption == ENTRIES[article.slug]["lead_caption"] != ""


def test_inline_figures_become_rows_with_the_captions_from_the_data(loaded):
    assert sum(len(captions_in(e)) for e in DATA["articles"]) > 0
    for article in Article.objects.all():
        rows = list(article.figures.select_related("image").order_by("position"))
        assert [row.caption for row in rows] == captions_in(ENTRIES[article.slug])
        assert all(row.image.file for row in rows)
        # The placeholders were all replaced; the stored body points at our media.
        assert not sample_content.PLACEHOLDER.search(article.body)
        for row in rows:
            assert f'src="{row.image.url}"' in article.body


def test_captions_say_something_other_than_the_alt_text():
    alts = {name: meta["alt_text"] for name, meta in DATA["images"].items()}
    for entry in DATA["articles"]:
        assert entry["lead_caption"] != alts[entry["lead_image"]]
        assert not set(captions_in(entry)) & set(alts.values())


@pytest.mark.parametrize("slug", list(ENTRIES))
def test_each_story_reads_like_an_article(slug):
    """Enough body to show off the templates: paragraphs, a subheading, a quote and a figure or two."""
    body = "\n".join(ENTRIES[slug]["body"])
    assert 5 <= body.count("<p>") <= 9
    assert "<h2>" in body
    assert "<blockquote>" in body
    assert 1 <= body.count('<figure class="image">') <= 2
    assert 2 <= len(ENTRIES[slug]["keywords"]) <= 4


def test_one_article_is_scheduled_and_one_is_a_draft(loaded):
    scheduled = [s for s, e in ENTRIES.items() if e["status"] == "published" and e["published_hours_ago"] < 0]
    drafts = [s for s, e in ENTRIES.items() if e["status"] == "draft"]
    live = set(ENTRIES) - set(scheduled) - set(drafts)
    assert (len(scheduled), len(drafts)) == (1, 1)
    assert list(Article.objects.scheduled().values_list("slug", flat=True)) == scheduled
    assert list(Article.objects.filter(status=Article.Status.DRAFT).values_list("slug", flat=True)) == drafts
    assert set(Article.objects.published().values_list("slug", flat=True)) == live


def test_loading_again_changes_nothing(loaded):
    before = {
        "articles": list(Article.objects.order_by("pk").values_list("pk", "version", "updated_at", "body")),
        "images": list(Image.objects.order_by("pk").values_list("pk", "file")),
        "figures": list(ArticleFigure.objects.order_by("pk").values_list("pk", "image_id", "caption")),
        "keywords": Keyword.objects.count(),
        "sections": Section.objects.count(),
    }
    again = sample_content.load()
    assert again["articles_created"] == again["images_created"] == again["sections_created"] == 0
    assert again["keywords_created"] == 0
    assert again["articles_unchanged"] == len(DATA["articles"])
    assert again["images_unchanged"] == len(DATA["images"])
    after = {
        "articles": list(Article.objects.order_by("pk").values_list("pk", "version", "updated_at", "body")),
        "images": list(Image.objects.order_by("pk").values_list("pk", "file")),
        "figures": list(ArticleFigure.objects.order_by("pk").values_list("pk", "image_id", "caption")),
        "keywords": Keyword.objects.count(),
        "sections": Section.objects.count(),
    }
    assert after == before


def test_an_article_someone_edited_is_left_alone(loaded):
    article = Article.objects.get(slug=DATA["articles"][0]["slug"])
    article.title = "Edited by a newcomer"
    article.save()
    sample_content.load()
    assert Article.objects.get(pk=article.pk).title == "Edited by a newcomer"


def test_command_reports_created_then_unchanged(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True
    first, second, quiet = io.StringIO(), io.StringIO(), io.StringIO()
    call_command("load_sample_content", stdout=first)
    call_command("load_sample_content", stdout=second)
    call_command("load_sample_content", verbosity=0, stdout=quiet)
    n = len(DATA["articles"])
    assert f"articles created {n}, unchanged 0" in first.getvalue()
    assert f"articles created 0, unchanged {n}" in second.getvalue()
    assert quiet.getvalue() == ""


def test_command_refuses_to_publish_invented_news_with_debug_off(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("load_sample_content", stdout=io.StringIO())
    assert not Article.objects.exists()


def test_a_body_pointing_at_an_unknown_image_is_refused(tmp_path):
    broken = json.loads(sample_content.DATA_FILE.read_text(encoding="utf-8"))
    broken["articles"][0]["body"].append('<figure class="image"><img src="{image:missing.jpg}" alt=""></figure>')
    path = tmp_path / "articles.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ValueError, match="missing.jpg"):
        sample_content.read_data(path)


def test_sample_content_fills_a_front_page_with_every_section_a_correction_and_authors(loaded):
    """Enough to show what the reader site does: several live stories in every section, every story
    credited to an author, and a correction and an update on /corrections/ and under their articles."""
    live = Article.objects.published()
    assert live.count() >= 12
    for section in Section.objects.all():
        assert live.filter(section=section).count() >= 4, section.slug
    # Credited: to authors with pages of their own, or (one story, to show it) a plain byline.
    assert not live.filter(author_links__isnull=True, byline="").exists()
    assert live.filter(author_links__isnull=False).distinct().count() >= live.count() - 1
    expected = [c for entry in DATA["articles"] for c in entry.get("corrections", [])]
    assert {c["kind"] for c in expected} == {"correction", "update"}
    assert loaded["corrections_created"] == len(expected)
    from articles.models import Correction

    assert Correction.objects.on_live_articles().filter(kind="correction").exists()


def test_sample_content_makes_the_footer_pages_sanitised_and_once(loaded, client, settings):
    from django.contrib.flatpages.models import FlatPage

    assert loaded["pages_created"] == len(DATA["pages"])
    urls = {link.url for link in settings.NEWSROOM_FOOTER_LINKS}
    assert set(FlatPage.objects.values_list("url", flat=True)) == {page["url"] for page in DATA["pages"]} == urls
    for page in FlatPage.objects.all():
        assert client.get(page.get_absolute_url()).status_code == 200, page.url
    again = sample_content.load()
    assert (again["pages_created"], again["pages_unchanged"], again["corrections_created"]) == (
        0,
        len(DATA["pages"]),
        0,
    )
