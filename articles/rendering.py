"""Body HTML in, body HTML out: the one place figures are derived and drawn.

On save, prepare_body() sanitises the body and gives every image one canonical
<figure>, and sync_figures() makes the ArticleFigure rows match those figures
one for one. On display, render_body() swaps each canonical figure for markup
drawn from its row, so captions, credits, alt text and dimensions always come
from the database, never from stale copies in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import unquote

import lxml.html
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.renditions import SIZES, picture_html
from articles.sanitizer import check_size, sanitize_html_stable

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
                    align=(_ALIGN.search(figure.get("class") or "") or [None, ""])[1],
                )
            )
    return figures


def _canonicalize(root) -> None:
    """Rewrite the tree under root so every image sits alone in a canonical figure."""
    # A list item outside a list is parsed differently by lxml and by the
    # sanitizer's HTML5 parser; put each run of them in a list of their own.
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
    for img in list(root.iter("img")):
        if not (img.get("src") or "").strip():
            img.drop_tree()
    for figure in list(root.iter("figure")):
        if next(figure.iterancestors("figure"), None) is not None:
            figure.drop_tag()  # nested figures: keep the outer one

    # Figures: one image each; extra images are lifted out to be bare images.
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
        match = _ALIGN.search(figure.get("class") or "")
        spec = FigureSpec(
            src=images[0].get("src").strip(),
            alt=_squash(images[0].get("alt")),
            caption=" ".join(c for c in captions if c),
            align=match.group(1) if match else "",
        )
        canonical = _canonical_figure(spec)
        canonical.tail = figure.tail
        figure.getparent().replace(figure, canonical)

    # Bare images become figures after their top-level block, in order.
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

    for figcaption in list(root.iter("figcaption")):
        if figcaption.getparent().tag != "figure":
            figcaption.drop_tag()
    for paragraph in list(root.iter("p")):
        if not len(paragraph) and not (paragraph.text or "").strip():
            paragraph.drop_tree()


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


def resolve_images(
    specs: list[FigureSpec], known: dict | None = None, absent: frozenset | set = frozenset()
) -> dict[str, object]:
    """An Image row for every src in specs, found or created (two queries to look up).

    known: rows the caller already has by src; only the others are looked up.
    absent: srcs the caller has just found no row for (none has a media name); not looked up again.
    Alt text written in the body fills an image's alt text when it has none.
    """
    from articles.models import Image

    by_src = dict(known or {})
    unknown = [s for s in specs if s.src not in by_src and s.src not in absent]
    names = {media_name(s.src): s.src for s in unknown if media_name(s.src)}
    if names:  # even an empty IN () costs a query compilation
        for image in Image.objects.filter(file__in=list(names)):
            by_src[names[image.file.name]] = image
    remote = [s.src for s in unknown if s.src not in by_src]
    if remote:
        for image in Image.objects.filter(source_url__in=remote).order_by("pk"):
            by_src.setdefault(image.source_url, image)
    missing = {}
    for spec in specs:
        image = by_src.get(spec.src)
        if image is None:
            missing.setdefault(spec.src, Image(source_url=spec.src, alt_text=spec.alt))
        elif spec.alt and not image.alt_text:
            image.alt_text = spec.alt
            image.save(update_fields=["alt_text"])
    if missing:
        created = Image.objects.bulk_create(missing.values())
        if any(image.pk is None for image in created):  # backends that cannot return ids
            created = Image.objects.filter(source_url__in=list(missing)).order_by("pk")
        for image in created:
            by_src.setdefault(image.source_url, image)
    return by_src


def sync_figures(article, specs: list[FigureSpec], *, new: bool = False, known: dict | None = None) -> None:
    """Make article's ArticleFigure rows match specs, position for position.

    new: the article was just inserted, so it has no rows to compare or delete.
    """
    from articles.models import ArticleFigure

    images = resolve_images(specs, known) if specs else {}
    wanted = [(i, images[s.src].pk, s.caption) for i, s in enumerate(specs)]
    if not new:
        current = list(article.figures.order_by("position").values_list("position", "image_id", "caption"))
        if current == wanted:
            return
        article.figures.all().delete()
    if not wanted:
        return
    ArticleFigure.objects.bulk_create(
        ArticleFigure(article=article, position=i, image_id=image_id, caption=caption)
        for i, image_id, caption in wanted
    )


def figure_html(image, caption: str = "", *, align: str = "", lead: bool = False) -> SafeString:
    """A figure for image with its caption for this use and the image's own credit.

    Lead and inline images, on every page, are drawn here.
    """
    parts = []
    if caption:
        parts.append(format_html('<span class="caption">{}</span>', caption))
    if image.credit:
        parts.append(format_html('<span class="credit">{}</span>', image.credit))
    figcaption = format_html("<figcaption>{}</figcaption>", mark_safe(" ".join(parts))) if parts else ""
    sizes = SIZES["lead" if lead else "inline-side" if align in ("left", "right") else "inline"]
    # The lead is above the fold: fetched at once with high priority; inline figures load lazily.
    picture = picture_html(image, alt=image.alt_text, sizes=sizes, priority=lead)
    css = "figure figure--lead" if lead else f"figure figure--{align or 'inline'}"
    return format_html('<figure class="{}">{}{}</figure>', css, picture, figcaption)


def render_body(body: str, figures: list) -> SafeString:
    """The stored (already sanitised) body with each figure drawn from its row.

    The one place where stored body HTML is marked safe.
    """
    parts, last, index = [], 0, -1
    for match in FIGURE_PATTERN.finditer(body):
        parts.append(body[last : match.start()])
        last = match.end()
        if "<img" not in match.group(0):
            parts.append(match.group(0))  # an empty figure has no row (prepare_body skips it too)
            continue
        index += 1
        row = figures[index] if index < len(figures) and figures[index].position == index else None
        if row is None:
            parts.append(match.group(0))  # rows out of step: show the stored figure as it is
        else:
            align = (_ALIGN.search(match.group(1)) or [None, ""])[1]
            parts.append(figure_html(row.image, row.caption, align=align))
    parts.append(body[last:])
    return mark_safe("".join(parts))
