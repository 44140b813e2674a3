"""Importing legacy folders into articles, through import_paths and the import_legacy command."""

import datetime as dt
import html
import io
import json
import os
import re
from pathlib import Path

import lxml.html
import pytest
import time_machine
from django.core.management import call_command

from articles.importing import ImportOptions, import_paths
from articles.importing import pipeline as import_pipeline
from articles.importing import service as import_service
from articles.importing.review import failed_files, record_run
from articles.models import Article, ArticleFigure, Image, Keyword, Redirect
from tests.factories import image_bytes
from tests.importing.samples import (
    LEAD_CAPTION,
    LEAD_URL,
    LEGACY,
    SECOND_CAPTION,
    SECOND_URL,
    SEED_STANDFIRST,
    SEED_TITLE,
    THIRD_CAPTION,
    THIRD_URL,
    lazy_image,
    post,
    seed_post,
    simple_post,
    write,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def run(*paths, **options):
    return import_paths([Path(p) for p in paths], ImportOptions(**options))


def by_name(report) -> dict:
    return {Path(result.path).name: result for result in report.files}


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Article, Image, ArticleFigure, Keyword, Redirect)}


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def page_figures(content: bytes) -> list[tuple[str, str, str]]:
    """(css class, img src, caption text) of every figure on a page, in order."""
    root = lxml.html.fromstring(content)
    return [
        (
            figure.get("class"),
            figure.find(".//img").get("src"),
            " ".join(figure.xpath('string(.//span[@class="caption"])').split()),
        )
        for figure in root.iter("figure")
    ]


def alias_bomb() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    return post("title: Laughs\n" + "\n".join(lines))


# --- Bad files: a clear reason each, and the rest of the run still imports ----------------------

BAD_FILES = [
    ("empty", b"", "empty file"),
    ("unclosed", "---\ntitle: Never closed\ndate: 2021-01-01\n<p>Body</p>\n", "front matter is not closed"),
    ("malformed-yaml", post("title: Fine\ndescription: ok\n  bad: indentation"), "malformed YAML at line 4"),
    ("unsafe-tag", post("title: !!python/object/apply:os.system ['true']"), "unsafe or unknown YAML tag"),
    ("list-front-matter", post("- title\n- date"), "front matter is a list"),
    ("alias-bomb", alias_bomb(), "alias bomb"),
    ("title-list", post("title: [Harbour, Pier]\ndate: 2021-01-01"), "title is not text"),
    ("title-mapping", post("title: {main: Harbour}\ndate: 2021-01-01"), "title is not text"),
    ("undecodable", b"---\ntitle: Bad \x81\x8d\x8f\x90\x9d bytes\n---\n<p>x</p>", "undecodable bytes"),
    ("bad-date", post("title: When?\ndate: next tuesday"), "is not an epoch number or an ISO 8601 date"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_a_bad_file_fails_with_its_reason_while_the_others_import(tmp_path, name, content, reason):
    folder = tmp_path / "legacy"
    write(folder, "a-before.txt", simple_post("Before the bad one"))
    write(folder, f"{name}.txt", content)
    write(folder, "z-after.txt", simple_post("After the bad one"))
    report = run(folder)
    results = by_name(report)
    assert results[f"{name}.txt"].status == "failed"
    assert reason in results[f"{name}.txt"].error
    assert results[f"{name}.txt"].article_url is None
    assert results["a-before.txt"].status == results["z-after.txt"].status == "created"
    assert report.counts["failed"] == 1
    assert report.counts["created"] == 2
    assert sorted(Article.objects.values_list("title", flat=True)) == ["After the bad one", "Before the bad one"]


def test_all_bad_files_in_one_run(tmp_path):
    folder = tmp_path / "legacy"
    for name, content, _reason in BAD_FILES:
        write(folder, f"{name}.txt", content)
    write(folder, "good.txt", simple_post())
    report = run(folder)
    assert report.counts == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "failed": len(BAD_FILES),
        "conflicts": 0,
    }
    assert report.failed
    for name, _content, reason in BAD_FILES:
        assert reason in by_name(report)[f"{name}.txt"].error


def write_raw_name(folder: Path, name: bytes, content: str) -> None:
    """A file named in bytes that are not UTF-8 (an old Latin-1 archive): Python holds them as surrogate escapes."""
    path = os.fsencode(folder) + b"/" + name
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as out:
        out.write(content.encode("utf-8"))


@pytest.mark.parametrize(
    "workers",
    [0, pytest.param(1, marks=pytest.mark.system)],
    ids=["in-process", "worker"],  # a worker is a process
)
@pytest.mark.parametrize(
    ("name", "shown", "reason"),
    [
        (b"\xffbad.md", "\\xffbad.md", "file name is not valid UTF-8; rename it"),
        (b"caf\xe9/bad.md", "caf\\xe9/bad.md", "folder name is not valid UTF-8; rename it"),
    ],
    ids=["file", "folder"],
)
def test_a_file_whose_name_is_not_utf8_fails_while_the_others_import(tmp_path, workers, name, shown, reason):
    folder = tmp_path / "legacy"
    write(folder, "a-before.md", simple_post("Before the bad name"))
    write_raw_name(folder, name, simple_post("Badly named"))
    write(folder, "z-after.md", simple_post("After the bad name"))
    report = run(folder, workers=workers)
    assert {r.path: (r.status, r.error) for r in report.files} == {
        f"{folder}/a-before.md": ("created", None),
        f"{folder}/{shown}": ("failed", reason),
        f"{folder}/z-after.md": ("created", None),
    }
    assert sorted(Article.objects.values_list("title", flat=True)) == ["After the bad name", "Before the bad name"]
    record_run(report, source=str(folder), dry_run=False)  # the admin stores its runs' reports
    assert [(entry["path"], entry["error"]) for entry in failed_files()] == [(f"{folder}/{shown}", reason)]


def test_the_command_reports_a_name_that_is_not_utf8_by_a_printable_path(tmp_path):
    """In a folder whose own name is not UTF-8 either: every path is shown with \\xNN escapes."""
    write_raw_name(tmp_path, b"\xe9t\xe9/a-before.md", simple_post("Before the bad name"))
    write_raw_name(tmp_path, b"\xe9t\xe9/\xffbad.md", simple_post("Badly named"))
    write_raw_name(tmp_path, b"\xe9t\xe9/z-after.md", simple_post("After the bad name"))
    folder, shown = Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xe9t\xe9")), f"{tmp_path}/\\xe9t\\xe9"
    report_path, stderr = tmp_path / "report.json", io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_legacy", str(folder), "--report", str(report_path), stderr=stderr, verbosity=1)
    assert exit_info.value.code == 1
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert (report["created"], report["failed"]) == (2, 1)
    assert {entry["path"]: entry["status"] for entry in report["files"]} == {
        f"{shown}/a-before.md": "created",
        f"{shown}/\\xffbad.md": "failed",
        f"{shown}/z-after.md": "created",
    }
    assert stderr.getvalue().strip() == f"{shown}/\\xffbad.md: file name is not valid UTF-8; rename it"


def test_oversized_file_fails(tmp_path, settings):
    settings.NEWSROOM_IMPORT_MAX_FILE_BYTES = 500
    write(tmp_path, "big.txt", post("title: Big\ndate: 2021-01-01", "<p>" + "words " * 200 + "</p>"))
    write(tmp_path, "small.txt", simple_post("Small"))
    results = by_name(run(tmp_path))
    assert results["big.txt"].status == "failed"
    assert results["big.txt"].error == "file is larger than 500 bytes"
    assert results["small.txt"].status == "created"


def test_oversized_front_matter_fails(tmp_path, settings):
    settings.NEWSROOM_IMPORT_MAX_FRONT_MATTER_BYTES = 200
    write(tmp_path, "big.txt", post(f"title: Big\ndate: 2021-01-01\ndescription: {'long ' * 100}"))
    write(tmp_path, "small.txt", simple_post("Small"))
    results = by_name(run(tmp_path))
    assert results["big.txt"].status == "failed"
    assert results["big.txt"].error == "front matter is larger than 200 bytes"
    assert results["small.txt"].status == "created"


@pytest.mark.parametrize(
    ("encode", "warning"),
    [
        (lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), None),
        (lambda text: text.replace("\n", "\r").encode("utf-8"), None),
        (lambda text: text.replace("\n", "\r\n").encode("utf-8"), None),
        (lambda text: text.encode("cp1252"), "not valid UTF-8: read as Windows-1252"),
    ],
    ids=["bom", "cr-only", "crlf", "windows-1252"],
)
def test_files_in_other_encodings_and_line_endings_import(tmp_path, encode, warning):
    text = post(
        "title: Caf\u00e9 \u2019Marina\u2019 reopens\ndate: 2021-06-01\ndescription: Cr\u00e8me teas are back",
        "<p>The caf\u00e9\u2019s terrace</p>\n<p>is open again.</p>\n",
    )
    write(tmp_path, "cafe.txt", encode(text))
    result = run(tmp_path).files[0]
    assert result.status == "created", result.error
    article = Article.objects.get()
    assert article.title == "Caf\u00e9 \u2019Marina\u2019 reopens"
    assert article.standfirst == "Cr\u00e8me teas are back"
    assert "<p>The caf\u00e9\u2019s terrace</p>" in article.body
    assert "\r" not in article.body
    assert article.publish_at == dt.datetime(2021, 6, 1, tzinfo=UTC)
    if warning:
        assert warning in result.warnings
    else:
        assert not any("Windows-1252" in w for w in result.warnings)


# --- Dates, drafts and scheduling --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1603335066", dt.datetime(2020, 10, 22, 2, 51, 6, tzinfo=UTC)),
        ("1603335066.0363603", dt.datetime(2020, 10, 22, 2, 51, 6, 36360, tzinfo=UTC)),
        ("2020-10-22", dt.datetime(2020, 10, 22, tzinfo=UTC)),
        ("2020-10-22 08:15:00", dt.datetime(2020, 10, 22, 8, 15, tzinfo=UTC)),
        ("2020-10-22 08:15:00 +05:30", dt.datetime(2020, 10, 22, 2, 45, tzinfo=UTC)),
        ('"2020-10-22T08:15:00Z"', dt.datetime(2020, 10, 22, 8, 15, tzinfo=UTC)),
        ('"2020-10-22T08:15:00+01:00"', dt.datetime(2020, 10, 22, 7, 15, tzinfo=UTC)),
    ],
    ids=["epoch-int", "epoch-float", "yaml-date", "yaml-naive", "yaml-offset", "iso-z", "iso-offset"],
)
def test_every_date_form_is_stored_as_the_exact_utc_time(tmp_path, value, expected):
    write(tmp_path, "dated.txt", post(f"title: Dated\ndate: {value}"))
    assert run(tmp_path).files[0].status == "created"
    article = Article.objects.get()
    assert article.publish_at == expected
    assert article.status == Article.Status.PUBLISHED
    assert article.is_live


def test_a_future_date_schedules_the_article(tmp_path, client):
    write(tmp_path, "later.txt", post("title: Tomorrow's tide tables\ndate: 2999-01-01 06:00:00"))
    result = run(tmp_path).files[0]
    article = Article.objects.get()
    assert result.status == "created"
    assert result.article_url == article.get_absolute_url()
    assert article.status == Article.Status.PUBLISHED
    assert article.state_label == "Scheduled"
    assert client.get(article.get_absolute_url()).status_code == 404
    with time_machine.travel(dt.datetime(2999, 1, 1, 6, 0, 1, tzinfo=UTC), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_a_missing_date_makes_a_draft_with_a_warning(tmp_path, client):
    write(tmp_path, "undated.txt", post("title: Undated notes"))
    result = run(tmp_path).files[0]
    article = Article.objects.get()
    assert result.status == "created"
    assert "no date: imported as a draft" in result.warnings
    assert result.article_url == article.get_absolute_url()
    assert (article.status, article.publish_at) == (Article.Status.DRAFT, None)
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("flag", ["published: false", "draft: true"])
def test_unpublished_flags_make_a_draft(tmp_path, flag):
    write(tmp_path, "held.txt", post(f"title: Held back\ndate: 2021-01-01\n{flag}"))
    assert run(tmp_path).files[0].status == "created"
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.publish_at == dt.datetime(2021, 1, 1, tzinfo=UTC)


# --- Fields ----------------------------------------------------------------------------------


def test_title_is_trimmed_and_entities_decoded_once(tmp_path, client):
    write(tmp_path, "fish.txt", post("title: >  \n  Fish &amp;amp; chips &#8217;n&#8217; peas   \n\ndate: 2021-01-01"))
    run(tmp_path)
    article = Article.objects.get()
    assert article.title == "Fish &amp; chips \u2019n\u2019 peas"
    page = client.get(article.get_absolute_url())
    root = lxml.html.fromstring(page.content)
    assert root.findtext(".//h1") == "Fish &amp; chips \u2019n\u2019 peas"


def test_keywords_categories_and_tags_become_keywords(tmp_path):
    Keyword.objects.create(name="Harbour", slug="harbour")
    write(
        tmp_path,
        "tagged.txt",
        post(
            "title: Tagged\ndate: 2021-01-01\n"
            "keywords: ' HARBOUR , \u00celes ,Ferries, ferries '\n"
            "categories: [Weather, \u00eeles]\n"
            "tags:\n  - Tides\n  - weather"
        ),
    )
    run(tmp_path)
    article = Article.objects.get()
    assert sorted(article.keywords.values_list("slug", flat=True)) == [
        "ferries",
        "harbour",
        "tides",
        "weather",
        "\u00eeles",
    ]
    assert Keyword.objects.count() == 5
    assert Keyword.objects.get(slug="harbour").name == "Harbour"  # the existing keyword, reused
    assert Keyword.objects.get(slug="\u00eeles").name == "\u00celes"


def test_standfirst_byline_and_lead_image_from_front_matter(tmp_path):
    write(
        tmp_path,
        "full.txt",
        post(
            "title: Full\ndate: 2021-01-01\ndescription: The standfirst.\nexcerpt: Not this.\n"
            "author: Ann Lee\ncover_image: https://images.example.org/cover.jpg"
        ),
    )
    write(tmp_path, "excerpt.txt", post("title: Excerpt\ndate: 2021-01-01\nexcerpt: From the excerpt."))
    write(tmp_path, "more.md", post("title: More\ndate: 2021-01-01", "The *first* lines.\n<!-- more -->\n\nRest.\n"))
    write(
        tmp_path,
        "false.txt",
        post("title: No description\ndate: 2021-01-01\ndescription: false\nexcerpt: Excerpt wins."),
    )
    results = by_name(run(tmp_path))
    full = Article.objects.get(title="Full")
    assert (full.standfirst, full.byline, [a.name for a in full.author_list]) == ("The standfirst.", "", ["Ann Lee"])
    assert full.lead_image.source_url == "https://images.example.org/cover.jpg"
    assert not full.lead_image.file
    assert Article.objects.get(title="Excerpt").standfirst == "From the excerpt."
    more = Article.objects.get(title="More")
    assert more.standfirst == "The first lines."
    assert "more" not in more.body
    assert Article.objects.get(title="No description").standfirst == "Excerpt wins."
    assert any("'description' is not text" in w for w in results["false.txt"].warnings)
    assert "no lead image" in results["excerpt.txt"].actions


def test_permalink_and_slug_give_the_legacy_url_and_the_slug(tmp_path, client):
    write(tmp_path, "one.txt", post("title: Pier story\ndate: 2021-01-01\npermalink: /blog/2019/the-old-pier/"))
    write(tmp_path, "two.txt", post("title: Second\ndate: 2021-01-01\nslug: second-story\npermalink: /p/42"))
    run(tmp_path)
    one, two = Article.objects.get(title="Pier story"), Article.objects.get(title="Second")
    assert (one.slug, one.legacy_url) == ("the-old-pier", "/blog/2019/the-old-pier")
    assert (two.slug, two.legacy_url) == ("second-story", "/p/42")
    assert client.get("/blog/2019/the-old-pier/")["Location"] == "/articles/the-old-pier/"
    assert client.get("/p/42")["Location"] == "/articles/second-story/"


def test_layout_and_unknown_keys_are_kept_but_never_shown(tmp_path, client):
    write(
        tmp_path,
        "meta.txt",
        post(
            "extends: _layouts.post\nsection: content\ntitle: Metadata\ndate: 2021-01-01\n"
            "featured: true\ninternal_note: do-not-print-this-note\nlanguage: en"
        ),
    )
    run(tmp_path)
    article = Article.objects.get()
    assert article.source_metadata["extends"] == "_layouts.post"
    assert article.source_metadata["section"] == "content"
    assert article.source_metadata["internal_note"] == "do-not-print-this-note"
    assert article.source_metadata["featured"] is True
    assert article.section is None
    content = client.get(article.get_absolute_url()).content.decode()
    for hidden in ["_layouts.post", "do-not-print-this-note", "internal_note", "featured"]:
        assert hidden not in content


def test_markdown_body_is_rendered_then_sanitised(tmp_path):
    body = (
        "## Harbour news\n\nThe *tide* was **high**.\n\n- ropes\n- nets\n\n"
        "```\nprint('<b>hi</b>')\n```\n\n<script>alert('md')</script>\n\n<a href=\"javascript:alert(1)\">bad</a> <img src=x onerror=alert(2)>\n"
    )
    write(tmp_path, "news.md", post("title: Markdown\ndate: 2021-01-01", body))
    run(tmp_path)
    stored = Article.objects.get().body
    assert '<h2 id="body-harbour-news">Harbour news</h2>' in stored
    assert "<em>tide</em>" in stored and "<strong>high</strong>" in stored
    assert re.search(r"<ul>\s*<li>ropes</li>\s*<li>nets</li>\s*</ul>", stored)
    assert "<pre><code>print('&lt;b&gt;hi&lt;/b&gt;')\n</code></pre>" in stored
    assert "<script" not in stored and "alert('md')" not in stored
    assert "javascript:" not in stored
    assert "onerror" not in stored


# --- Categories, other layouts, other files --------------------------------------------------


def test_category_page_fills_its_keyword_and_is_not_an_article(tmp_path):
    write(
        tmp_path,
        "_categories/harbour-life.md",
        post("extends: _layouts.category\ntitle: Harbour Life\ndescription: Boats, tides and people."),
    )
    write(tmp_path, "_posts/a.md", post("title: Post\ndate: 2021-01-01\ncategories: [harbour life]"))
    report = run(tmp_path)
    category = by_name(report)["harbour-life.md"]
    assert category.status == "skipped"
    assert any("keyword 'harbour-life'" in w for w in category.warnings)
    assert category.article_url is None
    assert report.counts["created"] == 1
    assert report.counts["skipped"] == 1
    keyword = Keyword.objects.get(slug="harbour-life")
    assert (keyword.name, keyword.description) == ("Harbour Life", "Boats, tides and people.")
    assert list(Article.objects.get().keywords.all()) == [keyword]
    assert Article.objects.count() == 1


def test_other_layouts_are_skipped_and_reported(tmp_path):
    write(tmp_path, "about.md", post("extends: _layouts.page\ntitle: About us"))
    result = run(tmp_path).files[0]
    assert result.status == "skipped"
    assert "layout '_layouts.page' is not a post" in result.warnings
    assert not Article.objects.exists()


def test_files_that_are_not_posts_are_skipped_and_counted(tmp_path):
    write(tmp_path, "assets/cover.png", image_bytes("PNG"))
    write(tmp_path, ".DS_Store", b"\x00\x00\x00\x01Bud1\x00\xff")
    write(tmp_path, "notes/README", b"plain notes")
    write(tmp_path, "post.txt", simple_post())
    report = run(tmp_path)
    results = by_name(report)
    assert report.counts["skipped"] == 3
    assert report.counts["created"] == 1
    assert not report.failed
    reasons = {"cover.png": "a picture", ".DS_Store": "not a post file", "README": "not a post file"}
    for name, reason in reasons.items():
        assert results[name].status == "skipped"
        assert reason in results[name].warnings[0]


# --- Body cleanup, figures and captions -------------------------------------------------------


def test_placeholders_captions_and_debris_become_clean_figures(tmp_path, client):
    body = (
        "<div><p>Opening paragraph.</p>"
        + lazy_image("i-1", SECOND_URL, "Deck", caption_html="Crew &amp;amp; passengers &#8217;74")
        + '<p class="home item html_snippet module">  </p> '
        + "<style>.x { color: red }</style><link rel='stylesheet' href='/old.css'>"
        + "<noscript><img src='https://ads.example.net/n.gif'></noscript><!-- ad slot -->"
        + '<p>Middle<img src="https://track.example.net/pixel.gif" width="1" height="1"></p>'
        + lazy_image("i-2", THIRD_URL, "Pier")
        + '<p>Then</p><img src="https://images.example.org/last.jpg" alt="Last">'
        + '<p class="imageCaption">Last one</p>'
        + "<script>document.write('x')</script>"
        + '<p><img src="https://images.example.org/evil.jpg" onerror="alert(1)">'
        + '<a href="javascript:alert(2)">click</a> <a href="/news/tides.html">Tides</a></p></div>'
    )
    write(tmp_path, "story.txt", post("title: Figures\ndate: 2021-01-01", body))
    result = run(tmp_path).files[0]
    assert result.status == "created", result.error
    assert "lazy-load placeholders merged: 2" in result.actions
    assert "tracking pixels removed: 1" in result.actions
    assert "captions attached: 2" in result.actions
    assert "comments removed: 1" in result.actions
    article = Article.objects.get()
    figures = list(article.figures.order_by("position").select_related("image"))
    assert [(f.image.source_url, f.caption) for f in figures] == [
        (SECOND_URL, "Crew &amp; passengers \u201974"),
        (THIRD_URL, ""),
        ("https://images.example.org/last.jpg", "Last one"),
        ("https://images.example.org/evil.jpg", ""),
    ]
    assert all(not f.image.file for f in figures)
    for gone in ["data:", "imageCaption", "html_snippet", "track.example.net", "ads.example.net", "<style", "<link"]:
        assert gone not in article.body
    for gone in ["<script", "onerror", "javascript:", "ad slot", "document.write"]:
        assert gone not in article.body
    assert 'href="/news/tides.html"' in article.body  # site-relative links stay relative by default

    content = client.get(article.get_absolute_url()).content.decode()
    for gone in ["data:", "onerror", "javascript:", "track.example.net"]:
        assert gone not in content
    # The page's script elements are its JSON-LD data block (public/seo.py) and the share links' own file,
    # never one from the body.
    assert content.count('<script type="application/ld+json">') == 1
    assert content.count("<script") == 2 and content.count('js/share.js" defer></script>') == 1
    assert [caption for _css, _src, caption in page_figures(content.encode())] == [
        "Crew &amp; passengers \u201974",
        "",
        "Last one",
        "",
    ]


def test_site_relative_links_become_absolute_with_a_base_url(tmp_path):
    body = '<p><a href="/news/tides.html">Tides</a></p><img src="/img/tide.jpg" alt="Tide">'
    write(tmp_path, "links.txt", post("title: Links\ndate: 2021-01-01", body))
    result = run(tmp_path, legacy_base_url="https://old.example.org").files[0]
    article = Article.objects.get()
    assert 'href="https://old.example.org/news/tides.html"' in article.body
    assert article.figures.get().image.source_url == "https://old.example.org/img/tide.jpg"
    assert "site-relative links made absolute: 2" in result.actions


def test_site_relative_image_without_images_dir_is_kept_with_a_warning(tmp_path):
    write(tmp_path, "rel.txt", post("title: Rel\ndate: 2021-01-01", '<p>x</p><img src="/img/tide.jpg">'))
    result = run(tmp_path).files[0]
    assert "image /img/tide.jpg not found under the import folder or the site's folders: kept as it is" in (
        result.warnings
    )
    assert 'src="/img/tide.jpg"' in Article.objects.get().body


def test_lead_image_that_is_also_the_first_inline_image_is_shown_once(tmp_path):
    write(tmp_path, "seed.txt", seed_post())
    result = run(tmp_path).files[0]
    assert "lead image not repeated in the body: 1" in result.actions
    article = Article.objects.get()
    assert article.lead_image.source_url == LEAD_URL
    assert article.lead_image.alt_text == "The ferry leaving"
    assert article.lead_caption == LEAD_CAPTION
    assert LEAD_URL not in article.body
    assert [(f.image.source_url, f.caption) for f in article.figures.order_by("position")] == [
        (SECOND_URL, SECOND_CAPTION),
        (THIRD_URL, THIRD_CAPTION),
    ]


# --- Images ----------------------------------------------------------------------------------


def test_remote_images_are_kept_as_references_by_default(tmp_path, settings):
    write(tmp_path, "seed.txt", seed_post())
    run(tmp_path)
    assert Image.objects.count() == 3
    for image in Image.objects.all():
        assert image.source_url.startswith("https://images.example.org/")
        assert not image.file
    assert media_files(settings) == []


def site_with_images(tmp_path) -> tuple[Path, Path]:
    site = tmp_path / "site"
    write(site, "assets/img/cover.png", image_bytes("PNG", size=(40, 30), color="navy"))
    write(site, "assets/img/inline.jpg", image_bytes("JPEG", size=(20, 10), color="olive"))
    write(site, "assets/img/not-a-picture.png", b"<?php system($_GET['c']); ?>")
    return site, site / "_posts"


def test_images_dir_stores_site_relative_images(tmp_path, settings, client):
    site, posts = site_with_images(tmp_path)
    body = '<p>Intro</p><img src="/assets/img/inline.jpg" alt="Inline"><p class="imageCaption">Olive grove</p>'
    write(posts, "local.md", post("title: Local\ndate: 2021-01-01\ncover_image: /assets/img/cover.png", body))
    result = run(posts, images_dir=site).files[0]
    assert result.status == "created", result.error
    assert "images stored: 2" in result.actions
    article = Article.objects.get()
    lead = article.lead_image
    assert lead.file and (lead.width, lead.height) == (40, 30)
    assert len(lead.checksum) == 64
    figure = article.figures.get()
    assert figure.caption == "Olive grove"
    assert figure.image.file and (figure.image.width, figure.image.height) == (20, 10)
    assert figure.image.file.url in article.body
    assert "/assets/img/inline.jpg" not in article.body
    # The two pictures and their renditions (images/renditions.py), nothing else.
    stored = [lead.file.name, *lead.renditions.values(), figure.image.file.name, *figure.image.renditions.values()]
    assert media_files(settings) == sorted(Path(settings.MEDIA_ROOT) / name for name in stored)
    content = client.get(article.get_absolute_url()).content
    assert [src for _css, src, _caption in page_figures(content)] == [lead.file.url, figure.image.file.url]


def test_a_local_file_that_is_not_a_picture_is_refused(tmp_path, settings):
    site, posts = site_with_images(tmp_path)
    write(posts, "bad.md", post("title: Bad\ndate: 2021-01-01\ncover_image: /assets/img/not-a-picture.png"))
    result = run(posts, images_dir=site).files[0]
    assert result.status == "created"
    assert any("not-a-picture.png refused" in w and "not a picture" in w for w in result.warnings)
    assert media_files(settings) == []
    assert not Image.objects.exclude(file="").exists()


@pytest.mark.parametrize("src", ["/../../secret.png", "/assets/../../../secret.png", "/../../../../../../etc/passwd"])
def test_an_image_path_that_climbs_out_of_images_dir_is_refused(tmp_path, settings, src):
    site, posts = site_with_images(tmp_path)
    write(tmp_path, "secret.png", image_bytes("PNG", color="red"))
    write(posts, "climb.md", post(f"title: Climb\ndate: 2021-01-01\ncover_image: {src}", f'<p>x</p><img src="{src}">'))
    result = run(posts, images_dir=site).files[0]
    assert result.status == "created"
    assert f"image {src} is outside --images-dir: refused" in result.warnings
    assert media_files(settings) == []
    assert not Image.objects.exclude(file="").exists()


def test_a_symlinked_image_pointing_outside_images_dir_is_refused(tmp_path, settings):
    site, posts = site_with_images(tmp_path)
    outside = write(tmp_path, "private/photo.png", image_bytes("PNG", color="red"))
    (site / "assets/img/link.png").symlink_to(outside)
    write(posts, "link.md", post("title: Link\ndate: 2021-01-01\ncover_image: /assets/img/link.png"))
    result = run(posts, images_dir=site).files[0]
    assert "image /assets/img/link.png is outside --images-dir: refused" in result.warnings
    assert media_files(settings) == []


def test_a_missing_local_image_is_reported(tmp_path):
    site, posts = site_with_images(tmp_path)
    write(posts, "gone.md", post("title: Gone\ndate: 2021-01-01\ncover_image: /assets/img/gone.png"))
    result = run(posts, images_dir=site).files[0]
    assert "image /assets/img/gone.png not found under --images-dir: kept as it is" in result.warnings


def test_a_symlinked_post_pointing_outside_the_import_folder_fails(tmp_path):
    outside = write(tmp_path, "elsewhere/secret.md", simple_post("Secret"))
    folder = tmp_path / "legacy"
    write(folder, "real.md", simple_post("Real"))
    (folder / "linked.md").symlink_to(outside)
    results = by_name(run(folder))
    assert results["linked.md"].status == "failed"
    assert "outside the import folder" in results["linked.md"].error
    assert results["real.md"].status == "created"
    assert list(Article.objects.values_list("title", flat=True)) == ["Real"]


# --- Running again -----------------------------------------------------------------------------


def test_importing_twice_changes_nothing(tmp_path, settings):
    site, posts = site_with_images(tmp_path)
    write(posts, "seed.txt", seed_post())
    write(posts, "local.md", post("title: Local\ndate: 2021-01-01\ncover_image: /assets/img/cover.png"))
    write(tmp_path / "site", "_categories/ferries.md", post("extends: _layouts.category\ntitle: Ferries"))
    first = run(site, images_dir=site)
    assert first.counts["created"] == 2
    counts, versions = row_counts(), dict(Article.objects.values_list("pk", "version"))
    files = media_files(settings)
    updated_at = dict(Article.objects.values_list("pk", "updated_at"))

    second = run(site, images_dir=site)
    statuses = {Path(r.path).name: r.status for r in second.files}
    assert statuses["seed.txt"] == statuses["local.md"] == "unchanged"
    assert second.counts["created"] == second.counts["updated"] == 0
    assert second.counts["unchanged"] == 2
    assert row_counts() == counts
    assert dict(Article.objects.values_list("pk", "version")) == versions
    assert dict(Article.objects.values_list("pk", "updated_at")) == updated_at
    assert media_files(settings) == files
    for result in second.files:
        if result.status == "unchanged":
            assert (
                result.article_url
                == Article.objects.get(source_path__endswith=Path(result.path).name).get_absolute_url()
            )


def test_a_changed_file_updates_the_same_article(tmp_path, client):
    path = write(tmp_path, "story.txt", post("title: First title\ndate: 2021-01-01\nkeywords: a, b", "<p>Old</p>"))
    run(tmp_path)
    article = Article.objects.get()
    url, pk = article.get_absolute_url(), article.pk
    write(tmp_path, "story.txt", post("title: Second title\ndate: 2021-01-02\nkeywords: b, c", "<p>New</p>"))
    result = run(tmp_path).files[0]
    assert result.status == "updated"
    assert result.article_url == url
    article = Article.objects.get()
    assert (article.pk, article.get_absolute_url()) == (pk, url)
    assert article.title == "Second title"
    assert article.body == "<p>New</p>"
    assert sorted(article.keywords.values_list("slug", flat=True)) == ["b", "c"]
    assert Redirect.objects.count() == 1
    assert client.get("/story")["Location"] == url
    assert path.exists()


def test_an_article_edited_since_import_is_a_conflict_unless_overwrite(tmp_path):
    write(tmp_path, "story.txt", post("title: From the file\ndate: 2021-01-01", "<p>Old</p>"))
    run(tmp_path)
    article = Article.objects.get()
    article.title = "Edited in Newsroom"
    article.save()
    version = article.version

    write(tmp_path, "story.txt", post("title: From the file, changed\ndate: 2021-01-01", "<p>New</p>"))
    report = run(tmp_path)
    result = report.files[0]
    assert result.status == "conflict"
    assert report.counts["conflicts"] == 1
    assert not report.failed
    assert "--overwrite" in result.error
    assert result.article_url == article.get_absolute_url()
    article.refresh_from_db()
    assert (article.title, article.body, article.version) == ("Edited in Newsroom", "<p>Old</p>", version)

    result = run(tmp_path, overwrite=True).files[0]
    assert result.status == "updated"
    article.refresh_from_db()
    assert (article.title, article.body) == ("From the file, changed", "<p>New</p>")
    # Imported again: the next run with the same file changes nothing.
    assert run(tmp_path).files[0].status == "unchanged"


def test_two_files_with_the_same_title_become_two_articles(tmp_path):
    write(tmp_path, "a.txt", simple_post("Storm warning"))
    write(tmp_path, "b.txt", simple_post("Storm warning"))
    report = run(tmp_path)
    assert report.counts["created"] == 2
    assert sorted(Article.objects.values_list("slug", flat=True)) == ["storm-warning", "storm-warning-2"]
    assert len({r.article_url for r in report.files}) == 2


@pytest.fixture(params=[1, 2, 50], ids=lambda n: f"lookahead-{n}")
def lookahead_files(request, monkeypatch):
    """Files are looked up ahead in chunks: what one file writes must be seen by the
    next, whether it falls in the same chunk or not."""
    monkeypatch.setattr(import_pipeline.BatchLookup, "FILES", request.param)
    return request.param


def test_a_slug_an_earlier_file_took_is_not_given_again(tmp_path, lookahead_files):
    write(tmp_path, "a.txt", simple_post("Storm warning"))
    write(tmp_path, "b.txt", simple_post("Storm warning"))
    write(tmp_path, "c.txt", simple_post("Storm warning 2"))
    report = run(tmp_path)
    assert report.counts["created"] == 3
    slugs = dict(Article.objects.values_list("source_path", "slug"))
    assert slugs == {"a.txt": "storm-warning", "b.txt": "storm-warning-2", "c.txt": "storm-warning-2-2"}


def test_files_sharing_a_legacy_address_and_a_picture(tmp_path, lookahead_files):
    lead = "cover_image: https://images.example.org/shared.jpg"
    write(tmp_path, "2019/pier.md", simple_post("Pier one", extra=lead))
    write(tmp_path, "2020/pier.md", simple_post("Pier two", extra=lead))
    report = run(tmp_path, legacy_url_pattern="blog/{filename}")
    first, second = Article.objects.order_by("pk")
    assert report.counts["created"] == 2
    assert f"legacy address /blog/pier pointed to article {first.pk}; it now points here" in report.files[1].warnings
    assert Redirect.objects.get().article == second
    assert Image.objects.count() == 1
    assert first.lead_image == second.lead_image


def test_the_same_path_in_two_folders_is_one_article_only_in_one_source(tmp_path, lookahead_files):
    write(tmp_path / "a", "pier.md", simple_post("Pier one"))
    write(tmp_path / "b", "pier.md", simple_post("Pier two"))
    apart = run(tmp_path / "a", tmp_path / "b")  # each folder is its own site by default
    together = run(tmp_path / "a", tmp_path / "b", source_site="harbour")

    assert [r.status for r in apart.files] == ["created", "created"]
    assert [r.status for r in together.files] == ["created", "updated"]
    titles = sorted(Article.objects.values_list("source_site", "title"))
    assert titles == [("a", "Pier one"), ("b", "Pier two"), ("harbour", "Pier two")]


def test_a_slug_taken_by_someone_else_after_the_lookahead_is_imported_afresh(tmp_path, monkeypatch, caplog):
    write(tmp_path, "a.txt", simple_post("Storm warning"))
    look_up = import_pipeline.BatchLookup._look_up

    def look_up_then_someone_saves(self):
        look_up(self)
        Article.objects.create(title="Storm warning")  # between the look-up and the file's transaction

    monkeypatch.setattr(import_pipeline.BatchLookup, "_look_up", look_up_then_someone_saves)
    report = run(tmp_path)
    assert report.counts["created"] == 1
    assert Article.objects.get(source_path="a.txt").slug == "storm-warning-2"
    assert "failed" not in caplog.text


def fail_for_doomed_articles(monkeypatch, where):
    if where == "article-save":
        original = Article.save

        def save_then_fail(self, *args, **kwargs):
            original(self, *args, **kwargs)
            if self.title == "Doomed":
                raise RuntimeError("disk full")

        monkeypatch.setattr(Article, "save", save_then_fail)
    else:
        original_keywords = import_service.KeywordIds.for_names

        def keywords_then_fail(self, names):
            if "doom" in names:
                raise RuntimeError("disk full")
            return original_keywords(self, names)

        monkeypatch.setattr(import_service.KeywordIds, "for_names", keywords_then_fail)


@pytest.mark.parametrize("where", ["article-save", "keywords"])
def test_a_file_that_fails_halfway_leaves_nothing_behind(tmp_path, settings, monkeypatch, where):
    site, posts = site_with_images(tmp_path)
    write(posts, "a-fine.md", post("title: Fine\ndate: 2021-01-01\nkeywords: calm\ncover_image: /assets/img/cover.png"))
    doomed_body = lazy_image("i-1", SECOND_URL, "Deck", caption_html="Deck") + '<img src="/assets/img/inline.jpg">'
    write(
        posts,
        "b-doomed.md",
        post(
            "title: Doomed\ndate: 2021-01-01\nkeywords: doom\ncover_image: https://images.example.org/d.jpg",
            doomed_body,
        ),
    )
    fail_for_doomed_articles(monkeypatch, where)
    report = run(posts, images_dir=site)
    results = by_name(report)
    assert results["b-doomed.md"].status == "failed"
    assert results["b-doomed.md"].error == "RuntimeError: disk full"
    assert results["a-fine.md"].status == "created"
    assert list(Article.objects.values_list("title", flat=True)) == ["Fine"]
    assert not Keyword.objects.filter(slug="doom").exists()
    assert Redirect.objects.count() == 1
    assert ArticleFigure.objects.count() == 0
    assert not Image.objects.filter(source_url__in=[SECOND_URL, "https://images.example.org/d.jpg"]).exists()
    assert Image.objects.count() == 1  # the fine article's cover
    cover = Image.objects.get()  # the failed file's pictures and their renditions are gone from storage too
    assert media_files(settings) == sorted(
        Path(settings.MEDIA_ROOT) / n for n in [cover.file.name, *cover.renditions.values()]
    )


def test_dry_run_writes_nothing_but_reports_what_would_happen(tmp_path, settings):
    site, posts = site_with_images(tmp_path)
    write(posts, "seed.txt", seed_post())
    write(posts, "local.md", post("title: Local\ndate: 2021-01-01\ncover_image: /assets/img/cover.png"))
    write(posts, "bad.txt", b"")
    write(site, "_categories/ferries.md", post("extends: _layouts.category\ntitle: Ferries\ndescription: Boats."))
    report = run(site, images_dir=site, dry_run=True)
    results = by_name(report)
    assert results["seed.txt"].status == results["local.md"].status == "created"
    assert results["seed.txt"].article_url.startswith("/articles/")
    assert results["bad.txt"].status == "failed"
    assert results["ferries.md"].status == "skipped"
    assert "images that would be stored: 1" in results["local.md"].actions
    assert row_counts() == {"Article": 0, "Image": 0, "ArticleFigure": 0, "Keyword": 0, "Redirect": 0}
    assert media_files(settings) == []

    # Against an existing import, a dry run reports updates without making them.
    run(site, images_dir=site)
    write(posts, "local.md", post("title: Local, changed\ndate: 2021-01-01\ncover_image: /assets/img/cover.png"))
    counts, files = row_counts(), media_files(settings)
    report = run(site, images_dir=site, dry_run=True)
    assert by_name(report)["local.md"].status == "updated"
    assert by_name(report)["seed.txt"].status == "unchanged"
    assert Article.objects.get(source_path="_posts/local.md").title == "Local"
    assert row_counts() == counts
    assert media_files(settings) == files


# --- Redirects from the old addresses -----------------------------------------------------------


def test_legacy_urls_answer_301_with_a_pattern(tmp_path, client):
    write(tmp_path, "_posts/pier-reopens.md", simple_post("Pier reopens"))
    write(tmp_path, "_posts/undated-draft.md", post("title: Undated draft"))
    run(tmp_path, legacy_url_pattern="blog/{filename}")
    article = Article.objects.get(title="Pier reopens")
    assert article.legacy_url == "/blog/pier-reopens"
    for path in ["/blog/pier-reopens", "/blog/pier-reopens/"]:
        response = client.get(path)
        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url()
    assert client.get("/articles/pier-reopens/").status_code == 200
    # The draft keeps its old address, which answers once it is live: a 301 now would name it.
    assert Article.objects.get(title="Undated draft").legacy_url == "/blog/undated-draft"
    assert client.get("/blog/undated-draft").status_code == 404


def test_legacy_urls_answer_301_with_the_default_pattern(tmp_path, client, settings):
    assert settings.NEWSROOM_LEGACY_URL_PATTERN == "{path}"
    write(tmp_path, "2019/05/pier-reopens.html", simple_post("Pier reopens"))
    run(tmp_path)
    article = Article.objects.get()
    assert article.legacy_url == "/2019/05/pier-reopens"
    response = client.get("/2019/05/pier-reopens/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_legacy_url_pattern_from_settings(tmp_path, client, settings):
    settings.NEWSROOM_LEGACY_URL_PATTERN = "old/{filename}.html"
    write(tmp_path, "x/pier.md", simple_post("Pier"))
    run(tmp_path)
    assert client.get("/old/pier.html")["Location"] == Article.objects.get().get_absolute_url()


# --- The command -------------------------------------------------------------------------------


def command_folder(tmp_path) -> Path:
    folder = tmp_path / "legacy"
    write(folder, "live.txt", simple_post("Live now"))
    write(folder, "draft.txt", post("title: A draft\ndate: 2021-01-01\ndraft: true"))
    write(folder, "scheduled.txt", post("title: Later\ndate: 2999-01-01"))
    write(folder, "cover.png", image_bytes("PNG"))
    return folder


def test_command_writes_a_json_report_and_exits_0(tmp_path):
    folder = command_folder(tmp_path)
    report_path = tmp_path / "report.json"
    call_command("import_legacy", str(folder), "--report", str(report_path), verbosity=0)
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert {k: report[k] for k in ["created", "updated", "unchanged", "skipped", "failed", "conflicts"]} == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
        "failed": 0,
        "conflicts": 0,
    }
    assert all(type(report[k]) is int for k in ["created", "updated", "unchanged", "skipped", "failed", "conflicts"])
    files = {Path(entry["path"]).name: entry for entry in report["files"]}
    for entry in files.values():
        assert {"path", "status", "article_url", "warnings", "error"} <= set(entry)
    for name, title in [("live.txt", "Live now"), ("draft.txt", "A draft"), ("scheduled.txt", "Later")]:
        assert files[name]["status"] == "created"
        assert files[name]["article_url"] == Article.objects.get(title=title).get_absolute_url()
        assert files[name]["error"] is None
    assert files["cover.png"]["status"] == "skipped"
    assert files["cover.png"]["article_url"] is None


def test_command_exits_1_when_a_file_failed(tmp_path):
    folder = command_folder(tmp_path)
    write(folder, "broken.txt", post("title: [not, text]"))
    report_path = tmp_path / "report.json"
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_legacy", str(folder), "--report", str(report_path), verbosity=0)
    assert exit_info.value.code == 1
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["failed"] == 1
    assert report["created"] == 3
    broken = next(entry for entry in report["files"] if entry["path"].endswith("broken.txt"))
    assert broken["status"] == "failed"
    assert "title is not text" in broken["error"]


def test_command_second_run_reports_unchanged(tmp_path):
    folder = command_folder(tmp_path)
    call_command("import_legacy", str(folder), verbosity=0)
    report_path = tmp_path / "again.json"
    call_command("import_legacy", str(folder), "--report", str(report_path), verbosity=0)
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert (report["created"], report["unchanged"], report["skipped"]) == (0, 3, 1)


def test_command_options_reach_the_importer(tmp_path, client):
    site, posts = site_with_images(tmp_path)
    write(posts, "local.md", post("title: Local\ndate: 2021-01-01\ncover_image: /assets/img/cover.png"))
    call_command(
        "import_legacy",
        str(posts),
        "--images-dir",
        str(site),
        "--legacy-url-pattern",
        "blog/{filename}",
        "--dry-run",
        verbosity=0,
    )
    assert not Article.objects.exists()
    call_command(
        "import_legacy", str(posts), "--images-dir", str(site), "--legacy-url-pattern", "blog/{filename}", verbosity=0
    )
    article = Article.objects.get()
    assert article.lead_image.file
    assert client.get("/blog/local")["Location"] == article.get_absolute_url()


# --- End to end ---------------------------------------------------------------------------------


def test_seed_shaped_post_reads_right_on_the_public_page(tmp_path, client):
    write(tmp_path, "000_ferry.txt", seed_post())
    result = run(tmp_path).files[0]
    assert result.status == "created", result.error
    assert "lazy-load placeholders merged: 3" in result.actions
    article = Article.objects.get()
    assert article.publish_at == dt.datetime(2021, 5, 3, 15, 2, 3, 456789, tzinfo=UTC)
    assert sorted(article.keywords.values_list("slug", flat=True)) == ["ferry", "harbour", "island", "marigold"]

    response = client.get(result.article_url)
    assert response.status_code == 200
    content = response.content.decode()
    root = lxml.html.fromstring(response.content)
    assert root.findtext(".//h1") == SEED_TITLE
    assert " ".join(root.xpath('string(//p[@class="standfirst"])').split()) == SEED_STANDFIRST
    assert page_figures(response.content) == [
        ("figure figure--lead", LEAD_URL, LEAD_CAPTION),
        ("figure figure--inline", SECOND_URL, SECOND_CAPTION),
        ("figure figure--inline", THIRD_URL, THIRD_CAPTION),
    ]
    assert "data:" not in content
    assert "R0lGODlh" not in content
    assert "imageCaption" not in content
    # Drawn once as a picture (page metadata may name it again for sharing).
    assert len(root.xpath(f'//img[@src="{LEAD_URL}"] | //source[contains(@srcset, "{LEAD_URL}")]')) == 1
    # Entities decoded exactly once: the caption's "&amp;amp;" reads "&amp;" on the page.
    assert "maiden trip &amp;amp; wept" in content


# --- The real samples (tests/importing/samples/legacy) ---------------------------------------------------------------


def test_real_tabloid_sample_imports_with_its_captions(client):
    path = LEGACY / "000_943a7872124e8bb8.txt"
    raw = path.read_text(encoding="utf-8")
    captions = [
        " ".join(html.unescape(text).split()) for text in re.findall(r'<p class="imageCaption">(.*?)</p>', raw, re.S)
    ]
    assert len(captions) == 3
    report = run(path)
    assert report.counts["created"] == 1
    assert report.counts["failed"] == 0
    article = Article.objects.get()
    figures = list(article.figures.order_by("position"))
    assert [f.caption for f in figures] == captions
    assert "data:" not in article.body
    assert article.lead_image is not None and article.lead_image.source_url.startswith("https://")
    assert article.publish_at == dt.datetime(2020, 10, 22, 2, 51, 6, 36360, tzinfo=UTC)
    page = client.get(report.files[0].article_url)
    assert page.status_code == 200
    assert [caption for css, _src, caption in page_figures(page.content) if css != "figure figure--lead"] == captions
    assert "data:" not in page.content.decode()


def test_real_jigsaw_site_imports(client, settings):
    source = LEGACY / "jigsaw-blog-template" / "source"
    report = run(source, images_dir=source, legacy_url_pattern="blog/{filename}")
    files = by_name(report)
    assert report.counts["created"] == 5
    assert report.counts["failed"] == 0
    assert report.counts["skipped"] == 4
    assert [files[n].status for n in ["configuration.md", "feature.md"]] == ["skipped", "skipped"]
    assert [files[n].status for n in ["post-cover-image-1.png", "post-cover-image-2.png"]] == ["skipped", "skipped"]
    assert Article.objects.count() == 5
    assert Keyword.objects.get(slug="feature").description == "All posts that are about new features."
    covers = Image.objects.exclude(file="")
    assert covers.count() == 2  # two posts share one cover: stored once
    assert Article.objects.filter(lead_image__in=covers).count() == 3
    article = Article.objects.get(source_path="_posts/getting-started.md")
    assert article.lead_image.file and article.lead_image.width
    assert client.get("/blog/getting-started")["Location"] == article.get_absolute_url()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert run(source, images_dir=source, legacy_url_pattern="blog/{filename}").counts["unchanged"] == 5


@pytest.mark.parametrize(
    "src",
    ["data:image/gif;base64,R0lGODlhAQABAAAAACw=", "javascript:alert(1)", "file:///etc/passwd", "../../etc/passwd"],
)
def test_a_lead_image_that_is_not_a_web_address_is_refused(tmp_path, client, src):
    write(tmp_path, "odd.txt", post(f"title: Odd lead\ndate: 2021-01-01\nimage: '{src}'"))
    result = run(tmp_path, images_dir=tmp_path).files[0]
    assert result.status == "created"
    assert any(src in w and "refused" in w for w in result.warnings)
    article = Article.objects.get()
    assert article.lead_image is None
    assert not Image.objects.exists()
    content = client.get(article.get_absolute_url()).content.decode()
    assert src not in content


def test_a_post_whose_only_captioned_picture_is_the_lead_imports(tmp_path):
    body = "<p>Intro</p>" + lazy_image("i-1", LEAD_URL, "Lead", caption_html="The only caption")
    write(tmp_path, "solo.txt", post(f"title: Solo\ndate: 2021-01-01\nimage: {LEAD_URL}", body))
    result = run(tmp_path).files[0]
    assert result.status == "created", result.error
    article = Article.objects.get()
    assert article.lead_caption == "The only caption"
    assert article.lead_image.source_url == LEAD_URL
    assert not article.figures.exists()
    assert LEAD_URL not in article.body
