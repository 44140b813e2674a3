"""Keywords and authors by name: a run creates each one it meets once, and reuses it by slug."""

from __future__ import annotations

from django.db import router, transaction
from django.db.models.signals import m2m_changed

from articles.importing.parsing import author_slug, keyword_slug
from articles.models import Article, Author, Keyword


class KeywordIds:
    """Keyword slug -> id for one run, so a corpus that repeats its keywords
    does not look them up file after file. Only committed rows are remembered.
    A name whose slug is taken reuses that row: "Jo Smith" and "jo smith" are one."""

    model: type[Keyword | Author] = Keyword
    slug_of = staticmethod(keyword_slug)

    def __init__(self):
        self.ids: dict[str, int] = {}

    def for_names(self, names: list[str]) -> list[int]:
        """The ids of these names' rows, in the order named, created where missing."""
        length = self.model._meta.get_field("name").max_length
        by_slug = {self.slug_of(name): name[:length] for name in names}
        missing = [slug for slug in by_slug if slug not in self.ids]
        if missing:
            model = self.model
            model.objects.bulk_create([model(name=by_slug[slug], slug=slug) for slug in missing], ignore_conflicts=True)
            found = dict(model.objects.filter(slug__in=missing).values_list("slug", "pk"))
            transaction.on_commit(lambda: self.ids.update(found))
            return [self.ids.get(slug) or found[slug] for slug in by_slug]
        return [self.ids[slug] for slug in by_slug]


class AuthorIds(KeywordIds):
    """KeywordIds for authors: one Author per name (parsing.author_names())."""

    model = Author
    slug_of = staticmethod(author_slug)


def add_keywords(article: Article, keyword_ids: list[int]) -> None:
    """keywords.add() for an article created in this transaction, without the look-up for rows
    it cannot have yet.

    (With m2m_changed receivers connected, add() first queries which rows
    exist.) The same m2m_changed signals are sent, so caches hear of it; they
    say the article is new, so its stored fragments (there can be none for a
    version no other transaction has seen) are not forgotten again.
    """
    if not keyword_ids:
        return
    through = Article.keywords.through
    pks = set(keyword_ids)
    signal = {
        "sender": through,
        "instance": article,
        "reverse": False,
        "model": Keyword,
        "pk_set": pks,
        "created_in_this_transaction": True,
    }
    using = router.db_for_write(Article)
    m2m_changed.send(action="pre_add", using=using, **signal)
    through.objects.bulk_create([through(article_id=article.pk, keyword_id=pk) for pk in pks])
    m2m_changed.send(action="post_add", using=using, **signal)
