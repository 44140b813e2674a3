"""Reader-facing pages: thin views over ArticleQuerySet.published(), read through articles/pages.py."""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from articles.caching import fragments as drawings
from articles.editorial import share_links as preview_links
from articles.models import Article, Keyword, Section
from articles.public import queries as pages
from articles.public import seo as metadata
from articles.search import SearchPaginator, normalize_query, search_articles


class PublishedArticlesMixin:
    """Published articles only, with everything a card shows, paginated."""

    model = Article
    paginate_by = settings.NEWSROOM_PAGE_SIZE
    context_object_name = "articles"

    def get_queryset(self):
        return pages.HOME.published(timezone.now())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page, fresh = context["page_obj"], []
        # The first card of the first page is the featured one.
        context["cards"] = pages.cards(page.object_list, featured=page.number == 1, fresh=fresh)
        drawings.store(fresh)
        context["page_meta"] = self.page_meta(page.number)
        return context

    def page_meta(self, page_number):
        return metadata.list_page(self.request, title=settings.NEWSROOM_SITE_NAME, page_number=page_number)


class HomeView(PublishedArticlesMixin, ListView):
    template_name = "articles/home.html"


class KeywordView(PublishedArticlesMixin, ListView):
    template_name = "articles/keyword.html"
    # No published article, no page: a keyword only embargoed articles use would tell.
    allow_empty = False

    def get_queryset(self):
        self.keyword = get_object_or_404(Keyword, slug=self.kwargs["slug"])
        return pages.KEYWORD.published(timezone.now(), keyword=self.keyword.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(keyword=self.keyword, **kwargs)

    def page_meta(self, page_number):
        description = self.keyword.description or f"Articles about {self.keyword.name}"
        return metadata.list_page(
            self.request, title=self.keyword.name, description=description, page_number=page_number
        )


class SectionView(PublishedArticlesMixin, ListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return pages.SECTION.published(timezone.now(), section=self.section.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)

    def page_meta(self, page_number):
        description = self.section.description or f"{self.section.name} from {settings.NEWSROOM_SITE_NAME}"
        return metadata.list_page(
            self.request, title=self.section.name, description=description, page_number=page_number
        )


def article_detail(request, slug):
    """One live article with its neighbours and related articles: prepared queries (articles/pages.py)."""
    now, fresh = timezone.now(), []
    article = pages.published_article(slug, now, fresh)
    if article is None:
        raise Http404("No article here.")
    related = pages.related_articles(article, now, fresh)
    drawings.store(fresh)
    context = {"article": article, "related": related, "page_meta": metadata.article_page(article, request)}
    return TemplateResponse(request, "articles/article_detail.html", context)


def search(request):
    """Published articles matching ?q=, best first; a prompt when there is no query."""
    query = normalize_query(request.GET.get("q", ""))
    page_obj = None
    if query:
        paginator = SearchPaginator(search_articles(Article.objects.published(), query), settings.NEWSROOM_PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
    articles = page_obj.object_list if page_obj else []
    featured = bool(page_obj) and page_obj.number == 1
    # Drawn for each search: the snippets show where the words were found.
    cards = [
        render_to_string("includes/card.html", {"article": article, "query": query, "featured": featured and not i})
        for i, article in enumerate(articles)
    ]
    context = {"query": query, "page_obj": page_obj, "articles": articles, "cards": cards}
    return render(request, "articles/search.html", context)


@never_cache
def shared_preview(request, token):
    """One unpublished article for someone holding its signed, unexpired share link.

    Never stored by any cache (private, no-store), never indexed, and no
    Referer carries the token to the sites the article links to.
    """
    try:
        pk = preview_links.article_pk(token)
    except signing.BadSignature as error:  # SignatureExpired is one too
        raise Http404("This preview link is wrong or has expired.") from error
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    response = render(request, "articles/article_detail.html", {"article": article, "preview": True})
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def robots_txt(request):
    """What crawlers may read (not the admin, not share links), and where the sitemaps are."""
    context = {
        "sitemap_url": request.build_absolute_uri(reverse("articles:sitemap")),
        "news_sitemap_url": request.build_absolute_uri(reverse("articles:sitemap_news")),
    }
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
