"""export_legacy writes files that import_legacy reads back into the same content."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage

from articles.importing.export import export_articles
from articles.importing.options import ImportOptions
from articles.importing.parsing import parse_post
from articles.importing.service import import_paths
from articles.models import Article, ArticleFigure, Author, Image, Keyword, Redirect, Section
from tests.factories import image_bytes, make_article, make_author, make_image, make_keyword, make_section

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything a reader or an editor would compare, keyed by slug."""
    articles = Article.objects.for_detail().with_authors().order_by("slug")
    return {
        a.slug: {
            "title": a.title,
            "standfirst": a.standfirst,
            "byline": a.byline,
            "authors": [author.name for author in a.author_list],
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
        authors=[make_author("Zoë Quill"), make_author("Ann Lee")],  # in byline order, not by name
        body=body,
        section=section,
        keywords=keywords,
        lead_image=lead,
        lead_caption="The first boats came back on Monday",
        publish_at=timezone.now() - timedelta(days=2),
    )
    make_article(title="Scheduled piece", byline="Reuters", publish_at=timezone.now() + timedelta(days=3))
    make_article(title="Just a draft", status=Article.Status.DRAFT)
    before = snapshot()

    call_command("export_legacy", str(tmp_path), verbosity=0)
    assert sorted(p.name for p in tmp_path.glob("*.html")) == [f"{slug}.html" for slug in sorted(before)]

    Article.objects.all().delete()
    for model in (ArticleFigure, Image, Keyword, Section, Redirect, Author):
        model.objects.all().delete()
    call_command("import_legacy", str(tmp_path), "--images-dir", str(tmp_path), verbosity=0)  # exits 1 on failure
    after = snapshot()
    assert after == before
    assert before["harbour-reopens"]["figure in a list item"]
    # The stored pictures came back as files, not as references to the old site.
    assert Image.objects.filter(file="").count() == 1  # only the remote one


def everything(article: Article) -> dict:
    """Every field the export carries, pictures' credits included, to compare one by one."""

    def picture(image):
        if image is None:
            return None
        return {
            "bytes": image.checksum or image.source_url,
            "alt": image.alt_text,
            "credit": image.credit,
            "copyright": image.copyright,
            "focal": (image.focal_x, image.focal_y),
            "crops": image.crops,
        }

    return {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "byline": article.byline,
        "authors": [(author.name, author.slug) for author in article.author_list],
        "status": article.status,
        "publish_at": article.publish_at,
        "section": (article.section.name, article.section.slug) if article.section else None,
        "keywords": sorted(k.name for k in article.keywords.all()),
        "legacy_url": article.legacy_url,
        "redirects": sorted(article.redirects.values_list("old_path", flat=True)),
        "lead_image": picture(article.lead_image),
        "lead_caption": article.lead_caption,
        "figures": [(picture(f.image), f.caption, f.link) for f in article.figures.order_by("position")],
    }


def round_trip(tmp_path, **options) -> None:
    """Export, empty the database of what the export holds, and import the files back."""
    folder = tmp_path / "export"  # not tmp_path: the media root is in it
    export_articles(folder)
    Article.objects.all().delete()
    for model in (ArticleFigure, Image, Keyword, Section, Redirect, Author):
        model.objects.all().delete()
    report = import_paths([folder], ImportOptions(images_dir=folder, **options))
    assert report.counts["created"] == len(list(folder.glob("*.html"))), [f.as_dict() for f in report.files]


def test_round_trip_is_exact_field_by_field(tmp_path):
    lead = make_image(
        alt_text="Boats & <buoys>",
        credit="Ana Photographer / Agency",
        copyright="© 2025 Harbour News & Co",
        data=image_bytes(size=(90, 60), color="navy"),
    )
    lead.focal_x, lead.focal_y = 0.25, 0.75
    lead.crops = {"3:2": [0.0, 0.0, 1.0, 1.0], "1.91:1": [0.0, 0.1, 1.0, 0.785340]}
    lead.save()
    inline = make_image(
        alt_text="The lighthouse", credit="Bo Stringer", copyright="CC BY 4.0", data=image_bytes(color="olive")
    )
    inline.focal_x, inline.focal_y = 0.9, 0.1
    inline.save()
    article = make_article(
        title="Fish &amp; chips: 3 < 4 & <b>not bold</b>",
        standfirst="Cod &amp; haddock < £5 & more",
        byline="Jo &amp; Sam <editors>",
        authors=[make_author("Sam &amp; <Lee>"), make_author("Bo Ek, the elder")],  # a list: commas stay
        body=f'<p>Text.</p><figure><img src="{inline.url}" alt="The lighthouse"><figcaption>At dusk &amp; later</figcaption></figure>',
        status=Article.Status.REVIEW,
        publish_at=timezone.now().replace(microsecond=0) + timedelta(days=1),
        section=make_section("Food & Drink"),
        keywords=[make_keyword("Fish &amp; chips"), make_keyword("Prices < 5")],
        lead_image=lead,
        lead_caption="The first boats &amp; &lt;crew&gt; & <crew>",
    )
    assert article.legacy_url == ""
    before = everything(Article.objects.get(pk=article.pk))

    round_trip(tmp_path)

    after = everything(Article.objects.get())
    differences = {name: (before[name], after[name]) for name in before if after[name] != before[name]}
    assert not differences, "\n".join(f"{name}: {was!r} became {now!r}" for name, (was, now) in differences.items())


def test_an_article_without_an_old_address_gains_none(tmp_path):
    make_article(title="Never on the old site", publish_at=timezone.now() - timedelta(days=1))
    make_article(title="Draft from the old site", status=Article.Status.DRAFT, legacy_url="/2019/01/old-draft")

    round_trip(tmp_path)

    assert dict(Article.objects.values_list("slug", "legacy_url")) == {
        "never-on-the-old-site": "",
        "draft-from-the-old-site": "/2019/01/old-draft",
    }
    assert list(Redirect.objects.values_list("old_path", flat=True)) == ["/2019/01/old-draft"]


def test_in_review_arrives_as_a_draft_for_people_who_may_not_publish(tmp_path):
    make_article(title="Waiting for an editor", status=Article.Status.REVIEW)

    round_trip(tmp_path, as_drafts=True)

    assert Article.objects.get().status == Article.Status.DRAFT


def test_picture_credits_an_editor_typed_are_kept(tmp_path):
    """A picture already in the library keeps its own credit; only what it lacks is filled in."""
    data = image_bytes(size=(90, 60), color="teal")
    lead = make_image(alt_text="Nets", credit="Old credit", copyright="Old copyright", data=data)
    lead.focal_x, lead.focal_y = 0.2, 0.3
    lead.save()
    make_article(title="Nets", lead_image=lead, publish_at=timezone.now())
    export_articles(tmp_path / "export")
    Article.objects.all().delete()
    lead.credit, lead.copyright, lead.focal_x, lead.focal_y = "Editor's credit", "", None, None
    lead.save()

    import_paths([tmp_path / "export"], ImportOptions(images_dir=tmp_path / "export"))

    lead.refresh_from_db()
    assert Article.objects.get().lead_image == lead
    assert (lead.credit, lead.copyright, lead.focal_x, lead.focal_y) == ("Editor's credit", "Old copyright", 0.2, 0.3)


def test_the_command_does_not_call_itself_a_backup():
    from articles.management.commands.export_legacy import Command

    assert "a portable copy of the articles, not a backup" in Command.help


def test_status_review_is_held_back_in_review():
    post = parse_post(b"---\ntitle: T\ndate: 2024-01-02\nstatus: review\n---\nText", suffix=".md")

    assert (post.review, post.draft, post.legacy_url) == (True, True, "")


def test_newsroom_files_keep_their_old_address_exactly_and_make_up_none():
    kept = parse_post(
        b"---\nnewsroom_export: 1\ntitle: T\ndraft: true\npermalink: /2019/01/old/\naliases: [/x]\n---\nText",
        suffix=".html",
    )
    none = parse_post(b"---\nnewsroom_export: 1\ntitle: T\ndate: 2024-01-02\n---\nText", suffix=".html")
    foreign = parse_post(b"---\ntitle: T\ndate: 2024-01-02\n---\nText", suffix=".html")

    assert (kept.legacy_url, kept.aliases) == ("/2019/01/old/", ["/x"])
    assert none.legacy_url == ""
    assert foreign.legacy_url != ""  # a legacy site's rule still gives its posts their address


def test_a_focal_point_or_crop_off_the_picture_is_dropped_with_a_warning():
    post = parse_post(
        b"---\ntitle: T\nimage: {src: /a.png, credit: Ana, focal: [1.5, 0.5], "
        b"crops: {'3:2': [0.5, 0, 0.8, 1], '1.91:1': [0, 0, 1, 0.5], 'square': [0, 0, 1, 1]}}\n---\nText",
        suffix=".html",
    )

    facts = post.pictures["/a.png"]
    assert (facts.credit, facts.focal, facts.crops) == ("Ana", None, {"1.91:1": [0.0, 0.0, 1.0, 0.5]})
    assert [w for w in post.warnings if w.startswith("picture /a.png")] == [
        "picture /a.png: focal [1.5, 0.5] is not [x, y] between 0 and 1: ignored",
        "picture /a.png: crop 3:2: [0.5, 0, 0.8, 1] is not a box on the picture: ignored",
        "picture /a.png: crop square: [0, 0, 1, 1] is not a box on the picture: ignored",
    ]


def test_a_dry_run_leaves_pictures_alone(tmp_path):
    picture = PILImage.new("RGB", (300, 100), "white")
    picture.paste("black", (0, 0, 100, 100))
    data = io.BytesIO()
    picture.save(data, format="PNG")
    lead = make_image(alt_text="Nets", credit="Ana", data=data.getvalue())
    lead.focal_x, lead.focal_y = 0.0, 0.5
    lead.save()
    make_article(title="Nets", lead_image=lead, publish_at=timezone.now())
    export_articles(tmp_path / "export")
    Image.objects.filter(pk=lead.pk).update(credit="", focal_x=None, focal_y=None)
    media = Path(lead.file.storage.location)
    stored_before = sorted(media.rglob("*"))

    import_paths([tmp_path / "export"], ImportOptions(images_dir=tmp_path / "export", dry_run=True))

    lead.refresh_from_db()
    assert (lead.credit, lead.focal_x) == ("", None)
    # Storage does not roll back: no renditions cut to the file's focal point were written.
    assert sorted(media.rglob("*")) == stored_before
