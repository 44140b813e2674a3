"""Legacy body HTML -> HTML Newsroom stores, saying what was changed.

Scraped pages carry lazy-load placeholders, captions as paragraphs after
their pictures, tracking pixels, empty ad slots and layout debris. This turns
pictures and their captions into <figure>/<figcaption> (which the model then
turns into ArticleFigure rows) and removes the rest; the sanitizer still runs
afterwards on save. Every change is counted so an editor can audit it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from articles.content.anchors import namespace_anchors
from articles.content.body import parse_fragment, serialize_children
from articles.content.sanitizer import DROP_WITH_CONTENT, allowed_embed_src, allowed_url, one_line

DEBRIS = ("script", "style", "link", "noscript", "meta", "iframe[not(@src)]")
# Removed with their content by the sanitizer, and not debris a reader never saw (scripts, styles).
LOST = DROP_WITH_CONTENT - {"script", "style", "noscript", "template", "title"}
CAPTION_XPATH = '//p[contains(concat(" ", normalize-space(@class), " "), " imageCaption ")]'


@dataclass
class CleanedBody:
    html: str
    lead_caption: str = ""
    lead_alt: str = ""
    sources: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what readers lose: embeds made links, content removed


def same_image(a: str, b: str) -> bool:
    """Two addresses of one picture (scheme and query string aside)."""
    if not a or not b:
        return False
    pa, pb = urlsplit(a.strip()), urlsplit(b.strip())
    return (pa.netloc.lower(), pa.path) == (pb.netloc.lower(), pb.path)


def _text(element) -> str:
    # one_line drops what XML refuses: a reference such as &#1; comes out of lxml as the
    # character, which lxml then refuses to write back (ValueError), and feeds cannot carry.
    return one_line(element.text_content())


def _is_data(src: str | None) -> bool:
    return (src or "").strip().lower().startswith("data:")


def _is_pixel(img) -> bool:
    return (img.get("width") or "").strip() in {"0", "1"} and (img.get("height") or "").strip() in {"0", "1"}


def _remove(element) -> None:
    """Take element out, keeping the text that followed it."""
    element.drop_tree()


def clean_legacy_html(html: str, *, lead_src: str = "", base_url: str = "") -> CleanedBody:
    """The body as Newsroom stores it, each step counted in actions: debris out, lazy-load
    placeholders merged, captions attached to their pictures, the lead picture not repeated."""
    if not html.strip():
        return CleanedBody(html="")
    root = parse_fragment(html)
    done: Counter[str] = Counter()
    result = CleanedBody(html="")
    _embeds_to_links(root, result.warnings)
    _report_removed(root, result.warnings)
    _remove_debris(root, done)
    _remove_placeholders(root, done)
    _attach_captions(root, done)
    for paragraph in list(root.iter("p", "div", "span")):
        if paragraph.getparent() is not None and not len(paragraph) and not (paragraph.text or "").strip():
            _remove(paragraph)
            done["empty elements removed"] += 1
    _take_lead(root, lead_src, result, done)
    for heading in root.iter("h1"):
        heading.tag = "h2"  # the page's own <h1> is the headline
        done["<h1> headings made <h2>"] += 1
    done["in-page anchors namespaced"] += namespace_anchors(root)
    if base_url:
        _make_links_absolute(root, base_url, done)
    result.sources = [img.get("src") for img in root.iter("img")]
    done["pictures kept"] = len(result.sources)
    result.html = serialize_children(root)
    result.actions = [f"{name}: {count}" for name, count in done.items() if count]
    return result


GIST_SCRIPT = re.compile(r"https://gist\.github\.com/([\w.-]+/\w+)\.js\b")


def _embeds_to_links(root, warnings: list[str]) -> None:
    """Embeds the sanitizer would remove become a paragraph with a link to what they showed:
    a gist's script, a video or audio player, an iframe from a host not allowed."""
    for element in list(root.iter("script", "video", "audio", "iframe", "object", "embed")):
        src = (element.get("src") or element.get("data") or "").strip()
        if not src and element.tag in ("video", "audio"):
            source = element.find(".//source")
            src = (source.get("src") or "").strip() if source is not None else ""
        if element.tag == "script":
            gist = GIST_SCRIPT.match(src)
            if gist:
                _replace_with_link(element, f"https://gist.github.com/{gist[1]}", f"Gist: {gist[1]}")
                warnings.append(f"gist embed kept as a link: https://gist.github.com/{gist[1]}")
            continue  # any other script is debris
        if element.tag == "iframe" and (not src or allowed_embed_src(src)):
            continue
        if src and allowed_url(src):
            label = one_line(element.get("title") or "") or src.rsplit("/", 1)[-1] or src
            _replace_with_link(element, src, f"{element.tag.capitalize()}: {label}")
            warnings.append(f"<{element.tag}> kept as a link: {src}")
        else:
            _remove(element)
            warnings.append(f"<{element.tag}> without a usable address removed")


def _replace_with_link(element, href: str, text: str) -> None:
    paragraph = lxml.html.Element("p")
    link = etree.SubElement(paragraph, "a", href=href)
    link.text = text
    paragraph.tail = element.tail
    element.getparent().replace(element, paragraph)


def _report_removed(root, warnings: list[str]) -> None:
    """What the sanitizer will remove with its content, named, so the report says what readers lose."""
    lost = Counter(element.tag for element in root.iter() if isinstance(element.tag, str) and element.tag in LOST)
    warnings.extend(f"<{tag}> removed with its content ({count})" for tag, count in sorted(lost.items()))


def _remove_debris(root, done: Counter) -> None:
    for comment in root.xpath("//comment()"):
        _remove(comment)
        done["comments removed"] += 1
    for tag in DEBRIS:
        for element in root.xpath(f"//{tag}"):
            _remove(element)
            done[f"<{tag.split('[')[0]}> elements removed"] += 1


def _remove_placeholders(root, done: Counter) -> None:
    """Lazy-load placeholders (a data: image with the id of a real one), other data: images,
    images without a source, tracking pixels."""
    images = list(root.iter("img"))
    real_ids = {img.get("id") for img in images if img.get("id") and not _is_data(img.get("src"))}
    for img in images:
        if _is_data(img.get("src")):
            key = "lazy-load placeholders merged" if img.get("id") in real_ids else "data: images removed"
            _remove(img)
            done[key] += 1
        elif not (img.get("src") or "").strip():
            _remove(img)
            done["images without src removed"] += 1
        elif _is_pixel(img):
            _remove(img)
            done["tracking pixels removed"] += 1


def _attach_captions(root, done: Counter) -> None:
    """Each caption paragraph belongs to the nearest picture before it that has none yet."""
    captions = set(root.xpath(CAPTION_XPATH))
    pending = None
    for element in list(root.iter()):
        if element.tag == "img":
            pending = element
        elif element in captions:
            caption = _text(element)
            if pending is not None and caption:
                # An HtmlElement (not etree.Element): the lead-image step may drop_tree() it.
                figure = lxml.html.Element("figure")
                pending.addprevious(figure)
                figure.tail, pending.tail = pending.tail, None
                figure.append(pending)
                figcaption = etree.SubElement(figure, "figcaption")
                figcaption.text = caption
                done["captions attached"] += 1
                pending = None
                _remove(element)
            elif caption:
                element.attrib.pop("class", None)
                done["captions without a picture kept as text"] += 1
            else:
                _remove(element)


def _take_lead(root, lead_src: str, result: CleanedBody, done: Counter) -> None:
    """The body's first picture, when it is the lead picture: out of the body, its alt text and caption kept."""
    first = next(root.iter("img"), None)
    if first is not None and same_image(first.get("src"), lead_src):
        holder = first.getparent() if first.getparent().tag == "figure" else first
        result.lead_alt = one_line(first.get("alt") or "")
        caption = holder.find("figcaption") if holder is not first else None
        result.lead_caption = _text(caption) if caption is not None else ""
        _remove(holder)
        done["lead image not repeated in the body"] += 1


def _make_links_absolute(root, base_url: str, done: Counter) -> None:
    for element, attribute in [(e, "href") for e in root.iter("a")] + [(e, "src") for e in root.iter("img")]:
        value = (element.get(attribute) or "").strip()
        if value.startswith("/") and not value.startswith("//"):
            element.set(attribute, urljoin(base_url, value))
            done["site-relative links made absolute"] += 1
