"""The legacy sites' Markdown extras, each from its tool's documented syntax.

Sources of the inputs: kramdown's syntax reference (IALs, footnotes, abbreviations,
definition lists, header ids), Hugo's "Markdown attributes" page and Goldmark's
extensions, Python-Markdown's and MkDocs Material's admonitions, GitHub's alerts.
No database: render_markdown() is a pure function.
"""

from __future__ import annotations

from urllib.parse import unquote

import lxml.html
import pytest
from django.test.html import parse_html

from articles.content.anchors import namespace_anchors
from articles.content.body import serialize_children
from articles.content.sanitizer import sanitize_html
from articles.importing.markdown import heading_slug, render_markdown
from articles.importing.parsing import render_body

# What must never reach a reader as text: the syntax of an extra that was not rendered.
RESIDUE = ("{:", "*[", "[^1]", "!!!", "[!NOTE]", "[!WARNING]", "newsroom-attributes")


def rendered(markdown: str):
    """render_markdown's output as Django's HTML tree (attribute order does not matter)."""
    html = render_markdown(markdown)
    for residue in RESIDUE:
        assert residue not in html, f"{residue!r} left in {html!r}"
    return html


def assert_html(markdown: str, expected: str) -> None:
    assert parse_html(rendered(markdown)) == parse_html(expected)


# --- CommonMark as before --------------------------------------------------------------------------


def test_commonmark_tables_strikethrough_and_raw_html_as_before():
    markdown = "Plain *text* ~~gone~~ <span>raw</span>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert_html(
        markdown,
        "<p>Plain <em>text</em> <s>gone</s> <span>raw</span></p>"
        "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
    )


def test_render_body_uses_render_markdown_for_markdown_files_only():
    assert render_body("Term\n: Definition\n", ".md") == render_markdown("Term\n: Definition\n")
    assert render_body("Term\n: Definition\n", ".html") == "Term\n: Definition\n"


# --- footnotes (kramdown, Goldmark, markdown-it-footnote share the syntax) ------------------------


def test_footnotes():
    markdown = "This is some text.[^1] Other text.[^footnote]\n\n[^1]: Some *crazy* footnote definition.\n\n[^footnote]: Another.\n"
    html = rendered(markdown)
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    references = root.xpath("//sup/a")
    assert [a.get("href") for a in references] == ["#fn1", "#fn2"]
    assert [a.get("id") for a in references] == ["fnref1", "fnref2"]
    notes = root.xpath("//ol/li")
    assert [li.get("id") for li in notes] == ["fn1", "fn2"]
    assert notes[0].text_content().startswith("Some crazy footnote definition.")
    assert notes[0].xpath(".//a/@href") == ["#fnref1"]
    assert "[^footnote]" not in html


# --- definition lists (kramdown, Goldmark, PHP Markdown Extra) ----------------------------------


def test_definition_lists():
    markdown = "kramdown\n: A Markdown-superset converter\n\nMaruku\n: Another Markdown-superset converter\n: Written in Ruby\n"
    assert_html(
        markdown,
        "<dl><dt>kramdown</dt><dd>A Markdown-superset converter</dd>"
        "<dt>Maruku</dt><dd>Another Markdown-superset converter</dd><dd>Written in Ruby</dd></dl>",
    )


# --- heading ids -----------------------------------------------------------------------------------


def test_heading_ids_are_made_unique_and_keep_letters_of_any_script():
    markdown = "## My Heading\n\n## My Heading\n\n### Maître d'hôtel\n\n## Привет, мир!\n\n## 1.0?!\n\n## ???\n"
    assert_html(
        markdown,
        '<h2 id="my-heading">My Heading</h2><h2 id="my-heading-1">My Heading</h2>'
        '<h3 id="maître-dhôtel">Maître d\'hôtel</h3><h2 id="привет-мир">Привет, мир!</h2>'
        '<h2 id="10">1.0?!</h2><h2 id="section">???</h2>',
    )


def test_heading_slug_is_githubs():
    assert heading_slug("Hello, World & *you*") == "hello-world--you"
    assert heading_slug("  Spaces  ") == "spaces"


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param("## Hello {#custom}\n", id="kramdown-and-goldmark"),
        pytest.param("## Hello {#custom .big}\n", id="pandoc-with-class"),
        pytest.param("## Hello\n{: #custom}\n", id="kramdown-block-ial"),
        pytest.param("## Hello\n{#custom}\n", id="hugo-block-attribute"),
        pytest.param("{#custom}\n## Hello\n", id="attrs-plugin-before"),
        pytest.param("Hello {#custom}\n-----\n", id="setext"),
        pytest.param("> ## Hello {#custom}\n", id="in-a-quote"),
    ],
)
def test_an_explicit_heading_id_wins(markdown):
    root = lxml.html.fragment_fromstring(rendered(markdown), create_parent="div")
    (heading,) = root.xpath("//h2")
    assert "{" not in heading.text_content()
    assert heading.get("id") == "custom"
    assert heading.text_content() == "Hello"


def test_generated_ids_step_around_explicit_ones():
    html = rendered("## Intro\n\n## Other {#intro}\n")
    assert 'id="intro-1">Intro' in html and 'id="intro">Other' in html


# --- attribute lists -------------------------------------------------------------------------------


def test_kramdown_block_ials_apply_to_the_block_before_them():
    markdown = (
        "A simple paragraph with an ID attribute.\n{: #para-one}\n\n"
        '> A blockquote with a title\n{:title="The blockquote title"}\n{: #myid}\n\n'
        "![A picture](pic.jpg)\n{:.center}\n\n"
        "* one\n* two\n{: .list}\n"
    )
    assert_html(
        markdown,
        '<p id="para-one">A simple paragraph with an ID attribute.</p>'
        '<blockquote id="myid" title="The blockquote title"><p>A blockquote with a title</p></blockquote>'
        '<p class="center"><img src="pic.jpg" alt="A picture"></p>'
        '<ul class="list"><li>one</li><li>two</li></ul>',
    )


def test_kramdown_ial_before_a_block_after_a_blank_line_applies_to_the_next_block():
    assert_html(
        "Before.\n\n{: .lead #intro}\nThe paragraph.\n", '<p>Before.</p><p class="lead" id="intro">The paragraph.</p>'
    )


def test_kramdown_ial_after_fenced_code_and_a_table():
    markdown = "```ruby\nputs 1\n```\n{: #code}\n\n| a |\n|---|\n| 1 |\n{: #numbers}\n"
    root = lxml.html.fragment_fromstring(rendered(markdown), create_parent="div")
    assert root.xpath("//pre/code/@id") == ["code"]
    assert root.xpath("//table/@id") == ["numbers"]


def test_kramdown_span_ials():
    markdown = '*emphasized*{:.red} **bold**{: #important} [link](https://example.com){:title="Go"} `code`{:.ruby} word{:.lost}\n'
    assert_html(
        markdown,
        '<p><em class="red">emphasized</em> <strong id="important">bold</strong> '
        '<a href="https://example.com" title="Go">link</a> <code class="ruby">code</code> word</p>',
    )


def test_kramdown_only_syntax_never_shows():
    markdown = (
        "{:ref: .special}\n\n"
        "{::comment}\nHidden from readers.\n{:/comment}\n\n"
        '{::options parse_block_html="true" /}\n\n'
        "* {:.cls} An item\n\n"
        "Unreadable.\n{: .a foo='bar'  }\n\n"
        "Reference only.\n{: ref}\n"
    )
    html = rendered(markdown)
    assert "Hidden" not in html and "options" not in html and "ref" not in html
    assert "An item" in html and "Unreadable." in html and "Reference only." in html


def test_kramdown_toc_placeholder_is_removed():
    assert_html("* Table of contents\n{:toc}\n\n## First\n", '<h2 id="first">First</h2>')


def test_hugo_block_attributes_after_the_block():
    markdown = 'This is a paragraph.\n{class="foo bar" id="baz"}\n\nAnother.\n{.foo .bar #qux}\n'
    assert_html(
        markdown, '<p class="foo bar" id="baz">This is a paragraph.</p><p class="foo bar" id="qux">Another.</p>'
    )


def test_attribute_syntax_inside_code_is_left_alone():
    markdown = "```\n## Title {#x}\n{: .y}\n*[HTML]: Hyper\n> [!NOTE]\n```\n\n`{: .z}`\n"
    root = lxml.html.fragment_fromstring(render_markdown(markdown), create_parent="div")
    assert root.xpath("//pre/code")[0].text == "## Title {#x}\n{: .y}\n*[HTML]: Hyper\n> [!NOTE]\n"
    assert root.xpath("//p/code")[0].text == "{: .z}"


def test_text_in_braces_that_is_no_attribute_list_stays():
    assert_html("Sets are written\n{1, 2}\n", "<p>Sets are written\n{1, 2}</p>")
    assert_html("{% include note.html %}\nText\n", "<p>{% include note.html %}\nText</p>")


def test_only_ids_classes_and_titles_are_carried():
    html = rendered('Para.\n{: #p style="color:red" onclick="x()" data-x="1"}\n')
    assert html == '<p id="p">Para.</p>\n'


# --- task lists (GitHub, Goldmark) -----------------------------------------------------------------


def test_task_lists_become_ballot_boxes():
    html = rendered("- [ ] An item that needs doing\n- [x] An item that is complete\n- [X] Also done\n")
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    assert [li.text_content() for li in root.xpath("//li")] == [
        "☐ An item that needs doing",
        "☑ An item that is complete",
        "☑ Also done",
    ]
    assert "<input" not in html


# --- admonitions and alerts --------------------------------------------------------------------------


def test_python_markdown_admonitions():
    markdown = (
        "!!! note\n    You should note that the title will be automatically capitalized.\n\n"
        '!!! danger "Don\'t try this at home"\n    Really.\n\n'
        "???+ tip\n    Collapsible in MkDocs.\n"
    )
    assert_html(
        markdown,
        "<blockquote><p><strong>Note</strong></p><p>You should note that the title will be automatically capitalized.</p></blockquote>"
        "<blockquote><p><strong>Don't try this at home</strong></p><p>Really.</p></blockquote>"
        "<blockquote><p><strong>Tip</strong></p><p>Collapsible in MkDocs.</p></blockquote>",
    )


def test_admonition_without_a_title():
    assert_html('!!! important ""\n    No title.\n', "<blockquote><p>No title.</p></blockquote>")


@pytest.mark.parametrize(
    ("marker", "title"),
    [("NOTE", "Note"), ("TIP", "Tip"), ("IMPORTANT", "Important"), ("WARNING", "Warning"), ("CAUTION", "Caution")],
)
def test_github_alerts(marker, title):
    markdown = f"> [!{marker}]\n> Useful information that users should know.\n"
    assert_html(
        markdown,
        f"<blockquote><p><strong>{title}</strong></p><p>Useful information that users should know.</p></blockquote>",
    )


def test_alert_with_trailing_spaces_and_a_hugo_title():
    assert_html(
        "> [!WARNING]  \n> Urgent *info*.\n\n> [!tip]+ Radiation hazard\n> Keep out.\n",
        "<blockquote><p><strong>Warning</strong></p><p>Urgent <em>info</em>.</p></blockquote>"
        "<blockquote><p><strong>Radiation hazard</strong></p><p>Keep out.</p></blockquote>",
    )


def test_an_alert_marker_only_counts_on_a_quote_s_first_line():
    html = render_markdown("> First line\n> [!NOTE]\n")
    assert parse_html(html) == parse_html("<blockquote><p>First line\n[!NOTE]</p></blockquote>")


# --- abbreviations (kramdown, PHP Markdown Extra, Python-Markdown) ---------------------------------


def test_abbreviations():
    markdown = (
        "The HTML specification\nis maintained by the W3C.\n\n"
        "*[HTML]: Hyper Text Markup Language\n*[W3C]:  World Wide Web Consortium\n"
    )
    assert_html(
        markdown,
        '<p>The <abbr title="Hyper Text Markup Language">HTML</abbr> specification\n'
        'is maintained by the <abbr title="World Wide Web Consortium">W3C</abbr>.</p>',
    )


def test_abbreviations_only_whole_words_and_never_in_code_or_hrefs():
    markdown = (
        "HTML5 and XHTML are not HTML; `HTML` neither. [HTML docs](https://example.com/HTML) ![HTML](h.png)\n\n"
        "```\nHTML\n```\n\n"
        '*[HTML]: Hyper "Text" <Markup>\n'
    )
    html = rendered(markdown)
    title = 'title="Hyper &quot;Text&quot; &lt;Markup&gt;"'
    assert html.count("<abbr ") == 2
    assert f"not <abbr {title}>HTML</abbr>;" in html
    assert f'<a href="https://example.com/HTML"><abbr {title}>HTML</abbr> docs</a>' in html
    assert "<code>HTML</code>" in html and '<img src="h.png" alt="HTML"' in html


def test_longer_abbreviations_win_and_an_empty_definition_gives_no_title():
    markdown = "Operation Tigra Genesis is going well. Genesis.\n\n*[Tigra Genesis]:\n*[Genesis]: The first\n"
    html = rendered(markdown)
    assert "Operation <abbr>Tigra Genesis</abbr> is" in html
    assert '<abbr title="The first">Genesis</abbr>.' in html


def test_abbreviations_leave_heading_ids_alone():
    assert 'id="about-html"' in rendered("## About HTML\n\n*[HTML]: Hyper Text Markup Language\n")


# --- the whole path ---------------------------------------------------------------------------------


def test_footnotes_keep_working_through_namespacing_and_the_sanitizer():
    html = render_markdown("## Über uns\n\nText[^1] and [up](#über-uns).\n\n[^1]: The note.\n")
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    assert namespace_anchors(root) == 6  # 3 ids, 3 links
    stored = sanitize_html(serialize_children(root))
    tree = lxml.html.fragment_fromstring(stored, create_parent="div")
    ids = set(tree.xpath("//@id"))
    assert tree.xpath("//sup/a/@href") == ["#body-fn1"]
    assert ids == {"body-über-uns", "body-fnref1", "body-fn1"}
    assert tree.xpath("//li/@id") == ["body-fn1"]
    for href in tree.xpath("//a/@href"):  # every in-page link has its target
        assert unquote(href.removeprefix("#")) in ids, href
    # The footnotes degrade to an <hr> and an ordered list: no <section>, no classes.
    assert "<section" not in stored and "class=" not in stored
