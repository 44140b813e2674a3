"""Refill SQLite's full-text index from the articles, when check_restore finds it out of step.

Its triggers keep it in step as articles change, loaddata included; it can
still drift when rows were written while the triggers were missing (a table
rebuild drops them until migrate puts them back) or by hand. PostgreSQL needs
nothing: this says so.
"""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

from articles.search.schema import rebuild_sqlite_index


class Command(BaseCommand):
    help = "Rebuild SQLite's search index from the articles (PostgreSQL: nothing to do)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to rebuild (default: default).")

    def handle(self, *args, database, verbosity, **options):
        if connections[database].vendor != "sqlite":
            self.stdout.write("PostgreSQL keeps each article's search document on its row: nothing to rebuild.")
            return
        indexed = rebuild_sqlite_index(using=database)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} article(s)."))
