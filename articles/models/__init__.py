"""Newsroom's models, one module per domain; import them from here.

content: Article, its figures. taxonomy: sections and keywords. authors: Author, ArticleAuthor.
corrections: Correction. images: Image.
editorial: ImportRun, ArticleEvent, PendingChange, ShareLink. redirects: Redirect. fulltext: SQLite's
search index. fragments: stored HTML of articles. webhooks: Webhook, WebhookDelivery.
site_pages: the rule of Django's flatpages (footer pages).
"""

from articles.models.authors import ArticleAuthor, Author
from articles.models.content import Article, ArticleFigure, ArticleQuerySet
from articles.models.corrections import Correction
from articles.models.documents import Document
from articles.models.editorial import ArticleEvent, ImportRun, PendingChange, ShareLink
from articles.models.fragments import ArticleFragment, new_fragment_version
from articles.models.fulltext import FTS5Document, SearchEntry
from articles.models.images import Image, image_upload_to
from articles.models.redirects import Redirect
from articles.models.site_pages import SITE_PAGES_PREFIX
from articles.models.taxonomy import Keyword, Section, unique_slug
from articles.models.webhooks import Webhook, WebhookDelivery

__all__ = [
    "Article",
    "ArticleAuthor",
    "ArticleEvent",
    "ArticleFragment",
    "ArticleFigure",
    "ArticleQuerySet",
    "Author",
    "Correction",
    "Document",
    "FTS5Document",
    "Image",
    "ImportRun",
    "Keyword",
    "PendingChange",
    "Redirect",
    "SITE_PAGES_PREFIX",
    "SearchEntry",
    "Section",
    "ShareLink",
    "image_upload_to",
    "new_fragment_version",
    "Webhook",
    "WebhookDelivery",
    "unique_slug",
]
