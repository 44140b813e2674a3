"""Reader-facing pages: thin views over Article.objects.published(), read through public/queries.py."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from articles.caching import fragments, generation
from articles.editorial import share_links
from articles.models import Article, Correction
from articles.public import front_page, queries, search_page, seo
from articles.search import SearchPaginator


class ListingPaginator(Paginator):
    """Django's Paginator, its count kept in the fragments cache for the rest of the content generation
    (a COUNT over every published article is most of a list page's database time)."""

    def __init__(self, object_list, per_page, *, request, count_key: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.request, self.count_key = request, count_key

    @cached_property
    def count(self) -> int:
        return generation.remember(self.request, self.count_key, self.object_list.count)


class ArticleListView(ListView):
    """A list of published articles as cards, newest first, paginated: the home page, and (as
    TaxonomyArticlesView) the articles of a keyword, section or author."""

    template_name = "articles/home.html"
    paginate_by = settings.NEWSROOM_PAGE_SIZE
    context_object_name = "articles"
    # No published article, no page: a 404 (ListView's allow_empty=False would ask the database once more).
    require_articles = False

    def filters(self) -> dict:
        """What narrows the list (none: every live article)."""
        return {}

    def get_queryset(self):
        return queries.listing(**self.filters())

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return ListingPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page and not self.require_articles,
            request=self.request,
            count_key=f"count:{self.request.path}",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.fresh = []
        context.update(self.laid_out(context["page_obj"], self.fresh))
        context["page_meta"] = self.page_meta(context["page_obj"].number)
        return context

    def laid_out(self, page, fresh: list) -> dict:
        """What the template shows of a page of listing() rows: cards, the first one of the first page featured."""
        cards = queries.cards(list(page.object_list), featured=page.number == 1, fresh=fresh)
        return {"cards": cards, "cards_html": cards_html(cards)}

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        # Fragments made for the page (some while its template renders) are stored once it has.
        response.add_post_render_callback(lambda response: fragments.store(self.fresh))
        return response

    def page_meta(self, page_number):
        return seo.list_page(self.request, title=settings.NEWSROOM_SITE_NAME, page_number=page_number)


class HomeView(ArticleListView):
    """The home page: its first page a front page (public/front_page.py), the later ones older stories as cards."""

    template_name = "articles/home.html"

    def get_queryset(self):
        return queries.listing(extra=front_page.LATEST_FIELDS)

    def laid_out(self, page, fresh: list) -> dict:
        if page.number != 1:
            return super().laid_out(page, fresh)
        return {"front": front_page.FrontPage(list(page.object_list), fresh), "cards": []}


class TaxonomyArticlesView(ArticleListView):
    """The articles of one keyword, section or author (model), with its name, description and feed."""

    template_name = "articles/taxonomy.html"
    model = None
    relation = ""  # the Article field that names it
    label = ""  # what the page calls it, above its name
    feed = ""  # its feed's URL name
    default_description = ""  # with {name} and {site}, when it has no description of its own
    subject_related = ()  # what the page shows of it besides its own fields (an author's photo)

    def filters(self) -> dict:
        subjects = self.model.objects.select_related(*self.subject_related)
        self.subject = get_object_or_404(subjects, slug=self.kwargs["slug"])
        return {self.relation: self.subject}

    def get_context_data(self, **kwargs):
        feed_url = reverse(self.feed, kwargs={"slug": self.subject.slug})
        return super().get_context_data(subject=self.subject, label=self.label, feed_url=feed_url, **kwargs)

    def page_meta(self, page_number):
        name = self.subject.name
        description = self.subject.description or self.default_description.format(
            name=name, site=settings.NEWSROOM_SITE_NAME
        )
        return seo.list_page(self.request, title=name, description=description, page_number=page_number)


def cards_html(cards: list) -> SafeString:
    """The cards one after another, as one piece of HTML for the template (one render, not twelve)."""
    return format_html_join("\n  ", "{}", ((card,) for card in cards))


def article_detail(request, slug):
    """One live article: one query, the rest from the fragments cache or read as the template asks."""
    row = queries.live_article(slug)
    if row is None:
        raise Http404("No article here.")
    return render_article(request, row)


def render_article(request, row: dict, *, preview: bool = False) -> TemplateResponse:
    """The article page for row (queries.live_article(), or {"pk"} of any article for a preview).

    A preview is made afresh each time: nothing of it is cached or stored.
    """
    fresh = []
    page = queries.ArticlePage(row, request, fresh)
    context = {"article": row if not preview else page.article, "page": page, "preview": preview}
    if preview:
        context["freshness"] = generation.UNCACHED
    response = TemplateResponse(request, "articles/article_detail.html", context)
    if not preview:
        # Fragments made while the template renders are kept once it has (store() returns None,
        # so the response stays as rendered).
        response.add_post_render_callback(lambda response: fragments.store(fresh))
    return response


def search(request):
    """Published articles matching ?q= (in a section and time span, best or newest first), as a list of
    results; a prompt when there is no query."""
    asked = search_page.SearchRequest.from_get(request.GET)
    page_obj = None
    if asked.query:
        paginator = SearchPaginator(asked.matches(Article.objects.published()), settings.NEWSROOM_PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
    articles = page_obj.object_list if page_obj else []
    # Drawn for each search: the snippets show where the words were found.
    template = get_template("includes/search_result.html")
    results = [template.render({"article": article, "query": asked.query}) for article in articles]
    context = {
        "query": asked.query,
        "asked": asked,
        "spans": {value: label for value, (label, _) in search_page.SPANS.items()},
        "sorts": search_page.SORTS,
        "page_obj": page_obj,
        "page_query": asked.page_query(),
        "articles": articles,
        "results_html": cards_html(results),
        # The header's navigation from the same query as the section filter, none of them current.
        "nav_sections": [section._replace(current=False) for section in asked.sections],
    }
    return render(request, "articles/search.html", context)


RECENT_CORRECTIONS = 50


def corrections(request):
    """The newest corrections to live articles, each with its article: one query."""
    recent = (
        Correction.objects.on_live_articles()
        .filter(kind=Correction.Kind.CORRECTION)
        .select_related("article")
        .only("kind", "note", "published_at", "article__title", "article__slug")[:RECENT_CORRECTIONS]
    )
    return render(request, "articles/corrections.html", {"corrections": recent})


@never_cache
def share_link(request, token):
    """One unpublished article for someone holding its signed share link, neither expired nor revoked.

    Never stored by any cache (private, no-store), never indexed, and no
    Referer carries the token to the sites the article links to.
    """
    try:
        link = share_links.opened(token)
    except share_links.Refused as error:
        raise Http404("This preview link is wrong, has expired or was revoked.") from error
    response = render_article(request, {"pk": link.article_id}, preview=True)
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
