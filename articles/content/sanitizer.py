"""The one HTML sanitizer every stored body passes through.

Whatever writes a body (the admin editor, the model's save, the legacy
importer) ends up here; the editor's own filtering is a convenience, this is
the guarantee. It is an allow-list on nh3 (Rust's ammonia, an html5ever parser).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError

from articles.content.links import with_scheme
from articles.content.nesting import bound_nesting

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "code",
    "a", "em", "strong", "b", "i", "s", "sub", "sup", "abbr", "cite", "q",
    "figure", "figcaption", "img",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "iframe",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen"},
}
# In-page link targets (headings, footnotes, kramdown's {: #id}), and only namespaced
# ones (content/anchors.py): an id of the page's own (main, search) never comes from a body.
ID_TAGS = {"h2", "h3", "h4", "h5", "h6", "li", "a", "sup", "dt", "p", "table", "figure", "ol", "ul", "blockquote"}
ALLOWED_ATTRIBUTES |= {tag: ALLOWED_ATTRIBUTES.get(tag, set()) | {"id"} for tag in ID_TAGS}
# Letters of any script: heading ids are made from headings, which are not all in English.
BODY_ID = re.compile(r"body-[\w.:-]{1,100}")

# Classes kept: the editor's image2 plugin's on captioned images, and code blocks' languages
# (Markdown's ```xml, Jekyll's {% highlight xml %}).
CODE_LANGUAGES = """bash c cpp csharp css diff dockerfile elixir erlang go graphql haskell html http ini java
    javascript js json jsx kotlin liquid lua makefile markdown md nginx perl php plaintext powershell py python
    r rb ruby rust scala scss sh shell sql swift text toml ts tsx typescript vue xml yaml yml""".split()
ALLOWED_CLASSES = {
    "figure": {"image", "align-left", "align-center", "align-right"},
    # legacy-template: an old site's template syntax the importer could not translate, shown as it was.
    "code": {"legacy-template", *(f"language-{name}" for name in CODE_LANGUAGES)},
}

URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Removed together with everything inside them (the rest keep their text).
DROP_WITH_CONTENT = {
    "script", "style", "noscript", "template", "svg", "math",
    "object", "applet", "embed", "select", "textarea", "title",
}  # fmt: skip

URL_ATTRIBUTES = {"href", "src", "cite"}
_SCHEME_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*")
# What XML 1.0 (and so HTML, lxml, RSS and Atom) cannot carry: C0 controls but tab,
# LF and CR, lone surrogates, U+FFFE and U+FFFF. Text pasted from Word has them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# nh3's serializer writes attribute values in double quotes with any '"' escaped,
# and an iframe's content as the raw text the parser read it as.
_IFRAME = re.compile(r'<iframe((?:[^>"]|"[^"]*")*)>.*?</iframe>', re.DOTALL)


class BodyTooLarge(ValidationError):
    pass


def allowed_embed_src(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return (
        parts.scheme == "https"
        and parts.hostname in settings.NEWSROOM_IFRAME_HOSTS
        and parts.username is None
        and parts.password is None
        and parts.port is None
    )


def _hidden_scheme(value: str) -> str | None:
    """The scheme a URL would have once invisible characters are taken out.

    Browsers ignore some characters that URL parsers keep, so a scheme hidden
    behind a zero-width space or a soft hyphen is looked for too, also when
    percent-encoded: lxml's serializer (the importer's cleanup) writes
    "javascript\u200b:" as "javascript%E2%80%8B:".
    """
    # A scheme ends at the first ":" (never an invisible character), so only
    # what comes before it needs compacting, not the whole (often long) URL.
    head, colon, _ = value.partition(":")
    if not colon:
        return None
    head = unquote(head)
    compact = "".join(ch for ch in head if not ch.isspace() and unicodedata.category(ch)[0] not in "CZ")
    return compact.lower() if _SCHEME_NAME.fullmatch(compact) else None


def allowed_url(value: str) -> bool:
    """Whether the sanitizer keeps value as a link or a source: relative, or with an allowed scheme."""
    scheme = _hidden_scheme(value)
    return scheme is None or scheme in URL_SCHEMES


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if BODY_ID.fullmatch(value) else None
    if attribute in URL_ATTRIBUTES and not allowed_url(value):
        return None
    if tag == "a" and attribute == "href":
        return with_scheme(value)  # "example.com" is a web address, not a relative link
    if tag == "iframe" and attribute == "src" and not allowed_embed_src(value):
        return None
    return value


def _tidy_iframe(match: re.Match) -> str:
    """An iframe with its content removed, or nothing when its src was refused.

    Browsers never show what is inside an iframe, but nh3 passes it through
    unescaped ("<iframe><img src=x onerror=...></iframe>"), markup waiting for a
    looser parser (a feed reader, lxml). An iframe without a src is an empty box.
    """
    attributes = match.group(1)
    return f"<iframe{attributes}></iframe>" if ' src="' in attributes else ""


def sanitize_html(html: str) -> str:
    """Return html with everything not on the allow-list removed.

    Raises BodyTooLarge before doing any work when html is over the size limit.
    Tags nested past content/nesting.py's limits are dropped (their text kept)
    first: the parser's time grows with the square of the depth.
    Sanitising a result again returns it unchanged.
    """
    return sanitize_html_stable(html)[0]


def sanitize_html_stable(html: str) -> tuple[str, bool]:
    """sanitize_html(html), and whether the result is known to be a fixed point
    (sanitize_html() of it returns it unchanged), so a caller may skip that run."""
    check_size(html)
    cleaned = _clean(bound_nesting(_drop_forbidden_characters(html)))
    # Parsing some mis-nested markup (<h2><c><h2>) gives a tree that serialises
    # to markup which parses differently again; clean until nothing changes.
    for _ in range(4):
        again = _clean(cleaned)
        if again == cleaned:
            return cleaned, True
        cleaned = again
    return cleaned, False


def check_size(html: str) -> None:
    """Raise BodyTooLarge when html is over the size limit."""
    limit = settings.NEWSROOM_MAX_BODY_BYTES
    if len(html) > limit or len(html.encode("utf-8", "surrogatepass")) > limit:
        raise BodyTooLarge(
            f"The body is larger than the limit of {limit:,} bytes.",
            code="body_too_large",
        )


def _clean(html: str) -> str:
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer",
        set_tag_attribute_values={"iframe": {"sandbox": "allow-scripts allow-same-origin allow-presentation"}},
    )
    # Character references (&#1;) bring forbidden characters back: drop them again.
    return _drop_forbidden_characters(_IFRAME.sub(_tidy_iframe, cleaned))


def _drop_forbidden_characters(html: str) -> str:
    """html without NUL and the other characters HTML forbids and lxml (rendering.py)
    refuses with a ValueError: C0 controls but tab, LF and CR (a form feed is HTML
    whitespace, so it becomes a space), lone surrogates, U+FFFE and U+FFFF."""
    return xml_text(html.replace("\x0c", " "))


def xml_text(text: str) -> str:
    """text without the characters XML 1.0 cannot carry (NOT_XML)."""
    return NOT_XML.sub("", text)


def one_line(text: str) -> str:
    """Plain text as every imported field stores it: words one space apart, nothing XML 1.0 refuses.
    Split first, so the controls that str.split() counts as spaces (Word's \\x0b line
    break, \\x0c) still part words; the rest (Word's field codes \\x13-\\x15, say) are dropped."""
    return " ".join(word for word in (xml_text(word) for word in text.split()) if word)
