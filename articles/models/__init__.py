"""Newsroom's models, one module per domain; import them from here.

content: Article, its figures, sections and keywords. authors: Author, ArticleAuthor. images: Image.
editorial: ImportRun, ArticleEvent, PendingChange. redirects: Redirect. fulltext: SQLite's
search index. fragments: stored HTML of articles.
"""

from articles.models.authors import ArticleAuthor, Author
from articles.models.content import Article, ArticleFigure, ArticleQuerySet, Keyword, Section, unique_slug
from articles.models.editorial import ArticleEvent, ImportRun, PendingChange
from articles.models.fragments import ArticleFragment, new_fragment_version
from articles.models.fulltext import FTS5Document, SearchEntry
from articles.models.images import Image, image_upload_to
from articles.models.redirects import Redirect

__all__ = [
    "Article",
    "ArticleAuthor",
    "ArticleEvent",
    "ArticleFragment",
    "ArticleFigure",
    "ArticleQuerySet",
    "Author",
    "FTS5Document",
    "Image",
    "ImportRun",
    "Keyword",
    "PendingChange",
    "Redirect",
    "SearchEntry",
    "Section",
    "image_upload_to",
    "new_fragment_version",
    "unique_slug",
]
