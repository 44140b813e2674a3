"""Say whether a restored site is whole: run after every restore (docs/backup.md).

A command rather than a system check: system checks run before every
manage.py command, migrate included, and this one lists all of media storage
(a bucket, perhaps) and fails on unapplied migrations, which would stop
migrate itself from running.
"""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from articles.management.backups import restore_problems


class Command(BaseCommand):
    help = "Report what a restore is missing: media files, migrations, SQLite's search index. Fails if anything is."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to check (default: default).")

    def handle(self, *args, database, verbosity, **options):
        problems = restore_problems(default_storage, using=database)
        for problem in problems:
            self.stderr.write(self.style.ERROR(problem))
        if problems:
            raise CommandError(f"The restore is incomplete: {len(problems)} problem(s) listed above.")
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS("The restore is complete: migrations applied, search index and media files present.")
            )
