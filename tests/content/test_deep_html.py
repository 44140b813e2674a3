"""Old HTML nests deeper than libxml2's default limit of 255 levels (400 unclosed <font> tags);
nothing after the deep part may be lost on any path a body takes."""

import pytest

from articles.content.body import prepare_body
from articles.editorial.revisions import body_lines
from articles.importing import ImportOptions, import_paths
from articles.importing.cleanup import clean_legacy_html
from articles.models import Article
from tests.importing.samples import post, write

DEEP_DIVS = "<p>Before.</p>" + "<div>" * 300 + "<p>Deep down.</p>" + "</div>" * 300 + "<p>After the deep part.</p>"
UNCLOSED_FONTS = "<p>Before.</p>" + "<font>more " * 400 + "<p>After the fonts.</p>" + '<img src="/a.png" alt="A">'


@pytest.mark.parametrize(("body", "last"), [(DEEP_DIVS, "After the deep part."), (UNCLOSED_FONTS, "After the fonts.")])
def test_cleanup_and_prepare_keep_everything_after_the_deep_part(body, last):
    cleaned = clean_legacy_html(body)
    assert last in cleaned.html
    prepared = prepare_body(cleaned.html)
    assert last in prepared.html and "Before." in prepared.html
    if "<img" in body:
        assert [figure.src for figure in prepared.figures] == ["/a.png"]


def test_revisions_compare_the_whole_of_a_deep_body():
    assert "After the deep part." in " ".join(body_lines(DEEP_DIVS))


@pytest.mark.django_db
def test_an_import_of_a_deep_body_keeps_all_of_its_text(tmp_path):
    write(tmp_path, "deep.html", post("title: Deep\ndate: 2021-01-01", UNCLOSED_FONTS))
    report = import_paths([tmp_path], ImportOptions())
    assert report.counts["created"] == 1
    body = Article.objects.get().body
    assert "After the fonts." in body and body.count("more") == 400
