"""Reader-facing pages: thin views over ArticleQuerySet.published()."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from articles.models import Article, Keyword, Section


class PublishedArticlesMixin:
    """Published articles only, with everything a card shows, paginated."""

    model = Article
    paginate_by = settings.NEWSROOM_PAGE_SIZE
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class HomeView(PublishedArticlesMixin, ListView):
    template_name = "articles/home.html"


class KeywordView(PublishedArticlesMixin, ListView):
    template_name = "articles/keyword.html"

    def get_queryset(self):
        self.keyword = get_object_or_404(Keyword, slug=self.kwargs["slug"])
        return super().get_queryset().filter(keywords=self.keyword)

    def get_context_data(self, **kwargs):
        return super().get_context_data(keyword=self.keyword, **kwargs)


class SectionView(PublishedArticlesMixin, ListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, current_section=self.section, **kwargs)


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().for_detail()
