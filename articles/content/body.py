"""Body HTML in, body HTML out: the one place figures are derived from a body.

On save, prepare_body() sanitises the body and gives every image one canonical
<figure>; ArticleFigure.objects.sync() then makes the figure rows match those
figures one for one. On display, images/html.py render_body() swaps each
canonical figure (split_figures() finds them) for markup drawn from its row, so
captions, credits, alt text and dimensions always come from the database, never
from stale copies in the body. Pure: no models, storage or templates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from urllib.parse import unquote

import lxml.html
from django.conf import settings

from articles.content.sanitizer import check_size, sanitize_html_stable

# Canonical figures never nest (prepare_body unwraps them), so a lazy match
# finds each one; the serializer escapes any "<" inside attribute or text.
FIGURE_PATTERN = re.compile(r"<figure\b([^>]*)>.*?</figure>", re.DOTALL)
_ALIGN = re.compile(r"\balign-(left|center|right)\b")


@dataclass(frozen=True)
class FigureSpec:
    src: str
    alt: str = ""
    caption: str = ""
    align: str = ""


@dataclass(frozen=True)
class PreparedBody:
    html: str
    figures: list[FigureSpec]


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def _detach(element):
    """Take element out of the tree, leaving its tail text where it was."""
    element.drop_tree()
    element.tail = None
    return element


def _canonical_figure(spec: FigureSpec):
    figure = lxml.html.Element("figure")
    figure.set("class", f"image align-{spec.align}" if spec.align else "image")
    figure.append(lxml.html.Element("img", src=spec.src, alt=spec.alt))
    if spec.caption:
        figcaption = lxml.html.Element("figcaption")
        figcaption.text = spec.caption
        figure.append(figcaption)
    return figure


def _top_level_block(element, root):
    while element.getparent() is not root:
        element = element.getparent()
    return element


MAX_PASSES = 4


def prepare_body(html: str) -> PreparedBody:
    """Sanitise html and give each image exactly one canonical figure.

    An image in a figure keeps that figure's caption and alignment (a second
    image in the same figure gets a figure of its own); an image anywhere else
    becomes a figure without a caption right after the block it stood in.
    Images without a src are dropped.

    lxml (which rebuilds the figures) and the sanitizer's HTML5 parser nest
    some broken markup differently, so the two run in turn until the result
    stops changing: prepare_body(prepare_body(x).html) returns the same html,
    and the last step is always the sanitizer.
    """
    html, stable = sanitize_html_stable(html)
    if "<img" not in html and "<figure" not in html:
        return PreparedBody(html=html, figures=[])
    for _ in range(MAX_PASSES):
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        # Read before _canonicalize changes the tree: if html turns out to be
        # the result, these are its figures, and it need not be parsed again.
        figures = _figure_specs(root)
        _canonicalize(root)
        serialized = serialize_children(root)
        if stable and serialized == html:
            # Sanitising html again would return html: skip the work, not the size check.
            check_size(serialized)
            break
        again, stable = sanitize_html_stable(serialized)
        if again == html:
            break
        html = again
    else:
        figures = _figure_specs(lxml.html.fragment_fromstring(html, create_parent="div"))
    return PreparedBody(html=html, figures=figures)


def _figure_specs(root) -> list[FigureSpec]:
    figures = []
    for figure in root.iter("figure"):
        img = figure.find(".//img")
        if img is not None:
            figures.append(
                FigureSpec(
                    src=img.get("src"),
                    alt=img.get("alt") or "",
                    caption=_squash(figure.findtext("figcaption")),
                    align=figure_align(figure.get("class")),
                )
            )
    return figures


def _canonicalize(root) -> None:
    """Rewrite the tree under root so every image sits alone in a canonical figure."""
    _wrap_stray_list_items(root)
    for img in list(root.iter("img")):
        if not (img.get("src") or "").strip():
            img.drop_tree()
    for figure in list(root.iter("figure")):
        if next(figure.iterancestors("figure"), None) is not None:
            figure.drop_tag()  # nested figures: keep the outer one
    _one_picture_per_figure(root)
    _figure_bare_pictures(root)
    for figcaption in list(root.iter("figcaption")):
        if figcaption.getparent().tag != "figure":
            figcaption.drop_tag()
    for paragraph in list(root.iter("p")):
        if not len(paragraph) and not (paragraph.text or "").strip():
            paragraph.drop_tree()


def _wrap_stray_list_items(root) -> None:
    """A list item outside a list is parsed differently by lxml and by the sanitizer's
    HTML5 parser; put each run of them in a list of their own."""
    for item in list(root.iter("li")):
        parent = item.getparent()
        if parent is not None and parent.tag not in ("ul", "ol"):
            previous = item.getprevious()
            if previous is not None and previous.tag == "ul" and previous.get("data-stray") and not previous.tail:
                previous.append(item)
            else:
                wrapper = lxml.html.Element("ul", {"data-stray": "1"})
                item.addprevious(wrapper)
                wrapper.append(item)
    for wrapper in root.xpath("//ul[@data-stray]"):
        del wrapper.attrib["data-stray"]


def _one_picture_per_figure(root) -> None:
    """Each figure made canonical with its first picture; extra pictures are lifted out to be bare ones."""
    for figure in list(root.iter("figure")):
        images = figure.findall(".//img")
        for extra in reversed(images[1:]):
            figure.addnext(_detach(extra))
            extra.tail, figure.tail = figure.tail, None
        if not images:
            for figcaption in figure.findall(".//figcaption"):
                figcaption.drop_tag()
            figure.drop_tag()
            continue
        captions = [_squash(c.text_content()) for c in figure.findall(".//figcaption")]
        spec = FigureSpec(
            src=images[0].get("src").strip(),
            alt=_squash(images[0].get("alt")),
            caption=" ".join(c for c in captions if c),
            align=figure_align(figure.get("class")),
        )
        canonical = _canonical_figure(spec)
        canonical.tail = figure.tail
        figure.getparent().replace(figure, canonical)


def _figure_bare_pictures(root) -> None:
    """Bare pictures become figures after their top-level block, in order."""
    # Keyed by id() of the block's proxy, so the proxy is kept alive with the value:
    # lxml makes a new proxy once the old one is freed, and ids get reused.
    last_inserted = {}
    for img in list(root.iter("img")):
        if img.getparent().tag == "figure" and img.getparent().getparent() is root:
            continue
        block = img if img.getparent() is root else _top_level_block(img, root)
        spec = FigureSpec(src=img.get("src").strip(), alt=_squash(img.get("alt")))
        canonical = _canonical_figure(spec)
        if block is img:
            canonical.tail = img.tail
            root.replace(img, canonical)
            continue
        _detach(img)
        after = last_inserted.get(id(block), (block, block))[1]
        after.addnext(canonical)
        canonical.tail, after.tail = after.tail, None
        last_inserted[id(block)] = (block, canonical)


def serialize_children(root) -> str:
    """The HTML inside root (a parse wrapper), its leading text escaped like the rest."""
    return escape(root.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root
    )


def media_name(src: str) -> str | None:
    """The storage name of a src that points into our own media, else None."""
    prefix = settings.MEDIA_URL
    if src.startswith(prefix):
        return unquote(src[len(prefix) :].split("?", 1)[0])
    return None


@dataclass(frozen=True)
class FigureSlot:
    """A canonical <figure> of a stored body, and the position of the ArticleFigure row drawn in its place."""

    markup: str
    position: int | None  # None: a figure without a picture, which has no row
    align: str


def split_figures(body: str) -> Iterator[str | FigureSlot]:
    """A stored (sanitised) body in order: the HTML between figures as strings, each figure as a FigureSlot.

    Positions count only figures with a picture, as prepare_body() numbers them.
    """
    last, position = 0, -1
    for match in FIGURE_PATTERN.finditer(body):
        yield body[last : match.start()]
        last = match.end()
        markup = match.group(0)
        if "<img" in markup:
            position += 1
            yield FigureSlot(markup, position, figure_align(match.group(1)))
        else:
            yield FigureSlot(markup, None, "")
    yield body[last:]


def figure_align(attributes: str) -> str:
    """left, center, right or "" from a figure's attributes (its align-* class)."""
    match = _ALIGN.search(attributes or "")
    return match.group(1) if match else ""
