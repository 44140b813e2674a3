"""Old HTML nests deeper than libxml2's default limit of 255 levels (400 unclosed <font> tags),
or even past the 2,048 levels huge_tree allows; nothing after the deep part may be lost on any
path a body takes."""

import pytest

from articles.content.body import prepare_body
from articles.editorial.revisions import body_lines
from articles.importing import ImportOptions, import_paths
from articles.importing.cleanup import clean_legacy_html
from articles.models import Article
from tests.importing.samples import post, write

DEEP_DIVS = "<p>Before.</p>" + "<div>" * 300 + "<p>Deep down.</p>" + "</div>" * 300 + "<p>After the deep part.</p>"
UNCLOSED_FONTS = "<p>Before.</p>" + "<font>more " * 400 + "<p>After the fonts.</p>" + '<img src="/a.png" alt="A">'
# Past libxml2's hard limit even with huge_tree: it stops parsing at 2,048 levels.
VERY_DEEP = (
    "<p>Before.</p>"
    + "<div><span>" * 1500
    + "<p>Deep down.</p>"
    + "</span></div>" * 1500
    + "<p>After the deep part.</p>"
)


@pytest.mark.parametrize(
    ("body", "last"),
    [(DEEP_DIVS, "After the deep part."), (UNCLOSED_FONTS, "After the fonts."), (VERY_DEEP, "After the deep part.")],
)
def test_cleanup_and_prepare_keep_everything_after_the_deep_part(body, last):
    cleaned = clean_legacy_html(body)
    assert last in cleaned.html
    prepared = prepare_body(cleaned.html)
    assert last in prepared.html and "Before." in prepared.html
    if "<img" in body:
        assert [figure.src for figure in prepared.figures] == ["/a.png"]


@pytest.mark.parametrize("body", [DEEP_DIVS, VERY_DEEP])
def test_revisions_compare_the_whole_of_a_deep_body(body):
    text = " ".join(body_lines(body))
    assert "Deep down." in text and "After the deep part." in text


def test_past_two_thousand_levels_every_word_is_kept():
    cleaned = clean_legacy_html(VERY_DEEP).html
    assert [word in cleaned for word in ("Before.", "Deep down.", "After the deep part.")] == [True] * 3


@pytest.mark.django_db
def test_an_import_of_a_deep_body_keeps_all_of_its_text(tmp_path):
    write(tmp_path, "deep.html", post("title: Deep\ndate: 2021-01-01", UNCLOSED_FONTS))
    report = import_paths([tmp_path], ImportOptions())
    assert report.counts["created"] == 1
    body = Article.objects.get().body
    assert "After the fonts." in body and body.count("more") == 400


@pytest.mark.django_db
def test_an_import_of_a_body_past_two_thousand_levels_keeps_all_of_its_text(tmp_path):
    write(tmp_path, "very-deep.html", post("title: Very deep\ndate: 2021-01-01", VERY_DEEP))
    report = import_paths([tmp_path], ImportOptions())
    assert report.counts["created"] == 1
    body = Article.objects.get().body
    assert "Deep down." in body and "After the deep part." in body
