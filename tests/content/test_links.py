"""Links typed without a scheme become https; paths, anchors, files and other schemes stay."""

import pytest

from articles.content.links import with_scheme
from articles.content.sanitizer import sanitize_html


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("example.com", "https://example.com"),
        ("www.example.com/news?id=3#top", "https://www.example.com/news?id=3#top"),
        ("council.gov.uk:8443/minutes", "https://council.gov.uk:8443/minutes"),
        ("//cdn.example.org/a", "https://cdn.example.org/a"),
        ("  example.com ", "https://example.com"),
    ],
)
def test_a_web_address_without_a_scheme_gets_https(typed, stored):
    assert with_scheme(typed) == stored


@pytest.mark.parametrize(
    "href",
    [
        "https://example.com",
        "http://example.com",
        "mailto:desk@example.com",
        "tel:+441234567890",
        "/news/harbour/",
        "#section-2",
        "?page=2",
        "../archive/2019.html",
        "report.pdf",
        "index.html",
        "photo.JPG",
        "notes",
        "v1.2",
    ],
)
def test_links_with_a_scheme_paths_anchors_and_files_stay(href):
    assert with_scheme(href) == href


def test_the_sanitizer_stores_typed_addresses_with_https_and_is_stable():
    once = sanitize_html('<p><a href="example.com/a">A</a> <a href="/b">B</a></p>')
    assert 'href="https://example.com/a"' in once
    assert 'href="/b"' in once
    assert sanitize_html(once) == once
