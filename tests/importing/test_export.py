"""export_legacy writes files that import_legacy reads back into the same content."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, ArticleFigure, Image, Keyword, Redirect, Section
from tests.factories import image_bytes, make_article, make_image, make_keyword, make_section

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything a reader or an editor would compare, keyed by slug."""
    articles = Article.objects.for_detail().order_by("slug")
    return {
        a.slug: {
            "title": a.title,
            "standfirst": a.standfirst,
            "byline": a.byline,
            "status": a.status,
            "publish_at": a.publish_at,
            "section": a.section.name if a.section else None,
            "keywords": sorted(k.name for k in a.keywords.all()),
            "lead": (a.lead_image.checksum or a.lead_image.source_url, a.lead_image.alt_text) if a.lead_image else None,
            "lead_caption": a.lead_caption,
            "figures": [
                (f.image.checksum or f.image.source_url, f.image.alt_text, f.caption, f.link) for f in a.figures.all()
            ],
            "figure in a list item": "<li>Step one <figure" in a.body,
            "text": a.body.count("<p>"),
        }
        for a in articles
    }


def test_export_then_import_gives_the_same_content(tmp_path):
    section = make_section("Culture")
    keywords = [make_keyword("Harbour"), make_keyword("Ферри")]
    lead = make_image(alt_text="Boats at the quay", data=image_bytes(size=(80, 50), color="navy"))
    inline = make_image(alt_text="The lighthouse", data=image_bytes(size=(60, 40), color="olive"))
    body = (
        "<p>First paragraph.</p>"
        f'<figure class="image"><img src="{inline.url}" alt="x"><figcaption>The light at dusk</figcaption></figure>'
        '<figure class="image"><a href="https://images.example.org/remote-full.jpg">'
        '<img src="https://images.example.org/remote.jpg" alt="A remote one"></a></figure>'
        '<h2>More</h2><p>Second paragraph with <a href="/elsewhere">a link</a>.</p>'
        f'<ol><li>Step one <img src="{inline.url}"></li></ol>'
    )
    make_article(
        title="Harbour reopens",
        standfirst="Boats are back.",
        byline="Jo Reporter",
        body=body,
        section=section,
        keywords=keywords,
        lead_image=lead,
        lead_caption="The first boats came back on Monday",
        publish_at=timezone.now() - timedelta(days=2),
    )
    make_article(title="Scheduled piece", publish_at=timezone.now() + timedelta(days=3))
    make_article(title="Just a draft", status=Article.Status.DRAFT)
    before = snapshot()

    call_command("export_legacy", str(tmp_path), verbosity=0)
    assert sorted(p.name for p in tmp_path.glob("*.html")) == [f"{slug}.html" for slug in sorted(before)]

    Article.objects.all().delete()
    for model in (ArticleFigure, Image, Keyword, Section, Redirect):
        model.objects.all().delete()
    call_command("import_legacy", str(tmp_path), "--images-dir", str(tmp_path), verbosity=0)  # exits 1 on failure
    after = snapshot()
    assert after == before
    assert before["harbour-reopens"]["figure in a list item"]
    # The stored pictures came back as files, not as references to the old site.
    assert Image.objects.filter(file="").count() == 1  # only the remote one
