"""A body's anchors, namespaced so they never clash with the page's own ids."""

from __future__ import annotations

import lxml.html

from articles.content.anchors import ANCHOR_PREFIX, namespace_anchors
from articles.content.body import serialize_children


def namespaced(html: str) -> tuple[str, int]:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    changed = namespace_anchors(root)
    return serialize_children(root), changed


def test_the_prefix():
    assert ANCHOR_PREFIX == "body-"


def test_ids_and_the_links_to_them_get_the_prefix():
    html, changed = namespaced('<h2 id="intro">Intro</h2><p><a href="#intro">up</a> <a href="#main">skip</a></p>')
    assert html == '<h2 id="body-intro">Intro</h2><p><a href="#body-intro">up</a> <a href="#main">skip</a></p>'
    assert changed == 2


def test_footnote_links_both_ways():
    html, changed = namespaced(
        '<p>Text<sup><a href="#fn1" id="fnref1">[1]</a></sup></p>'
        '<ol><li id="fn1"><p>Note. <a href="#fnref1">↩</a></p></li></ol>'
    )
    assert html == (
        '<p>Text<sup><a href="#body-fn1" id="body-fnref1">[1]</a></sup></p>'
        '<ol><li id="body-fn1"><p>Note. <a href="#body-fnref1">↩</a></p></li></ol>'
    )
    assert changed == 4


def test_named_anchors_count_as_targets():
    html, changed = namespaced('<p><a name="old">here</a></p><p><a href="#old">back</a></p>')
    assert html == '<p><a name="body-old">here</a></p><p><a href="#body-old">back</a></p>'
    assert changed == 2


def test_links_elsewhere_or_to_nothing_in_the_body_are_left():
    source = (
        '<p><a href="#missing">a</a> <a href="https://example.com/#intro">b</a> '
        '<a href="/page#intro">c</a> <a href="#">d</a> <a>e</a></p><h2 id="intro">Intro</h2>'
    )
    html, changed = namespaced(source)
    assert html == source.replace('id="intro"', 'id="body-intro"')
    assert changed == 1


def test_percent_encoded_links_find_their_target():
    html, _ = namespaced('<h2 id="über">Über</h2><p><a href="#%C3%BCber">up</a></p>')
    assert '<a href="#body-%C3%BCber">' in html and 'id="body-über"' in html


def test_already_namespaced_is_left_and_a_second_run_changes_nothing():
    html, changed = namespaced('<h2 id="body-intro">Intro</h2><p><a href="#body-intro">up</a></p>')
    assert changed == 0
    once, _ = namespaced('<h2 id="a">A</h2><p><a href="#a" id="b">x</a></p>')
    twice, changed = namespaced(once)
    assert twice == once and changed == 0


def test_comments_and_empty_ids_are_skipped():
    html, changed = namespaced('<!-- note --><p id="">x</p>')
    assert changed == 0 and html == '<!-- note --><p id="">x</p>'
