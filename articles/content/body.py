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

from articles.content.nesting import bound_nesting
from articles.content.sanitizer import check_size, sanitize_html_stable

# Canonical figures never nest (prepare_body unwraps them), so a lazy match
# finds each one; the serializer escapes any "<" inside attribute or text.
FIGURE_PATTERN = re.compile(r"<figure\b([^>]*)>.*?</figure>", re.DOTALL)
_ALIGN = re.compile(r"\balign-(left|center|right)\b")

# Elements whose content may be a <figure> (flow content), so the pictures inside
# them stay in place; the parse wrapper (the body itself) is one too. A picture
# anywhere else (in a <p>, a heading, a link, a table outside its cells) becomes a
# figure right after the outermost element around it within the nearest holder.
FIGURE_HOLDERS = frozenset({"li", "blockquote", "td", "th", "dd"})
# ArticleFigure.link's max_length: a longer href is not kept as a picture's link.
MAX_LINK_LENGTH = 2000
# What the sanitizer gives every link; the canonical figure's link has it too, so a
# canonical body serialises exactly as the sanitizer writes it.
LINK_REL = "noopener noreferrer"


@dataclass(frozen=True)
class FigureSpec:
    src: str
    alt: str = ""
    caption: str = ""
    align: str = ""
    link: str = ""  # where the picture links to ("": nowhere)


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
    img = lxml.html.Element("img", src=spec.src, alt=spec.alt)
    if spec.link:
        anchor = lxml.html.Element("a", href=spec.link, rel=LINK_REL)
        anchor.append(img)
        figure.append(anchor)
    else:
        figure.append(img)
    if spec.caption:
        figcaption = lxml.html.Element("figcaption")
        figcaption.text = spec.caption
        figure.append(figcaption)
    return figure


def _link_of(anchor) -> str:
    """The href of anchor (an <a>, or None) as a picture's link: stripped, "" when too long."""
    href = (anchor.get("href") or "").strip() if anchor is not None else ""
    return href if len(href) <= MAX_LINK_LENGTH else ""


def _anchor_between(img, stop):
    """The nearest <a> around img below stop (an ancestor of img), else None."""
    for ancestor in img.iterancestors():
        if ancestor is stop:
            return None
        if ancestor.tag == "a":
            return ancestor
    return None


def _holder_of(element, root):
    """The nearest ancestor of element that may hold a figure (root at the latest)."""
    for ancestor in element.iterancestors():
        if ancestor is root or ancestor.tag in FIGURE_HOLDERS:
            return ancestor
    return root


def _is_empty(element) -> bool:
    """Nothing a reader would see: no text, no picture, embed, rule or line break."""
    return not element.text_content().strip() and not any(
        d.tag in ("img", "iframe", "figure", "hr", "br") for d in element.iterdescendants()
    )


MAX_PASSES = 4


def prepare_body(html: str) -> PreparedBody:
    """Sanitise html and give each image exactly one canonical figure.

    An image in a figure keeps that figure's caption and alignment (a second
    image in the same figure gets a figure of its own); an image anywhere else
    becomes a figure without a caption. A figure stays where it is when that
    place may hold one (the body itself, a list item, a blockquote, a table
    cell); otherwise it goes right after the outermost element around it that
    may not (a paragraph, a heading, a link, a table), inside the nearest one
    that may: a picture in a <p> in a <li> ends up after that <p> in that <li>.
    An image inside a link keeps the link (FigureSpec.link); a link left with
    nothing in it is removed, one with text keeps its text where it was.
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
        root = parse_fragment(html)
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
        figures = _figure_specs(parse_fragment(html))
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
                    link=_link_of(_anchor_between(img, figure)),
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
    _place_pictures(root)
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
    """Each figure made canonical with its first picture; extra pictures are lifted out to be
    bare ones (in a link of their own when they had one in the figure)."""
    for figure in list(root.iter("figure")):
        images = figure.findall(".//img")
        for extra in reversed(images[1:]):
            link = _link_of(_anchor_between(extra, figure))
            lifted = _detach(extra)
            if link:
                lifted = lxml.html.Element("a", href=link)
                lifted.append(extra)
            figure.addnext(lifted)
            lifted.tail, figure.tail = figure.tail, None
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
            link=_link_of(_anchor_between(images[0], figure)),
        )
        canonical = _canonical_figure(spec)
        canonical.tail = figure.tail
        figure.getparent().replace(figure, canonical)


def _place_pictures(root) -> None:
    """Every picture (a canonical figure, or a bare image) as a canonical figure where a figure
    may stand, in document order, taking the link it stood in; see prepare_body()."""
    # Keyed by id() of the block's proxy, so the proxy is kept alive with the value:
    # lxml makes a new proxy once the old one is freed, and ids get reused.
    last_inserted = {}
    for img in list(root.iter("img")):
        parent = img.getparent()
        if parent.tag == "a" and parent.getparent() is not None and parent.getparent().tag == "figure":
            parent = parent.getparent()
        # After _one_picture_per_figure a figure holds only this picture (and its caption).
        unit = parent if parent.tag == "figure" else img
        holder = _holder_of(unit, root)
        block = unit
        while block.getparent() is not holder:
            block = block.getparent()
        own = _anchor_between(img, unit) if unit is not img else None  # the figure's own link
        outer = _anchor_between(unit, holder)
        # A link around the holder (a list or a table inside a link): a link of the
        # figure's own would nest links, which HTML parsers take apart.
        nested = next(holder.iterancestors("a"), None) is not None
        link = "" if nested else _link_of(own if own is not None else outer)
        if unit is img:
            spec = FigureSpec(src=img.get("src").strip(), alt=_squash(img.get("alt")), link=link)
        else:
            spec = FigureSpec(
                src=img.get("src").strip(),
                alt=_squash(img.get("alt")),
                caption=_squash(unit.findtext("figcaption")),
                align=figure_align(unit.get("class")),
                link=link,
            )
        canonical = _canonical_figure(spec)
        if block is unit:
            canonical.tail = unit.tail
            holder.replace(unit, canonical)
            continue
        _detach(unit)
        after = last_inserted.get(id(block), (block, block))[1]
        after.addnext(canonical)
        canonical.tail, after.tail = after.tail, None
        last_inserted[id(block)] = (block, canonical)
        if outer is not None and _is_empty(outer):
            # The link held only the picture, which took it along: nothing is left to click.
            outer.drop_tree()


def parse_fragment(html: str):
    """html parsed inside a <div> wrapper (serialize_children() writes it back), at any depth.

    libxml2 stops at 255 levels of nesting by default and drops the rest of the
    document without an error; old HTML (400 unclosed <font> tags) goes deeper.
    huge_tree lifts that to 2,048, and past that its resource-limit error makes
    us parse again with the deep tags dropped and every word kept (the nesting
    guard). A parser per call: its error log is then this call's alone.
    """
    parser = lxml.html.HTMLParser(huge_tree=True)
    root = lxml.html.fragment_fromstring(html, create_parent="div", parser=parser)
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        root = lxml.html.fragment_fromstring(bound_nesting(html), create_parent="div", parser=parser)
    return root


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
