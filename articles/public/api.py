"""The read-only JSON API for apps and partners, at /api/ (OpenAPI schema at /api/openapi.json).

Published content only (every article read starts from
Article.objects.published(), so drafts and scheduled articles never appear),
anonymous, GET only, and cached like the pages (caching/page_cache.py
public_page). Each endpoint runs a fixed number of queries: the article list
four (count, page, keywords, authors), an article four (the article with its
section and lead picture, its keywords, its figures with their pictures, its
authors), keywords two, sections one.

Why django-ninja rather than Django REST framework: the API is a handful of
read-only endpoints; ninja's typed pydantic schemas are both the validation and
the OpenAPI document (no serializer classes and a schema generator kept in
step by hand), and it adds no viewsets, routers or authentication machinery we
would switch off again.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from pydantic import field_validator

from articles.caching.page_cache import public_page
from articles.images.html import Rendition, fallback_format, render_body, renditions_of
from articles.images.renditions import CARD_RATIO, SOCIAL_RATIO, WEBP
from articles.models import Article, Keyword, Section
from articles.public.seo import absolute, modified

MAX_PAGE_SIZE = 100
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

api = NinjaAPI(
    title=f"{settings.NEWSROOM_SITE_NAME} API",
    version="1",
    description=(
        "Read-only access to published articles, keywords and sections. "
        "Anonymous; responses are public and cacheable. URLs inside `body_html` are relative to the article's `url`."
    ),
    urls_namespace="api",
)


# --- Schemas ------------------------------------------------------------------------------


class RenditionOut(Schema):
    url: str
    width: int
    height: int
    type: str = Field(description="MIME type: image/webp, image/jpeg or image/png")


class ImageOut(Schema):
    url: str = Field(description="The picture itself: the stored file, or its remote address when not stored")
    width: int | None
    height: int | None
    alt_text: str
    credit: str
    copyright: str = Field(description="Copyright notice or the address of its licence")
    renditions: list[RenditionOut] = Field(description="The whole picture at several widths, WebP and JPEG/PNG")
    card_renditions: list[RenditionOut] = Field(description=f"Cropped to {CARD_RATIO} for thumbnails")
    social: RenditionOut | None = Field(description=f"Cropped to {SOCIAL_RATIO} for sharing")


class KeywordRef(Schema):
    slug: str
    name: str
    url: str


class KeywordOut(KeywordRef):
    description: str


class SectionRef(Schema):
    slug: str
    name: str
    url: str


class SectionOut(SectionRef):
    description: str
    position: int


class AuthorRef(Schema):
    slug: str
    name: str
    role: str
    url: str = Field(description="The author's page")


class ArticleSummaryOut(Schema):
    id: int
    slug: str
    url: str = Field(description="The article's page")
    title: str
    standfirst: str
    authors: list[AuthorRef] = Field(description="Who wrote it, in byline order")
    byline: str = Field(description="Free-text credit (agency copy), shown when there is no author")
    published_at: datetime
    updated_at: datetime
    section: SectionRef | None
    keywords: list[KeywordRef]
    lead_image: ImageOut | None
    lead_caption: str


class FigureOut(Schema):
    position: int
    caption: str
    image: ImageOut


class ArticleOut(ArticleSummaryOut):
    body_html: str = Field(description="The body as the page shows it, figures with captions and credits included")
    figures: list[FigureOut]
    word_count: int
    reading_minutes: int


class Problem(Schema):
    detail: str | list = Field(description="What was wrong: a message, or one entry per invalid parameter")


class Page(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None


class ArticlePage(Page):
    items: list[ArticleSummaryOut]


class KeywordPage(Page):
    items: list[KeywordOut]


# No slug holds a NUL character, and PostgreSQL refuses one in any text it is given (a 500).
NO_NUL = r"^[^\x00]*$"


class ArticleFilters(Schema):
    keyword: str | None = Field(None, description="Only articles with this keyword (its slug)", pattern=NO_NUL)
    section: str | None = Field(None, description="Only articles in this section (its slug)", pattern=NO_NUL)
    published_from: date | None = Field(None, description="Published on or after this day (UTC)")
    published_to: date | None = Field(None, description="Published on or before this day (UTC)")

    @field_validator("published_from", "published_to", mode="before")
    @classmethod
    def iso_day(cls, value):
        # pydantic would also take a number of seconds since 1970 ("0"); the schema promises a date.
        if value is None or isinstance(value, date) or (isinstance(value, str) and ISO_DAY.fullmatch(value)):
            return value
        raise ValueError("a day as YYYY-MM-DD")


class Paging(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(settings.NEWSROOM_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


# --- Building the answers -------------------------------------------------------------------


def _rendition(request, r: Rendition) -> dict:
    return {"url": absolute(request, r.url), "width": r.width, "height": r.height, "type": r.mime_type}


def image_out(request, image) -> dict | None:
    if image is None:
        return None
    whole = renditions_of(image) if image.file else []
    cards = renditions_of(image, ratio=CARD_RATIO) if image.file else []
    social = renditions_of(image, ratio=SOCIAL_RATIO) if image.file else []
    # WebP first, then the fallback format, each narrowest first.
    order = {WEBP: 0, fallback_format(image): 1}
    return {
        "url": absolute(request, image.url),
        "width": image.width,
        "height": image.height,
        "alt_text": image.alt_text,
        "credit": image.credit,
        "copyright": image.copyright,
        "renditions": [_rendition(request, r) for r in sorted(whole, key=lambda r: (order[r.format], r.width))],
        "card_renditions": [_rendition(request, r) for r in sorted(cards, key=lambda r: (order[r.format], r.width))],
        "social": _rendition(request, social[-1]) if social else None,
    }


def _ref(request, obj) -> dict:
    return {"slug": obj.slug, "name": obj.name, "url": absolute(request, obj.get_absolute_url())}


def article_summary(request, article) -> dict:
    return {
        "id": article.pk,
        "slug": article.slug,
        "url": absolute(request, article.get_absolute_url()),
        "title": article.title,
        "standfirst": article.standfirst,
        "authors": [{**_ref(request, author), "role": author.role} for author in article.author_list],
        "byline": article.byline,
        "published_at": article.publish_at,
        "updated_at": modified(article),
        "section": _ref(request, article.section) if article.section else None,
        "keywords": [_ref(request, keyword) for keyword in article.keywords.all()],
        "lead_image": image_out(request, article.lead_image),
        "lead_caption": article.lead_caption,
    }


def article_detail(request, article) -> dict:
    """An article as ArticleOut (the API's one article, and the body of webhooks: delivery/webhooks.py).
    article comes from Article.objects.for_detail().with_authors(); request makes URLs absolute."""
    figures = list(article.figures.all())
    return {
        **article_summary(request, article),
        "body_html": str(render_body(article)),
        "figures": [
            {"position": f.position, "caption": f.caption, "image": image_out(request, f.image)} for f in figures
        ],
        "word_count": article.word_count,
        "reading_minutes": article.reading_minutes,
    }


def _page(request, paginator: Paginator, number: int, items: list) -> dict:
    pages = max(paginator.num_pages, 1)

    def link(n):
        query = request.GET.copy()
        query["page"] = str(n)
        return absolute(request, f"{request.path}?{query.urlencode()}")

    return {
        "count": paginator.count,
        "page": number,
        "pages": pages,
        "next": link(number + 1) if number < pages else None,
        "previous": link(min(number - 1, pages)) if number > 1 else None,
        "items": items,
    }


def _paginate(queryset, paging: Paging) -> tuple[Paginator, list]:
    """One count query and one page query; a page past the end is empty, not an error."""
    paginator = Paginator(queryset, paging.page_size)
    if paging.page > math.ceil(paginator.count / paging.page_size):
        return paginator, []
    start = (paging.page - 1) * paging.page_size
    return paginator, list(queryset[start : start + paging.page_size])


def filter_articles(queryset, filters: ArticleFilters):
    if filters.keyword:
        queryset = queryset.filter(keywords__slug=filters.keyword)
    if filters.section:
        queryset = queryset.filter(section__slug=filters.section)
    utc = timezone.get_fixed_timezone(0)
    if filters.published_from:
        queryset = queryset.filter(publish_at__gte=datetime.combine(filters.published_from, time.min, utc))
    if filters.published_to and filters.published_to < date.max:  # the last day has no day after it
        end = datetime.combine(filters.published_to + timedelta(days=1), time.min, utc)
        queryset = queryset.filter(publish_at__lt=end)
    return queryset


# --- Endpoints --------------------------------------------------------------------------------


@api.get(
    "/articles",
    response={200: ArticlePage, 422: Problem},
    tags=["articles"],
    summary="Published articles, newest first",
)
@decorate_view(public_page(query=("keyword", "section", "published_from", "published_to", "page", "page_size")))
def list_articles(request, filters: Query[ArticleFilters], paging: Query[Paging]):
    articles = (
        filter_articles(Article.objects.published(), filters).for_listing().prefetch_related("keywords").with_authors()
    )
    paginator, page = _paginate(articles, paging)
    return _page(request, paginator, paging.page, [article_summary(request, article) for article in page])


@api.get(
    "/articles/{slug}", response={200: ArticleOut, 404: Problem}, tags=["articles"], summary="One published article"
)
@decorate_view(public_page)
def get_article(request, slug: str):
    if "\x00" in slug:  # no article has one; PostgreSQL would refuse the query
        raise Http404("No article here.")
    return article_detail(
        request, get_object_or_404(Article.objects.published().for_detail().with_authors(), slug=slug)
    )


@api.get("/keywords", response={200: KeywordPage, 422: Problem}, tags=["keywords"], summary="Keywords, by name")
@decorate_view(public_page(query=("page", "page_size")))
def list_keywords(request, paging: Query[Paging]):
    # Only keywords readers can see used: one that only embargoed articles use would tell.
    shown = Keyword.objects.filter(Exists(Article.objects.published().filter(keywords=OuterRef("pk"))))
    paginator, page = _paginate(shown.order_by("name", "pk"), paging)
    items = [{**_ref(request, k), "description": k.description} for k in page]
    return _page(request, paginator, paging.page, items)


@api.get("/sections", response=list[SectionOut], tags=["sections"], summary="Sections, in navigation order")
@decorate_view(public_page)
def list_sections(request):
    return [{**_ref(request, s), "description": s.description, "position": s.position} for s in Section.objects.all()]
