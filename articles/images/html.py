"""Pictures as HTML: <picture> with srcsets from an Image's renditions, figures with caption and credit,
and a stored body with each figure drawn from its row.

Every picture on every page (lead, inline, cards, teasers) is drawn here, from
the rendition list kept on the Image row (images/renditions.py), so no page
opens a file or asks storage what exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from articles.content.body import LINK_REL, FigureSlot, split_figures
from articles.content.sanitizer import allowed_url
from articles.images.renditions import MIME_TYPES, RATIOS, SOCIAL_RATIO, WEBP

# The `sizes` of each place a picture appears, matching the layout in
# static/css/site.css (.wrap padding 1rem, .article 46rem, .article__body
# 40rem, the card grid's minmax(16rem, 1fr) columns). Change both together.
SIZES = {
    "lead": "(min-width: 48rem) 46rem, calc(100vw - 2rem)",
    "inline": "(min-width: 42rem) 40rem, calc(100vw - 2rem)",
    "inline-side": "(min-width: 60rem) 18rem, (min-width: 42rem) 40rem, calc(100vw - 2rem)",
    "card": "(min-width: 70rem) 17rem, (min-width: 52.5rem) 33vw, (min-width: 35rem) 50vw, calc(100vw - 2rem)",
    "card-featured": "(min-width: 72rem) 41rem, (min-width: 48rem) 58vw, calc(100vw - 2rem)",
    "related": "(min-width: 48rem) 15rem, (min-width: 30rem) 50vw, calc(100vw - 2rem)",
    "thumb": "(min-width: 48rem) 10rem, 7rem",
    "avatar": "4rem",
}


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int
    format: str  # "webp", "jpg" or "png"

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.format]


def renditions_of(image, *, ratio: str | None = None, fmt: str | None = None) -> list[Rendition]:
    """The recorded renditions of image for one crop (None: the whole picture), narrowest first."""
    found = []
    storage = image.file.storage
    for key, name in (image.renditions or {}).items():
        crop, _, size = key.rpartition("/")
        if (crop or None) != ratio:
            continue
        width, _, ext = size.partition(".")
        if fmt is not None and ext != fmt:
            continue
        if ratio:
            height = round(int(width) / RATIOS[ratio])
        elif image.width and image.height:
            height = round(image.height * int(width) / image.width)
        else:
            continue
        found.append(Rendition(url=storage.url(name), width=int(width), height=height, format=ext))
    return sorted(found, key=lambda r: (r.width, r.format))


def fallback_format(image) -> str:
    return "png" if any(key.endswith(".png") for key in (image.renditions or {})) else "jpg"


def srcset(renditions: list[Rendition]) -> str:
    return ", ".join(f"{r.url} {r.width}w" for r in renditions)


def largest(image, *, max_width: int | None = None) -> Rendition | None:
    """The widest JPEG/PNG rendition of the whole picture (at most max_width wide), else the
    picture itself when its size is known (format "" when it is not one of ours), else None."""
    sizes = [r for r in renditions_of(image, fmt=fallback_format(image)) if max_width is None or r.width <= max_width]
    if sizes:
        return sizes[-1]
    if image.width and image.height:
        return Rendition(url=image.url, width=image.width, height=image.height, format="")
    return None


def social_image(image) -> Rendition | None:
    """The picture to show when an article is shared: the 1.91:1 crop, else the largest size, else the original."""
    if image is None:
        return None
    shared = renditions_of(image, ratio=SOCIAL_RATIO)
    return shared[-1] if shared else largest(image)


def picture_html(image, *, alt: str, sizes: str, ratio: str | None = None, priority: bool = False) -> SafeString:
    """<picture> with WebP and fallback srcsets, width and height; a plain <img> when there are no renditions.

    priority: the picture that is the page's largest above the fold (lead
    image, featured card) loads at once with high priority; every other one
    loads lazily.
    """
    loading = format_html(' fetchpriority="{}"', "high") if priority else format_html(' loading="{}"', "lazy")
    fallback = renditions_of(image, ratio=ratio, fmt=fallback_format(image)) if image.file else []
    if ratio and not fallback and image.file:
        ratio = None  # renditions made before crops existed: the whole picture, cropped by CSS
        fallback = renditions_of(image, fmt=fallback_format(image))
    if not fallback:
        size = format_html(' width="{}" height="{}"', image.width, image.height) if image.width and image.height else ""
        return format_html('<img src="{}" alt="{}"{}{} decoding="async">', image.url, alt, size, loading)
    webp = renditions_of(image, ratio=ratio, fmt=WEBP)
    largest = fallback[-1]
    # src stays the stored picture itself (its one permanent address, which
    # links and old clients keep); every browser that reads srcset picks from it.
    source = format_html('<source type="image/webp" srcset="{}" sizes="{}">', srcset(webp), sizes) if webp else ""
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}"{} decoding="async"></picture>',
        source,
        image.url,
        srcset(fallback),
        sizes,
        alt,
        largest.width,
        largest.height,
        loading,
    )


def figure_html(image, caption: str = "", *, align: str = "", lead: bool = False, link: str = "") -> SafeString:
    """A figure for image with its caption for this use and the image's own credit;
    the picture links to link when there is one (a picture that stood in a link in the body).

    Lead and inline images, on every page, are drawn here.
    """
    parts = []
    if caption:
        parts.append(("caption", caption))
    if image.credit:
        parts.append(("credit", image.credit))
    spans = format_html_join(" ", '<span class="{}">{}</span>', parts)
    figcaption = format_html("<figcaption>{}</figcaption>", spans) if parts else ""
    sizes = SIZES["lead" if lead else "inline-side" if align in ("left", "right") else "inline"]
    # The lead is above the fold: fetched at once with high priority; inline figures load lazily.
    picture = picture_html(image, alt=image.alt_text, sizes=sizes, priority=lead)
    # The link came through the sanitizer with the body; checked again as the row is all there is here.
    if link and allowed_url(link):
        picture = format_html('<a href="{}" rel="{}">{}</a>', link, LINK_REL, picture)
    css = "figure figure--lead" if lead else f"figure figure--{align or 'inline'}"
    return format_html('<figure class="{}">{}{}</figure>', css, picture, figcaption)


def render_body(article) -> SafeString:
    """The article's stored (already sanitised) body with each figure drawn from its row
    (article.figures, with their images: prefetch them), so captions, credits and sizes come
    from the database.

    The one place where stored body HTML is marked safe.
    """
    rows = {figure.position: figure for figure in article.figures.all()}
    parts = []
    for piece in split_figures(article.body):
        row = rows.get(piece.position) if isinstance(piece, FigureSlot) else None
        if row is not None:
            parts.append(figure_html(row.image, row.caption, align=piece.align, link=row.link))
        else:
            # Text between figures; an empty figure (no row); rows out of step: the stored markup as it is.
            parts.append(piece if isinstance(piece, str) else piece.markup)
    # The body passed the sanitizer on save (Article.save()); the figures are built with format_html.
    return mark_safe("".join(parts))  # noqa: S308 (the one place stored body HTML is marked safe)
