"""Bodies that would tie up the sanitizer's parser (its time grows with the square of the
nesting depth): flattened by the sanitizer, refused by the admin form, text always kept.

How long the worst case under the size limit takes is measured by bench/sanitize_bench.py.
"""

import lxml.html
import pytest

from articles.admin.forms import ArticleAdminForm
from articles.content import nesting
from articles.content.body import prepare_body
from articles.content.nesting import MAX_DEPTH, bound_nesting, measure
from articles.content.sanitizer import sanitize_html
from articles.importing.cleanup import clean_legacy_html
from tests.content.test_sanitizer import admin_post, editor_client, form_data  # noqa: F401 (a fixture)


def depth_of(html: str) -> int:
    """How deep html nests, parsed by lxml (fine below libxml2's own limit of 2,048 levels)."""
    root = lxml.html.fragment_fromstring(html, create_parent="div", parser=lxml.html.HTMLParser(huge_tree=True))
    return max(sum(1 for _ in element.iterancestors()) for element in root.iter())


def deep_list(levels: int) -> str:
    return "".join(f"<ul><li>item {n}" for n in range(levels)) + "</li></ul>" * levels


def test_a_list_deeper_than_the_limit_is_flattened_with_its_text():
    levels = MAX_DEPTH  # two elements a level: twice the limit
    cleaned = sanitize_html(deep_list(levels))
    assert depth_of(cleaned) <= MAX_DEPTH
    assert all(f"item {n}" in cleaned for n in range(levels))


def test_a_body_within_the_depth_limit_is_left_as_it_is():
    body = deep_list(MAX_DEPTH // 2 - 1)
    assert measure(body).within_limits
    assert bound_nesting(body) == body


def test_the_depth_limit_applies_at_the_limit(monkeypatch):
    monkeypatch.setattr(nesting, "MAX_DEPTH", 10)
    assert bound_nesting("<div>" * 10 + "x") == "<div>" * 10 + "x"
    assert bound_nesting("<div>" * 11 + "x") == "<div>" * 10 + "x"


def test_the_element_limit_applies_and_keeps_the_text(monkeypatch):
    monkeypatch.setattr(nesting, "MAX_ELEMENTS", 50)
    body = "".join(f"<p>paragraph {n}</p>" for n in range(60))
    assert not measure(body).within_limits
    cleaned = sanitize_html(body)
    assert cleaned.count("<p>") == 50
    assert all(f"paragraph {n}" in cleaned for n in range(60))


def test_reopened_formatting_elements_count_as_elements(monkeypatch):
    """A few KB of distinct unclosed <b> inside a <div> make a copy of each in every later paragraph."""
    monkeypatch.setattr(nesting, "MAX_ELEMENTS", 1000)
    body = "<div>" + "".join(f'<b title="{n}">' for n in range(20)) + "</div>" + "<p>x</p>" * 100
    assert measure(body).elements > 1000
    cleaned = sanitize_html(body)
    assert cleaned.count("<b") <= 1000 and cleaned.count("x") == 100


def test_open_formatting_elements_are_limited():
    body = "".join(f'<b title="{n}">{n} ' for n in range(nesting.MAX_FORMATTING + 20))
    cleaned = sanitize_html(body)
    assert cleaned.count("<b") <= nesting.MAX_FORMATTING
    assert all(f"{n} " in cleaned for n in range(nesting.MAX_FORMATTING + 20))


def test_comments_and_quoted_attributes_hide_no_tags_from_the_count():
    # "<!-->" is a whole (empty) comment; a quote not after "=" opens no value.
    for opener in ("<!-->", '<i x">', "<!--->"):
        body = opener + "<div>" * (MAX_DEPTH + 5) + "<p>end</p>" + '"-->'
        assert not measure(body).within_limits, opener


def test_the_importer_path_keeps_the_text_of_a_deep_body():
    cleaned = clean_legacy_html(deep_list(300))
    prepared = prepare_body(cleaned.html)
    assert all(f"item {n}" in prepared.html for n in range(300))
    assert depth_of(prepared.html) <= MAX_DEPTH


@pytest.mark.django_db
def test_the_admin_form_refuses_a_body_nested_too_deeply():
    form = ArticleAdminForm(data=form_data(deep_list(MAX_DEPTH)))
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["body"]] == ["body_too_deep"]


@pytest.mark.django_db
def test_an_admin_post_of_a_deep_body_is_a_form_error(editor_client):  # noqa: F811
    response = admin_post(editor_client, deep_list(MAX_DEPTH))
    assert response.status_code == 200
    assert "The body nests too deeply" in response.content.decode()
