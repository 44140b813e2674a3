"""List, and with --delete remove, media files no row refers to, and pictures
uploaded in a batch that nobody described.

A write that failed half-way or a process killed while storing a picture can
leave files behind that no Image (nor any other file field) names. Files
younger than --older-than hours are left alone: they may belong to a
transaction still running, or to a batch someone is still describing. Run it
daily (docs/operations.md).
"""

import datetime as dt

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from articles.images.orphans import orphaned_files
from articles.images.staging import staging_storage, stale_staged_files


class Command(BaseCommand):
    help = "List media files no row refers to (--delete removes them)."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove them; without it they are only listed.")
        parser.add_argument(
            "--older-than",
            type=float,
            default=24,
            metavar="HOURS",
            help="Leave files written in the last HOURS alone (default 24).",
        )

    def handle(self, *args, delete, older_than, **options):
        if older_than < 0:
            raise CommandError("--older-than must be 0 or more hours")
        age = dt.timedelta(hours=older_than)
        found = [(default_storage, name) for name in orphaned_files(default_storage, older_than=age)]
        found += [(staging_storage(), name) for name in stale_staged_files(older_than=age)]
        for storage, name in found:
            if delete:
                storage.delete(name)
            where = "staging/" if storage is not default_storage else ""
            self.stdout.write(f"{'removed' if delete else 'orphan '} {where}{name}")
        verb = "removed" if delete else "found (run with --delete to remove them)"
        self.stdout.write(self.style.SUCCESS(f"{len(found)} file(s) no row refers to {verb}."))
