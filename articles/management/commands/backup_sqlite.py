"""Back up a SQLite database while the site runs (docs/backup.md); media files are copied separately.

PostgreSQL sites use pg_dump instead: this refuses to run on them.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from articles.management.backups import backup_sqlite


class Command(BaseCommand):
    help = "Copy the SQLite database to DESTINATION with SQLite's backup API, safe while the site runs."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="The backup file to write, e.g. backups/newsroom.sqlite3.")
        parser.add_argument("--force", action="store_true", help="Replace DESTINATION if it exists.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to copy (default: default).")

    def handle(self, *args, destination, force, database, verbosity, **options):
        if destination.exists() and not force:
            raise CommandError(f"{destination} exists; pass --force to replace it.")
        if not destination.parent.is_dir():
            raise CommandError(f"{destination.parent} is not a folder.")
        try:
            backup_sqlite(using=database, destination=destination)
        except ValueError as error:
            raise CommandError(f"Cannot back up: {error}.") from error
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Backed up the database to {destination}."))
