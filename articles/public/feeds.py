"""RSS 2.0 and Atom feeds of the newest published articles: the whole site, a keyword, a section, an author.

Each item carries the standfirst, the keywords (and section) as categories,
the authors (else the byline), the publish and update times, and the lead picture twice: as an
enclosure (RSS <enclosure>, Atom <link rel="enclosure">, with the file's byte
length and type) and as Media RSS <media:content> with its size, caption and
credit, which is what most feed readers show as the item's picture.
Every feed is three queries (four with its keyword, section or author), however long.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, Stylesheet

from articles.content.sanitizer import xml_text
from articles.images.html import Rendition, largest
from articles.images.renditions import MIME_TYPES
from articles.models import Article, Author, Keyword, Section
from articles.public.seo import absolute_url, modified

logger = logging.getLogger(__name__)

MEDIA_RSS = "http://search.yahoo.com/mrss/"
FEED_IMAGE_WIDTH = 1280  # big enough for any reader's layout, small enough to download in a feed


def feed_image(image) -> Rendition | None:
    """The lead picture as a feed shows it: a JPEG/PNG rendition up to FEED_IMAGE_WIDTH, else the picture itself."""
    if image is None:
        return None
    picture = largest(image, max_width=FEED_IMAGE_WIDTH)
    if picture is not None and picture.format:
        return picture
    ext = image.name.rsplit(".", 1)[-1].lower().replace("jpeg", "jpg")
    return Rendition(url=image.url, width=image.width or 0, height=image.height or 0, format=ext)


def _byte_length(image, rendition: Rendition) -> int | None:
    """The size of a stored file, or None for a remote picture (or a storage that cannot say)."""
    if not image.file:
        return None
    name = next((n for n in image.renditions.values() if image.file.storage.url(n) == rendition.url), image.file.name)
    try:
        return image.file.storage.size(name)
    except (OSError, NotImplementedError) as error:
        logger.warning("Feed enclosure without a size for %s: %s", name, error)
        return None


def _media_elements(handler, item) -> None:
    media = item.get("media")
    if not media:
        return
    attrs = {"url": media["url"], "medium": "image"}
    if media["type"]:
        attrs["type"] = media["type"]
    if media["width"] and media["height"]:
        attrs["width"], attrs["height"] = str(media["width"]), str(media["height"])
    handler.startElement("media:content", attrs)
    if media["description"]:
        handler.addQuickElement("media:description", media["description"], {"type": "plain"})
    if media["credit"]:
        handler.addQuickElement("media:credit", media["credit"])
    if media["copyright"]:
        handler.addQuickElement("media:copyright", media["copyright"])
    handler.endElement("media:content")


def _xml_safe(value):
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(item) for item in value)
    if isinstance(value, dict):
        return {key: _xml_safe(item) for key, item in value.items()}
    return value


class XMLSafeFeed:
    """Every text of the feed without what XML 1.0 cannot carry. One control character
    pasted into a title or a caption (the admin, an import, the API) would otherwise
    make Django refuse the whole feed, for every reader, until the article drops out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*_xml_safe(args), **_xml_safe(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*_xml_safe(args), **_xml_safe(kwargs))


# Served as plain XML, not application/rss+xml or atom+xml: browsers show those as text (or
# download them) and never apply the feed's XSLT, while feed readers read either.
FEED_CONTENT_TYPE = "application/xml; charset=utf-8"


class MediaRssFeed(XMLSafeFeed, Rss201rev2Feed):
    content_type = FEED_CONTENT_TYPE

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        _media_elements(handler, item)


class MediaAtomFeed(XMLSafeFeed, Atom1Feed):
    content_type = FEED_CONTENT_TYPE

    def write(self, outfile, encoding):
        """Atom1Feed.write, with the feed's stylesheets as processing instructions before the root
        element, as Django writes them for RSS (Atom1Feed has no hook for them)."""
        document = io.StringIO()
        super().write(document, encoding)
        text = document.getvalue()
        head = text.index("?>") + 2 if text.startswith("<?xml") else 0  # after the XML declaration
        instructions = "".join(f"<?xml-stylesheet {sheet}?>" for sheet in self.feed["stylesheets"] or [])
        outfile.write(text[:head] + instructions + text[head:])

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        _media_elements(handler, item)


@dataclass(frozen=True)
class Scope:
    """What one request's feed is about, and the origin its picture URLs are made absolute on.

    A Feed instance serves every request (it is created once, in urls.py), so
    anything per request travels in this object, never on self.
    """

    origin: str
    subject: Keyword | Section | Author | None = None
    path: str = ""  # the feed's own address (rel=self)

    def absolute(self, url: str) -> str:
        return absolute_url(url, self.origin)


class LatestArticlesFeed(Feed):
    """/feed/: the newest published articles of the whole site, as RSS 2.0, or Atom 1.0 (/feed/atom/)."""

    def __init__(self, *, atom: bool = False):
        super().__init__()
        self.feed_type = MediaAtomFeed if atom else MediaRssFeed

    def get_object(self, request, *args, **kwargs):
        origin = f"{request.scheme}://{request.get_host()}"
        return Scope(origin=origin, subject=self.subject(**kwargs), path=request.path)

    def subject(self, **kwargs):
        return None

    def title(self, obj):
        return settings.NEWSROOM_SITE_NAME

    def description(self, obj):
        return f"The latest articles from {settings.NEWSROOM_SITE_NAME}."

    def subtitle(self, obj):  # Atom's name for the description
        return self.description(obj)

    # Every address absolute on the host the request came to: the syndication view would otherwise
    # prefix the sites framework's one Site domain (installed for the footer pages).
    def link(self, obj):
        return iri_to_uri(obj.absolute(self.subject_link(obj)))

    def subject_link(self, obj):
        return reverse("articles:home")

    def feed_url(self, obj):
        return iri_to_uri(obj.absolute(obj.path))

    def item_link(self, item):
        return iri_to_uri(item.feed_scope.absolute(item.get_absolute_url()))

    def stylesheets(self, obj):
        """<?xml-stylesheet?>: browsers show the feed as a page (feed readers ignore it)."""
        return [Stylesheet(reverse("articles:feed_stylesheet"), mimetype="text/xsl")]

    def articles(self, subject):
        return Article.objects.published()

    def items(self, obj):
        items = list(
            self.articles(obj.subject)
            .for_listing()
            .with_authors()
            .prefetch_related("keywords")[: settings.NEWSROOM_FEED_SIZE]
        )
        for item in items:
            item.feed_scope = obj  # item_* methods get only the item
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.author_list) or item.byline or None

    # In the newsroom's zone, as the pages show them; the feed writes the offset either way.
    def item_pubdate(self, item):
        return timezone.localtime(item.publish_at)

    def item_updateddate(self, item):
        return timezone.localtime(modified(item))

    def item_categories(self, item):
        names = [item.section.name] if item.section else []
        return names + [keyword.name for keyword in item.keywords.all() if keyword.name not in names]

    def item_enclosures(self, item):
        image = item.lead_image
        picture = feed_image(image)
        if picture is None or not picture.format:
            return []
        length = _byte_length(image, picture)
        if length is None:
            return []  # RSS requires the length; a remote picture still appears as media:content
        # Enclosure URLs must be absolute; the syndication view adds the domain only to links.
        return [Enclosure(item.feed_scope.absolute(picture.url), str(length), MIME_TYPES[picture.format])]

    def item_extra_kwargs(self, item):
        image = item.lead_image
        picture = feed_image(image)
        if picture is None:
            return {}
        return {
            "media": {
                "url": item.feed_scope.absolute(picture.url),
                "type": MIME_TYPES.get(picture.format, ""),
                "width": picture.width,
                "height": picture.height,
                "description": item.lead_caption or image.alt_text,
                "credit": image.credit,
                "copyright": image.copyright,
            }
        }


class TaxonomyFeed(LatestArticlesFeed):
    """/keywords/<slug>/feed/, /sections/<slug>/feed/ and /authors/<slug>/feed/: the newest articles of one
    keyword, section or author."""

    def __init__(self, *, model, relation: str, describe: str, require_articles: bool = False, atom: bool = False):
        """model: Keyword, Section or Author; relation: the Article field that names it; describe: the
        feed's description when it has none of its own, with {name} and {site}; require_articles: no
        published article, no feed (404), the rule of its page (TaxonomyArticlesView)."""
        super().__init__(atom=atom)
        self.model, self.relation, self.describe = model, relation, describe
        self.require_articles = require_articles

    def subject(self, slug):
        return get_object_or_404(self.model, slug=slug)

    def title(self, obj):
        return f"{obj.subject.name} · {settings.NEWSROOM_SITE_NAME}"

    def description(self, obj):
        subject = obj.subject
        return subject.description or self.describe.format(name=subject.name, site=settings.NEWSROOM_SITE_NAME)

    def subject_link(self, obj):
        return obj.subject.get_absolute_url()

    def articles(self, subject):
        return Article.objects.published().filter(**{self.relation: subject})

    def items(self, obj):
        items = super().items(obj)
        if not items and self.require_articles:
            # The items query the feed runs anyway decides: no extra query, and nothing of the subject sent.
            raise Http404("No articles here.")
        return items
