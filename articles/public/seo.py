"""What search engines, social networks and feed readers read about a page.

One PageMeta per page, built here from what the view already fetched (no
queries): the canonical address, the description, Open Graph and Twitter card
tags, and on the article page a schema.org NewsArticle as JSON-LD. The JSON-LD
is built as a dict and serialised by json_ld_script(), never by formatting
strings inside a template. PageMeta.head_html draws it all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from articles.images.html import Rendition, largest, social_image

DESCRIPTION_CHARS = 200
# json.dumps leaves these as they are; inside <script> they could end the element or start a comment.
_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:,|&|\band\b)\s*")


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    canonical: str
    kind: str = "website"  # Open Graph type: "website" or "article"
    image: Rendition | None = None  # with an absolute URL
    image_alt: str = ""
    article_tags: list[tuple[str, str]] = field(default_factory=list)  # extra og "article:*" properties
    json_ld: dict | None = None

    @property
    def open_graph(self) -> list[tuple[str, str]]:
        tags = [
            ("og:site_name", settings.NEWSROOM_SITE_NAME),
            ("og:type", self.kind),
            ("og:title", self.title),
            ("og:description", self.description),
            ("og:url", self.canonical),
            ("og:locale", og_locale(settings.LANGUAGE_CODE)),
        ]
        if self.image:
            tags.append(("og:image", self.image.url))
            if self.image.width and self.image.height:  # a remote picture's size may not be known
                tags += [("og:image:width", str(self.image.width)), ("og:image:height", str(self.image.height))]
            if self.image.format:
                tags.append(("og:image:type", self.image.mime_type))
            if self.image_alt:
                tags.append(("og:image:alt", self.image_alt))
        return tags + self.article_tags

    @property
    def twitter(self) -> list[tuple[str, str]]:
        tags = [
            ("twitter:card", "summary_large_image" if self.image else "summary"),
            ("twitter:title", self.title),
            ("twitter:description", self.description),
        ]
        if self.image:
            tags.append(("twitter:image", self.image.url))
            if self.image_alt:
                tags.append(("twitter:image:alt", self.image_alt))
        return tags

    @property
    def json_ld_script(self) -> SafeString:
        return json_ld_script(self.json_ld) if self.json_ld else SafeString("")

    @property
    def head_html(self) -> SafeString:
        """The <head> tags: canonical link, Open Graph and Twitter meta tags, JSON-LD."""
        return format_html(
            '<link rel="canonical" href="{}">\n{}\n{}\n{}',
            self.canonical,
            format_html_join("\n", '<meta property="{}" content="{}">', self.open_graph),
            format_html_join("\n", '<meta name="{}" content="{}">', self.twitter),
            self.json_ld_script,
        )


def og_locale(language_code: str) -> str:
    """Django's "en-gb" as Open Graph's "en_GB"."""
    language, _, region = language_code.partition("-")
    return f"{language}_{region.upper()}" if region else language


def json_ld_script(data: dict) -> SafeString:
    """<script type="application/ld+json"> holding data; no value can break out of the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _SCRIPT_ESCAPES:  # three replace() calls: a tenth of str.translate's time
        text = text.replace(character, escaped)
    # JSON with <, > and & escaped cannot close the script or open markup.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def absolute(request, url: str) -> str:
    """url as an absolute address on the site the request came to (left alone when it is one already)."""
    return request.build_absolute_uri(url)


def absolute_url(url: str, origin: str) -> str:
    """url on origin (scheme and host), for code that has the origin but not the request (feed items,
    sitemap entries); a picture on a CDN is an absolute address already and stays as it is."""
    return url if url.startswith(("http://", "https://")) else origin + url


def _absolute_rendition(request, rendition: Rendition | None) -> Rendition | None:
    if rendition is None:
        return None
    return Rendition(
        url=absolute(request, rendition.url), width=rendition.width, height=rendition.height, format=rendition.format
    )


def _description(text: str, fallback: str) -> str:
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_CHARS:
        return text or fallback
    # At the last space before the limit, with an ellipsis (Django's Truncator weighs
    # every character for combining accents, a microsecond each on every article view).
    cut = text[: DESCRIPTION_CHARS - 1]
    if " " in cut[DESCRIPTION_CHARS // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def list_page(request, *, title: str, description: str = "", page_number: int = 1) -> PageMeta:
    """Home, keyword and section pages. Page 2 onwards are their own canonical pages (?page=N)."""
    path = request.path if page_number <= 1 else f"{request.path}?page={page_number}"
    return PageMeta(
        title=title,
        description=_description(description, f"News from {settings.NEWSROOM_SITE_NAME}"),
        canonical=absolute(request, path),
    )


def shared_image(image) -> Rendition | None:
    """social_image(), else the picture itself: a remote lead picture of unknown size is still what
    a shared link shows (its NewsArticle names it too)."""
    if image is None:
        return None
    return social_image(image) or Rendition(url=image.url, width=0, height=0, format="")


def article_page(article, request) -> PageMeta:
    """The article page: Open Graph "article" tags and a NewsArticle."""
    canonical = absolute(request, article.get_absolute_url())
    description = _description(article.standfirst, article.title)
    image = _absolute_rendition(request, shared_image(article.lead_image))
    keywords = [keyword["name"] for keyword in article.keyword_list]
    tags = [("article:published_time", iso_time(article.publish_at))] if article.publish_at else []
    tags.append(("article:modified_time", iso_time(modified(article))))
    if article.section:
        tags.append(("article:section", article.section.name))
    tags += [("article:tag", name) for name in keywords]
    return PageMeta(
        title=article.title,
        description=description,
        canonical=canonical,
        kind="article",
        image=image,
        image_alt=article.lead_image.alt_text if article.lead_image else "",
        article_tags=tags,
        json_ld=news_article(article, request, canonical=canonical, description=description, words=article.word_count),
    )


def iso_time(value) -> str:
    """ISO 8601 in the newsroom's zone with its offset, as the page's <time datetime> and the sitemaps write it."""
    return timezone.localtime(value).isoformat()


def modified(article):
    """When the article last changed as readers see it: never before it was published."""
    if article.publish_at and article.publish_at > article.updated_at:
        return article.publish_at
    return article.updated_at


def news_article(article, request, *, canonical: str, description: str, words: int) -> dict:
    """schema.org NewsArticle (https://schema.org/NewsArticle), with what Google's article rich results read."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": description,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "datePublished": iso_time(article.publish_at) if article.publish_at else None,
        "dateModified": iso_time(modified(article)),
        "author": authors(article, request),
        "publisher": publisher(request),
        "inLanguage": settings.LANGUAGE_CODE,
        "wordCount": words,
        "isAccessibleForFree": True,
    }
    if article.lead_image:
        data["image"] = [image_object(article.lead_image, request, caption=article.lead_caption)]
    if article.section:
        data["articleSection"] = article.section.name
    keywords = [keyword["name"] for keyword in article.keyword_list]
    if keywords:
        data["keywords"] = keywords
    corrections = [c for c in article.corrections.all() if c.kind == c.Kind.CORRECTION]
    if corrections:  # https://schema.org/correction; updates are only dateModified
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c.note, "datePublished": iso_time(c.published_at)}
            for c in corrections
        ]
    return {key: value for key, value in data.items() if value is not None}


def authors(article, request) -> list[dict]:
    """The article's authors as Person objects with their page (url) and profiles elsewhere (sameAs);
    without any, the byline's names ("Jo Reporter and Ann Lee" -> two); without a byline, the publisher."""
    if article.author_list:
        return [person(author, request) for author in article.author_list]
    names = [name for name in _AUTHOR_SEPARATORS.split(article.byline.strip()) if name]
    if not names:
        return [{"@type": "Organization", "name": settings.NEWSROOM_SITE_NAME}]
    return [{"@type": "Person", "name": name} for name in names]


def person(author, request) -> dict:
    """schema.org Person for an author (https://schema.org/Person)."""
    data = {"@type": "Person", "name": author.name, "url": absolute(request, author.get_absolute_url())}
    if author.role:
        data["jobTitle"] = author.role
    if links := author.link_list:
        data["sameAs"] = links
    return data


def publisher(request) -> dict:
    data = {
        "@type": "Organization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": absolute(request, reverse("articles:home")),
    }
    logo = settings.NEWSROOM_PUBLISHER_LOGO_URL
    if logo:
        data["logo"] = {"@type": "ImageObject", "url": absolute(request, logo)}
    return data


def image_object(image, request, *, caption: str = "") -> dict:
    """schema.org ImageObject for a picture at its largest size, with its rights where known."""
    biggest = largest(image)
    if biggest is not None:
        url, width, height = biggest.url, biggest.width, biggest.height
    else:
        url, width, height = image.url, image.width, image.height
    data = {
        "@type": "ImageObject",
        "url": absolute(request, url),
        "contentUrl": absolute(request, url),
        "width": width,
        "height": height,
        "caption": caption or None,
        "description": image.alt_text or None,
        "creditText": image.credit or None,
    }
    # Image.copyright holds a notice ("© Ann Lee"), a licence's name ("CC BY 4.0") or its address.
    notice = image.copyright.strip()
    if notice.startswith(("http://", "https://")):
        data["license"] = notice
    elif notice:
        data["copyrightNotice"] = notice
        data["license"] = licence_url(notice)
    return {key: value for key, value in data.items() if value is not None}


_CC_LICENCE = re.compile(r"^CC[ -]?(0|BY(?:-(?:SA|ND|NC|NC-SA|NC-ND))?)[ -]?(\d\.\d)$", re.IGNORECASE)


def licence_url(notice: str) -> str | None:
    """The address of a Creative Commons licence named in notice ("CC0 1.0", "CC BY-SA 4.0"), else None."""
    match = _CC_LICENCE.match(notice.strip())
    if not match:
        return None
    kind, version = match[1].lower(), match[2]
    if kind == "0":
        return f"https://creativecommons.org/publicdomain/zero/{version}/"
    return f"https://creativecommons.org/licenses/{kind}/{version}/"
