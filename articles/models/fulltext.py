"""SQLite's full-text index as a model, so search can join it (search/sqlite.py). PostgreSQL never touches it."""

from __future__ import annotations

from django.db import models


class FTS5Document(models.TextField):
    """FTS5's hidden column named after its table: the left side of MATCH, the first argument of snippet()."""


@FTS5Document.register_lookup
class FTS5Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class SearchEntry(models.Model):
    """SQLite only: an article's row in the FTS5 table that migration 0008 creates.

    Triggers keep the table in step with articles_article (search/schema.py);
    the model exists so search can join it. PostgreSQL never touches it.
    """

    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )
    document = FTS5Document(db_column="articles_article_fts")
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "articles_article_fts"

    def __str__(self):
        return f"Search entry for article {self.pk}"


class SearchIndexRouter:
    """Keeps SearchEntry out of dumpdata and loaddata (settings.DATABASE_ROUTERS).

    Both commands skip a model the routers do not allow_migrate. The index is
    derived data: PostgreSQL has no such table, so a dump would fail there, and
    on SQLite the triggers already fill it as loaddata inserts the articles.
    Its migration (0008) is unaffected: a RunSQL carries no model name, and the
    unmanaged model's own operations never touch the database.
    """

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == "articles" and model_name == "searchentry":
            return False
        return None
