"""What a legacy file means: decoding, front matter, field mapping and body cleanup.

No database, but for one end-to-end check that an imported file keeps the feeds working."""

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import feedparser
import pytest

from articles.importing import ImportOptions, import_paths
from articles.importing.cleanup import clean_legacy_html, same_image
from articles.importing.parsing import (
    LegacyFileError,
    decode,
    is_post_file,
    json_safe,
    load_front_matter,
    parse_post,
    split_front_matter,
)
from articles.models import Article
from tests.importing.samples import (
    LEAD_CAPTION,
    LEAD_URL,
    PLACEHOLDER,
    SECOND_CAPTION,
    SECOND_URL,
    SEED_EPOCH,
    SEED_STANDFIRST,
    SEED_TITLE,
    THIRD_CAPTION,
    THIRD_URL,
    lazy_image,
    post,
    seed_post,
    write,
)

UTC = dt.UTC


def parse(text: str | bytes, suffix: str = ".txt"):
    return parse_post(text.encode("utf-8") if isinstance(text, str) else text, suffix=suffix)


def failure(text: str | bytes, suffix: str = ".txt") -> str:
    with pytest.raises(LegacyFileError) as caught:
        parse(text, suffix)
    return str(caught.value)


# --- Decoding ---------------------------------------------------------------


def test_utf8_with_a_byte_order_mark_reads_like_without():
    warnings = []
    text = decode(b"\xef\xbb\xbf---\ntitle: Caf\xc3\xa9\n---\n", warnings)
    assert text == "---\ntitle: Caf\u00e9\n---\n"
    assert warnings == []
    assert parse(b"\xef\xbb\xbf" + post("title: Caf\u00e9\ndate: 2021-01-01").encode()).title == "Caf\u00e9"


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr-only"])
def test_windows_and_old_mac_line_endings_become_lf(newline):
    text = post("title: Tides\ndate: 2021-01-01\ndescription: High water at noon", "<p>One</p>\n<p>Two</p>\n")
    parsed = parse(text.replace("\n", newline))
    assert parsed.title == "Tides"
    assert parsed.standfirst == "High water at noon"
    assert "\r" not in parsed.body_html
    assert parsed.body_html == "<p>One</p>\n<p>Two</p>\n"


def test_windows_1252_is_read_with_a_warning():
    raw = post("title: Caf\u00e9 \u2019round the corner\ndate: 2021-01-01", "<p>Cr\u00e8me \u2013 br\u00fbl\u00e9e</p>")
    parsed = parse(raw.encode("cp1252"))
    assert parsed.title == "Caf\u00e9 \u2019round the corner"
    assert parsed.body_html == "<p>Cr\u00e8me \u2013 br\u00fbl\u00e9e</p>"
    assert "not valid UTF-8: read as Windows-1252" in parsed.warnings


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused():
    message = failure(b"---\ntitle: x\x81\x8d\x8f\x90\x9d\n---\n")
    assert "undecodable bytes" in message
    assert "neither UTF-8 nor Windows-1252" in message


def test_nul_bytes_are_refused():
    assert "NUL" in failure("---\ntitle: x\n---\n".encode("utf-16"))


# --- Front matter ---------------------------------------------------------------


def test_empty_file_is_refused():
    assert failure(b"") == "empty file"
    assert failure(b"  \n\n") == "empty file"


def test_file_without_front_matter_is_skipped_as_no_post_with_the_reason():
    parsed = parse("<p>Just a body</p>\n")
    assert parsed.kind == "skip"
    assert "no front matter" in parsed.note and "not a post" in parsed.note


def test_front_matter_without_its_closing_line_is_refused():
    assert "not closed" in failure("---\ntitle: Open ended\ndate: 2021-01-01\n<p>Body</p>\n")


def test_delimiters_with_trailing_spaces_are_accepted():
    _, front, body = split_front_matter("--- \ntitle: x \n---  \nbody\n")
    assert front == "title: x \n"
    assert body == "body\n"


def test_malformed_yaml_reports_the_line_number_in_the_file():
    text = post("title: Fine\ndescription: ok\n  bad: indentation\ndate: 2021-01-01")
    message = failure(text)
    assert message.startswith("malformed YAML at line 4")  # line 1 is the opening '---'


def test_unsafe_yaml_tag_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    text = post(f"title: !!python/object/apply:os.system ['touch {marker}']")
    message = failure(text)
    assert "unsafe or unknown YAML tag at line 2" in message
    assert not marker.exists()


def test_front_matter_that_is_a_list_is_refused():
    assert "front matter is a list, not a mapping" in failure(post("- title\n- date"))


def test_alias_bomb_is_refused():
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    lines.append("title: *i")
    assert "alias bomb" in failure(post("\n".join(lines)))


def test_oversized_front_matter_is_refused(settings):
    settings.NEWSROOM_IMPORT_MAX_FRONT_MATTER_BYTES = 100
    assert parse(post("title: Short\ndate: 2021-01-01")).title == "Short"
    message = failure(post(f"title: Long\ndescription: {'x' * 200}"))
    assert message == "front matter is larger than 100 bytes"


def test_oversized_file_is_refused(settings):
    settings.NEWSROOM_IMPORT_MAX_FILE_BYTES = 1000
    assert failure(post("title: Big\ndate: 2021-01-01", "<p>" + "x" * 2000 + "</p>")) == (
        "file is larger than 1,000 bytes"
    )


@pytest.mark.parametrize("title", ["[one, two]", "{main: Harbour}", "true"])
def test_title_that_is_not_text_is_refused(title):
    assert "title is not text" in failure(post(f"title: {title}\ndate: 2021-01-01"))


def test_missing_title_is_refused():
    assert failure(post("date: 2021-01-01")) == "no title"


@pytest.mark.parametrize("title", ['"&nbsp;"', "' &#160; &nbsp;&#32; '", '"\\x01\\x13 \\x15"'])
def test_title_of_only_entities_spaces_or_control_characters_is_no_title(title):
    # The same as no title at all, not a live article with a blank headline and slug "untitled".
    assert failure(post(f"title: {title}\ndate: 2021-01-01")) == "no title"


def test_title_from_a_folded_scalar_is_trimmed_and_entities_decoded_once():
    parsed = parse(post("title: >  \n  Fish &amp;amp; chips &#8217;n&#8217; peas   \n\ndate: 2021-01-01"))
    assert parsed.title == "Fish &amp; chips \u2019n\u2019 peas"


# --- Dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1600000000", dt.datetime(2020, 9, 13, 12, 26, 40, tzinfo=UTC)),
        ("1603335066.0363603", dt.datetime(2020, 10, 22, 2, 51, 6, 36360, tzinfo=UTC)),
        (repr(SEED_EPOCH), dt.datetime(2021, 5, 3, 15, 2, 3, 456789, tzinfo=UTC)),
        ("2021-05-03", dt.datetime(2021, 5, 3, tzinfo=UTC)),
        ("2021-05-03 14:30:00", dt.datetime(2021, 5, 3, 14, 30, tzinfo=UTC)),
        ("2021-05-03 14:30:00+02:00", dt.datetime(2021, 5, 3, 12, 30, tzinfo=UTC)),
        ("'2021-05-03T14:30:00Z'", dt.datetime(2021, 5, 3, 14, 30, tzinfo=UTC)),
        ("'2021-05-03T14:30:00-05:00'", dt.datetime(2021, 5, 3, 19, 30, tzinfo=UTC)),
        ("'2021-05-03T14:30:00'", dt.datetime(2021, 5, 3, 14, 30, tzinfo=UTC)),
        ("'1603335066.5'", dt.datetime(2020, 10, 22, 2, 51, 6, 500000, tzinfo=UTC)),
    ],
    ids=[
        "epoch-int",
        "epoch-float",
        "epoch-float-seed",
        "yaml-date",
        "yaml-naive-datetime",
        "yaml-datetime-offset",
        "iso-z",
        "iso-offset",
        "iso-naive",
        "epoch-string",
    ],
)
def test_every_date_form_becomes_an_exact_utc_datetime(value, expected):
    parsed = parse(post(f"title: Dated\ndate: {value}"))
    assert parsed.publish_at == expected
    assert parsed.publish_at.utcoffset() == dt.timedelta(0)
    assert parsed.draft is False


@pytest.mark.parametrize("value", ["next tuesday", "true", "[2021]", "99999999999999999999"])
def test_a_date_that_is_not_a_date_is_refused(value):
    assert "date" in failure(post(f"title: Dated\ndate: {value}"))


def test_missing_date_makes_a_draft_with_a_warning():
    parsed = parse(post("title: Undated"))
    assert parsed.publish_at is None
    assert parsed.draft is True
    assert "no date: imported as a draft" in parsed.warnings


@pytest.mark.parametrize("flag", ["published: false", "draft: true"])
def test_unpublished_flags_make_a_draft(flag):
    parsed = parse(post(f"title: Held back\ndate: 2021-01-01\n{flag}"))
    assert parsed.draft is True
    assert parsed.publish_at == dt.datetime(2021, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("flag", ["published: true", "draft: false"])
def test_published_flags_keep_a_post_published(flag):
    assert parse(post(f"title: Out\ndate: 2021-01-01\n{flag}")).draft is False


# --- Fields ------------------------------------------------------------------------


def test_keywords_from_a_comma_string_categories_and_tags_are_trimmed_and_deduplicated():
    parsed = parse(
        post(
            "title: Tagged\ndate: 2021-01-01\n"
            "keywords: ' Harbour,  Ferries ,harbour, , Island Life '\n"
            "categories: [ferries, Weather]\n"
            "tags:\n  - ISLAND LIFE\n  - Tides\n  - weather"
        )
    )
    assert parsed.keywords == ["Harbour", "Ferries", "Island Life", "Weather", "Tides"]


def test_keywords_as_a_yaml_list():
    parsed = parse(post("title: Tagged\ndate: 2021-01-01\nkeywords:\n  - Harbour\n  - ' Tides '\n  - harbour"))
    assert parsed.keywords == ["Harbour", "Tides"]


def test_keywords_that_are_not_text_are_skipped_with_a_warning():
    parsed = parse(post("title: Tagged\ndate: 2021-01-01\nkeywords: [Harbour, {a: b}]\ntags: 7"))
    assert parsed.keywords == ["Harbour"]
    assert any("'keywords' has a value that is not text" in w for w in parsed.warnings)
    assert any("'tags' is neither text nor a list" in w for w in parsed.warnings)


def test_description_becomes_the_standfirst():
    parsed = parse(post("title: T\ndate: 2021-01-01\ndescription: >\n  Two lines\n  folded &amp; decoded\nexcerpt: no"))
    assert parsed.standfirst == "Two lines folded & decoded"


def test_excerpt_is_the_standfirst_when_description_is_missing():
    parsed = parse(post("title: T\ndate: 2021-01-01\nexcerpt: The short version."))
    assert parsed.standfirst == "The short version."


def test_text_before_the_more_marker_is_the_standfirst_when_both_are_missing():
    parsed = parse(post("title: T\ndate: 2021-01-01", "<p>The <em>opening</em> lines.</p><!-- more --><p>Rest.</p>"))
    assert parsed.standfirst == "The opening lines."
    assert "more" not in parsed.body_html
    assert parsed.body_html == "<p>The <em>opening</em> lines.</p><p>Rest.</p>"


def test_markdown_more_marker_gives_the_standfirst_too():
    parsed = parse(post("title: T\ndate: 2021-01-01", "First *bold* claim.<!-- more -->\n\n## Then\n"), ".md")
    assert parsed.standfirst == "First bold claim."


def test_description_false_counts_as_missing_with_a_warning():
    parsed = parse(post("title: T\ndate: 2021-01-01\ndescription: false\nexcerpt: From the excerpt."))
    assert parsed.standfirst == "From the excerpt."
    assert any("'description' is not text" in w and "treated as missing" in w for w in parsed.warnings)


def test_no_standfirst_at_all_is_empty():
    assert parse(post("title: T\ndate: 2021-01-01", "<p>Body only.</p>")).standfirst == ""


@pytest.mark.parametrize(
    ("front_matter", "authors"),
    [
        ("author: Ann Lee", ["Ann Lee"]),
        ("author: {name: Ann Lee, email: a@example.org}", ["Ann Lee"]),
        ("author: [Ann Lee, Bo Ek]", ["Ann Lee", "Bo Ek"]),
        ("authors: Ann Lee, Bo Ek", ["Ann Lee", "Bo Ek"]),
        ("authors: [{name: Ann Lee}, Bo Ek]", ["Ann Lee", "Bo Ek"]),
        ("authors: [Bo Ek, ann lee]\nauthor: Ann Lee", ["Bo Ek", "ann lee"]),  # one per slug, in order
    ],
)
def test_author_and_authors_name_the_authors(front_matter, authors):
    parsed = parse(post(f"title: T\ndate: 2021-01-01\n{front_matter}"))
    assert (parsed.authors, parsed.byline) == (authors, "")


@pytest.mark.parametrize("key", ["byline", "by"])
def test_byline_and_by_stay_free_text(key):
    parsed = parse(post(f"title: T\ndate: 2021-01-01\n{key}: Reuters"))
    assert (parsed.authors, parsed.byline) == ([], "Reuters")


def test_a_post_names_at_most_twenty_authors():
    names = ", ".join(f"Writer {n}" for n in range(25))
    parsed = parse(post(f"title: T\ndate: 2021-01-01\nauthors: {names}"))
    assert len(parsed.authors) == 20
    assert "25 authors: the first 20 kept, the rest dropped" in parsed.warnings


@pytest.mark.parametrize("key", ["image", "cover_image"])
def test_image_and_cover_image_give_the_lead_image(key):
    assert parse(post(f"title: T\ndate: 2021-01-01\n{key}: /assets/img/cover.png")).lead_src == "/assets/img/cover.png"


def test_permalink_gives_the_legacy_url_and_the_preferred_slug():
    parsed = parse(post("title: T\ndate: 2021-01-01\npermalink: /blog/2019/old-pier-story/"))
    assert parsed.legacy_url == "/blog/2019/old-pier-story"
    assert parsed.preferred_slug == "old-pier-story"


def test_slug_wins_over_the_permalink_for_the_preferred_slug():
    parsed = parse(post("title: T\ndate: 2021-01-01\npermalink: /p/123\nslug: pier-story"))
    assert parsed.preferred_slug == "pier-story"
    assert parsed.legacy_url == "/p/123"


@pytest.mark.parametrize("number", [".inf", "-.inf", ".nan"])
def test_infinite_and_nan_numbers_are_kept_as_null_metadata(number):
    parsed = parse(post(f"title: T\ndate: 2021-01-01\nweight: {number}\nscores: [1.5, {number}]"))
    assert parsed.metadata["weight"] is None
    assert parsed.metadata["scores"] == [1.5, None]
    json.dumps(parsed.metadata, allow_nan=False)  # what a JSON column accepts


def test_json_safe_turns_every_non_finite_float_into_null():
    assert json_safe({"a": float("inf"), "b": [float("-inf"), float("nan")], "c": 2.5}) == {
        "a": None,
        "b": [None, None],
        "c": 2.5,
    }


def test_layout_and_unknown_keys_are_kept_as_metadata():
    parsed = parse(
        post(
            "extends: _layouts.post\nsection: content\ntitle: T\ndate: 2021-05-03 10:00:00\n"
            "featured: true\nlanguage: en\nweird: {nested: [1, 2.5]}"
        )
    )
    assert parsed.kind == "post"
    assert parsed.metadata == {
        "extends": "_layouts.post",
        "section": "content",
        "title": "T",
        "date": "2021-05-03T10:00:00",
        "featured": True,
        "language": "en",
        "weird": {"nested": [1, 2.5]},
    }


def test_category_file_is_recognised():
    parsed = parse(post("extends: _layouts.category\ntitle: Feature\ndescription: New features."), ".md")
    assert parsed.kind == "category"
    assert (parsed.title, parsed.standfirst) == ("Feature", "New features.")


@pytest.mark.parametrize("layout", ["extends: _layouts.page", "layout: home"])
def test_other_layouts_are_skipped_with_a_note(layout):
    parsed = parse(post(f"{layout}\ntitle: About us"))
    assert parsed.kind == "skip"
    assert "is not a post" in parsed.note


def test_markdown_body_is_rendered():
    body = "## Harbour news\n\nThe *tide* was **high**.\n\n- one\n- two\n\n```\nprint('hi')\n```\n"
    html = parse(post("title: T\ndate: 2021-01-01", body), ".md").body_html
    assert '<h2 id="harbour-news">Harbour news</h2>' in html  # an auto id, namespaced later by cleanup
    assert "<em>tide</em>" in html
    assert "<strong>high</strong>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<pre><code>print('hi')\n</code></pre>" in html


def test_txt_and_html_bodies_are_not_markdown():
    assert parse(post("title: T\ndate: 2021-01-01", "*not emphasis*"), ".txt").body_html == "*not emphasis*"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("post.md", True),
        ("post.markdown", True),
        ("post.TXT", True),
        ("dir/post.html", True),
        ("cover.png", False),
        (".DS_Store", False),
        (".hidden/post.md", False),
        ("notes", False),
    ],
)
def test_which_files_are_posts(path, expected):
    from pathlib import PurePosixPath

    assert is_post_file(PurePosixPath(path)) is expected


def test_front_matter_that_is_empty_is_an_empty_mapping():
    assert load_front_matter("") == {}
    assert load_front_matter("# only a comment\n") == {}


# --- Characters XML 1.0 cannot carry -------------------------------------------------

# C0 controls but tab, LF and CR, U+FFFE, U+FFFF: one in a title or standfirst makes the feeds fail.
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# A story pasted from Word: field codes (\x13 instruction \x14 result \x15), a manual line
# break (\x0b) and a stray bell, in the body before the more marker and, as YAML escapes, in the front matter.
WORD_POST = post(
    'title: "Council\\x01 votes\\x0bon the \\x13 pier \\x15\\uFFFE"\n'
    "date: 2021-01-01\n"
    'author: "Ann\\x07 Lee"\n'
    'tags: ["Harbour\\x13", "\\x1fPier works"]\n'
    'newsroom_section: {name: "Local\\x02 news", slug: local}',
    'Read the \x13 HYPERLINK "https://example.org/report" \x14council report\x15 before Friday.\x0b'
    "It runs to 40 pages.\x07\n<!-- more -->\n\nThe rest of the story.\n",
)


def plain_text_fields(parsed) -> list[str]:
    """Every text field the importer makes from a file but the body (which the sanitizer cleans)."""
    values = []
    for item in dataclasses.fields(parsed):
        value = getattr(parsed, item.name)
        if isinstance(value, str) and item.name != "body_html":
            values.append(value)
        elif isinstance(value, list | tuple):  # keywords, warnings, section
            values.extend(v for v in value if isinstance(v, str))
    return values


def test_control_characters_are_dropped_from_title_and_standfirst():
    parsed = parse(post('title: "Tide\\x01 tables\\x13"\ndate: 2021-01-01\ndescription: "High\\x07 water \\uFFFF"'))
    assert parsed.title == "Tide tables"
    assert parsed.standfirst == "High water"


def test_word_field_codes_leave_no_control_characters_in_any_plain_text_field():
    parsed = parse(WORD_POST, ".md")
    assert parsed.title == "Council votes on the pier"
    assert (
        parsed.standfirst
        == 'Read the HYPERLINK "https://example.org/report" council report before Friday. It runs to 40 pages.'
    )
    assert parsed.authors == ["Ann Lee"]
    assert parsed.keywords == ["Harbour", "Pier works"]
    assert parsed.section == ("Local news", "local")
    fields = plain_text_fields(parsed)
    assert parsed.title in fields and parsed.standfirst in fields and "Pier works" in fields
    assert not [value for value in fields if XML_UNSAFE.search(value)]


@pytest.mark.django_db
def test_an_imported_post_with_control_characters_keeps_the_feeds_working(tmp_path, client):
    write(tmp_path, "word.md", WORD_POST)
    report = import_paths([Path(tmp_path)], ImportOptions())
    assert [result.status for result in report.files] == ["created"]
    article = Article.objects.get()
    assert article.is_live
    assert article.title == "Council votes on the pier"
    for url in ["/feed/", "/feed/atom/", "/keywords/harbour/feed/", "/sections/local/feed/atom/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        assert [entry.title for entry in feed.entries] == ["Council votes on the pier"], url


# --- The seed-shaped file, parsed and cleaned -------------------------------------


def test_seed_shaped_file_parses():
    parsed = parse(seed_post())
    assert parsed.kind == "post"
    assert parsed.title == SEED_TITLE
    assert parsed.standfirst == SEED_STANDFIRST
    assert parsed.lead_src == LEAD_URL
    assert parsed.keywords == ["ferry", "island", "Marigold", "harbour"]
    assert parsed.publish_at == dt.datetime(2021, 5, 3, 15, 2, 3, 456789, tzinfo=UTC)
    assert parsed.metadata["extends"] == "_layouts.post"
    assert parsed.metadata["section"] == "content"


def test_seed_shaped_body_is_cleaned():
    parsed = parse(seed_post())
    cleaned = clean_legacy_html(parsed.body_html, lead_src=parsed.lead_src)
    assert "data:" not in cleaned.html
    assert "imageCaption" not in cleaned.html
    assert "html_snippet" not in cleaned.html
    assert LEAD_URL not in cleaned.html  # shown once, as the lead image
    assert cleaned.lead_caption == LEAD_CAPTION
    assert cleaned.lead_alt == "The ferry leaving"
    assert cleaned.sources == [SECOND_URL, THIRD_URL]
    assert cleaned.html.count("<figure>") == 2
    assert figcaptions(cleaned.html) == [SECOND_CAPTION, THIRD_CAPTION]
    assert f"<figcaption>{SECOND_CAPTION.replace('&', '&amp;')}</figcaption>" in cleaned.html
    assert "lazy-load placeholders merged: 3" in cleaned.actions
    assert "captions attached: 3" in cleaned.actions
    assert "lead image not repeated in the body: 1" in cleaned.actions
    assert "pictures kept: 2" in cleaned.actions


# --- Cleanup rules one by one ---------------------------------------------------------


def figcaptions(html: str) -> list[str]:
    import lxml.html

    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [figure.findtext("figcaption") for figure in root.iter("figure")]


def test_placeholders_are_merged_and_each_caption_goes_to_its_picture_in_order():
    html = (
        lazy_image("i-1", SECOND_URL, "Deck", caption_html="Crew &amp;amp; passengers &#8217;74")
        + "<p>Between.</p>"
        + lazy_image("i-2", THIRD_URL, "Pier", caption_html="The pier")
    )
    cleaned = clean_legacy_html(html)
    assert "data:" not in cleaned.html
    assert cleaned.html.count("<img") == 2
    assert figcaptions(cleaned.html) == ["Crew &amp; passengers \u201974", "The pier"]
    assert cleaned.sources == [SECOND_URL, THIRD_URL]
    assert "lazy-load placeholders merged: 2" in cleaned.actions
    assert "captions attached: 2" in cleaned.actions


def test_control_characters_in_captions_and_alt_text_are_dropped_not_fatal():
    # lxml reads &#1; as the character, then refuses to write it into a new figcaption.
    html = (
        '<img src="https://example.org/a.jpg" alt="Boats&#1; at dawn"><p class="imageCaption">Boats&#1; at dawn\x13</p>'
    )
    cleaned = clean_legacy_html(html, lead_src="https://example.org/a.jpg")
    assert cleaned.lead_alt == "Boats at dawn"
    assert cleaned.lead_caption == "Boats at dawn"


def test_a_data_image_without_a_real_twin_is_removed_too():
    cleaned = clean_legacy_html(f'<p>x</p><img src="{PLACEHOLDER}" alt="">')
    assert "data:" not in cleaned.html
    assert "data: images removed: 1" in cleaned.actions


def test_a_picture_without_a_caption_becomes_a_figure_without_caption():
    html = (
        lazy_image("i-1", SECOND_URL, "Deck")
        + "<p>Text.</p>"
        + lazy_image("i-2", THIRD_URL, "Pier", caption_html="Pier")
    )
    cleaned = clean_legacy_html(html)
    # The caption after the second picture is the second picture's, not the first's.
    assert figcaptions(cleaned.html) == ["Pier"]
    assert cleaned.sources == [SECOND_URL, THIRD_URL]
    assert cleaned.html.index(SECOND_URL) < cleaned.html.index("<figure>")


def test_tracking_pixel_is_removed():
    cleaned = clean_legacy_html('<p>Story<img src="https://track.example.net/p.gif?id=9" width="1" height="1"></p>')
    assert "track.example.net" not in cleaned.html
    assert cleaned.html == "<p>Story</p>"
    assert "tracking pixels removed: 1" in cleaned.actions


def test_empty_snippet_and_clear_paragraphs_are_removed():
    cleaned = clean_legacy_html('<p>Kept</p><p class="home item html_snippet module">  </p> <p class="clear"></p>')
    assert "html_snippet" not in cleaned.html
    assert "clear" not in cleaned.html
    assert "Kept" in cleaned.html
    assert "empty elements removed: 2" in cleaned.actions


def test_style_link_noscript_script_and_comments_are_removed():
    cleaned = clean_legacy_html(
        "<style>p { color: red }</style><link rel='stylesheet' href='/x.css'>"
        "<p>Kept<!-- a comment --> text</p><noscript><img src='https://ads.example.net/n.gif'></noscript>"
        "<script>alert('x')</script>"
    )
    assert cleaned.html == "<p>Kept text</p>"
    for action in ["comments removed: 1", "<style> elements removed: 1", "<link> elements removed: 1"]:
        assert action in cleaned.actions
    assert "<noscript> elements removed: 1" in cleaned.actions
    assert "<script> elements removed: 1" in cleaned.actions


def test_caption_without_a_picture_is_kept_as_plain_text():
    cleaned = clean_legacy_html('<p class="imageCaption">Lonely words</p>')
    assert cleaned.html == "<p>Lonely words</p>"
    assert "captions without a picture kept as text: 1" in cleaned.actions


def test_the_lead_image_is_not_repeated_and_its_caption_is_the_lead_caption():
    html = "<p>Intro</p>" + lazy_image("i-1", LEAD_URL, "Lead", caption_html="Lead &amp; caption")
    cleaned = clean_legacy_html(html, lead_src=LEAD_URL.replace("https:", "http:") + "?w=640")
    assert LEAD_URL not in cleaned.html
    assert cleaned.html.strip() == "<p>Intro</p>"
    assert cleaned.lead_caption == "Lead & caption"
    assert cleaned.sources == []


def test_a_first_image_that_is_not_the_lead_stays():
    cleaned = clean_legacy_html(lazy_image("i-1", SECOND_URL, "Deck", caption_html="Deck"), lead_src=LEAD_URL)
    assert cleaned.sources == [SECOND_URL]
    assert cleaned.lead_caption == ""


def test_same_image_ignores_scheme_and_query():
    assert same_image("https://images.example.org/a.jpg?w=1", "http://IMAGES.example.org/a.jpg")
    assert not same_image("https://images.example.org/a.jpg", "https://images.example.org/b.jpg")
    assert not same_image("", "")


def test_site_relative_links_stay_relative_by_default():
    cleaned = clean_legacy_html('<p><a href="/news/tides.html">Tides</a> <img src="/img/a.png"></p>')
    assert 'href="/news/tides.html"' in cleaned.html
    assert cleaned.sources == ["/img/a.png"]


def test_site_relative_links_become_absolute_with_a_base_url():
    cleaned = clean_legacy_html(
        '<p><a href="/news/tides.html">Tides</a> <a href="//cdn.example.org/x">x</a>'
        ' <a href="https://other.example.org/">o</a> <img src="/img/a.png"></p>',
        base_url="https://old.example.org",
    )
    assert 'href="https://old.example.org/news/tides.html"' in cleaned.html
    assert 'href="//cdn.example.org/x"' in cleaned.html
    assert 'href="https://other.example.org/"' in cleaned.html
    assert cleaned.sources == ["https://old.example.org/img/a.png"]
    assert "site-relative links made absolute: 2" in cleaned.actions


def test_empty_body_stays_empty():
    assert clean_legacy_html("  \n").html == ""


@pytest.mark.parametrize(
    ("src", "reason"),
    [
        ("data:image/gif;base64,R0lGOD", "not an http(s) or site-relative address: refused"),
        ("javascript:alert(1)", "not an http(s) or site-relative address: refused"),
        ("file:///etc/passwd", "not an http(s) or site-relative address: refused"),
        ("../../etc/passwd", "outside the import folder: refused"),
    ],
)
def test_a_lead_image_that_is_not_a_web_address_is_refused_with_a_warning(src, reason):
    parsed = parse(post(f"title: T\ndate: 2021-01-01\ncover_image: '{src}'"))
    assert parsed.lead_src == ""
    assert any(reason in w for w in parsed.warnings)


@pytest.mark.parametrize("src", ["https://images.example.org/a.jpg", "HTTP://images.example.org/a.jpg", "/img/a.png"])
def test_web_and_site_relative_lead_images_are_kept(src):
    assert parse(post(f"title: T\ndate: 2021-01-01\nimage: '{src}'")).lead_src == src
